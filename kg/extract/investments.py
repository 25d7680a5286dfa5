"""Investments: amounts and stakes with who pays, for what, when, and how sure.

- Money (kg.money.find_money on each sentence) becomes an Investment only in an investment
  context: an investment verb before it ("investirà", "will invest") or a deal/acquisition in
  the sentence ("affare da", "the deal is to cost", "acquisizione ... valorizza"). Revenues,
  prices, per-share amounts, savings, imports and market values are not investments.
- An amount in brackets right after another is its equivalent, not a second investment.
- Stakes: a percentage in an ownership phrase ("è proprietà per il 49% di X", "detenuto per
  il 51% da X", "owns 10% of X", "con il 30% della Y") -> investsIn + Investment(kind="stake").
- One acquisition amount per buyer and target: the body's figure beats the headline's.
"""
from __future__ import annotations

import re

from kg.extract.context import Ctx, Template, compile_rule, outside_brackets
from kg.extract.relations import EXTRACTOR, add_relation, description_factor
from kg.facts import Investment
from kg.money import alternation, find_money, find_percents, parse_duration


def _has(words, text: str) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text) for w in words)


def _period(ctx: Ctx, sent_text: str) -> tuple[str | None, str | None]:
    """The duration an investment spans: ("P3Y", "prossimi tre anni"), ("P5Y", "next five
    years"). Only a forward-looking period counts ("prossimi"/"next", "entro"/"within",
    "over"), not any number of years in the sentence."""
    d = ctx.data
    nums = alternation([w for w in d.number_words if len(w) > 1])
    units = alternation(d.duration_units)
    rx = re.compile(rf"(?P<pre>\b(?:entro|within|over|nell'arco di|nell’arco di|in)\s+(?:the\s+|i\s+)?)?"
                    rf"(?P<body>(?P<next>\b(?:prossim[ie]|next|coming|following)\s+)?"
                    rf"\b(?:\d+|{nums})\s+(?:{units}))\b", re.IGNORECASE)
    for x in rx.finditer(sent_text):
        if not (x.group("next") or x.group("pre")):
            continue
        dur = parse_duration(x.group("body"), ctx.lang)
        if dur:
            return dur, x.group("body")
    return None, None


def investments(ctx: Ctx, slots: dict[str, str]) -> None:
    _money_investments(ctx, slots)
    _stakes(ctx, slots)
    _relation_stakes(ctx)
    _dedupe(ctx)


def _relation_stakes(ctx: Ctx) -> None:
    """Stakes and amounts of the investsIn facts the templates did not price: a percentage or
    an amount in the sentence of an investsIn relation (the learned layer's among them)
    becomes that investment; the relation's confidence carries over."""
    d = ctx.data
    priced = {inv.evidence.start for inv in ctx.facts.investments}
    for r in ctx.facts.relations:
        if r.predicate != "investsIn" or r.evidence.start in priced:
            continue
        sent = r.evidence.sentence
        pcts = [p for _, _, p in find_percents(sent, ctx.lang) if 0 < p <= 100]
        money = []
        for s, e, amount in find_money(sent, ctx.lang):
            after = sent[e:e + 30].lower()
            before = sent[max(0, s - 40):s].lower()
            if not (_has(d.per_share_words, after[:15]) or _has(d.not_investment_nouns, after[:25])
                    or _has(d.not_investment_nouns, before[-25:])):
                money.append(amount)
        if len(pcts) != 1 and not money:
            continue  # no figure, or several percentages: which one is the stake is unclear
        ev = r.evidence
        ctx.facts.investments.append(Investment(
            investor=r.subject, target=r.object, evidence=ev,
            kind="stake" if len(pcts) == 1 else "investment",
            stake_percent=pcts[0] if len(pcts) == 1 else None,
            amount=money[0] if money else None, status=r.status))
        priced.add(ev.start)


