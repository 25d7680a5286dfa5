"""Resolution: the mentions of one article -> entities with stable keys.

    resolved = kg.resolve.resolve(article, facts)

Mentions merge into one entity when the text gives a reason, never on a substring alone:
- names equal after dropping legal/corporate suffixes and generic leading words
  ("X", "X Group", "X Group Holding", "X S.p.A.", "Gruppo X"), case and accents;
- a short form the article gives in brackets right after the name ("Banca X (X)");
- a partnership name and its first name ("A, B & Co." and "A");
- an acronym and the name it abbreviates, both in the article ("NYSE", "New York Stock Exchange");
- a person's surname (or trailing names) and the one full name that ends with it;
- a description or epithet whose `ref` points to a named mention ("il gruppo di Torino").
Anything else stays apart: "X Cloud" is not "X", "T Global" is not "T", "Banca X" is neither
"Assicurazioni X" nor "X" (names that share a head word are different firms unless the article
says they are one), and a person and a company that share a name are two entities.

The label is the fullest surface form (longest, first seen on ties); every other form is an
alias. `Entity.key` is "<kind>/<ascii slug of the suffix-free name>", the same for the same
company in every article and run, so the RDF IRI is shared across articles; a name in another
script is transliterated and carries a short hash of its spelling ("company/gazprom-<hash>"),
so distinct names never share a key (kg.extract.names.slug).
"""
from __future__ import annotations

import re
from collections import Counter

from kg.extract.names import acronym, clean, core_name, key_name, merge_key as _merge_key, slug
from kg.facts import ArticleFacts, Entity, Resolved

_ORGLIKE = {"Company", "Platform", "Organization"}
def _group(kind: str) -> str:
    return "org" if kind in _ORGLIKE else kind


def _partnership_head(text: str) -> str | None:
    """"Smith, Jones & Co." -> "smith"."""
    t = clean(text)
    if re.search(r",\s*[A-Z][\w'-]+.*(?:&|\band\b)", t):
        return slug(t.split(",")[0])
    return None


class _UF:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, i: int) -> int:
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def resolve(article, facts: ArticleFacts) -> Resolved:
    """Merge the article's mentions into entities; map every mention id to an Entity.key."""
    ms = facts.mentions
    idx = {m.id: i for i, m in enumerate(ms)}
    uf = _UF(len(ms))
    named = [i for i, m in enumerate(ms) if not m.ref]

    # a name introduced as new ("the new company, to be called X") is not an older firm
    # whose name it shares up to a suffix: it merges only with its exact spelling
    new_words = _new_words(article)
    introduced = {idx[m.ref] for m in ms if m.ref in idx and m.is_description
                  and m.text.lower().split()[0] in new_words}
    # 1. same merge key within a type group
    by_key: dict[tuple, int] = {}
    for i in named:
        mk = clean(ms[i].text).lower() if i in introduced else _merge_key(ms[i].text)
        k = (_group(ms[i].kind), mk)
        if k in by_key:
            uf.union(by_key[k], i)
        else:
            by_key[k] = i
    # 2. partnership names ("A, B & Co." ~ "A") and acronyms ("NYSE" ~ "New York Stock Exchange")
    org_named = [i for i in named if ms[i].kind in _ORGLIKE]
    for i in org_named:
        head = _partnership_head(ms[i].text)
        if head:
            for j in org_named:
                if j not in introduced and _merge_key(ms[j].text) == head:
                    uf.union(i, j)
    # a short form in brackets right after the name, made of words of the name: the article
    # says they are one firm ("Banca Alfa (Alfa)"); a bracketed name with other words is
    # often the parent or an owner ("Ciro (gruppo Alfa)") and stays apart
    by_start = sorted(org_named, key=lambda i: ms[i].start)
    for i, j in zip(by_start, by_start[1:]):
        between = article.text[ms[i].end:ms[j].start]
        if re.fullmatch(r"\s*\(\s*", between) and article.text[ms[j].end:ms[j].end + 8].lstrip()[:1] == ")" \
                and j not in introduced \
                and set(clean(ms[j].text).split()) < set(clean(ms[i].text).split()):
            uf.union(i, j)
    acr: dict[str, set[int]] = {}
    for i in org_named:
        a = acronym(core_name(ms[i].text))
        if len(a) >= 2:
            acr.setdefault(a, set()).add(uf.find(i))
    for i in org_named:
        t = clean(ms[i].text)
        if re.fullmatch(r"[A-Z]{2,6}", t) and len(acr.get(t, ())) == 1:
            uf.union(i, next(iter(acr[t])))
    # 3. person surnames -> the one full name ending with them
    persons = [i for i in named if ms[i].kind == "Person"]
    fulls = [i for i in persons if len(clean(ms[i].text).split()) >= 2]
    for i in persons:
        words = clean(ms[i].text).split()
        cands = {uf.find(j) for j in fulls if j != i
                 and len(clean(ms[j].text).split()) > len(words)
                 and clean(ms[j].text).split()[-len(words):] == words}
        if len(cands) == 1:
            uf.union(i, cands.pop())
    # 4. descriptions / epithets follow their ref
    for i, m in enumerate(ms):
        if m.ref and m.ref in idx:
            uf.union(idx[m.ref], i)

    clusters: dict[int, list[int]] = {}
    for i in range(len(ms)):
        clusters.setdefault(uf.find(i), []).append(i)

    entities, entity_of, used = [], {}, Counter()
    for root in sorted(clusters):
        members = clusters[root]
        names = [i for i in members if not ms[i].is_description and not ms[i].ref] or members
        kinds = Counter(ms[i].kind for i in names)
        kind = max(kinds, key=lambda k: (kinds[k], k == "Company"))
        label_i = max(names, key=lambda i: (len(clean(ms[i].text)), -ms[i].start))
        label = ms[label_i].text
        aliases = []
        for i in sorted(members, key=lambda i: ms[i].start):
            t = ms[i].text
            if ms[i].anaphor:
                continue  # "he", "the company": a reference, not a name
            if t != label and t not in aliases:
                aliases.append(t)
        base = f"{kind.lower()}/{key_name(label) if kind in _ORGLIKE else slug(label)}"
        used[base] += 1
        key = base if used[base] == 1 else f"{base}-{used[base]}"
        sector = next((ms[i].sector for i in [label_i, *members] if ms[i].sector), None)
        entities.append(Entity(key=key, kind=kind, label=label, aliases=aliases,
                               mention_ids=[ms[i].id for i in members],
                               sector=sector if kind == "Market" else None))
        for i in members:
            entity_of[ms[i].id] = key
    out = ArticleFacts(mentions=list(ms), relations=_dedupe_relations(facts, entity_of),
                       investments=_dedupe_investments(facts, entity_of),
                       positions=_dedupe_positions(facts, entity_of))
    return Resolved(facts=out, entities=entities, entity_of=entity_of)


