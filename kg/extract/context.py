"""The working state of one extraction, and the "templated sentence" the rules match on.

A templated sentence is the sentence lowercased, with typographic apostrophes made plain and
every mention replaced by a placeholder ``«C3»`` (kind letter + mention index): rules are then
short regexes over words and slots, built from language data ("{PER}, {ROLE} {OF}{ORG}"), the
same code for every language. Each character of the template maps back to the article, so a
match gives verbatim text and offsets.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.facts import ArticleFacts, Evidence, Mention
from kg.lang.base import LangData
from kg.money import alternation

KIND_LETTER = {
    "Company": "C", "Platform": "P", "Organization": "O", "Person": "H", "Place": "L",
    "Market": "M",
}
_PH = re.compile(r"«([CPOHLM])(\d+)»")


@dataclass
class Template:
    """One sentence as a template: `text` with placeholders, `orig` maps chars to offsets."""

    sent: int  # sentence index
    text: str
    orig: list[int]
    mentions: list[int]  # mention indices in order

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Article offsets of template chars [start, end)."""
        return self.orig[start], self.orig[end - 1] + 1

    def without(self, cuts: list[tuple[int, int]]) -> "Template":
        """The template with the char ranges `cuts` removed (offsets still map back)."""
        keep = [True] * len(self.text)
        for a, b in cuts:
            for i in range(a, b):
                keep[i] = False
        text = "".join(c for c, k in zip(self.text, keep) if k)
        orig = [o for o, k in zip(self.orig, keep) if k]
        return Template(self.sent, text, orig, self.mentions)


@dataclass
class Ctx:
    """Everything one article's rules share: text, language data, sentences, mentions."""

    text: str
    lang: str
    data: LangData
    sents: list[tuple[int, int]]
    facts: ArticleFacts = field(default_factory=ArticleFacts)
    _templates: dict[int, Template] | None = None
    _next_id: int = 0
    weak: set = field(default_factory=set)  # ids of rule-found names that need typing evidence
    # training only: (text, start, end, features, rule type, vote margin) per typed mention
    typing_log: list | None = None
    _starts: list[int] | None = None  # sentence starts, for sent_of
    _vectors: tuple | None = None  # (doc, its token vectors), for the learned layer

    # ------------------------------------------------------------------ mentions
    @property
    def mentions(self) -> list[Mention]:
        return self.facts.mentions

    def add_mention(self, start: int, end: int, kind: str, confidence: float = 0.8,
                    ref: str | None = None, is_description: bool = False) -> Mention:
        self._next_id += 1
        m = Mention(id=f"t{self._next_id}", text=self.text[start:end],
                    start=start, end=end, kind=kind, confidence=confidence, ref=ref,
                    is_description=is_description)
        self.facts.mentions.append(m)
        self._templates = None
        return m

    def sort_mentions(self) -> None:
        """Text order, ids renumbered (refs follow)."""
        ms = sorted(self.facts.mentions, key=lambda m: (m.start, -m.end))
        new_id = {m.id: f"m{i + 1}" for i, m in enumerate(ms)}
        self.weak = {new_id[w] for w in self.weak if w in new_id}
        for m in ms:
            m.id = new_id[m.id]
            if m.ref:
                m.ref = new_id.get(m.ref)
        self.facts.mentions = ms
        self._templates = None

    def sent_of(self, offset: int) -> int:
        """Index of the sentence holding `offset` (the last one starting before it, when the
        offset falls between sentences). Binary search: passes call this per mention pair."""
        if self._starts is None or len(self._starts) != len(self.sents):
            self._starts = [s for s, _ in self.sents]
        i = bisect.bisect_right(self._starts, offset) - 1
        return max(0, i)

    def evidence(self, sent: int, confidence: float, extractor: str) -> Evidence:
        s, e = self.sents[sent]
        return Evidence(self.text[s:e], s, e, round(confidence, 3), extractor)

    # ------------------------------------------------------------------ templates
    def templates(self) -> list[Template]:
        if self._templates is None:
            self._templates = {i: self._template(i) for i in range(len(self.sents))}
        return [self._templates[i] for i in range(len(self.sents))]

    def template(self, sent: int) -> Template:
        self.templates()
        return self._templates[sent]

    def _template(self, sent: int) -> Template:
        s, e = self.sents[sent]
        inside = sorted(
            (i for i, m in enumerate(self.mentions) if m.start >= s and m.end <= e),
            key=lambda i: self.mentions[i].start,
        )
        parts, orig, pos, used = [], [], s, []
        for i in inside:
            m = self.mentions[i]
            if m.start < pos:  # overlapping mention: the earlier one wins
                continue
            chunk = self.text[pos:m.start]
            parts.append(_norm(chunk))
            orig.extend(range(pos, m.start))
            ph = f"«{KIND_LETTER[m.kind]}{i}»"
            parts.append(ph)
            orig.extend([m.start] * (len(ph) - 1) + [m.end - 1])
            pos = m.end
            used.append(i)
        parts.append(_norm(self.text[pos:e]))
        orig.extend(range(pos, e))
        return Template(sent, "".join(parts), orig, used)

    def slots(self, text: str) -> list[int]:
        """Mention indices of the placeholders in a piece of template text."""
        return [int(n) for _, n in _PH.findall(text)]