def _money_investments(ctx: Ctx, slots: dict[str, str]) -> None:
    d = ctx.data
    cue = d.cues
    invest_rx = compile_rule(
        rf"(?P<a>{{ANY}})(?P<mid>[^«.;]{{0,50}}?)\b(?:{alternation(d.invest_verbs)})\s+(?:[^«.;]{{0,20}}?\s)?$",
        slots, d)
    for tpl in ctx.templates():
        s0, e0 = ctx.sents[tpl.sent]
        sent = ctx.text[s0:e0]
        found = find_money(sent, ctx.lang)
        prev_end = None
        for s, e, amount in found:
            # bracketed equivalent of the previous amount
            if prev_end is not None and re.fullmatch(r"\s*\(\s*(?:pari a\s+|equivalenti a\s+|or\s+|about\s+|circa\s+)?",
                                                     sent[prev_end:s], re.IGNORECASE):
                if ctx.facts.investments and ctx.facts.investments[-1].evidence.start == s0:
                    ctx.facts.investments[-1].equivalents.append(amount)
                prev_end = e
                continue
            prev_end = e
            after = sent[e:e + 30].lower().replace("’", "'")
            before = sent[max(0, s - 40):s].lower().replace("’", "'")
            after = re.sub(r"^\s*\([^)]*\)", "", after)
            if _has(d.per_share_words, after[:15]) or _has(d.not_investment_nouns, after[:25]) \
                    or _has(d.not_investment_nouns, before[-25:]):
                continue
            # template position of the amount
            tpos = _tpl_pos(tpl, ctx.sents[tpl.sent][0] + s)
            head = tpl.text[:tpos]
            low_sent = tpl.text
            if _funding(ctx, tpl, head, _tpl_pos(tpl, s0 + e), amount, slots):
                continue
            x = invest_rx.search(head)
            if x and not _attempt_words(ctx, head):
                inv_i = ctx.slots(x.group("a"))[0]
                if ctx.mentions[inv_i].kind not in ("Company", "Organization", "Person"):
                    continue
                target, desc = _invest_target(ctx, tpl, _tpl_pos(tpl, s0 + e), slots)
                status = "announced" if _has(d.announced_markers, x.group(0)) else None
                dur, ptext = _period(ctx, sent)
                conf = 0.85
                ctx.facts.investments.append(Investment(
                    investor=ctx.mentions[inv_i].id,
                    evidence=ctx.evidence(tpl.sent, conf, f"{EXTRACTOR}.invest_verb"),
                    target=ctx.mentions[target].id if target is not None else None,
                    target_description=desc, amount=amount, kind="investment",
                    period=dur, period_text=ptext, status=status))
                if target is not None:
                    add_relation(ctx, tpl, "investsIn", inv_i, target, 0.75, "invest_verb")
                continue
            if _has(d.capital_increase_nouns, head[-60:]) and not _attempt_words(ctx, head):
                # "X ha annunciato un aumento di capitale da 1 miliardo": buyers unnamed
                raisers = [i for i in ctx.slots(head) if ctx.mentions[i].kind == "Company"]
                ctx.facts.investments.append(Investment(
                    investor=None, target=ctx.mentions[raisers[0]].id if raisers else None,
                    evidence=ctx.evidence(tpl.sent, 0.6, f"{EXTRACTOR}.capital_increase"),
                    amount=amount, kind="capital_increase",
                    status="announced" if _has(d.announced_markers, head) else None))
                continue
            deal = _has(d.deal_nouns, low_sent) or _has(d.acquisition_nouns, low_sent) or \
                _has(cue["acquire_verbs"], low_sent) or _has(cue["acquire_nouns"], low_sent) or \
                _has(cue["divest_verbs"], low_sent)
            if not deal or _attempt_words(ctx, head):
                continue
            s_start = ctx.sents[tpl.sent][0]
            stake_rel = [r for r in ctx.facts.relations if r.predicate == "investsIn"
                         and r.evidence.start == s_start and r.evidence.extractor.endswith("_stake")]
            if stake_rel:  # "bought a 20% stake in Y for $N"
                r = stake_rel[0]
                pcts = find_percents(sent, ctx.lang)
                ctx.facts.investments.append(Investment(
                    investor=r.subject, target=r.object, amount=amount, kind="stake",
                    stake_percent=pcts[0][2] if pcts else None,
                    evidence=ctx.evidence(tpl.sent, 0.75, f"{EXTRACTOR}.stake_amount")))
                continue
            rel = _deal_relation(ctx, tpl)
            if rel is None:
                continue
            r, conf = rel
            ctx.facts.investments.append(Investment(
                investor=r.subject, target=r.object, amount=amount, kind="acquisition",
                evidence=ctx.evidence(tpl.sent, conf, f"{EXTRACTOR}.deal_amount"),
                status=r.status or _deal_status(ctx, r)))