def _new_words(article) -> set[str]:
    from kg import lang as langdata

    lang = getattr(article, "lang", None)
    langs = [lang] if lang in langdata.SUPPORTED else list(langdata.SUPPORTED)
    return {w.split()[0] for code in langs for w in langdata.get(code).new_words}


def _dedupe_relations(facts: ArticleFacts, ent: dict[str, str]) -> list:
    """One relation per (predicate, subject entity, object entity), the most confident;
    an operator does not also "sell on" its own platform."""
    from kg.facts import SYMMETRIC_PREDICATES

    operated = {(ent.get(r.subject), ent.get(r.object)) for r in facts.relations
                if r.predicate == "operates"}
    best: dict[tuple, object] = {}
    for r in facts.relations:
        s, o = ent.get(r.subject), ent.get(r.object)
        if s is None or o is None or s == o:
            continue
        if r.predicate == "sellsOn" and (s, o) in operated:
            continue
        k = (r.predicate,) + (tuple(sorted((s, o))) if r.predicate in SYMMETRIC_PREDICATES
                              else (s, o))
        if k not in best or r.evidence.confidence > best[k].evidence.confidence:
            best[k] = r
    return [r for r in facts.relations if any(r is v for v in best.values())]


def _dedupe_positions(facts: ArticleFacts, ent: dict[str, str]) -> list:
    """One position per (holder, role, organisation, status); a role without organisation
    is dropped when the same holder has that role with one."""
    with_org = {(ent.get(p.holder), p.role_title.lower()) for p in facts.positions
                if p.organization}
    best: dict[tuple, object] = {}
    for p in facts.positions:
        if p.organization is None and (ent.get(p.holder), p.role_title.lower()) in with_org:
            continue
        k = (ent.get(p.holder), p.role_title.lower(), ent.get(p.organization), p.status)
        if k not in best or p.evidence.confidence > best[k].evidence.confidence:
            best[k] = p
    return [p for p in facts.positions if any(p is v for v in best.values())]


def _dedupe_investments(facts: ArticleFacts, ent: dict[str, str]) -> list:
    best: dict[tuple, object] = {}
    for inv in facts.investments:
        k = (ent.get(inv.investor), ent.get(inv.target), inv.target_description,
             inv.amount.value if inv.amount else None,
             inv.amount.currency if inv.amount else None, inv.stake_percent, inv.kind)
        if k not in best or inv.evidence.confidence > best[k].evidence.confidence:
            best[k] = inv
    return [i for i in facts.investments if any(i is v for v in best.values())]
