"""Mentions: named entities from the NER, typed by context, plus rule mentions.

- PER -> Person, LOC/GPE -> Place, ORG -> Company, Platform or Organization by context:
  a platform/company/organisation noun just before ("la piattaforma X", "the regulator X")
  or in apposition after ("X, il marketplace ..."), a legal suffix (Inc., S.p.A., Group), a
  web domain (".com"), an organisation noun inside the name ("Fondazione X"); names that
  share a key vote on one type.
- Web domains the NER missed ("example.it"), Market phrases ("mercato cinese", "PC market"),
  place epithets ("Bel Paese") are added by rule.
- Descriptions that refer back to a named company ("il gruppo di Torino", "the Indian firm",
  "il colosso dell'e-commerce") are mentions with `ref` set; see :func:`descriptions`.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from kg.extract.context import Ctx, compile_rule
from kg.extract.names import has_legal_suffix, merge_key, name_key
from kg.lang.base import WEB_TLDS
from kg.money import _alt

PER_LABELS = {"PER", "PERSON"}
LOC_LABELS = {"LOC", "GPE", "FAC"}
ORG_LABELS = {"ORG", "NORP_ORG"}

_DOMAIN = re.compile(
    r"(?<![\w@./-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*(?:" + "|".join(
        re.escape(t) for t in sorted(WEB_TLDS, key=len, reverse=True)) + r")(?![\w-]|\.\w)"
)


def _trim(ctx: Ctx, start: int, end: int) -> tuple[int, int]:
    """Strip articles, quotes, possessive 's and punctuation from an entity span."""
    text = ctx.text
    dets = sorted(ctx.data.determiners, key=len, reverse=True)
    changed = True
    while changed and start < end:
        changed = False
        seg = text[start:end]
        low = seg.lower().replace("’", "'")
        for d in dets:
            if d.endswith("'") and low.startswith(d) and len(low) > len(d):
                # "l'Autorità" is an article; "marchio L'Erbolario" is part of the name
                sent_start = ctx.sents[ctx.sent_of(start)][0] == start if ctx.sents else True
                if seg[0].islower() or sent_start:
                    start += len(d)
                    changed = True
                break
            if low.startswith(d + " ") and len(low) > len(d) + 1 and seg[len(d) + 1:][:1].isupper():
                start += len(d) + 1
                changed = True
                break
        while start < end and text[start] in "\"'“”«»‘’( ":
            start += 1
            changed = True
    while end > start and text[end - 1] in "\"'“”«»‘’), :;":
        end -= 1
    if text[start:end].endswith(("'s", "’s")) and ctx.lang == "en":
        end -= 2
    return start, end


def named_mentions(ctx: Ctx, doc) -> None:
    """Mentions from doc.ents (PER/ORG/LOC); ORG mentions get a provisional kind."""
    for ent in doc.ents:
        label = ent.label_
        if label in PER_LABELS:
            kind = "Person"
        elif label in LOC_LABELS:
            kind = "Place"
        elif label in ORG_LABELS:
            kind = "Company"
        else:
            continue
        # a name never crosses a line break (a title and the first word of the body)
        pos = ent.start_char
        for part in re.split(r"(\n+)", ctx.text[ent.start_char:ent.end_char]):
            start, pos = pos, pos + len(part)
            if not part.strip() or "\n" in part:
                continue
            s, e = _trim(ctx, start, start + len(part))
            if e - s < 2 or not any(c.isalpha() for c in ctx.text[s:e]):
                continue
            if not any(c.isupper() or c.isdigit() for c in ctx.text[s:e]):
                continue  # a lowercase span is a common noun, not a name
            ctx.add_mention(s, e, kind, confidence=0.85)
    _extend_legal_suffix(ctx)
    _legal_suffix_names(ctx)
    _partnership_names(ctx)
    _propagate(ctx)


def _extend_legal_suffix(ctx: Ctx) -> None:
    """"Acme" + " Corp." -> "Acme Corp.": a legal abbreviation right after a name joins it."""
    rx = re.compile(r"\s*,?\s*(?:Inc|Corp|Co|Ltd|S\.p\.A|SpA|S\.r\.l|Srl|N\.V|S\.A|plc|PLC|AG|"
                    r"SE|GmbH|LLC|Limited|Corporation)\b\.?")
    for m in ctx.mentions:
        if m.kind not in ("Company", "Platform", "Organization"):
            continue
        x = rx.match(ctx.text, m.end)
        if x and not any(o.start < x.end() and o.end > m.end for o in ctx.mentions if o is not m):
            end = x.end()
            # "Co.." at a sentence end: the second dot ends the sentence, the first is the name's
            m.end, m.text = end, ctx.text[m.start:end]


