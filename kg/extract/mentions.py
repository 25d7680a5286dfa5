"""Mentions: the names an article contains, from the NER and from rules.

- doc.ents PER/ORG/LOC give the first reading (PER -> Person, LOC -> Place, ORG -> Company);
  kg.extract.kinds then re-types every name from its words and context.
- Rules add what the NER misses or cuts: legal-suffix names ("X Corp.", "X S.p.A."),
  partnership names ("A, B & Co."), web domains ("example.it"), bracketed affiliations after
  a person, names after a company noun, reporting outlets ("X riporta:"), bank names with
  their places, recurrences of a tagged name, and weak capitalised candidates.
- Market phrases ("mercato cinese", "PC market"), public bodies ("antitrust americana"),
  place epithets ("Bel Paese") and bracketed acronyms ("Name (ACR)") are added by rule;
  events, modifier countries ("U.S. retailer") and product brands are dropped.
- Descriptions that refer back to a name live in kg.extract.descriptions.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from kg.extract.context import KIND_LETTER, Ctx, rx
from kg.extract.names import clean, has_legal_suffix
from kg.facts import Relation
from kg.lang.base import WEB_TLDS
from kg.money import alternation


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
    # a name never ends with a preposition or conjunction ("Banco Popolare di")
    tail = re.search(r"\s+(?:" + alternation(list(ctx.data.prepositions_of) + list(
        ctx.data.coordinators)) + r")\s*$", text[start:end])
    if tail and tail.start() > 0:
        end = start + tail.start()
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
    r"(?<![\w.])((?:[A-Z][\w'&-]*(?:\.[\w-]+)*\s+){0,3}[A-Z][\w'&-]*(?:\.[\w-]+)*)(?:,?\s+(?:Corp\.|Inc\.|Co\.|Ltd\b\.?|"
    r"S\.p\.A\.|SpA\b|S\.r\.l\.|plc\b|Plc\b|PLC\b|AG\b|SE\b|SA\b|S\.A\.|NV\b|N\.V\.|GmbH\b|LLC\b|Group\b|"
    r"Holding\b|Holdings\b|Corporation\b|Incorporated\b|Limited\b))+"
)


def _legal_suffix_names(ctx: Ctx) -> None:
    """"Xyz Corp.", "Xyz S.p.A.", "Xyz Group": a capitalised name + legal suffix is a company,
    whatever the NER said of its parts."""
    for x in _LEGAL_NAME.finditer(ctx.text):
        s, e = _trim(ctx, x.start(), x.end())
        # "Globex's Umbra Group": in English the owner's possessive is not part of the name
        poss = list(re.finditer(r"['’]s\s+", ctx.text[s:e])) if ctx.lang == "en" else []
        if poss:
            s += poss[-1].end()
        if s >= e or (ctx.sents and ctx.sent_of(s) != ctx.sent_of(e - 1)):
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


def market_mentions(ctx: Ctx, doc=None) -> None:
    """"mercato cinese", "mercato dell'auto", "the Chinese wine market", "PC market".

    With a tagged ``doc``, an English market's modifiers are nouns, names, place adjectives,
    or adjectives inside a compound ("electric vehicle market"): "the largest market",
    "relevant market", "some markets" are not markets named as such."""
    d = ctx.data
    nouns = alternation(d.market_nouns)
    geo = alternation(d.geo_adjectives)
    generic = {g.lower() for g in d.generic_market_modifiers}
    of = alternation(d.prepositions_of)
    pos = {t.idx: t.pos_ for t in doc} if doc is not None and doc.has_annotation("POS") else {}
    if d.code == "en":
        places = set(d.geo_adjectives) | d.country_names
        percent = {w.split()[-1] for w in d.percent_words}
        rx = re.compile(rf"\b((?:[A-Za-z][\w.&'’-]*\s+){{1,3}})({nouns})\b")
        for x in rx.finditer(ctx.text):
            words = [(w.group(), x.start(1) + w.start()) for w in re.finditer(r"\S+", x.group(1))]
            # "Germany's cable market": the possessive names the geography, not the market
            for k in range(len(words) - 1, -1, -1):
                if re.search(r"['’]s?$", words[k][0]):
                    words = words[k + 1:]
                    break
            # keep the modifiers right before "market" that are not stop words
            keep: list[tuple[str, int]] = []
            for w, off in reversed(words):
                lw = w.lower().strip(".,")
                if (lw in d.stop_words or lw in generic or lw in percent
                        or not re.fullmatch(r"[\w.&-]+", w)):
                    break
                tag = pos.get(off, "NOUN")
                if lw not in places and not (tag in ("NOUN", "PROPN") or (tag == "ADJ" and keep)):
                    break
                keep.insert(0, (w, off))
            while keep and (keep[0][0].lower() in ("to", "a", "an", "the")
                            or (pos.get(keep[0][1]) == "ADJ" and keep[0][0].lower() not in places
                                and len(keep) > 1 and pos.get(keep[1][1]) == "ADJ")):
                keep = keep[1:]
            names = [w for w, _ in keep]
            if not names or (len(names) == 1 and names[0][0].islower() and
                             names[0].lower() not in places and not names[0].isalpha()):
                continue
            s, e = keep[0][1], x.end(2)
            if _free_but_modifiers(ctx, s, e, x.start(2)):
                m = ctx.add_mention(s, e, "Market", confidence=0.7)
                m.sector = _sector(names, places)
    else:
        # "mercato cinese", "mercato dell'auto", "mercato tedesco dell'auto"; with a tagged
        # doc also a sector adjective: "mercato discografico"
        rx = re.compile(
            rf"\b({nouns})(?:\s+({geo})\b)?"
            rf"(?:\s+({of})\s*(?<=['’\s])(?!(?:{alternation(generic)})\b)([\w-]{{3,}}))?",
            re.IGNORECASE,
        )
        adjective = re.compile(r"\s+([^\W\d_]{4,})\b")
        dates = set(d.weekdays) | set(d.months)
        for x in rx.finditer(ctx.text):
            s, e, sector = x.start(), x.end(), x.group(4)
            if not x.group(2) and not sector:
                a = adjective.match(ctx.text, x.end(1))
                if not (a and pos.get(a.start(1)) == "ADJ" and a.group(1).lower() not in generic):
                    continue
                e, sector = a.end(1), a.group(1)
            tail = ctx.text[x.end(1):e].strip().lower()
            last = tail.split()[-1].strip("'") if tail.split() else ""
            if tail in generic or last in dates or last.isdigit():
                continue
            if re.search(rf"\b(?:{of})\s*$", ctx.text[max(0, s - 6):s], re.IGNORECASE):
                continue  # "quota di mercato", "prezzi di mercato": not a market named as such
            if _free(ctx, s, e):
                m = ctx.add_mention(s, e, "Market", confidence=0.7)
                # "mercato dell'auto" -> "auto"; "mercato cinese" names only a geography
                m.sector = sector


def _free_but_modifiers(ctx: Ctx, s: int, e: int, head: int) -> bool:
    """No mention overlaps [s, e) but place or acronym modifiers before the market noun,
    which are then dropped: in "the U.S. smartphone market" or "the PC market" the NER's
    "U.S." / "PC" is part of the market's name (a country used only as a modifier is not a
    Place of its own)."""
    d = ctx.data
    inside = [m for m in ctx.mentions if m.start < e and m.end > s]

    def modifier(m) -> bool:
        t = m.text.lower()
        place = m.kind == "Place" and (t in d.geo_adjective_places or t in d.country_names)
        return m.start >= s and m.end <= head and (
            place or (m.kind != "Person" and re.fullmatch(r"[A-Z]{2,4}", m.text) is not None))

    if not all(modifier(m) for m in inside):
        return False
    for m in inside:
        ctx.facts.mentions.remove(m)
    return True


def _sector(words: list[str], geo: set[str]) -> str | None:
    """The modifiers of an English market name that are not geography (`geo`: place
    adjectives and country names, lowercase): "Chinese wine" -> "wine", "PC" -> "PC",
    "European" -> None."""
    out, i = [], 0
    while i < len(words):
        two = " ".join(words[i:i + 2]).lower()
        if len(words) > i + 1 and two in geo:
            i += 2
            continue
        if words[i].lower() not in geo:
            out.append(words[i])
        i += 1
    return " ".join(out) or None


def market_geography(ctx: Ctx) -> None:
    """Market -> Place ("geography") when the market names a place the article also names:
    "mercato cinese" and "Cina", "the Chinese wine market" and "China", or a possessive
    ("Germany's cable market").  A place adjective alone never creates a Place."""
    places = [m for m in ctx.mentions if m.kind == "Place" and not m.is_description]
    if not places:
        return
    adjectives = sorted(ctx.data.geo_adjective_places, key=len, reverse=True)
    article = re.compile(rf"^(?:{alternation(ctx.data.determiners)})(?:\s+|(?<='))")  # "l'Italia"
    for market in [m for m in ctx.mentions if m.kind == "Market"]:
        low = market.text.lower()
        names = {n for a in adjectives if re.search(rf"(?<![\w.]){re.escape(a)}(?![\w.])", low)
                 for n in ctx.data.geo_adjective_places[a]}
        # "the China market": a country name used as a modifier
        names |= {c for c in ctx.data.country_names if re.search(rf"\b{re.escape(c)}\b", low)}
        found = [p for p in places if article.sub("", clean(p.text).lower()) in names]
        found += [p for p in places
                  if re.fullmatch(r"['’]s?\s+", ctx.text[p.end:market.start] or "x")]
        if not found:
            continue
        place = min(found, key=lambda p: abs(p.start - market.start))
        ev = ctx.evidence(ctx.sent_of(market.start), 0.7, "kg.extract.rules.market_geography")
        ctx.facts.relations.append(Relation(market.id, "geography", place.id, ev))


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
    alt = alternation(nouns)
    x = rx(rf"(?:^|[\s'])({alt})(?:\s+([^\s«»]+))?$").search(b)
    if x and not (x.group(2) and (x.group(2) in _FUNCTION_WORDS or x.group(2).endswith("'"))):
        return True
    # "la società di ricerche di mercato X": complements after the noun
    return bool(complements and rx(
        rf"(?:^|[\s'])({alt})(?:\s+(?:di|of|for|per)\s+[^\s«»]+){{1,2}}$").search(b))


_FUNCTION_WORDS = {
    "di", "del", "della", "dello", "dei", "degli", "delle", "da", "dal", "dalla", "a", "al",
    "alla", "in", "nel", "nella", "su", "sul", "sulla", "per", "con", "tra", "fra", "e", "o",
    "che", "il", "la", "lo", "i", "gli", "le", "un", "una", "of", "the", "a", "an", "to", "in",
    "on", "at", "by", "for", "with", "from", "and", "or", "that", "which", "its", "their",
}


def based_or_owned(d, copula: bool = False) -> str:
    """After a name: a copula (required with ``copula``), maybe an article, then a base or an
    owner ("is headquartered in", "is a subsidiary of", "è controllata da", "ha sede a"):
    the name is a business."""
    return (r"\s+(?:(?:" + alternation(d.cues["copula"]) + r")\s+)" + ("" if copula else "?")
            + r"(?:(?:" + alternation(d.determiners) + r")\s*)?(?:"
            + alternation(list(d.cues["hq_cues"]) + list(d.cues["controlled_by"])) + r")\b")


def is_a_company(d) -> str:
    """After a name: a copula, an article, up to four words and a company noun ("is a
    family-owned clothing retailer", "è una società milanese"), not a job ("is a company
    director")."""
    return (r"\s+(?:" + alternation(d.cues["copula"]) + r")\s+(?:" + alternation(d.determiners)
            + r")(?:\s+|(?<='))(?:[\w-]+\s+){0,4}?(?:" + alternation(d.company_nouns)
            + r")\b(?!\s+(?:" + alternation(d.role_titles) + r")\b)")


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
    pair_after = re.compile(r"\s+(?:" + alternation(d.coordinators) + r")\s+[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*"
                            r"\s+(?:" + alternation(list(d.cues["sign_verbs"]) + list(d.cues["merge_verbs"])) + r")\b")
    biz_after = re.compile(r"\s*(?:,\s*(?:(?:" + alternation(d.determiners) + r")\s*)?(?:" + alternation(
        list(d.company_nouns) + list(d.cues["controlled_by"])) + r")\b|\s(?:" + alternation(
        list(d.role_titles)) + r")\s+[A-Z]|\s(?:" + alternation(
        list(d.cues["acquire_verbs"]) + list(d.invest_verbs) + list(d.cues["business_verbs"])
        # with its verb: "Originally based in" says nothing of "Originally"
        + list(d.cues["sign_verbs"])) + r")\b|" + based_or_owned(d, copula=True) + r"|"
        + is_a_company(d) + r")", re.IGNORECASE)
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
        if ctx.text[s:e].endswith("-based"):
            e -= len("-based")  # "Bengaluru-based": the place
        if d.code == "en" and re.search(r"['’]s$", ctx.text[s:e]):
            e -= 2  # an English possessive is not part of the name
        text = ctx.text[s:e]
        if d.code == "en" and re.fullmatch(r"[A-Z][a-z]+(?:ian|ean|ese|ish|an|ic|i)", text) and \
                re.match(r"\s+[a-z]", ctx.text[e:e + 2]):
            continue  # "the Slovakian energy company": a nationality adjective
        if len(text) < 2 or text.lower() in skip or not _free(ctx, s, e):
            continue
        initial = s in starts or re.search(r"[.:!?«\"“]\s*$", ctx.text[max(0, s - 3):s])
        if initial and text not in mid and not biz_after.match(ctx.text, e) and not pair_after.match(
                ctx.text, e) and not re.match(r"\s*,\s", ctx.text[e:e + 3]):
            continue  # "Intanto ..." is a word; "Enel investirà ..." is a name
        m = ctx.add_mention(s, e, "Company", confidence=0.5)
        ctx.weak.add(m.id)


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
    cn = alternation(list(d.company_nouns))
    rx = re.compile(rf"\b(?:{cn})(?:\s+[a-zà-ú'’]+){{0,3}}\s+((?:[A-Z][\w’'&.-]+)(?:\s+[A-Z][\w’'&.-]+)*)")
    for x in rx.finditer(ctx.text):
        s, e = x.start(1), x.end(1)
        if ctx.text[s:e].endswith(".") and not has_legal_suffix(ctx.text[s:e]):
            e -= 1  # the sentence's full stop, not "Inc." or "S.p.A."
        if _free(ctx, s, e) and ctx.sents and ctx.sents[ctx.sent_of(s)][0] != s:
            ctx.add_mention(s, e, "Company", confidence=0.6)


def extend_place_names(ctx: Ctx) -> None:
    """"Banca Popolare" + " di Verona e Novara": a bank-like name continues with the places
    it is named after ("Cassa di Risparmio di X", "Banca Popolare di Y")."""
    d = ctx.data
    heads = {w.lower() for w in d.cues["org_name_words"]}
    of = alternation(d.prepositions_of)
    conj = alternation(d.coordinators)
    inner = {w for w in list(d.prepositions_of) + ["sul", "sullo", "sulla", "sui"] if " " not in w}
    for m in sorted(ctx.mentions, key=lambda m: m.start):
        words = m.text.split()
        institution = len(words) >= 3 and any(w in inner for w in words[1:-1])
        if not words or (words[0].lower() not in heads and (m.kind == "Person" or not institution)):
            continue  # "Banca Popolare", "Monte dei Paschi", "Ponte sullo Stretto" + " di X"
        rx = re.compile(rf"\s+(?:{of})\s*([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)"
                        rf"(?:\s+(?:{conj})\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*))?")
        x = rx.match(ctx.text, m.end)
        if not x:
            continue
        places = [o for o in ctx.mentions if o is not m and o.start >= m.end and o.end <= x.end()]
        if any(o.kind != "Place" for o in places) or any(
                o.start < x.end() < o.end for o in ctx.mentions):
            continue
        for o in places:
            ctx.facts.mentions.remove(o)
        m.end = x.end()
        m.text = ctx.text[m.start:m.end]
    ctx._templates = None


def extend_org_nouns(ctx: Ctx) -> None:
    """"Banca" + " centrale europea": a one-word name that opens a multi-word organisation noun
    continues with the rest of it and a place adjective."""
    d = ctx.data
    multi = [n for n in d.organization_nouns if " " in n]
    geo = alternation(d.geo_adjectives)
    for m in ctx.mentions:
        low = m.text.lower()
        for n in multi:
            first, rest = n.split(" ", 1)
            if low != first:
                continue
            x = re.compile(rf"\s+{re.escape(rest)}(?:\s+(?:{geo}))?\b", re.IGNORECASE).match(
                ctx.text, m.end)
            if x and _free(ctx, m.end, x.end()):
                m.end = x.end()
                m.text = ctx.text[m.start:m.end]
                break
    ctx._templates = None


def join_place_org_names(ctx: Ctx) -> None:
    """"Brentford" + " Stock Exchange": a place (or a company: the NER types a city's name
    either way) directly followed by a name ending with an organisation head word
    ("Exchange", "Airlines", "Bank", cues org_name_words) is one head-final company name
    that the NER split after its first word(s).  Only that shape is joined:
    two names side by side are otherwise usually two ("la Lega Mario Rossi", "Arcore
    Silvio Bianchi" in KIND dev predictions are mostly right as two)."""
    heads = {w.lower() for w in ctx.data.cues["org_name_words"]}
    ms = sorted(ctx.mentions, key=lambda m: m.start)
    for a, b in zip(ms, ms[1:]):
        if (a.kind not in ("Place", "Company") or a.is_description or b.is_description
                or ctx.text[a.end:b.start] != " " or a not in ctx.mentions
                or b.text.split()[-1].lower() not in heads):
            continue
        ctx.facts.mentions.remove(b)
        a.end, a.kind = b.end, "Company"
        a.text = ctx.text[a.start:a.end]
    ctx._templates = None


def source_names(ctx: Ctx) -> None:
    """A capitalised name before a reporting verb ("X riporta:", "X reports") is a media
    outlet the NER may have missed."""
    d = ctx.data
    rx = re.compile(rf"(?<![\w.])([A-Z][\w.-]+)\s+(?:{alternation(d.cues['report_verbs'])})\b")
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
    ("U.S. retailer") or a nationality adjective ("the Swedish telecoms company") are not
    entities."""
    d = ctx.data
    events = {w.lower() for w in d.cues["event_words"]}
    geo = set(d.geo_adjectives)
    for m in list(ctx.mentions):
        words = m.text.lower().split()
        if not words:
            continue
        if d.code == "en" and len(words) == 1 and words[0] in geo and \
                re.match(r"\s+[a-z]", ctx.text[m.end:m.end + 2]):
            ctx.facts.mentions.remove(m)
            continue
        if (words[0] in events or words[-1] in events) and not has_legal_suffix(m.text):
            ctx.facts.mentions.remove(m)
            continue
        if d.code == "en" and m.kind == "Place":
            after = ctx.text[m.end:m.end + 30].lower()
            if re.match(r"\s+(?:[a-z-]+\s+)?(?:" + alternation(d.company_nouns) + r")\b", after) and \
                    not re.match(r"['’]s\b", ctx.text[m.end:m.end + 2]):
                ctx.facts.mentions.remove(m)
    ctx._templates = None


def clean_mentions(ctx: Ctx) -> None:
    """Drop names that are board/role words ("CDA"), strip a leading "CDA di" and a trailing
    "CEO", split a name written twice in a row ("X X" with lost punctuation)."""
    d = ctx.data
    board = {b.lower() for b in d.board_nouns}
    titles = {t for t in d.role_titles if " " not in t}
    of = alternation(d.prepositions_of)
    for m in list(ctx.mentions):
        low = m.text.lower()
        if low in board:
            ctx.facts.mentions.remove(m)
            continue
        x = re.match(rf"(?:{alternation(board)})\s+(?:{of})\s*", m.text, re.IGNORECASE)
        if x and x.end() < len(m.text):
            m.start += x.end()
            m.text = ctx.text[m.start:m.end]
        ws = m.text.split()
        if len(ws) >= 2 and ws[-1].isupper() and ws[-1].lower() in titles:
            # "Apple CEO" tagged as one name: the title is not part of it
            m.text = m.text[:m.text.rindex(ws[-1])].rstrip()
            m.end = m.start + len(m.text)
            ws = ws[:-1]
        if len(ws) % 2 == 0 and len(ws) >= 2 and ws[:len(ws) // 2] == ws[len(ws) // 2:]:
            half = m.text.index(ws[len(ws) // 2], len(ws[0]))
            ctx.facts.mentions.remove(m)
            ctx.add_mention(m.start, m.start + len(" ".join(ws[:len(ws) // 2])), m.kind, m.confidence)
            ctx.add_mention(m.start + half, m.end, m.kind, m.confidence)
    ctx._templates = None


def _starts_with(head: str, nouns) -> bool:
    return any(head == n or head.startswith(n + " ") or head.startswith(n + "'") for n in nouns)


def _letter(kind: str) -> str:
    return KIND_LETTER[kind]


def regulator_mentions(ctx: Ctx) -> None:
    """Unnamed public bodies denoted by noun + place adjective: "antitrust americana",
    "the Chinese government" (singular only: "autorità cinesi" is not one body)."""
    d = ctx.data
    nouns = alternation(d.cues["regulator_nouns"])
    geo = alternation(d.geo_adjectives)
    if d.code == "en":
        rx = re.compile(rf"\b(?:{geo})\s+(?:{nouns})\b", re.IGNORECASE)
    else:
        rx = re.compile(rf"\b(?:{nouns})\s+(?:{geo})\b", re.IGNORECASE)
    for x in rx.finditer(ctx.text):
        if _free(ctx, x.start(), x.end()):
            ctx.add_mention(x.start(), x.end(), "Organization", confidence=0.6)


def drop_unused_brands(ctx: Ctx) -> None:
    """Product brands are not entities: names listed as brands ("brands including X, Y and Z",
    "X and Y brands") are dropped unless a fact uses them (a brand that sells on a platform is
    a company)."""
    d = ctx.data
    brand = alternation(d.cues["brand_nouns"])
    inc = alternation(d.cues["including"])
    lst = r"«\w\d+»(?:(?:\s*,\s*|\s*,?\s+(?:" + alternation(d.coordinators) + r")\s+)«\w\d+»)*"
    # "... from Acme, and Zephyr brands": the maker after "from" is not in the list
    rx = re.compile(rf"\b(?:{brand})\s*,?\s*(?:{inc})\s+(?P<l>[^;:]*?)(?=\s(?:from|by|da|di|of)\s|[;:]|$)"
                    rf"|(?<!from )(?<!of )(?<!by )(?<!da )(?<!di )(?P<l2>{lst})(?:'s)?\s+(?:{brand})\b")
    from kg.extract.learned import EXTRACTOR as LEARNED

    used = set()
    for r in ctx.facts.relations:
        if not r.evidence.extractor.startswith(LEARNED):  # a guess does not make a brand a firm
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
        kept = {m.id for m in ctx.mentions}
        ctx.facts.relations = [r for r in ctx.facts.relations
                               if r.subject in kept and r.object in kept]
        ctx.facts.investments = [i for i in ctx.facts.investments
                                 if (i.investor is None or i.investor in kept)
                                 and (i.target is None or i.target in kept)]
