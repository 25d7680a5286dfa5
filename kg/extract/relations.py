"""Relations and positions from templated sentences: cue words + slot order + entity types.

Each rule is a regex over a templated sentence (see kg.extract.context) written with slots
({CO} a company, {PLAT} a platform, {PER} a person, {ORGLIST} a coordination of organisations,
{cue:acquire_verbs} a cue list of the language...). The rules encode the syntax of the news
sentences they read: apposition ("X, il marketplace del gruppo Y"), agent phrases ("acquisizione
da parte di X"), coordination ("tra X e Y"), relative clauses ("X, la holding che controlla Y").
The cue words come from kg.lang, so one rule serves Italian and English where the word order
agrees; rules whose order is language-specific simply never match in the other language.
"""
from __future__ import annotations

import re
from collections import Counter

from kg.extract.context import Ctx, Template, build_slots, compile_rule, outside_brackets
from kg.extract.names import merge_key, name_key
from kg.facts import Investment, Position, Relation
from kg.money import alternation, find_percents

EXTRACTOR = "kg.extract.rules"

SUBJ = {
    "operates": {"Company"}, "subsidiaryOf": {"Company", "Platform", "Organization"},
    "sellsOn": {"Company"}, "acquires": {"Company", "Organization"},
    "investsIn": {"Company", "Organization", "Person"}, "mergesWith": {"Company"},
    "partnersWith": {"Company", "Organization"}, "competesWith": {"Company", "Platform"},
    "targetsMarket": {"Company", "Platform"}, "headquarteredIn": {"Company", "Organization"},
    "worksFor": {"Person"},
}
OBJ = {
    "operates": {"Platform"}, "subsidiaryOf": {"Company", "Organization"},
    "sellsOn": {"Platform"}, "acquires": {"Company", "Platform"},
    "investsIn": {"Company", "Platform", "Market"}, "mergesWith": {"Company"},
    "partnersWith": {"Company", "Organization"}, "competesWith": {"Company", "Platform"},
    "targetsMarket": {"Market", "Place"}, "headquarteredIn": {"Place"},
    "worksFor": {"Company", "Organization", "Platform"},
}


def add_relation(ctx: Ctx, tpl: Template | int, pred: str, a: int, b: int, conf: float,
                 rule: str, status: str | None = None) -> Relation | None:
    """Add subject a --pred--> object b (mention indices) when the types fit."""
    ms = ctx.mentions
    if a == b or a is None or b is None:
        return None
    ma, mb = ms[a], ms[b]
    if ma.kind not in SUBJ[pred] or mb.kind not in OBJ[pred]:
        return None
    if ma.ref and ma.ref == mb.id or mb.ref and mb.ref == ma.id:
        return None
    if ma.ref and mb.ref and ma.ref == mb.ref:
        return None
    if name_key(ma.text) == name_key(mb.text):
        return None
    conf *= description_factor(ma) * description_factor(mb)
    sent = tpl if isinstance(tpl, int) else tpl.sent
    rel = Relation(ma.id, pred, mb.id, ctx.evidence(sent, conf, f"{EXTRACTOR}.{rule}"), status)
    ctx.facts.relations.append(rel)
    return rel


def description_factor(m) -> float:
    """How much a fact weakens when an argument is a description: its reading's confidence."""
    if not m.is_description:
        return 1.0
    return 0.9 * min(1.0, m.confidence / 0.65)