_LEGAL_NAME = re.compile(
    r"(?<![\w.])((?:[A-Z][\w'&.-]*\s+){0,3}[A-Z][\w'&.-]*)(?:,?\s+(?:Corp\.|Inc\.|Co\.|Ltd\b\.?|"
    r"S\.p\.A\.|SpA\b|S\.r\.l\.|plc\b|Plc\b|PLC\b|AG\b|SE\b|N\.V\.|GmbH\b|LLC\b|Group\b|"
    r"Holding\b|Holdings\b|Corporation\b|Incorporated\b|Limited\b))+"
)


def _legal_suffix_names(ctx: Ctx) -> None:
    """"Xyz Corp.", "Xyz S.p.A.", "Xyz Group": a capitalised name + legal suffix is a company,
    whatever the NER said of its parts."""
    for x in _LEGAL_NAME.finditer(ctx.text):
        s, e = _trim(ctx, x.start(), x.end())
        if s >= e:
            continue
        inside = [m for m in ctx.mentions if m.start < e and m.end > s]
        if any(m.start < s or m.end > e for m in inside):
            continue
        if any(m.kind == "Company" and m.start == s and m.end == e for m in inside):
            continue
        for m in inside:
            ctx.facts.mentions.remove(m)
        ctx.add_mention(s, e, "Company", confidence=0.8)


def _short_forms(text: str) -> set[str]:
    """Forms a company name is also written in: suffix-free core, partnership head."""
    from kg.extract.names import core_name

    out = {core_name(text)}
    if re.search(r",\s*[A-Z].*(?:&|\band\b)", text):
        out.add(text.split(",")[0].strip())
    return {o for o in out if o and o != text and len(o) >= 2}


def _propagate(ctx: Ctx) -> None:
    """One name, one reading per article: short forms of companies ("Xyz" of "Xyz Corp.") are
    companies wherever they occur, and a name the NER tagged once is tagged everywhere it recurs
    (with the majority type of its tagged occurrences)."""
    org_kinds = ("Company", "Platform", "Organization")
    shorts = set()
    for m in list(ctx.mentions):
        if m.kind in org_kinds and has_legal_suffix(m.text) or re.search(r",.*&", m.text):
            shorts |= _short_forms(m.text)
    for m in ctx.mentions:
        if m.text in shorts and m.kind in ("Person", "Place"):
            m.kind = "Company"
    kinds: dict[str, Counter] = defaultdict(Counter)
    for m in ctx.mentions:
        kinds[m.text][m.kind] += 1
    for sf in shorts:
        kinds[sf]["Company"] += 100
    for text, c in kinds.items():
        if len(text) < 3 or not any(ch.isupper() for ch in text):
            continue
        kind = c.most_common(1)[0][0]
        for x in re.finditer(r"(?<![\w&'’-])" + re.escape(text) + r"(?![\w&-]|['’]\w)", ctx.text):
            if _free(ctx, x.start(), x.end()):
                ctx.add_mention(x.start(), x.end(), kind, confidence=0.7)


def _partnership_names(ctx: Ctx) -> None:
    """"A, B & Co." is one name even when the NER split it at the comma."""
    # firms write "&" ("Smith, Jones & Co."); "A, B and C" is a list, not a name
    rx = re.compile(r"\b[A-Z][\w'-]+(?:,\s+[A-Z][\w'-]+){1,2},?\s+(?:&\s+(?:Co\.|Company|[A-Z][\w'-]+)"
                    r"|and\s+(?:Co\.|Company)(?!\w))")
    for x in rx.finditer(ctx.text):
        inside = [m for m in ctx.mentions if m.start < x.end() and m.end > x.start()]
        if not inside or any(m.kind == "Place" for m in inside):
            continue
        legal = re.search(r"(?:&|and)\s+(?:Co\.|Company)$", x.group(0))
        if not legal and not any(m.kind in ("Company", "Platform", "Organization") for m in inside):
            continue
        for m in inside:
            ctx.facts.mentions.remove(m)
        ctx.add_mention(x.start(), x.end(), "Company", confidence=0.8)


def domain_mentions(ctx: Ctx) -> None:
    """Web domains ("example.com") the NER missed or cut; typed later by context."""
    for x in _DOMAIN.finditer(ctx.text):
        s, e = x.start(), x.end()
        if "." not in ctx.text[s:e].strip("."):
            continue
        inside = [m for m in ctx.mentions if m.start < e and m.end > s]
        if any(m.start < s or m.end > e for m in inside):
            continue
        for m in inside:
            ctx.facts.mentions.remove(m)
        ctx.add_mention(s, e, "Platform", confidence=0.75)