def _funding(ctx: Ctx, tpl: Template, head: str, pos: int, amount, slots) -> bool:
    """"X raised $50 million from A and B" / "X ha raccolto 5 milioni da A": A and B invest
    in X (the first named investor carries the amount)."""
    d = ctx.data
    x = re.search(rf"(?P<t>«[CP](\d+)»)[^«.;]{{0,40}}?\b(?:{alternation(d.cues['raise_verbs'])})\s+"
                  rf"(?:[^«.;]{{0,15}}?\s)?$", head)
    if not x:
        return False
    rest = re.sub(r"^\s*\([^)]*\)", "", tpl.text[pos:])
    rx = compile_rule(r"^[^«.;]{0,50}?\b(?:{cue:from_investors})\s+{DET}?(?P<inv>{ORGLIST})",
                      slots, d)
    y = rx.search(rest)
    target = int(x.group(2))
    investors = [i for i in ctx.slots(y.group("inv"))] if y else []
    investors = [i for i in investors if ctx.mentions[i].kind in ("Company", "Organization")]
    ctx.facts.investments.append(Investment(
        investor=ctx.mentions[investors[0]].id if investors else None,
        target=ctx.mentions[target].id, amount=amount, kind="investment",
        status="completed" if _has(d.cues["done_words"], head.lower()) else None,
        evidence=ctx.evidence(tpl.sent, 0.7, f"{EXTRACTOR}.funding")))
    for i in investors:
        add_relation(ctx, tpl, "investsIn", i, target, 0.7, "funding")
    return True


def _attempt_words(ctx: Ctx, text: str) -> bool:
    return _has(ctx.data.attempt_words, text)


def _tpl_pos(tpl: Template, offset: int) -> int:
    for i, o in enumerate(tpl.orig):
        if o >= offset:
            return i
    return len(tpl.text)


def _invest_target(ctx: Ctx, tpl: Template, pos: int, slots) -> tuple[int | None, str | None]:
    """What the money goes into: "in infrastrutture cloud" -> description; "in X" -> X."""
    d = ctx.data
    rest = tpl.text[pos:]
    rest = re.sub(r"^\s*\([^)]*\)", "", rest)
    x = re.match(rf"\s*(?:{alternation(d.cues['in_preps'])})\s+(.*)", rest)
    if not x:
        return None, None
    tail = x.group(1)
    m = re.match(r"(?:(?:" + alternation(d.determiners) + r")\s*)?«[CPOM](\d+)»", tail)
    if m:
        return int(m.group(1)), None
    words = []
    for w in re.split(r"\s+", tail):
        wl = w.strip()
        stop = set(d.stop_words) | {w for p in d.period_prefixes for w in p.split()} | set(
            d.number_words) | {"entro", "within", "over", "by", "per", "nei", "nel", "nell'"}
        if not wl or "«" in wl or (wl in stop and words) or wl[:1].isdigit():
            break
        clean = wl.rstrip(",.;:")
        if clean:
            words.append(clean)
        if clean != wl or len(words) >= 4:
            break
    while words and words[0] in d.stop_words:
        words.pop(0)
    if not words:
        return None, None
    # verbatim text from the article
    start = pos + (len(tpl.text[pos:]) - len(rest)) + x.start(1)
    phrase = " ".join(words)
    idx = tpl.text.find(phrase, start)
    if idx < 0:
        return None, phrase
    s, e = tpl.span(idx, idx + len(phrase))
    return None, ctx.text[s:e]


def _deal_status(ctx: Ctx, rel) -> str | None:
    """The status another sentence states for the same deal ("sta procedendo all'acquisto")."""
    from kg.extract.names import merge_key

    def key(mid):
        m = ctx.facts.mention(mid)
        return merge_key(ctx.facts.mention(m.ref).text if m.ref else m.text)

    pair = (key(rel.subject), key(rel.object))
    for r in ctx.facts.relations:
        if r.predicate == "acquires" and r.status and (key(r.subject), key(r.object)) == pair:
            return r.status
    return None


def _deal_relation(ctx: Ctx, tpl: Template):
    """The acquisition an amount prices: one stated in the sentence, else the article's."""
    rels = [r for r in ctx.facts.relations if r.predicate == "acquires"]
    same = [r for r in rels if r.evidence.start == ctx.sents[tpl.sent][0]]

    def rank(r):  # a rule's reading before the learned layer's, then the surer one
        return (r.evidence.extractor.startswith(EXTRACTOR), r.evidence.confidence)
    if same:
        r = max(same, key=rank)
        return r, 0.8 if rank(r)[0] else max(0.5, r.evidence.confidence)
    rules = [r for r in rels if rank(r)[0]]
    if rules:
        r = max(rules, key=rank)
        return r, 0.7
    return None


# ------------------------------------------------------------------------------- stakes

