"""Descriptions that refer back to a named entity, and the facts they state.

"il gruppo di Torino", "l'azienda di Cupertino", "il colosso dell'e-commerce", "the Indian
firm", "la compagnia triestina", "the new company ... to be called X", "il Regolatore": each is
a mention with `ref` to the named mention it denotes (the most salient company before it),
with a confidence from how clear that choice was; a place in the description states a base.
"""
from __future__ import annotations

import re
from collections import Counter

from kg.extract.context import Ctx, compile_rule
from kg.extract.names import merge_key, name_key
from kg.money import alternation


def descriptions(ctx: Ctx, slots: dict[str, str]) -> None:
    """Descriptions that denote a named company, with `ref` to its most salient mention.

    - noun + of + Place: "il gruppo di Torino", "l'azienda di Cupertino"
    - epithet noun + of + sector: "il colosso dell'e-commerce", "the e-commerce giant"
    - noun + place adjective: "la compagnia triestina", "the Indian firm"
    - "the new company ... called X": the description refers to X from then on
    """
    d = ctx.data
    # relational nouns ("parent of X", "unità di X") name another firm, not a description
    relational = set(d.cues["unit_nouns"]) | set(d.cues["relational_nouns"])
    cn = alternation([n for n in list(d.company_nouns) + list(d.epithet_nouns) if n not in relational])
    ep = alternation(d.epithet_nouns)
    geo = alternation(d.geo_adjectives)
    demonym = r"[a-zà-ú]+(?:ese|esi|ino|ina|ini|ine|ano|ana|ani|ane|ense|ensi)"
    new = alternation(d.new_words)
    # only a definite description refers back: "l'azienda di X" yes, "un'azienda di X" no
    the = rf"(?:^|(?<=[\s'\"(]))(?:{alternation(d.cues['definite'])})(?:\s+|(?<='))"
    rules = [
        ("loc", rf"{the}(?P<d>(?:{cn})\s+{{OF}}(?P<loc>{{LOC}}))"),
        ("loc", rf"{the}(?P<d>(?P<loc>{{LOC}})(?:-based|\s+based)\s+(?:{cn}))"),
        ("sector", rf"{the}(?P<d>(?:{ep})\s+{{OF}}[\w-]+)"),
        ("new", rf"{the}(?P<d>(?:{new})\s+(?:{cn}))\b"),
    ]
    if d.code == "en":  # "the e-commerce giant": English puts the sector before the noun
        rules.append(("sector", rf"{the}(?P<d>(?!(?:{new})\b)[\w-]+\s+(?:{ep}))\b"))
        rules.append(("geo", rf"{the}(?P<d>(?P<adj>{geo})\s+(?:[a-z-]+\s+)?(?:{cn}))\b"))
    else:
        rules.append(("geo", rf"{the}(?P<d>(?:{cn})\s+(?P<adj>(?:{geo})|{demonym}))\b"))
    compiled = [(kind, compile_rule(p, slots)) for kind, p in rules]
    naming = re.compile(rf"(?:{alternation(d.naming_verbs)})\s+«[CPO](\d+)»")
    named_new: dict[str, str] = {}  # description words -> mention id of the named entity
    found = []
    for tpl in ctx.templates():
        for kind, rx in compiled:
            for x in rx.finditer(tpl.text):
                if "«" in x.group("d") and kind not in ("loc",):
                    continue
                s, e = tpl.span(*x.span("d"))
                if any(s <= f[1] and f[0] <= e for f in found):
                    continue
                found.append((s, e, kind, tpl.sent, x, tpl))
    for s, e, kind, sent, x, tpl in sorted(found):
        words = ctx.text[s:e].lower()
        ref = None
        if kind == "new":
            n = naming.search(tpl.text, x.end())
            if n and tpl.text[x.end():n.start()].count(".") == 0:
                ref = ctx.mentions[int(n.group(1))].id
                named_new[words] = ref
            else:
                ref = named_new.get(words)
            if not ref:
                continue
            conf = 0.65
        elif appositive(ctx, s):
            # "Flipkart, the Indian e-commerce company": the description renames its head
            ref, conf = appositive(ctx, s), 0.7
        elif named_after(ctx, e):
            # "il colosso francese del lusso Lvmh": the name follows its description
            ref, conf = named_after(ctx, e), 0.7
        else:
            ref, margin = _salient(ctx, s, sent, x.groupdict().get("adj"))
            # a clear favourite makes a confident reading; a close call a weak one, whose
            # facts fall under the default --min-confidence
            conf = 0.65 if margin >= 1.5 else 0.4
        if ref is None:
            continue
        ctx.add_mention(s, e, "Company", confidence=conf, ref=ref, is_description=True)