def _free(ctx: Ctx, s: int, e: int) -> bool:
    return not any(m.start < e and m.end > s for m in ctx.mentions)


def market_mentions(ctx: Ctx) -> None:
    """"mercato cinese", "mercato dell'auto", "the Chinese wine market", "PC market"."""
    d = ctx.data
    nouns = _alt(d.market_nouns)
    geo = _alt(d.geo_adjectives)
    generic = {g.lower() for g in d.generic_market_modifiers}
    of = _alt(d.prepositions_of)
    if d.code == "en":
        rx = re.compile(rf"\b((?:[A-Za-z][\w.&'’-]*\s+){{1,3}})({nouns})\b")
        for x in rx.finditer(ctx.text):
            words = x.group(1).split()
            # "Germany's cable market": the possessive names the geography, not the market
            for k in range(len(words) - 1, -1, -1):
                if re.search(r"['’]s?$", words[k]):
                    words = words[k + 1:]
                    break
            # keep the modifiers right before "market" that are not stop words
            keep = []
            for w in reversed(words):
                lw = w.lower().strip(".,")
                if lw in d.stop_words or lw in generic or not re.fullmatch(r"[\w.&-]+", w):
                    break
                keep.insert(0, w)
            if not keep:
                continue
            if keep[0].lower() in ("to", "a", "an", "the"):
                keep = keep[1:]
            if not keep or (len(keep) == 1 and keep[0][0].islower() and
                            keep[0].lower() not in geo.split("|") and not keep[0].isalpha()):
                continue
            s = x.start(2) - len(" ".join(keep)) - 1
            s = ctx.text.rfind(keep[0], x.start(), x.start(2))
            e = x.end(2)
            if _free(ctx, s, e):
                ctx.add_mention(s, e, "Market", confidence=0.7)
    else:
        rx = re.compile(
            rf"\b({nouns})\s+(?:(?:{geo})\b|(?:{of})\s*(?!(?:{_alt(generic)})\b)[\w-]{{3,}})",
            re.IGNORECASE,
        )
        dates = set(d.weekdays) | set(d.months)
        for x in rx.finditer(ctx.text):
            s, e = x.start(), x.end()
            tail = ctx.text[x.end(1):e].strip().lower()
            last = tail.split()[-1].strip("'") if tail.split() else ""
            if tail in generic or last in dates or last.isdigit():
                continue
            if re.search(rf"\b(?:{of})\s*$", ctx.text[max(0, s - 6):s], re.IGNORECASE):
                continue  # "quota di mercato", "prezzi di mercato": not a market named as such
            if _free(ctx, s, e):
                ctx.add_mention(s, e, "Market", confidence=0.7)


def epithet_mentions(ctx: Ctx) -> None:
    """Place epithets written as names ("Bel Paese"); `ref` to the plain name if seen."""
    for epithet, plain in ctx.data.place_epithets.items():
        rx = re.compile(r"\b" + re.escape(epithet).replace(r"\ ", r"\s+") + r"\b", re.IGNORECASE)
        for x in rx.finditer(ctx.text):
            if not any(c.isupper() for c in x.group(0)):
                continue
            ref = next((m.id for m in ctx.mentions if m.kind == "Place"
                        and m.text.lower() in plain), None)
            same = [m for m in ctx.mentions if m.start == x.start() and m.end == x.end()]
            if same:
                same[0].kind, same[0].ref = "Place", ref
            elif _free(ctx, x.start(), x.end()):
                ctx.add_mention(x.start(), x.end(), "Place", confidence=0.7, ref=ref)


# ---------------------------------------------------------------------------- typing

def _last_words(text: str, n: int) -> str:
    return " ".join(text.split()[-n:])


def _ends_with_noun(before: str, nouns, complements: bool = True) -> bool:
    """`before` (lowercase, plain apostrophes) ends with one of `nouns`, maybe + adjective."""
    b = re.sub(r"[\s,]+$", "", before)
    for noun in nouns:
        x = re.search(rf"(?:^|[\s'])({re.escape(noun)})(?:\s+([^\s«»]+))?$", b)
        if x and not (x.group(2) and (x.group(2) in _FUNCTION_WORDS or x.group(2).endswith("'"))):
            return True
        # "la società di ricerche di mercato X": complements after the noun
        if complements and re.search(
                rf"(?:^|[\s'])({re.escape(noun)})(?:\s+(?:di|of|for|per)\s+[^\s«»]+){{1,2}}$", b):
            return True
    return False