def _stakes(ctx: Ctx, slots: dict[str, str]) -> None:
    d = ctx.data
    cue = d.cues
    of = alternation(d.prepositions_of)
    holder_rx = re.compile(rf"^\s*(?:(?:{alternation(cue['owned_words'])})\s+)?"
                           rf"(?:{alternation(cue['holder_preps'])})\s*«[CPOH](\d+)»")
    det = alternation(d.determiners)
    stake_w = alternation(d.stake_nouns)
    in_w = alternation(list(d.cues["in_preps"]) + list(d.prepositions_of))
    # "49% di X", "10% of X", "a 5% stake in X", "il 5% del capitale di X"
    of_rx = re.compile(
        rf"^\s*(?:(?:{stake_w})\s+)?(?:(?:{in_w})\s*(?:(?:{det})\s*)?(?:capitale|capital|shares|azioni)"
        rf"(?:\s+sociale)?\s+)?(?:(?:{in_w})\s*)(?:(?:{det})\s*)?«([CPOM])(\d+)»")
    cap_rx = re.compile(rf"(?:capitale|capital|azioni|shares)\s+(?:(?:{of})\s*)«[CP](\d+)»")
    for tpl in ctx.templates():
        text = tpl.text
        s0 = ctx.sents[tpl.sent][0]
        sent = ctx.text[s0:ctx.sents[tpl.sent][1]]
        for s, e, pct in find_percents(sent, ctx.lang):
            ps, pe = _tpl_pos(tpl, s0 + s), _tpl_pos(tpl, s0 + e)
            before, after = text[:ps], text[pe:]
            near = before[-40:]
            if not (_has(cue["own_cues"], near) or _has(d.stake_nouns, after[:30])
                    or _has(cue["owned_words"], after[:20])):
                continue
            holder = target = None
            owned = _has(cue["owned_words"], near)
            h = holder_rx.match(after)
            o = of_rx.match(after)
            if h:
                holder = int(h.group(1))
            elif o and owned:
                holder = int(o.group(2))
            elif o:
                target = int(o.group(2))
            if holder is not None and target is None:
                c = list(cap_rx.finditer(before))
                if c:
                    target = int(c[-1].group(1))
                else:
                    firsts = [i for i in ctx.slots(before) if ctx.mentions[i].kind == "Company"
                              and i != holder]
                    target = firsts[0] if firsts else None
            elif target is not None and holder is None:
                cands = [i for i in ctx.slots(outside_brackets(before))
                         if ctx.mentions[i].kind in ("Company", "Organization", "Person")
                         and i != target]
                holder = cands[0] if cands else None
            if holder is None or target is None:
                continue
            ev_conf = 0.75 * description_factor(ctx.mentions[holder]) * description_factor(
                ctx.mentions[target])
            rel = add_relation(ctx, tpl, "investsIn", holder, target, 0.75, "stake")
            if rel is None:
                continue
            hid, tid = ctx.mentions[holder].id, ctx.mentions[target].id
            if any(i.investor == hid and i.target == tid and i.evidence.start == s0
                   for i in ctx.facts.investments):
                continue  # already read with its amount ("a 20% stake in Y for $N")
            ctx.facts.investments.append(Investment(
                investor=ctx.mentions[holder].id, target=ctx.mentions[target].id,
                evidence=ctx.evidence(tpl.sent, ev_conf, f"{EXTRACTOR}.stake"),
                kind="stake", stake_percent=pct))


def _dedupe(ctx: Ctx) -> None:
    """One acquisition amount per buyer/target (body before headline, then confidence)."""
    from kg.extract.names import name_key

    def key_of(mid):
        if mid is None:
            return None
        m = ctx.facts.mention(mid)
        if m.ref:
            m = ctx.facts.mention(m.ref)
        return name_key(m.text)

    best: dict = {}
    keep = []
    title_end = ctx.sents[0][1] if ctx.sents else 0
    for inv in ctx.facts.investments:
        if inv.kind != "acquisition":
            keep.append(inv)
            continue
        k = (key_of(inv.investor), key_of(inv.target))
        rank = (inv.evidence.start >= title_end or len(ctx.sents) == 1,
                inv.evidence.confidence, -inv.evidence.start)
        if k not in best or rank > best[k][0]:
            best[k] = (rank, inv)
    chosen = {id(v[1]) for v in best.values()}
    # a stake read twice (headline and body) is one: the reading with an amount wins
    priced = {(key_of(i.investor), key_of(i.target), i.stake_percent) for i in keep
              if i.kind == "stake" and i.amount is not None}
    seen = set()
    stakes = []
    for i in keep:
        k = (key_of(i.investor), key_of(i.target), i.stake_percent)
        if i.kind == "stake" and i.amount is None and (k in priced or k in seen):
            continue
        seen.add(k)
        stakes.append(i)
    ctx.facts.investments = stakes + [i for i in ctx.facts.investments
                                      if i.kind == "acquisition" and id(i) in chosen]