def _norm(chunk: str) -> str:
    """Lowercase with plain apostrophes and quotes, one char per char."""
    out = []
    for ch in chunk:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if low in "’‘`´":
            low = "'"
        elif low in "“”«»":
            low = '"'
        elif low in "\n\t\u00a0":
            low = " "
        out.append(low)
    return "".join(out)


# ---------------------------------------------------------------------- slot regexes

def build_slots(data: LangData) -> dict[str, str]:
    """Regex fragments for templates: mention slots and the language's word classes."""
    det = alternation(data.determiners)
    of = alternation(data.prepositions_of)
    conj = alternation(data.coordinators)
    org = r"«[CPO]\d+»"
    role = alternation(data.role_titles)
    return {
        "ORG": org,
        "CO": r"«C\d+»",
        "COO": r"«[CO]\d+»",
        "PLAT": r"«P\d+»",
        "PER": r"«H\d+»",
        "LOC": r"«L\d+»",
        "MKT": r"«M\d+»",
        "ANY": r"«[CPOHLM]\d+»",
        "DET": rf"(?:(?:{det})(?:\s+|(?<=')))",
        "OF": rf"(?:(?:{of})(?:\s+|(?<='))(?:(?:{det})(?:\s+|(?<=')))?)",
        "AND": rf"(?:\s*,?\s+(?:{conj})\s+|\s*,\s*)",
        "ORGLIST": rf"{org}(?:(?:\s*,\s*|\s*,?\s+(?:{conj})\s+)(?:(?:{det})(?:\s+|(?<=')))?{org})*",
        "PLATLIST": rf"«P\d+»(?:(?:\s*,\s*|\s*,?\s+(?:{conj})\s+)«P\d+»)*",
        # one title or coordinated titles, kept whole as the text writes them:
        # "chairman and chief executive", "President, CEO and founder"
        "ROLE": rf"(?:(?:{role})(?:(?:\s*,\s*|\s*,?\s+(?:{conj}|&)\s+)(?:{role}))*)",
        "CUR": rf"(?:(?:{alternation(data.current_words)})\s+)",
        "W": r"(?:[^\s«»,;:()]+)",  # one plain word
        "PLATN": rf"(?:{alternation(data.platform_nouns)})",
        "COMPN": rf"(?:{alternation(data.company_nouns)})",
        "ORGN": rf"(?:{alternation(data.organization_nouns)})",
        "ROLEVERB": rf"(?:{alternation(data.role_verbs)})",
        "RESIGN": rf"(?:{alternation(data.resign_verbs)})",
        "FUTURE": rf"(?:{alternation(data.future_words)})",
        "BOARD": rf"(?:{alternation(data.board_nouns)})",
        "PCT": rf"(?:\d+(?:[.,]\d+)?\s*(?:%|(?:{alternation(data.percent_words)})\b))",
    }


@lru_cache(maxsize=8192)
def rx(pattern: str, flags: int = 0) -> re.Pattern:
    """A compiled regex, cached: the rules build their patterns from word lists at run time,
    far more of them than the re module's own cache keeps."""
    return re.compile(pattern, flags)


def compile_rule(pattern: str, slots: dict[str, str], data: LangData | None = None) -> re.Pattern:
    """A rule written with {SLOT} names and {cue:key} cue lists -> compiled regex."""
    out = pattern
    if data is not None:
        out = re.sub(r"\{cue:(\w+)\}", lambda m: "(?:" + alternation(data.cues[m.group(1)]) + ")", out)
    for name in sorted(slots, key=len, reverse=True):
        out = out.replace("{" + name + "}", slots[name])
    return re.compile(out)


def outside_brackets(text: str) -> str:
    """The text with every bracketed part removed: bracketed names are affiliations or asides."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)