_FUNCTION_WORDS = {
    "di", "del", "della", "dello", "dei", "degli", "delle", "da", "dal", "dalla", "a", "al",
    "alla", "in", "nel", "nella", "su", "sul", "sulla", "per", "con", "tra", "fra", "e", "o",
    "che", "il", "la", "lo", "i", "gli", "le", "un", "una", "of", "the", "a", "an", "to", "in",
    "on", "at", "by", "for", "with", "from", "and", "or", "that", "which", "its", "their",
}


_ORGK = ("Company", "Platform", "Organization")


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
        x = re.search(r"«\w\d+»(?:\s*,\s*|\s+(?:" + _alt(d.coordinators) + r")\s+)$", before)
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
    if re.search(r"(?:" + _alt(d.company_nouns) + r"|" + _alt(d.cues["plural_company_nouns"])
                 + r")\b[^«.;]{0,40}?\b(?:" + _alt(d.cues["including"]) + r")\s+[^«]{0,30}$", before):
        score["Company"] += 2
    if re.search(r"(?:^|[\s'])(?:" + _alt(list(d.role_titles) + list(d.board_nouns)) + r")\s+(?:" + _alt(d.prepositions_of)
                 + r")\s*(?:(?:" + _alt(d.determiners) + r")\s*)?$", raw_before):
        score["Company"] += 0.8  # "presidente di X": mostly a firm, but presidents have countries
    biz_before = list(d.cues["controlled_by"]) + list(d.cues["acquire_nouns"]) + list(d.cues["merge_nouns"]) + list(
        d.cues["partner_nouns"]) + list(d.stake_nouns) + list(d.not_investment_nouns)
    if re.search(r"(?:^|[\s'])(?:" + _alt(biz_before) + r")\s+(?:(?:" + _alt(d.prepositions_of)
                 + r"|" + _alt(d.cues["between"]) + r"|" + _alt(d.cues["with"]) + r"|in)\s*)?"
                 r"(?:(?:" + _alt(d.determiners) + r")\s*)?$", before) or re.search(
                 r"(?:^|[\s'])(?:" + _alt(d.cues["acquire_verbs"]) + r")\s+(?:(?:" + _alt(d.determiners)
                 + r")\s*)?$", before):
        score["Company"] += 1.5
    if re.search(r"(?:^|[\s'])(?:" + _alt(d.company_nouns) + r")\s+(?:di|of)\s*$", raw_before):
        score["Place"] += 1.5  # "il gruppo di Torino": a base
    if re.search(r"(?:^|\s)(?:in|a|ad|verso|nel|nella|negli|nei|in|to|from|at|near|"
                 r"per l'|per la|per il|dalla|dal)\s*$", raw_before):
        score["Place"] += 0.7
    after = tpl.text[pos:].split("»", 1)[-1]
    biz_after = list(d.cues["acquire_verbs"]) + list(d.invest_verbs) + list(
        d.cues["business_verbs"]) + list(d.cues["raise_verbs"])
    after_pair = re.sub(r"^\s+(?:" + _alt(d.coordinators) + r")\s+«\w\d+»", "", after)
    if re.match(r"\s*(?:" + _alt(biz_after + list(d.cues["sign_verbs"]) + list(d.cues["merge_verbs"]))
                + r")\b", after_pair):
        score["Company"] += 1.5
    poss_nouns = list(d.role_titles) + list(d.cues["unit_nouns"]) + list(d.stake_nouns) + list(
        d.platform_nouns)
    if re.match(r"['’]s\s+(?:«[CPO]\d+»|(?:[\w-]+\s+)?(?:" + _alt(poss_nouns) + r")\b)", after):
        score["Company"] += 1.5  # "X's chief executive", "X's cloud unit", "X's Y unit"
    if re.search(r"(?:^|\s)(?:" + _alt(d.cues["raise_verbs"]) + r")\s+[^«]{0,30}?(?:"
                 + _alt(d.cues["from_investors"]) + r")\s+(?:(?:" + _alt(d.determiners)
                 + r")\s+)?$", raw_before):
        score["Company"] += 1.5  # "raised $5m from X": X is an investor
    if re.match(r"\s*(?:\w+\s+)?(?:al|il|con il|with|a|at)\s+\d+(?:[.,]\d+)?\s*%", after):
        score["Company"] += 1.5  # "X (sarà) al 5,73%": a shareholder
    x = re.match(r"\s*,\s*(?:(?:" + _alt(d.determiners) + r")\s*)?((?:[^\s,«»]+\s*){1,3})", after)
    if x:
        head = x.group(1).strip()
        if _starts_with(head, d.platform_nouns):
            score["Platform"] += 2.5
        elif _starts_with(head, d.organization_nouns):
            score["Organization"] += 2.5
        elif _starts_with(head, d.company_nouns) or _starts_with(head, d.cues["shareholder_nouns"]):
            score["Company"] += 2.5
    # "Name Surname (X)": X is an affiliation
    if re.search(r"«H\d+»\s*\(\s*$", raw_before) and after.lstrip().startswith(")"):
        score["Company"] += 4