def salient_company(ctx: Ctx, exclude: set[int] = frozenset()) -> int | None:
    """Index of the first mention of the company the article names most (ties: earliest)."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for i, m in enumerate(ctx.mentions):
        if m.kind != "Company" or m.is_description or i in exclude:
            continue
        k = merge_key(m.text)
        counts[k] += 1
        first.setdefault(k, i)
    if not counts:
        return None
    best = max(counts, key=lambda k: (counts[k], -first[k]))
    return first[best] if counts[best] >= 2 else None


def pending_status(ctx: Ctx, text: str) -> str | None:
    """"agreed, pending" when the sentence says the deal is not closed yet."""
    low = text.lower()
    for w in ctx.data.pending_markers:
        if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", low):
            return "agreed, pending"
    return None


def _attempt(ctx: Ctx, text: str) -> bool:
    low = text.lower()
    return any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", low)
               for w in ctx.data.attempt_words)


# ------------------------------------------------------------------------------ rules

def _rules():
    """(name, predicate or handler key, pattern, confidence)."""
    return [
        # ---- operates
        ("own_platform", "operates",
         r"(?P<a>{CO})[^«.;:]*?\b{cue:possessive}\s+{PLATN}\s+(?P<b>{PLATLIST})", 0.85),
        ("platform_list", "operates",
         r"(?P<a>{CO})[^«.;:]{0,80}?\b{PLATN}\s+(?P<b>{PLATLIST})", 0.6),
        ("platform_apposition", "operates",
         r"(?P<b>{PLAT})\s*,\s*{DET}?{PLATN}\b[^«;.,]{0,40}?{OF}(?P<a>{CO})", 0.8),
        ("platform_of", "operates",
         r"{DET}?{PLATN}\s+{OF}(?P<a>{CO})\s*,\s*(?P<b>{PLAT})", 0.75),
        ("operate_verb", "operates",
         r"(?P<a>{CO})\s*(?:,[^«]{0,60}?,\s*)?(?:{cue:operate_verbs})\s+(?:(?:in|a|negli|nel)\s+{LOC}\s+)?{DET}?(?:{PLATN}\s+)?(?P<b>{PLATLIST})",
         0.75),
        ("possessive_platform", "operates",
         r"(?P<a>{CO})'s\s+(?:[\w-]+\s+)?(?P<b>{PLAT})", 0.6),
        # ---- subsidiaryOf
        # "X is a subsidiary of Y", "X operates as a subsidiary of Y", "X is the wholly-owned
        # wireless subsidiary of Y"
        ("controlled_by", "subsidiaryOf",
         r"(?P<a>{ORG})\s*(?:,\s*(?:{DET})?[^«;]{0,60}?|\s+(?:[\w%-]+\s+){0,4}?)(?:{cue:controlled_by})\s+{DET}?(?:[a-z][\w-]*\s+){0,3}?(?P<b>{ORGLIST})",
         0.8),
        ("parent_of", "controls",
         r"(?P<b>{CO})(?:\s*,[^;]{0,80}?,)?\s+(?:{cue:copula})\s+{DET}?(?:{cue:parent_of})\s+{DET}?(?P<a>{ORGLIST})",
         0.75),
        ("unit_of_apposition", "subsidiaryOf",
         r"{DET}?{cue:unit_nouns}(?:\s+[\w-]+)?\s+{OF}(?P<b>{CO})\s*,\s*(?P<a>{ORG})", 0.75),
        ("apposition_of", "subsidiaryOf",
         r"(?P<a>{CO})\s*,\s*{DET}?(?:{COMPN}|{cue:unit_nouns})(?:\s+[\w-]+)?\s+{OF}(?P<b>{CO})(?!\s*{OF})",
         0.6),
        ("possessive_named_unit", "subsidiaryOf",
         r"(?P<b>{CO})'s\s+(?P<a>{ORG})\s+{cue:unit_nouns}\b", 0.7),
        ("possessive_unit", "subsidiaryOf",
         r"(?P<b>{CO})'s\s+(?:[\w-]+\s+)?{cue:unit_nouns}\s*,?\s*(?P<a>{ORG})", 0.7),
        ("controls", "controls",
         r"(?P<b>{CO})\s*,\s*{DET}?[\w-]+\s+{cue:controls}\s+{DET}?(?:(?:{PLATN}|{COMPN})\s+)?(?P<a>{ORG})",
         0.75),
        ("bracket_parent", "subsidiaryOf", r"(?P<a>{CO})\s*\(\s*(?P<b>{CO})\s*\)", 0.55),
        # ---- acquires
        ("acquire_verb", "acquires",
         r"(?P<a>{CO})(?P<mid>[^«.;:]{0,60}?)\b{cue:acquire_verbs}\s+(?:{DET})?(?:[\w%.,-]+\s+){0,4}?(?P<b>{ORGLIST})",
         0.8),
        ("acquire_noun", "acquires",
         r"(?P<a>{CO})(?P<mid>[^«.;:]{0,60}?)\b{cue:acquire_nouns}\s+(?:[^«.;:]{0,40}?\s)?{OF}(?P<b>{ORG})",
         0.75),
        ("acquisition_by", "acquires",
         r"{cue:acquire_nouns}\s+(?:[^«.;:]{0,30}?\s)?{cue:by_agent}\s*(?P<a>{CO})(?P<mid>[^«.;:]{0,30}?)(?P<b>{CO})",
         0.65),
        ("divest_to", "acquires",
         r"(?P<s>{CO})(?P<mid>[^«.;:]{0,40}?)\b{cue:divest_verbs}\s+(?:{DET})?(?:[\w%.,-]+\s+){0,2}?(?P<b>{ORG})\s+(?:a|al|alla|all'|ai|to)\s*(?:{DET})?(?P<a>{CO})",
         0.75),
        ("acquisition_by_subject", "acquires",
         r"(?P<b>{CO})\s+(?:rappresenta|è|sarà|is|was|represents)\s+(?P<mid>[^«.;:]{0,30}?)\b{cue:acquire_nouns}\b[^«.;:]{0,20}?(?:da parte d\w*'?|by)\s*(?P<a>{CO})",
         0.65),
        ("acquisition_of_by", "acquires",
         r"{cue:acquire_nouns}\s+{OF}(?P<b>{ORG})\s+{cue:by_agent}\s*(?P<a>{CO})", 0.8),
        ("acquired_by", "acquires",
         r"(?P<b>{ORG})[^«.;:]{0,30}?\b{cue:passive_acquired}\s+(?P<a>{CO})", 0.75),
        ("possessive_acquisition", "acquires",
         r"(?P<a>{CO})'s\s+(?:[\w$€£.,-]+\s+){0,2}?{cue:acquire_nouns}\s+of\s+(?P<b>{ORG})", 0.75),
        ("which_bought", "acquires",
         r"(?P<b>{ORG})\s*,\s*(?:which|that|che)\s+(?P<a>{CO})\s+(?:ha\s+|had\s+|has\s+)?{cue:acquire_verbs}\b", 0.7),
        # ---- mergesWith
        ("merger_between", "mergesWith",
         r"{cue:merge_nouns}\s+(?:{cue:between})\s+{DET}?(?P<a>{CO})\s*(?:,|\s+(?:e|ed|and|con|with)\s+){DET}?(?P<b>{CO})",
         0.85),
        ("merger_with", "mergesWith",
         r"(?P<a>{CO})[^«.;:]{0,50}?\b{cue:merge_nouns}\s+(?:{cue:with})\s+{DET}?(?P<b>{CO})", 0.7),
        ("merger_names", "mergesWith",
         r"{cue:merge_nouns}\s+(?P<a>{CO})\s*[-–/]\s*(?P<b>{CO})", 0.75),
        ("merge_verb", "mergesWith",
         r"(?P<a>{CO})\s+(?:e|ed|and)\s+(?P<b>{CO})[^«.;:]{0,30}?\b{cue:merge_verbs}", 0.75),
        ("merge_verb_with", "mergesWith",
         r"(?P<a>{CO})[^«.;:]{0,30}?\b{cue:merge_verbs}\s+(?:{cue:with})\s+{DET}?(?P<b>{CO})", 0.75),
        # ---- partnersWith
        ("jv_of", "partnersWith",
         r"{cue:partner_nouns}[^«.;:]{0,40}?(?:{cue:controlled_by}|{cue:between})\s+{DET}?(?P<a>{CO})\s+(?:e|ed|and)\s+{DET}?(?P<b>{CO})",
         0.75),
        ("partner_with", "partnersWith",
         r"(?:(?P<a>{CO})[^«.;:]{0,60}?)?\b{cue:partner_nouns}\s+(?:{cue:with})\s+{DET}?(?:[\w-]+\s+){0,3}?(?P<b>{CO})",
         0.7),
        ("partner_verb", "partnersWith",
         r"(?P<a>{CO})[^«.;:]{0,40}?\b{cue:partner_verbs}\s+{DET}?(?P<b>{CO})", 0.7),
        ("its_rival", "its_rival",
         r"(?P<a>{CO})\s*,\s*{cue:possessive}\s+(?:[\w-]+\s+)?{cue:rival_nouns}\s*,", 0.6),
        ("sign_agreement", "partnersWith",
         r"(?P<a>{CO})\s+(?:e|ed|and)\s+(?P<b>{CO})\s+(?:{cue:sign_verbs})\s+[^«.;:]{0,30}?{cue:agreement_nouns}",
         0.75),
        # ---- competesWith
        ("rival_of", "competesWith",
         r"(?P<a>{CO})\s*,?\s*{DET}?(?:[\w-]+\s+)?{cue:rival_nouns}\s+(?:{OF}|to\s+)?{DET}?(?P<b>{ORGLIST})",
         0.6),
        ("rival_apposition", "competesWith",
         r"(?P<b>{CO})\s*,\s*(?P<a>{CO})'s\s+(?:[\w-]+\s+)?{cue:rival_nouns}\b", 0.65),
        ("possessive_rival", "competesWith",
         r"(?P<a>{CO})'s\s+(?:[\w-]+\s+)?{cue:rival_nouns}\s*,?\s*(?P<b>{ORGLIST})", 0.65),
        ("compete_with", "competesWith",
         r"(?P<a>{CO})[^«.;:]{0,20}?\b{cue:compete_verbs}\s+(?:{cue:with}|against|con)?\s*{DET}?(?P<b>{ORGLIST})",
         0.65),
        # ---- sellsOn
        ("store_on", "sellsOn",
         r"(?P<a>{CO})[^«.;:]{0,60}?\b{cue:store_nouns}\s+(?:{cue:on_preps})\s+{DET}?(?:{PLATN}\s+)?(?P<b>{PLATLIST})",
         0.7),
        ("sell_on", "sellsOn",
         r"(?P<a>{ORGLIST})[^«.;:]{0,10}?\b{cue:sell_verbs}\s+(?:[^«.;:]{0,40}?\s)?(?:{cue:on_preps})\s+{DET}?(?:{PLATN}\s+)?(?P<b>{PLATLIST})",
         0.65),
        # ---- investsIn
        ("shareholder_of", "investsIn",
         r"(?P<a>{ORG})\s*,\s*{DET}?(?:{cue:shareholder_nouns})\s+(?:{OF}|in\s+)(?P<b>{CO})(?:\s+(?:con|with)\s+(?:il|una quota del|a|an?)\s+(?P<pct>{PCT}))?",
         0.8),
        ("is_shareholder", "investsIn",
         r"(?P<a>{ORG})\s+(?:è|is|was|remains|resta|rimane)\s+{DET}?(?:{cue:shareholder_nouns})\s+(?:{OF}|in\s+)(?P<b>{CO})",
         0.8),
        ("stake_in", "stake_in",
         r"(?:(?P<a>{COO})[^«.;:]{0,60}?)?\b{cue:stake_words}\s+(?:(?:in|nel|nella|of|di|della|del)\s+)(?:{DET})?(?P<b>{CO})",
         0.7),
        # ---- headquarteredIn
        ("based_in", "headquarteredIn",
         r"(?P<a>{COO})(?:[^«.;:]|«L\d+»){0,100}?\b{cue:hq_cues}\s+(?P<b>{LOC})", 0.8),
        # "Based in Lewisville, Texas, HomeSearch is ...", "Con sede a Milano, la X ..."
        ("fronted_base", "headquarteredIn",
         r"^\W*{cue:hq_cues}\s+(?P<b>{LOC})(?:\s*,\s*{LOC})*\s*,\s*{DET}?(?P<a>{COO})(?=\s+[a-z])", 0.75),
        ("loc_based", "headquarteredIn",
         r"(?P<b>{LOC})-based\s+(?:[\w-]+\s+){0,3}?(?P<a>{COO})", 0.75),
        ("loc_based_app", "headquarteredIn",
         r"(?P<a>{COO})\s*,\s*{DET}?(?P<b>{LOC})-based", 0.75),
        # ---- targetsMarket
        ("target_market", "targetsMarket",
         r"(?P<a>{CO})[^«.;:]{0,40}?\b{cue:target_verbs}\s+{DET}?(?:«L\d+»'s\s+)?(?P<b>{MKT})", 0.6),
        ("expand_to_place", "targetsMarket",
         r"(?P<a>{CO})[^«.;:]{0,40}?\b{cue:expand_verbs}\s+{DET}?(?P<b>{LOC})(?!'s)", 0.6),
    ]


_COMPILED: dict[str, list] = {}


def _compiled(ctx: Ctx, slots: dict[str, str]):
    if ctx.lang not in _COMPILED:
        _COMPILED[ctx.lang] = [(n, p, compile_rule(rx, slots, ctx.data), c)
                               for n, p, rx, c in _rules()]
    return _COMPILED[ctx.lang]


def relations(ctx: Ctx, slots: dict[str, str]) -> None:
    """Apply every relation rule to every sentence, and again to the sentence without its
    appositions ("X, a unit of Y, has partnered with Z" is also read as "X has partnered
    with Z"); duplicates are merged by resolve."""
    det = alternation(ctx.data.determiners)
    rel = alternation(ctx.data.cues["relative_pronouns"])
    appo = re.compile(rf"(?<=»)\s*,\s*(?:{det}|{rel})\s*[^,«»;:]{{0,60}}(?:«[^»]+»[^,«»;:]{{0,30}})?,(?=\s)")
    for tpl in ctx.templates():
        variants = [tpl]
        cuts = [x.span() for x in appo.finditer(tpl.text)]
        if cuts:
            variants.append(tpl.without(cuts))
        for variant in variants:
            for name, pred, rx, conf in _compiled(ctx, slots):
                for x in rx.finditer(variant.text):
                    if variant is tpl and x.groupdict().get("a") and any(
                            a <= x.start("a") < b <= x.start("b") for a, b in cuts
                            if x.groupdict().get("b")):
                        continue  # the subject sits in an apposition: the head is the subject
                    _apply(ctx, variant, name, pred, x, conf)


def _apply(ctx: Ctx, tpl: Template, name: str, pred: str, x: re.Match, conf: float) -> None:
    gd = x.groupdict()
    mid = gd.get("mid") or ""
    a_ids = ctx.slots(gd["a"]) if gd.get("a") else []
    b_ids = ctx.slots(gd["b"]) if gd.get("b") else []
    if b_ids and gd.get("b"):
        # "X's Y": the possessed name is the object ("partnered with Globex's Umbra")
        y = re.match(r"['’]s\s+«\w(\d+)»", tpl.text[x.end("b"):])
        if y and len(b_ids) == 1 and ctx.lang == "en" and x.end() == x.end("b"):
            b_ids = [int(y.group(1))]
    ms = ctx.mentions
    if pred == "acquires":
        if _attempt(ctx, tpl.text[:x.end()]) or "«" in mid:
            return
        if re.match(r"'s\b|\s*'\s", tpl.text[x.end():x.end() + 3]):
            return  # "acquired Nokia's devices business": a part of the company, not the company
        if name == "acquire_noun" and re.search(r"\bda parte\b|\bby\b", x.group(0)):
            return  # "un acquisto da parte di X": X is the buyer, not the target
        if name in ("acquire_verb", "acquire_noun") and re.search(
                r"(?:^|[\s'])(?:" + alternation(ctx.data.prepositions_of) + r")(?:\s+|(?<='))$",
                tpl.text[:x.start("a")]):
            return  # "l'acquisizione di X, ..., e di Y": X is an object, not a buyer
        status = pending_status(ctx, tpl.text)
        # "bought a 20% stake in Y" is an investment in Y, not an acquisition of Y
        stake = re.search(r"\d\s*%|\b(?:" + "|".join(map(re.escape, ctx.data.cues["stake_words"]))
                          + r")\b", _between_verb_and_object(tpl.text, x))
        for a in a_ids:
            for b in b_ids:
                if stake:
                    add_relation(ctx, tpl, "investsIn", a, b, conf * 0.95, name + "_stake")
                else:
                    add_relation(ctx, tpl, "acquires", a, b, conf, name, status)
        return
    if pred == "controls":
        for a in a_ids:
            for b in b_ids:
                p = "operates" if ms[a].kind == "Platform" else "subsidiaryOf"
                if p == "operates":
                    add_relation(ctx, tpl, p, b, a, conf, name)
                else:
                    add_relation(ctx, tpl, p, a, b, conf, name)
        return
    if name == "shareholder_of" and gd.get("pct"):
        pct = find_percents(gd["pct"], ctx.lang)
        for a in a_ids:
            for b in b_ids:
                if add_relation(ctx, tpl, "investsIn", a, b, conf, name):
                    ctx.facts.investments.append(Investment(
                        investor=ms[a].id, target=ms[b].id, kind="stake",
                        stake_percent=pct[0][2] if pct else None,
                        evidence=ctx.evidence(tpl.sent, conf, f"{EXTRACTOR}.{name}")))
        return
    if pred == "stake_in":
        pred = "investsIn"
        if not a_ids:  # "la cessione della partecipazione in Y": the article's company's stake
            s = salient_company(ctx, exclude=set(b_ids))
            if s is None:
                return
            a_ids, conf = [s], 0.5
    if pred == "its_rival":  # "X, its main rival, ...": a rival of the company in focus
        s = salient_company(ctx, exclude=set(a_ids))
        if s is None:
            return
        pred, b_ids, conf = "competesWith", [s], 0.55
    if name == "partner_with" and a_ids and re.search(
            r"\b(?:" + alternation(ctx.data.cues["possessive"]) + r")\s+(?:" + alternation(
                ctx.data.cues["partner_nouns"]) + r")\b", x.group(0)):
        # "Froneri, its joint venture with PAI": the partner is the owner behind "its"
        a_ids = []
        s = salient_company(ctx, exclude=set(b_ids) | set(ctx.slots(gd["a"])))
        if s is None:
            return
        a_ids, conf = [s], conf * 0.8
    if pred == "partnersWith" and not a_ids:
        s = salient_company(ctx, exclude=set(b_ids))
        if s is None:
            return
        a_ids, conf = [s], conf * 0.75
    if name == "bracket_parent":
        a, b = a_ids[0], b_ids[0]
        wa = set(name_key(ms[a].text).split("-"))
        wb = set(name_key(ms[b].text).split("-"))
        conf = 0.7 if wa & wb else conf
    if pred == "mergesWith":
        status = "agreed, pending" if pending_status(ctx, tpl.text) else None
    else:
        status = None
    for a in a_ids:
        for b in b_ids:
            add_relation(ctx, tpl, pred, a, b, conf, name, status)


def _between_verb_and_object(text: str, x: re.Match) -> str:
    """Template text between the end of the subject slot (and "mid") and the object slot."""
    start = x.end("mid") if x.groupdict().get("mid") is not None else x.start()
    return text[start:x.start("b")]


# --------------------------------------------------------------------------- sellsOn lists

def hosted_sellers(ctx: Ctx, slots: dict[str, str]) -> None:
    """"piattaforme X e Y (che ospitano ... A, B e C)": every seller on every platform."""
    rx = compile_rule(r"(?P<b>{PLATLIST})\s*\(?\s*(?:che\s+|which\s+|that\s+)?{cue:host_verbs}\b",
                      slots, ctx.data)
    for tpl in ctx.templates():
        for x in rx.finditer(tpl.text):
            rest = tpl.text[x.end():]
            close = rest.find(")") if "(" in tpl.text[x.start():x.end() + 1] or \
                tpl.text[:x.start()].count("(") > tpl.text[:x.start()].count(")") else -1
            scope = rest[:close] if close >= 0 else rest.split(";")[0]
            sellers = [i for i in ctx.slots(scope) if ctx.mentions[i].kind == "Company"]
            for b in ctx.slots(x.group("b")):
                for a in sellers:
                    add_relation(ctx, tpl, "sellsOn", a, b, 0.7, "hosted_sellers")


# ---------------------------------------------------------------------------- positions

def _add_position(ctx: Ctx, tpl: Template, per: int, role: str, org: int | None,
                  conf: float, rule: str, status: str | None = None,
                  region: int | None = None) -> None:
    ms = ctx.mentions
    if ms[per].kind != "Person":
        return
    if org is not None and ms[org].kind not in ("Company", "Organization", "Platform"):
        org = None
    role = re.sub(r"\s+", " ", role.strip())
    ev = ctx.evidence(tpl.sent, conf, f"{EXTRACTOR}.{rule}")
    ctx.facts.positions.append(Position(
        holder=ms[per].id, role_title=role, evidence=ev,
        organization=ms[org].id if org is not None else None,
        region=ms[region].id if region is not None else None, status=status))
    if org is not None:
        add_relation(ctx, tpl, "worksFor", per, org, conf, rule, status)


def _role_text(ctx: Ctx, tpl: Template, x: re.Match, group: str = "role") -> str:
    s, e = tpl.span(*x.span(group))
    return ctx.text[s:e]


def _position_rules():
    return [
        # "X, presidente di Y" / "John Smith, the chairman of Acme"
        ("per_role_of", r"(?P<per>{PER})(?:\s+[\w']+)?\s*,\s*(?:{CUR})?{DET}?(?:{CUR})?(?P<role>{ROLE})\s+(?:{OF}|at\s+|{cue:at_preps}\s+)(?P<org>{ORG})(?:\s+(?:{cue:region_preps})\s+{DET}?(?P<region>{LOC}))?", 0.85),
        # "l'amministratore delegato Mario Rossi", "the chairman of X, Mario Rossi"
        ("role_per", r"(?P<pre>(?:{cue:possessive})\s+)?(?P<role>{ROLE})(?:\s+{OF}(?P<org>{ORG}))?\s*,?\s*(?P<per>{PER})", 0.75),
        # "Acme CEO John Smith", "Acme's chairman John Smith"
        ("org_role_per", r"(?P<org>{ORG})(?:'s)?\s+(?P<role>{ROLE})\s*,?\s*(?P<per>{PER})", 0.75),
        # "John Smith, Acme's chief executive"
        ("per_org_role", r"(?P<per>{PER})\s*,\s*(?:{CUR})?(?P<org>{ORG})'s\s+(?:{CUR})?(?P<role>{ROLE})\b", 0.8),
        # "L'Autorità, presieduta da Mario Rossi"
        ("role_verb", r"(?P<org>{ORG})\s*,?\s*(?P<verb>{ROLEVERB})\s+(?P<per>{PER})", 0.8),
        # "Il presidente ad interim è ora Rossi"
        ("role_is_per", r"(?P<role>{ROLE})(?:\s+{OF}(?P<org>{ORG}))?\s+(?:{cue:copula})\s+(?:\w+\s+)?(?P<per>{PER})", 0.65),
        # "Acme ha nominato Mario Rossi nuovo amministratore delegato" / "Acme named X as CEO"
        ("appointed", r"(?P<org>{ORG})[^«.;:]{0,30}?\b(?:{cue:appoint_verbs})\s+(?P<per>{PER})\s*,?\s+(?:come\s+|as\s+|its\s+)?{DET}?(?:(?:nuovo|nuova|new)\s+)?(?P<role>{ROLE})\b", 0.75),
        # "X si è dimesso dalla carica di presidente delle Y" -> former
        ("resigned", r"(?P<per>{PER})\s+(?P<resign>{RESIGN})\s+(?:[^«.;:]{0,30}?\s)?(?P<role>{ROLE})\s+(?:{OF}|at\s+)(?P<org>{ORG})", 0.8),
        # "X, the chairman of Acme, will become the chairman of the new company" -> announced
        ("will_become", r"(?P<per>{PER})\s*(?:,[^«]{0,60}?«[^»]+»[^«]{0,10}?,|,[^«,]{0,60},)?\s*(?P<fut>{FUTURE})\s+{DET}?(?:(?:new|nuovo|nuova)\s+)?(?P<role>{ROLE})\s+(?:{OF}|at\s+)(?P<org>{ORG})", 0.75),
        # "Y, current chairman of X, will be the new chief executive": of the new company
        ("will_be_new", r"(?P<per>{PER})[^«.;:]{0,80}?(?:«[^»]+»[^«.;:]{0,10})?\s(?P<fut>{FUTURE})\s+{DET}?(?P<new>new|nuovo|nuova)\s+(?P<role>{ROLE})\b(?!\s+(?:{OF}|at\s))", 0.6),
        # "X è/is the new CEO of Y", "X is an economist and CEO of Y", "X is a British
        # businessman, CEO of Y", "X has served as CEO of Y" (titles right after
        # the verb first: "X is the founder, CEO and chairman of Y" keeps all three)
        ("per_is_role", r"(?P<per>{PER})(?:\s*\([^()«»]{0,40}\))?\s+(?:{cue:copula}|{cue:serve_as})\s+(?:[^«.;:]{0,60}?(?:\s(?:and|e|ed)\s+|,\s*))??{DET}?(?:(?:new|nuovo|nuova|former|ex|{CUR})\s*)?(?P<role>{ROLE})\s+(?:{OF}|at\s+)(?:(?:[a-z][\w-]*\s+){0,5}?)(?P<org>{ORG})", 0.75),
        # "X ... nel consiglio di amministrazione di Y" / "sits on the board of Y"
        ("on_board", r"(?P<per>{PER})[^«.;:]{0,60}?(?:\bnel|\bin|\bon|\bal|\bto|\bjoins|\bjoined)\s+{DET}?(?P<board>{BOARD})\s+{OF}(?P<org>{ORG})", 0.65),
    ]


def positions(ctx: Ctx, slots: dict[str, str]) -> None:
    d = ctx.data
    rules = [(n, compile_rule(p, slots, d), c) for n, p, c in _position_rules()]
    for tpl in ctx.templates():
        for name, rx, conf in rules:
            for x in rx.finditer(tpl.text):
                gd = x.groupdict()
                per = ctx.slots(gd["per"])[0]
                org = ctx.slots(gd["org"])[0] if gd.get("org") else None
                region = ctx.slots(gd["region"])[0] if gd.get("region") else None
                status = None
                if name == "role_verb":
                    role = d.role_verbs[gd["verb"]]
                elif name == "on_board":  # "nel consiglio di amministrazione di X"
                    role = d.board_member_title if d.code == "en" else \
                        f"membro del {_role_text(ctx, tpl, x, 'board').lower()}"
                else:
                    role = _role_text(ctx, tpl, x)
                if name == "resigned":
                    status = "former"
                elif name in ("will_become", "will_be_new"):
                    status = "announced"
                if name == "will_be_new":
                    org = _new_company(ctx, tpl)
                    if org is None:
                        continue
                if org is None and name == "role_per" and gd.get("pre"):
                    before = [i for i in ctx.slots(tpl.text[:x.start()])
                              if ctx.mentions[i].kind in ("Company", "Organization")]
                    org = before[-1] if before else None
                if org is None and name in ("role_per", "role_is_per"):
                    org = _board_org(ctx, tpl, before=x.start())
                if org is None and name == "role_is_per":
                    org = salient_company(ctx)
                    conf = 0.5
                _add_position(ctx, tpl, per, role, org, conf, name, status, region)
        _board_list(ctx, tpl, slots)


def _new_company(ctx: Ctx, tpl: Template) -> int | None:
    """The company the article introduced as new ("the new company, to be called X") up to
    this sentence, if exactly one."""
    new = {m.ref for m in ctx.mentions if m.is_description and m.ref
           and m.text.lower().split()[0] in {w.split()[0] for w in ctx.data.new_words}
           and ctx.sent_of(m.start) <= tpl.sent}
    if len(new) != 1:
        return None
    ref = new.pop()
    return next(i for i, m in enumerate(ctx.mentions) if m.id == ref)


def _board_org(ctx: Ctx, tpl: Template, before: int | None = None) -> int | None:
    """The organisation whose board the sentence names ("il cda di Acme"), before `before`."""
    rx = compile_rule(r"{BOARD}\s+{OF}(?P<org>{ORG})", build_slots_cache(ctx), ctx.data)
    x = rx.search(tpl.text if before is None else tpl.text[:before])
    return ctx.slots(x.group("org"))[0] if x else None


def _board_list(ctx: Ctx, tpl: Template, slots) -> None:
    """"consiglio di amministrazione ... dei suoi membri: A, B e C (X), D (Y)": board members."""
    d = ctx.data
    rx = compile_rule(r"{BOARD}\b[^:;]{0,80}?{cue:board_member_nouns}\s*:\s*(?P<list>.+)$",
                      slots, d)
    x = rx.search(tpl.text)
    if not x:
        return
    org = _board_org(ctx, tpl)
    conf = 0.7
    if org is None:
        org = salient_company(ctx)
        conf = 0.55
    lst = x.group("list")
    # persons outside brackets only: bracketed names are their affiliations
    for i in ctx.slots(outside_brackets(lst)):
        if ctx.mentions[i].kind == "Person":
            _add_position(ctx, tpl, i, d.board_member_title, org, conf, "board_list")


_SLOTS_CACHE: dict[str, dict] = {}


def build_slots_cache(ctx: Ctx) -> dict[str, str]:
    if ctx.lang not in _SLOTS_CACHE:
        _SLOTS_CACHE[ctx.lang] = build_slots(ctx.data)
    return _SLOTS_CACHE[ctx.lang]