def appositive(ctx: Ctx, start: int) -> str | None:
    """The id of the company named right before ", (det) <description>", if any."""
    det = alternation(ctx.data.determiners)
    for m in ctx.mentions:
        if m.kind in ("Company", "Platform", "Organization") and not m.is_description and \
                m.end <= start and re.fullmatch(rf"\s*,\s*(?:(?:{det})\s*)?", ctx.text[m.end:start],
                                                re.IGNORECASE):
            return m.id
    return None


def named_after(ctx: Ctx, end: int) -> str | None:
    """The id of a company named right after a description ("the French giant X", "il
    colosso del lusso X"), if any."""
    of = alternation(ctx.data.prepositions_of)
    for m in ctx.mentions:
        if m.kind in ("Company", "Platform", "Organization") and not m.is_description and \
                m.start >= end and re.fullmatch(rf"\s*(?:(?:{of})\s*[\w'’-]+\s*)?",
                                                ctx.text[end:m.start], re.IGNORECASE):
            return m.id
    return None


def _salient(ctx: Ctx, offset: int, sent: int, adj: str | None) -> tuple[str | None, float]:
    """The named company a description most likely denotes: mentioned most before it,
    first in the article or sentence-initial; same-sentence names only when nothing else
    fits (a description does not usually corefer with a name in its own clause). A place
    adjective that shares its stem with a word of the name ("londinese"/"London") wins."""
    cands: dict[str, dict] = {}
    for m in ctx.mentions:
        if m.kind not in ("Company",) or m.is_description or m.start >= offset:
            continue
        k = merge_key(m.text)
        c = cands.setdefault(k, {"id": m.id, "n": 0, "same": 0, "first": m.start, "lead": 0})
        c["n"] += 1
        if ctx.sent_of(m.start) == sent:
            c["same"] += 1
        else:
            c["id"] = m.id
        s0 = ctx.sents[ctx.sent_of(m.start)][0]
        if not ctx.text[s0:m.start].strip():
            c["lead"] += 1
    if not cands:
        return None, 0.0
    first = min(c["first"] for c in cands.values())

    def score(kc):
        k, c = kc
        sc = c["n"] - c["same"] + 1.0 * (c["first"] == first) + 0.3 * c["lead"]
        if c["same"]:
            sc -= 50  # named in the description's own sentence: another entity
        if adj and len(adj) >= 5:
            stem = adj.lower()[:4]
            if any(w.lower().startswith(stem) for w in re.split(r"[\s-]+", k)):
                sc += 100
        return sc

    ranked = sorted(cands.items(), key=score, reverse=True)
    best = ranked[0]
    if best[1]["n"] == best[1]["same"] and score(best) < 50:
        return None, 0.0  # only named in the same sentence: too uncertain to resolve
    margin = score(best) - score(ranked[1]) if len(ranked) > 1 else 10.0
    return best[1]["id"], margin


def description_facts(ctx: Ctx, slots: dict[str, str]) -> None:
    """A description naming a place states a base: "il gruppo di Torino" -> headquarteredIn."""
    from kg.extract.relations import add_relation

    for i, m in enumerate(ctx.mentions):
        if not m.is_description:
            continue
        for j, p in enumerate(ctx.mentions):
            if p.kind == "Place" and p.start >= m.start and p.end <= m.end:
                add_relation(ctx, ctx.sent_of(m.start), "headquarteredIn", i, j, 0.7,
                             "description_place")


def org_noun_descriptions(ctx: Ctx) -> None:
    """A name that is only an organisation noun ("il Regolatore", "the Regulator") after another
    organisation was named refers back to it."""
    lower_org = {w.lower() for w in ctx.data.organization_nouns}
    seen: Counter = Counter()
    first: dict[str, str] = {}
    for m in sorted(ctx.mentions, key=lambda m: m.start):
        if m.kind != "Organization" or m.is_description:
            continue
        low = m.text.lower()
        k = name_key(m.text)
        if low in lower_org and seen and k not in seen:
            best = max(seen, key=lambda kk: seen[kk])
            m.ref, m.is_description, m.confidence = first[best], True, 0.6
            continue
        seen[k] += 1
        first.setdefault(k, m.id)