def _name_score(ctx: Ctx, m, score: Counter, person_last: set[str]) -> None:
    d = ctx.data
    name = m.text.replace("’", "'")
    low = name.lower()
    words = low.split()
    lower_org = {w.lower() for w in d.organization_nouns}
    if low in lower_org or (words and words[0] in lower_org and len(words) > 1):
        score["Organization"] += 5
    if has_legal_suffix(name):
        score["Company"] += 3
    if any(w in d.cues["org_name_words"] for w in re.split(r"[\s-]+", low)):
        score["Company"] += 2
    if any(low.endswith(t) for t in WEB_TLDS):
        score["Platform"] += 2.5
    if re.fullmatch(r"[A-Z0-9&.-]{2,}", name) or re.search(r"[a-z][A-Z]|[A-Z]{2,}-|-[A-Z]{2,}", name):
        score["Person"] -= 2  # acronyms and camel case are not people
        score["Company"] += 0.5
        if re.search(r"[A-Z]{2,}-|-[A-Z]{2,}|[a-z][A-Z]", name):
            score["Company"] += 1.5
        elif len(name) >= 3:
            score["Company"] += 0.7  # places are rarely acronyms of three letters or more
    if re.search(r"[A-Za-z]['’]s$", name) and d.code != "en":
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
    kind_of = {k: max(c, key=c.get) for k, c in group.items() if c}
    conj = _alt(ctx.data.coordinators)
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
    for i, loc in local.items():
        m = ctx.mentions[i]
        total = Counter(group[merge_key(m.text)])
        if loc.get("Company", 0) >= 4 and total["Organization"] < 3:
            total["Company"] += 10  # a bracketed affiliation is a firm here, whatever else
        if total:
            m.kind = max(total, key=lambda k: (total[k], k == m.kind))
        if m.id in ctx.weak and total[m.kind] < 1.5:
            drop.add(m.id)  # a capitalised word with nothing saying what it names
    if drop:
        ctx.facts.mentions = [m for m in ctx.mentions if m.id not in drop]
    ctx._templates = None


def candidate_names(ctx: Ctx) -> None:
    """Capitalised word sequences the NER left untagged, as weak candidates: they become
    entities only if their own words or their context say what they are (typing drops the
    rest). A sentence-initial word counts only if it is also capitalised mid-sentence."""
    d = ctx.data
    skip = {w.lower() for w in list(d.stop_words) + list(d.months) + list(d.weekdays)
            + list(d.determiners) + list(d.role_titles) + list(d.coordinators)}
    skip |= _FUNCTION_WORDS | {g.lower() for g in d.geo_adjectives}
    rx = re.compile(r"(?<![\w’'@.-])([A-Z][\w’'&-]*(?:\.[a-z]{2,3})?(?:\s+(?:[A-Z][\w’'&-]*|&))*)")
    starts = {s for s, _ in ctx.sents}
    # "Eni e Snam hanno firmato": two names coordinated before a plural verb
    pair_after = re.compile(r"\s+(?:" + _alt(d.coordinators) + r")\s+[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*"
                            r"\s+(?:" + _alt(list(d.cues["sign_verbs"]) + list(d.cues["merge_verbs"])) + r")\b")
    biz_after = re.compile(r"\s*(?:,\s*(?:(?:" + _alt(d.determiners) + r")\s*)?(?:" + _alt(
        list(d.company_nouns) + list(d.cues["controlled_by"])) + r")\b|\s(?:" + _alt(
        list(d.cues["acquire_verbs"]) + list(d.invest_verbs) + list(d.cues["business_verbs"])
        + list(d.cues["sign_verbs"])) + r")\b)", re.IGNORECASE)
    found = [(x.start(1), x.end(1)) for x in rx.finditer(ctx.text)]
    mid = {ctx.text[s:e] for s, e in found if s not in starts
           and not re.search(r"[.:!?«\"“]\s*$", ctx.text[max(0, s - 3):s])}
    for s, e in found:
        text = ctx.text[s:e]
        words = text.split()
        while words and words[0].lower().strip("’'") in skip:
            s += len(words[0]) + (len(text) - len(text.lstrip()))
            s = ctx.text.index(words[1], s) if len(words) > 1 else e
            words = words[1:]
        if not words or s >= e:
            continue
        text = ctx.text[s:e]
        if len(text) < 2 or text.lower() in skip or not _free(ctx, s, e):
            continue
        initial = s in starts or re.search(r"[.:!?«\"“]\s*$", ctx.text[max(0, s - 3):s])
        if initial and text not in mid and not biz_after.match(ctx.text, e) and not pair_after.match(
                ctx.text, e):
            continue  # "Intanto ..." is a word; "Enel investirà ..." is a name
        m = ctx.add_mention(s, e, "Company", confidence=0.5)
        ctx.weak.add(m.id)


