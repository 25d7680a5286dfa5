"""Sentence boundaries by rule, the same with or without a trained parser.

Evidence quotes a sentence with its character offsets, so the split must be stable across
model versions: a period, question or exclamation mark (or a closing quote after one)
followed by space and a capital letter ends a sentence unless the word before is a known
abbreviation or a single capital ("Co.", "Inc.", "S.p.A.", "J."); a line break always does.
"""
from __future__ import annotations

import re

from kg import lang as langdata

_END = re.compile(r"[.!?…]+[\"»”’)]*\s+(?=[\"«“(]?[A-ZÀ-ÖØ-Þ0-9])|\n+")


def split_sentences(text: str, lang: str = "it") -> list[tuple[int, int]]:
    """(start, end) of every sentence in `text`, whitespace trimmed, in order."""
    data = langdata.get(lang)
    abbrevs = {a.lower() for a in data.sentence_abbrevs} | {
        "inc.", "corp.", "co.", "ltd.", "s.p.a.", "spa.", "s.r.l.", "n.v.", "s.a.", "plc.",
        "mr.", "dr.", "st.", "jr.", "sr.", "vs.", "no.",
    }
    cuts, pos = [], 0
    for m in _END.finditer(text):
        if "\n" not in m.group(0):
            before = text[pos:m.start() + 1].split()
            last = before[-1].lower() if before else ""
            if last in abbrevs or re.fullmatch(r"[A-Z]\.", before[-1] if before else ""):
                # "Acme Corp. announced" never splits; "Smith, Jones & Co.. The" does
                if not text[m.start():m.end()].startswith(".."):
                    continue
        cuts.append((pos, m.end()))
        pos = m.end()
    cuts.append((pos, len(text)))
    out = []
    for s, e in cuts:
        seg = text[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs > ls:
            out.append((s + ls, s + rs))
    return out
