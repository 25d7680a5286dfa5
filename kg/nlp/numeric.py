"""spaCy component ``kg_numeric``: MONEY, PERCENT and DATE spans from rules, added to doc.ents.

The statistical NER gives PER/ORG/LOC; amounts, percentages and dates are regular enough
for rules, and the rules come from ``kg.lang`` data, so the component is the same for every
language::

    import kg.nlp.numeric  # registers the factory
    nlp.add_pipe("kg_numeric", config={"lang": "it"})

NER entities are kept: a rule span that partly overlaps one is dropped. The one exception is
an entity lying wholly inside an amount ("USA" in "12.5 miliardi di dollari USA", "US" in
"US$11 billion"): that is a currency qualifier, not a place, and the MONEY span wins.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import lang as langdata
from kg.money import alternation, find_money, find_percents

RULE_LABELS = ("MONEY", "PERCENT", "DATE")


@lru_cache(maxsize=None)
def _date_regexes(lang: str) -> list[re.Pattern]:
    """Date and period patterns of a language, most specific first."""
    data = langdata.get(lang)
    months = alternation(data.months)
    days = alternation(data.weekdays)
    units = alternation(data.duration_units)
    numwords = alternation([w for w in data.number_words if len(w) > 1])
    prefixes = alternation(data.period_prefixes)
    year = r"(?:1[89]|20)\d\d"
    pats = [
        # "venerdì 22 giugno 2007", "22 giugno 2007", "June 22, 2007", "Wednesday, June 22"
        rf"\b(?:(?:{days}),?\s+)?\d{{1,2}}(?:º|°)?\s+(?:{months})(?:\s+{year})?\b",
        rf"\b(?:(?:{days}),?\s+)?(?:{months})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{year})?\b",
        rf"\b(?:{months})\s+{year}\b",
        # periods: "nei prossimi tre anni", "over the next five years", "30 giorni"
        rf"\b(?:(?:{prefixes})\s+)?(?:\d+|{numwords})\s+(?:{units})\b",
        rf"\b{year}\b(?![.,]?\d)(?!\s*%)",
    ]
    out = [re.compile(p, re.IGNORECASE) for p in pats]
    if lang == "en":  # English writes names capitalised, and "may"/"march" are also words
        names = [w.capitalize() for w in list(data.weekdays) + list(data.months)
                 if w not in ("may", "march") and not w.endswith(".")]
        out.append(re.compile(rf"\b(?:{alternation(names)})\b"))
    else:
        out.append(re.compile(rf"\b(?:{days}|{months})\b", re.IGNORECASE))
    return out


def rule_spans(text: str, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of every MONEY, PERCENT and DATE expression, char offsets."""
    spans = [(s, e, "MONEY") for s, e, _ in find_money(text, lang)]
    spans += [(s, e, "PERCENT") for s, e, _ in find_percents(text, lang)]
    for rx in _date_regexes(lang):
        spans += [(m.start(), m.end(), "DATE") for m in rx.finditer(text)]
    return spans


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def add_numeric_ents(doc: Doc, lang: str) -> Doc:
    """Add rule MONEY/PERCENT/DATE spans to doc.ents, keeping the NER's entities."""
    order = {lab: i for i, lab in enumerate(RULE_LABELS)}
    cands = []
    for s, e, label in rule_spans(doc.text, lang):
        span = doc.char_span(s, e, label=label, alignment_mode="expand")
        if span is not None and len(span):
            cands.append(span)
    # MONEY before PERCENT before DATE, then longest first
    cands.sort(key=lambda sp: (order[sp.label_], -(sp.end - sp.start), sp.start))
    ents = list(doc.ents)
    for span in cands:
        clash = [x for x in ents if _overlaps(x, span)]
        if not clash:
            ents.append(span)
            continue
        if span.label_ == "MONEY" and all(
            x.label_ not in RULE_LABELS and x.start >= span.start and x.end <= span.end
            for x in clash
        ):
            ents = [x for x in ents if x not in clash] + [span]
    doc.ents = sorted(ents, key=lambda sp: sp.start)
    return doc


class NumericEntities:
    """The pipeline component: callable Doc -> Doc."""

    def __init__(self, nlp: Language, name: str, lang: str):
        self.name = name
        self.lang = lang or nlp.lang
        langdata.get(self.lang)  # fail early on a language without data

    def __call__(self, doc: Doc) -> Doc:
        return add_numeric_ents(doc, self.lang)


@Language.factory(
    "kg_numeric",
    default_config={"lang": ""},
    assigns=["doc.ents"],
    requires=["doc.ents"],
)
def make_numeric(nlp: Language, name: str, lang: str) -> NumericEntities:
    """MONEY/PERCENT/DATE rules for `lang` (default: the pipeline's language)."""
    return NumericEntities(nlp, name, lang)