def type_orgs(ctx: Ctx) -> None:  # kept name for callers: typing covers all named mentions
    type_mentions(ctx)


def extra_names(ctx: Ctx) -> None:
    """Names the NER missed where the syntax says there is one: a capitalised name in brackets
    after a person ("Mario Rossi (Acme)"), or right after a company noun ("il marchio
    di sapone L'Erbolario"); in languages other than English a trailing "'s" belongs to the name
    ("Moody's")."""
    d = ctx.data
    for m in sorted(ctx.mentions, key=lambda m: m.start):
        if d.code != "en" and re.match(r"[’']s\b", ctx.text[m.end:m.end + 3]):
            if _free(ctx, m.end, m.end + 2):
                m.end += 2
                m.text = ctx.text[m.start:m.end]
    for m in [m for m in ctx.mentions if m.kind == "Person"]:
        x = re.compile(r"\s*\(\s*([A-Z][^()]{0,40}?)\s*\)").match(ctx.text, m.end)
        if not x or len(x.group(1).split()) > 5:
            continue
        s, e = x.start(1), x.end(1)
        inside = [o for o in ctx.mentions if o.start < e and o.end > s]
        if inside and all(o.start >= s and o.end <= e for o in inside) and not (
                len(inside) == 1 and inside[0].start == s and inside[0].end == e):
            for o in inside:
                ctx.facts.mentions.remove(o)
            inside = []
        if not inside:
            ctx.add_mention(s, e, "Company", confidence=0.7)
    cn = _alt(list(d.company_nouns))
    rx = re.compile(rf"\b(?:{cn})(?:\s+[a-zà-ú'’]+){{0,3}}\s+((?:[A-Z][\w’'&.-]+)(?:\s+[A-Z][\w’'&.-]+)*)")
    for x in rx.finditer(ctx.text):
        s, e = x.start(1), x.end(1)
        if _free(ctx, s, e) and ctx.sents and ctx.sents[ctx.sent_of(s)][0] != s:
            ctx.add_mention(s, e, "Company", confidence=0.6)


def extend_place_names(ctx: Ctx) -> None:
    """"Banca Popolare" + " di Verona e Novara": a bank-like name continues with the places
    it is named after ("Cassa di Risparmio di X", "Banca Popolare di Y")."""
    d = ctx.data
    heads = {w.lower() for w in d.cues["org_name_words"]}
    of = _alt(d.prepositions_of)
    conj = _alt(d.coordinators)
    for m in sorted(ctx.mentions, key=lambda m: m.start):
        if m.kind == "Place" or not m.text.split() or m.text.split()[0].lower() not in heads:
            continue
        rx = re.compile(rf"\s+(?:{of})\s*([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)"
                        rf"(?:\s+(?:{conj})\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*))?")
        x = rx.match(ctx.text, m.end)
        if not x:
            continue
        places = [o for o in ctx.mentions if o is not m and o.start >= m.end and o.end <= x.end()]
        if any(o.kind != "Place" for o in places):
            continue
        for o in places:
            ctx.facts.mentions.remove(o)
        m.end = x.end()
        m.text = ctx.text[m.start:m.end]
    ctx._templates = None


def source_names(ctx: Ctx) -> None:
    """A capitalised name before a reporting verb ("X riporta:", "X reports") is a media
    outlet the NER may have missed."""
    d = ctx.data
    rx = re.compile(rf"(?<![\w.])([A-Z][\w.-]+)\s+(?:{_alt(d.cues['report_verbs'])})\b")
    for x in rx.finditer(ctx.text):
        if _free(ctx, x.start(1), x.end(1)) and x.group(1).lower() not in d.stop_words:
            ctx.add_mention(x.start(1), x.end(1), "Company", confidence=0.6)


