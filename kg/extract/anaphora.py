"""References back to a named entity: pronouns ("he", "its") and definite company nouns
("the company", "la società") that no other pass has read.

Each becomes a mention with `ref` to the entity it most likely denotes and `anaphor` set (so it
is never an alias): a person pronoun refers to the last person named before it, within the
two sentences before; a company pronoun or definite company noun to the most salient company
named before its sentence (the choice kg.extract.descriptions makes for "the Indian firm").
The learned relation layer can then read "He was appointed CEO of Y" or "the company bought
Y" as a fact about the named entity. The words come from kg.lang (`anaphors`, `company_nouns`,
the definite articles).
"""
from __future__ import annotations

import re

from kg.extract.context import Ctx
from kg.extract.descriptions import _salient
from kg.money import alternation

MAX_SENTENCES_BACK = 2


def anaphor_mentions(ctx: Ctx) -> None:
    d = ctx.data
    found: list[tuple[int, int, str]] = []
    if d.anaphors:
        rx = re.compile(rf"(?<![\w'’-])(?:{alternation(d.anaphors)})(?![\w'’-])", re.IGNORECASE)
        found += [(x.start(), x.end(), d.anaphors[x.group(0).lower()]) for x in rx.finditer(ctx.text)]
    the = alternation([w for w in d.cues["definite"] if not w.endswith(("'", "’"))])
    elided = [w for w in d.cues["definite"] if w.endswith(("'", "’"))]
    article = rf"(?:{the})\s+" + (rf"|(?:{alternation(elided)})" if elided else "")
    plural = set(d.cues.get("plural_company_nouns", ()))
    nouns = alternation([n for n in d.company_nouns if " " not in n and n not in plural])
    rx = re.compile(rf"(?<![\w'’-])(?:{article})(?:{nouns})(?![\w'’-])", re.IGNORECASE)
    found += [(x.start(), x.end(), "Company") for x in rx.finditer(ctx.text)]
    if not found:
        return
    taken = [(m.start, m.end) for m in ctx.mentions]
    for start, end, kind in sorted(found):
        if any(s < end and start < e for s, e in taken):
            continue
        sent = ctx.sent_of(start)
        ref = _person_before(ctx, start, sent) if kind == "Person" else _salient(ctx, start, sent, None)[0]
        if ref is None:
            continue
        ctx.add_mention(start, end, kind, confidence=0.6, ref=ref, is_description=True).anaphor = True
        taken.append((start, end))
    # no ctx.sort_mentions() here: it renumbers mention ids, and the rules' relations and
    # positions already point at them


def _person_before(ctx: Ctx, offset: int, sent: int) -> str | None:
    best = None
    for m in ctx.mentions:
        if m.kind != "Person" or m.ref or m.start >= offset:
            continue
        if sent - ctx.sent_of(m.start) <= MAX_SENTENCES_BACK and (best is None or m.start > best.start):
            best = m
    return best.id if best else None
