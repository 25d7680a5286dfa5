"""Typing named mentions: Person, Place, Company, Platform or Organization.

The NER label is one vote among several: what the name itself says (a legal suffix, "Banca",
"Fondazione", a web domain, an acronym), the words around each occurrence (a platform,
company or organisation noun before it or in apposition, a role "di X", a business verb after
it, a locative preposition), coordination with a name of known type, and a bracket after a
person. Occurrences of one name share their votes; weak rule-found names without evidence
are dropped.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from kg.extract import learned
from kg.extract.context import Ctx, rx
from kg.extract.mentions import (_ends_with_noun, _last_words, _letter, _starts_with,
                                 based_or_owned, is_a_company)
from kg.extract.names import has_legal_suffix, merge_key
from kg.lang.base import SURNAME_PREFIXES, WEB_TLDS
from kg.money import alternation


_ORGK = ("Company", "Platform", "Organization")


def _rx_search(pattern: str, text: str):
    return rx(pattern).search(text)


def _rx_match(pattern: str, text: str):
    return rx(pattern).match(text)


_BRACKET = "_bracket"  # marker vote: "Name Surname (X)"


def _context_score(ctx: Ctx, i: int, score: Counter) -> None:
    """Cues around one mention: nouns before it or in apposition, a role before it
    ("presidente di X"), a locative preposition, a bracket after a person."""
    d = ctx.data
    m = ctx.mentions[i]
    tpl = ctx.template(ctx.sent_of(m.start))
    pos = tpl.text.find(f"«{_letter(m.kind)}{i}»")
    if pos < 0:
        return
    before = tpl.text[:pos]
    raw_before = before
    # coordinated with an earlier mention: share its cue ("piattaforme X e Y")
    while True:
        x = _rx_search(r"«\w\d+»(?:\s*,\s*|\s+(?:" + alternation(d.coordinators) + r")\s+)$", before)
        if not x:
            break
        before = before[:x.start()]
    tail = _last_words(before, 7)
    if _ends_with_noun(tail, d.platform_nouns):
        score["Platform"] += 2
    elif _ends_with_noun(tail, d.organization_nouns, complements=False):
        score["Organization"] += 2
    elif _ends_with_noun(tail, d.company_nouns):
        score["Company"] += 2
    if _rx_search(r"(?:" + alternation(d.company_nouns) + r"|" + alternation(d.cues["plural_company_nouns"])
                 + r")\b[^«.;]{0,40}?\b(?:" + alternation(d.cues["including"]) + r")\s+[^«]{0,30}$", before):
        score["Company"] += 2
    role_of = r")\s+(?:" + alternation(d.prepositions_of) + r")\s*(?:(?:" + alternation(d.determiners) + r")\s*)?$"
    if d.business_titles and _rx_search(r"(?:^|[\s'])(?:" + alternation(d.business_titles) + role_of, raw_before):
        score["Company"] += 1.5  # "CEO of X", "amministratore delegato di X": a firm
    elif _rx_search(r"(?:^|[\s'])(?:" + alternation(list(d.role_titles) + list(d.board_nouns)) + role_of, raw_before):
        score["Company"] += 0.8  # "presidente di X": mostly a firm, but presidents have countries
    biz_before = list(d.cues["possession_nouns"]) + list(d.cues["controlled_by"]) + list(d.cues["parent_of"]) + list(d.cues["acquire_nouns"]) + list(d.cues["merge_nouns"]) + list(
        d.cues["partner_nouns"]) + list(d.stake_nouns) + list(d.not_investment_nouns)
    if _rx_search(r"(?:^|[\s'])(?:" + alternation(biz_before) + r")\s+(?:(?:" + alternation(d.prepositions_of)
                 + r"|" + alternation(d.cues["between"]) + r"|" + alternation(d.cues["with"]) + r"|in)\s*)?"
                 r"(?:(?:" + alternation(d.determiners) + r")\s*)?$", before) or _rx_search(
                 r"(?:^|[\s'])(?:" + alternation(d.cues["acquire_verbs"]) + r")\s+(?:(?:" + alternation(d.determiners)
                 + r")\s*)?$", before):
        score["Company"] += 1.5
    if _rx_search(r"(?:^|[\s'])(?:" + alternation(d.company_nouns) + r")\s+(?:di|of)\s*$", raw_before):
        score["Place"] += 1.5  # "il gruppo di Torino": a base
    if _rx_search(r"(?:^|\s)(?:in|a|ad|verso|nel|nella|negli|nei|in|to|from|at|near|"
                 r"per l'|per la|per il|dalla|dal)\s*$", raw_before):
        score["Place"] += 0.7
    after = tpl.text[pos:].split("»", 1)[-1]
    if m.kind != "Place" and _rx_match(r"\s+[a-z]", after) and _rx_search(r"^\W*(?:" + alternation(d.cues["hq_cues"]) + r")\s+«L\d+»(?:\s*,\s*«L\d+»)*\s*,\s*(?:(?:"
                 + alternation(d.determiners) + r")\s*)?$", raw_before):
        score["Company"] += 1.5  # "Based in Lewisville, Texas, X ...": X has a base
    biz_after = list(d.cues["acquire_verbs"]) + list(d.invest_verbs) + list(
        d.cues["business_verbs"]) + list(d.cues["raise_verbs"])
    roles = alternation(d.role_titles)
    if _rx_search(r"(?:^|[\s'])(?:" + roles + r")\s*,?\s*$", raw_before) or _rx_match(
            r"\s*,\s*(?:(?:" + alternation(list(d.determiners) + list(d.current_words)) + r")\s+)*(?:"
            + roles + r")\b", after) or _rx_search(r"\b(?:mr|mrs|ms|dr|sig|sig\.ra|dott)\.?\s*$", raw_before):
        score["Person"] += 2  # "l'amministratore delegato X", "X, chief executive of", "Mr X"
    if _rx_match(r"\s*,\s*(?:" + alternation(d.cues["relative_pronouns"]) + r")\s+«[CPOL]\d+»\s+(?:\w+\s+)?(?:"
                + alternation(list(d.cues["acquire_verbs"]) + list(d.cues["controls"])) + r")\b", after):
        score["Company"] += 2  # "Umbra, which Acme bought": a firm that was bought
    if _rx_search(r"\d\s*%\s+(?:" + alternation(d.prepositions_of) + r")\s*$", raw_before):
        score["Company"] += 1.5  # "il 20% di X", "10% of X": a firm's shares
    if _rx_match(r"-based\b", after):
        score["Place"] += 2  # "Bengaluru-based"
    if _rx_match(r"\s+(?:" + alternation(d.platform_nouns) + r")\b", after) and d.code == "en":
        score["Platform"] += 2  # "the Prime Now app", "its Vendo platform"
    if _rx_match(r"\s+(?:" + alternation(d.role_titles) + r")\s+«H", after):
        score["Company"] += 1.5  # "Acme chairman John Smith"
    after_pair = re.sub(r"^\s+(?:" + alternation(d.coordinators) + r")\s+«\w\d+»", "", after)
    if _rx_match(r"\s*(?:" + alternation(biz_after + list(d.cues["sign_verbs"]) + list(d.cues["merge_verbs"]))
                + r")\b", after_pair):
        score["Company"] += 1.5
    if _rx_match(based_or_owned(d), after_pair):
        score["Company"] += 1.5  # "X is headquartered in", "X è controllata da"
    if _rx_match(is_a_company(d), after_pair):
        score["Company"] += 1.5  # "X is a clothing retailer", "X è una società"
    poss_nouns = list(d.role_titles) + list(d.cues["unit_nouns"]) + list(d.stake_nouns) + list(
        d.platform_nouns)
    if _rx_match(r"['’]s\s+(?:«[CPO]\d+»|(?:[\w-]+\s+)?(?:" + alternation(poss_nouns) + r")\b)", after):
        score["Company"] += 1.5  # "X's chief executive", "X's cloud unit", "X's Y unit"
    if _rx_search(r"(?:^|\s)(?:" + alternation(d.cues["raise_verbs"]) + r")\s+[^«]{0,30}?(?:"
                 + alternation(d.cues["from_investors"]) + r")\s+(?:(?:" + alternation(d.determiners)
                 + r")\s+)?$", raw_before):
        score["Company"] += 1.5  # "raised $5m from X": X is an investor
    if _rx_match(r"\s*(?:\w+\s+)?(?:al|il|con il|with|a|at)\s+\d+(?:[.,]\d+)?\s*%", after):
        score["Company"] += 1.5  # "X (sarà) al 5,73%": a shareholder
    x = _rx_match(r"\s*,\s*(?:(?:" + alternation(d.determiners) + r")\s*)?((?:[^\s,«»]+\s*){1,3})", after)
    if x:
        head = x.group(1).strip()
        if _starts_with(head, d.platform_nouns):
            score["Platform"] += 2.5
        elif _starts_with(head, d.organization_nouns):
            score["Organization"] += 2.5
        elif _starts_with(head, d.company_nouns) or any(_starts_with(head, d.cues[k]) for k in (
                "shareholder_nouns", "rival_nouns", "relational_nouns", "hq_cues")) or \
                _starts_with(re.sub(r"^(?:principale|main|biggest|largest|maggiore)\s+", "", head),
                             d.cues["rival_nouns"]):
            score["Company"] += 2.5
    # "Name Surname (X)": X is an affiliation
    if _rx_search(r"«H\d+»\s*\(\s*$", raw_before) and after.lstrip().startswith(")"):
        score["Company"] += 2.5
        score[_BRACKET] = 1


def _name_score(ctx: Ctx, m, score: Counter, person_last: set[str]) -> None:
    d = ctx.data
    name = m.text.replace("’", "'")
    low = name.lower()
    words = low.split()
    lower_org = {w.lower() for w in d.organization_nouns}
    if low in lower_org or (words and words[0] in lower_org and len(words) > 1) or any(
            " " in n and low.startswith(n + " ") for n in lower_org):
        score["Organization"] += 5  # "Fondazione X", "Banca centrale europea"
    if has_legal_suffix(name):
        score["Company"] += 3
    elif low in d.country_names:
        score["Place"] += 4  # the NER often tags a country ORG ("verso la Cina")
    if any(w in d.cues["org_name_words"] for w in re.split(r"[\s-]+", low)):
        score["Company"] += 2
    if any(low.endswith(t) for t in WEB_TLDS):
        score["Platform"] += 2.5
    camel = re.sub(r"\b(?:" + "|".join(SURNAME_PREFIXES) + r")(?=[A-Z][a-z])", "", name)
    if re.fullmatch(r"(?:[A-Z]\.){2,3}", name):
        pass  # "U.S.", "U.K.": dotted initials are countries far more often than firms
    elif re.fullmatch(r"[A-Z0-9&.-]{2,}", name) or _rx_search(r"[a-z][A-Z]|[A-Z]{2,}-|-[A-Z]{2,}", camel):
        score["Person"] -= 2  # acronyms and camel case are not people
        score["Company"] += 0.5
        if _rx_search(r"[A-Z]{2,}-|-[A-Z]{2,}|[a-z][A-Z]", camel):
            score["Company"] += 1.5
        elif len(name) >= 3:
            score["Company"] += 0.7  # places are rarely acronyms of three letters or more
    if _rx_search(r"[A-Za-z]['’]s$", name) and d.code != "en":
        score["Company"] += 1.5  # "Moody's": in Italian text an 's name is a brand
        score["Person"] -= 1
    if name in person_last:
        score["Person"] += 2
    elif m.kind == "Person" and len(name.split()) == 1:
        score["Person"] -= 0.4  # a lone capitalised word is as often a firm as a surname


def type_mentions(ctx: Ctx) -> None:
    """Type every named mention (the NER label is one vote among several).

    A name's type adds up the NER label of each occurrence, what the name itself says (a legal
    suffix, "Banca", "Fondazione", a web domain, an acronym) and the context of each
    occurrence; occurrences of one name share the sum, and each keeps a double share of its
    own context, so "Mario Rossi (Rossi)" can be a person and a company."""
    prior = {"Person": 1.0, "Place": 1.0, "Company": 1.2, "Platform": 1.2, "Organization": 1.2}
    person_last = set()
    for m in ctx.mentions:
        if m.kind == "Person" and len(m.text.split()) >= 2:
            ws = m.text.split()
            for k in range(1, len(ws)):
                person_last.add(" ".join(ws[k:]))
    group: dict[str, Counter] = defaultdict(Counter)
    local: dict[int, Counter] = {}
    ner_kinds: dict[str, set] = defaultdict(set)
    for m in ctx.mentions:
        ner_kinds[merge_key(m.text)].add(m.kind)
    for i, m in enumerate(ctx.mentions):
        if m.is_description or m.kind in ("Market",) or m.ref:
            continue
        trust = 0.5 if len(ner_kinds[merge_key(m.text)]) > 1 else 1.0
        if m.id in ctx.weak:
            trust = 0.0  # no NER vote at all
        sc = Counter({m.kind: prior.get(m.kind, 1.0) * m.confidence * trust})
        _name_score(ctx, m, sc, person_last)
        loc = Counter()
        _context_score(ctx, i, loc)
        local[i] = loc
        # Counter.update keeps negative votes ("+" would drop them)
        group[merge_key(m.text)].update(sc)
        group[merge_key(m.text)].update(loc)
    # coordinated names ("X e Y", "X, Y") are of one type: each lends its type to the other
    kind_of = {k: max((x for x in c if x != _BRACKET), key=c.get, default="Company")
               for k, c in group.items() if c}
    conj = alternation(ctx.data.coordinators)
    bonus: dict[str, Counter] = defaultdict(Counter)
    for tpl in ctx.templates():
        # a list ends with a conjunction ("X, Y e Z"); "X, Y" alone may be an apposition
        lists = re.finditer(r"«\w\d+»(?:\s*,\s*«\w\d+»)*\s*,?\s+(?:" + conj + r")\s+«\w\d+»"
                            r"|«\w\d+»\s+[-–]\s+«\w\d+»", tpl.text)
        for x in lists:
            members = [i for i in ctx.slots(x.group(0)) if i in local]
            for a in members:
                for b in members:
                    ka, kb = merge_key(ctx.mentions[a].text), merge_key(ctx.mentions[b].text)
                    if ka != kb:
                        bonus[kb][kind_of[ka]] += 1.0
    for k, c in bonus.items():
        group[k].update(c)
    drop = set()
    model = learned.load_typing_model()
    for i, loc in local.items():
        m = ctx.mentions[i]
        total = Counter(group[merge_key(m.text)])
        total.pop(_BRACKET, None)
        if loc.get(_BRACKET) and total["Organization"] < 3:
            total["Company"] += 10  # a bracketed affiliation is a firm here, whatever else
        feats = None
        if model is not None or ctx.typing_log is not None:
            feats = learned.mention_features(ctx, i, total)
        kind = max(total, key=lambda k: (total[k], k == m.kind)) if total else m.kind
        rule_kind = None if m.id in ctx.weak and total[kind] < 1.5 else kind
        margin = learned.vote_margin(total)
        if ctx.typing_log is not None:
            ctx.typing_log.append((m.text, m.start, m.end, feats, rule_kind, margin))
        if model is not None and margin < model.threshold:
            # the trained classifier decides where the votes are not clear-cut (the model's
            # threshold is the vote margin above which the rules are kept: chosen in training)
            rule_kind = learned.predict_kind(model, feats, rule_kind)
        if rule_kind is None:
            drop.add(m.id)  # a capitalised word with nothing saying what it names
        else:
            m.kind = rule_kind
    if drop:
        ctx.facts.mentions = [m for m in ctx.mentions if m.id not in drop]
    ctx._templates = None