def bracket_acronyms(ctx: Ctx) -> None:
    """"Name (ACR)" / "ACR (Name)": an acronym in brackets next to a name is another form of
    that name, whatever its letters (foreign names abbreviate in their own language)."""
    ms = sorted(ctx.mentions, key=lambda m: m.start)
    for a, b in zip(ms, ms[1:]):
        if a.kind == "Person" or b.kind == "Person" or a.ref or b.ref:
            continue
        if not re.fullmatch(r"\s*\(\s*", ctx.text[a.end:b.start]) or \
                not ctx.text[b.end:b.end + 3].lstrip().startswith(")"):
            continue
        acr = lambda t: re.fullmatch(r"[A-Z][A-Z0-9&.-]{1,7}", t) is not None  # noqa: E731
        if acr(b.text) and not acr(a.text):
            b.ref, b.kind = a.id, a.kind
        elif acr(a.text) and not acr(b.text):
            a.ref, a.kind = b.id, b.kind


def drop_non_entities(ctx: Ctx) -> None:
    """Events ("... Summit", "Fiera ...") and, in English, a country used as a modifier
    ("U.S. retailer") are not entities."""
    d = ctx.data
    events = {w.lower() for w in d.cues["event_words"]}
    for m in list(ctx.mentions):
        words = m.text.lower().split()
        if not words:
            continue
        if (words[0] in events or words[-1] in events) and not has_legal_suffix(m.text):
            ctx.facts.mentions.remove(m)
            continue
        if d.code == "en" and m.kind == "Place":
            after = ctx.text[m.end:m.end + 30].lower()
            if re.match(r"\s+(?:[a-z-]+\s+)?(?:" + _alt(d.company_nouns) + r")\b", after) and \
                    not re.match(r"['’]s\b", ctx.text[m.end:m.end + 2]):
                ctx.facts.mentions.remove(m)
    ctx._templates = None


def clean_mentions(ctx: Ctx) -> None:
    """Drop names that are board/role words ("CDA"), strip a leading "CDA di", split a name
    written twice in a row ("X X" with lost punctuation)."""
    d = ctx.data
    board = {b.lower() for b in d.board_nouns}
    of = _alt(d.prepositions_of)
    for m in list(ctx.mentions):
        low = m.text.lower()
        if low in board:
            ctx.facts.mentions.remove(m)
            continue
        x = re.match(rf"(?:{_alt(board)})\s+(?:{of})\s*", m.text, re.IGNORECASE)
        if x and x.end() < len(m.text):
            m.start += x.end()
            m.text = ctx.text[m.start:m.end]
        ws = m.text.split()
        if len(ws) % 2 == 0 and len(ws) >= 2 and ws[:len(ws) // 2] == ws[len(ws) // 2:]:
            half = m.text.index(ws[len(ws) // 2], len(ws[0]))
            ctx.facts.mentions.remove(m)
            ctx.add_mention(m.start, m.start + len(" ".join(ws[:len(ws) // 2])), m.kind, m.confidence)
            ctx.add_mention(m.start + half, m.end, m.kind, m.confidence)
    ctx._templates = None


def _starts_with(head: str, nouns) -> bool:
    return any(head == n or head.startswith(n + " ") or head.startswith(n + "'") for n in nouns)


def _letter(kind: str) -> str:
    from kg.extract.context import KIND_LETTER
    return KIND_LETTER[kind]


def bracket_affiliations(ctx: Ctx) -> None:
    """"Name Surname (X)": a single name in brackets after a person is an affiliation.

    The NER often tags such an X as a person too; it is an organisation (a company unless
    the text says otherwise).
    """
    ms = sorted(ctx.mentions, key=lambda m: m.start)
    for a, b in zip(ms, ms[1:]):
        if a.kind == "Person" and b.kind == "Person":
            between = ctx.text[a.end:b.start]
            after = ctx.text[b.end:b.end + 2]
            if re.fullmatch(r"\s*\(\s*", between) and after.lstrip().startswith(")"):
                b.kind = "Company"


# ---------------------------------------------------------------------- descriptions

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
    cn = _alt([n for n in list(d.company_nouns) + list(d.epithet_nouns) if n not in relational])
    ep = _alt(d.epithet_nouns)
    geo = _alt(d.geo_adjectives)
    demonym = r"[a-zà-ú]+(?:ese|esi|ino|ina|ini|ine|ano|ana|ani|ane|ense|ensi)"
    new = _alt(d.new_words)
    rules = [
        ("loc", rf"(?:{{DET}}|{{OF}})(?P<d>(?:{cn})\s+{{OF}}(?P<loc>{{LOC}}))"),
        ("loc", rf"(?:{{DET}}|{{OF}})(?P<d>(?P<loc>{{LOC}})(?:-based|\s+based)\s+(?:{cn}))"),
        ("sector", rf"(?:{{DET}}|{{OF}})(?P<d>(?:{ep})\s+{{OF}}[\w-]+)"),
        ("sector", rf"{{DET}}(?P<d>[\w-]+\s+(?:{ep}))\b"),
    ]
    if d.code == "en":
        rules.append(("geo", rf"(?:{{DET}}|{{OF}})(?P<d>(?P<adj>{geo})\s+(?:[a-z-]+\s+)?(?:{cn}))\b"))
        rules.append(("new", rf"{{DET}}(?P<d>(?:{new})\s+(?:{cn}))\b"))
    else:
        rules.append(("geo", rf"(?:{{DET}}|{{OF}})(?P<d>(?:{cn})\s+(?P<adj>(?:{geo})|{demonym}))\b"))
        rules.append(("new", rf"{{DET}}(?P<d>(?:{new})\s+(?:{cn}))\b"))
    compiled = [(kind, compile_rule(p, slots)) for kind, p in rules]
    naming = re.compile(rf"(?:{_alt(d.naming_verbs)})\s+«[CPO](\d+)»")
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
        else:
            ref, margin = _salient(ctx, s, sent, x.groupdict().get("adj"))
            # a clear favourite makes a confident reading; a close call a weak one, whose
            # facts fall under the default --min-confidence
            conf = 0.65 if margin >= 1.5 else 0.4
        if ref is None:
            continue
        ctx.add_mention(s, e, "Company", confidence=conf, ref=ref, is_description=True)


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


def regulator_mentions(ctx: Ctx) -> None:
    """Unnamed public bodies denoted by noun + place adjective: "antitrust americana",
    "the Chinese government" (singular only: "autorità cinesi" is not one body)."""
    d = ctx.data
    nouns = _alt(d.cues["regulator_nouns"])
    geo = _alt(d.geo_adjectives)
    if d.code == "en":
        rx = re.compile(rf"\b(?:{geo})\s+(?:{nouns})\b", re.IGNORECASE)
    else:
        rx = re.compile(rf"\b(?:{nouns})\s+(?:{geo})\b", re.IGNORECASE)
    for x in rx.finditer(ctx.text):
        if _free(ctx, x.start(), x.end()):
            ctx.add_mention(x.start(), x.end(), "Organization", confidence=0.6)


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


def drop_unused_brands(ctx: Ctx) -> None:
    """Product brands are not entities: names listed as brands ("brands including X, Y and Z",
    "X and Y brands") are dropped unless a fact uses them (a brand that sells on a platform is
    a company)."""
    d = ctx.data
    brand = _alt(d.cues["brand_nouns"])
    inc = _alt(d.cues["including"])
    lst = r"«\w\d+»(?:(?:\s*,\s*|\s*,?\s+(?:" + _alt(d.coordinators) + r")\s+)«\w\d+»)*"
    # "... from Acme, and Zephyr brands": the maker after "from" is not in the list
    rx = re.compile(rf"\b(?:{brand})\s*,?\s*(?:{inc})\s+(?P<l>[^;:]*?)(?=\s(?:from|by|da|di|of)\s|[;:]|$)"
                    rf"|(?<!from )(?<!of )(?<!by )(?<!da )(?<!di )(?P<l2>{lst})\s+(?:{brand})\b")
    used = set()
    for r in ctx.facts.relations:
        used |= {r.subject, r.object}
    for p in ctx.facts.positions:
        used |= {p.holder, p.organization}
    for inv in ctx.facts.investments:
        used |= {inv.investor, inv.target}
    drop = set()
    for tpl in ctx.templates():
        for x in rx.finditer(tpl.text):
            for i in ctx.slots(x.group("l") or x.group("l2")):
                m = ctx.mentions[i]
                if m.id not in used and m.kind in ("Company", "Platform", "Person", "Organization"):
                    drop.add(m.id)
    if drop:
        # a dropped name is dropped everywhere it recurs
        texts = {m.text for m in ctx.mentions if m.id in drop}
        ctx.facts.mentions = [m for m in ctx.mentions if m.text not in texts or m.id in used]
        ctx._templates = None
