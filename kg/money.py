"""Money, percentages and durations written in news text, normalised.

``parse_money("200 miliardi di yuan", "it")`` -> MoneyAmount(200000000000, "CNY").

Pure functions over strings (no spaCy): the regexes are built once per language from
``kg.lang`` data (scale words, currency names, decimal convention), so the same code reads
"28,28 miliardi di dollari", "$1.2bn", "€3,5 mld", "US$11 billion" and "12.5 miliardi di
dollari USA". Separators follow the language's convention unless the digits say otherwise:
"12.5" is a decimal in Italian too (one digit after the dot), "1.100 milioni" is 1100 million
in Italian, "1,630" is 1630 in English.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from kg import lang as langdata
from kg.facts import MoneyAmount
from kg.lang.base import CURRENCY_CODES, CURRENCY_SYMBOLS

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SHORT_SCALES = {"k", "m", "b", "mn", "bn", "tn", "tr", "mio"}


def alternation(words) -> str:
    """Regex alternation of literal words, longest first (so "dollari usa" beats "dollari").

    Shared by every rule module that builds regexes from kg.lang word lists."""
    return _alternation(tuple(words))


@lru_cache(maxsize=None)
def _alternation(words: tuple) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def parse_number(text: str, lang: str = "it") -> Decimal | None:
    """Digits with separators -> Decimal, by the language's convention when ambiguous.

    Two different separators: the last is the decimal one. One separator repeated: thousands.
    One separator once: a decimal unless exactly three digits follow, then the language
    decides ("1.100" is 1100 in Italian, "1,630" is 1630 in English).
    """
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace("'", "")
    if not s or not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit():
        return None
    data = langdata.get(lang)
    dots, commas = s.count("."), s.count(",")
    try:
        if dots and commas:
            dec = "." if s.rfind(".") > s.rfind(",") else ","
            thou = "," if dec == "." else "."
            if s.count(dec) > 1:
                return None
            return Decimal(s.replace(thou, "").replace(dec, "."))
        if dots or commas:
            sep = "." if dots else ","
            if s.count(sep) > 1:
                parts = s.split(sep)
                if all(len(p) == 3 for p in parts[1:]):
                    return Decimal(s.replace(sep, ""))
                return None
            head, tail = s.split(sep)
            if len(tail) == 3 and sep == data.thousands_sep:
                return Decimal(head + tail)
            return Decimal(head + "." + tail)
        return Decimal(s)
    except InvalidOperation:
        return None


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@lru_cache(maxsize=None)
def _money_regex(lang: str) -> re.Pattern:
    data = langdata.get(lang)
    scales_long = [w for w in data.scale_words if w not in _SHORT_SCALES]
    scales_short = [w for w in data.scale_words if w in _SHORT_SCALES]
    numwords = [w for w, n in data.number_words.items() if n == 1] + ["mezzo", "half a"]
    symbols = alternation(CURRENCY_SYMBOLS)
    codes = alternation(CURRENCY_CODES)
    curwords = alternation(data.currency_words)
    linkers = alternation(data.money_linkers)
    scale = (
        rf"(?:\s*(?P<@G@>{alternation(scales_long)})\b|(?P<@G@s>{alternation(scales_short)})\b"
        rf"|\s(?P<@G@s2>{alternation(scales_short)})\b)"
    )
    number = rf"(?:(?P<@G@n>{_NUM})|(?P<@G@w>{alternation(numwords)})(?=\s+(?:{alternation(scales_long)})\b))"
    pre = (
        rf"(?P<psym>(?<![\w$])(?:{symbols})|\b(?:{codes})\b)\s?"
        + number.replace("@G@", "p") + "(?:" + scale.replace("@G@", "ps") + ")?"
    )
    post = (
        rf"(?<![\w.,])" + number.replace("@G@", "q") + "(?:" + scale.replace("@G@", "qs") + ")?"
        rf"\s*(?:(?:{linkers})\s*)?"
        rf"(?P<qcur>\b(?:{curwords})\b|\b(?:{codes})\b|(?:{symbols})(?!\w))"
    )
    return re.compile(rf"(?:{pre})|(?:{post})", re.IGNORECASE)


def _currency_of(token: str, lang: str) -> str | None:
    t = token.strip()
    if t in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[t]
    for sym, code in CURRENCY_SYMBOLS.items():
        if sym.lower() == t.lower():
            return code
    if t.upper() in CURRENCY_CODES:
        return "CNY" if t.upper() == "RMB" else t.upper()
    return langdata.get(lang).currency_words.get(re.sub(r"\s+", " ", t.lower()))


def _scale_of(m: re.Match, prefix: str, lang: str) -> int:
    data = langdata.get(lang)
    for g in (prefix, prefix + "s", prefix + "s2"):
        w = m.group(g)
        if w:
            return data.scale_words[w.lower()]
    return 1


def find_money(text: str, lang: str = "it") -> list[tuple[int, int, MoneyAmount]]:
    """Every amount with a currency in `text`: (start, end, MoneyAmount), in text order."""
    out = []
    for m in _money_regex(lang).finditer(text):
        if m.group("psym"):
            cur = _currency_of(m.group("psym"), lang)
            num_s, word, g = m.group("pn"), m.group("pw"), "ps"
        else:
            cur = _currency_of(m.group("qcur"), lang)
            num_s, word, g = m.group("qn"), m.group("qw"), "qs"
        if cur is None:
            continue
        if num_s:
            value = parse_number(num_s, lang)
        else:
            value = Decimal("0.5") if word.lower() in ("mezzo", "half a") else Decimal(1)
        if value is None:
            continue
        value = value * _scale_of(m, g, lang)
        out.append((m.start(), m.end(), MoneyAmount(_as_number(value), cur, m.group(0))))
    return out


def parse_money(text: str, lang: str = "it") -> MoneyAmount | None:
    """The first amount with a currency in `text`, normalised to currency units, or None.

    >>> parse_money("200 miliardi di yuan", "it")
    MoneyAmount(value=200000000000, currency='CNY', text='200 miliardi di yuan')
    """
    found = find_money(text, lang)
    return found[0][2] if found else None


# ---------------------------------------------------------------- percentages and periods

@lru_cache(maxsize=None)
def _percent_regex(lang: str) -> re.Pattern:
    data = langdata.get(lang)
    return re.compile(
        rf"(?<![\w.,])(?P<n>{_NUM})\s*(?:%|(?:{alternation(data.percent_words)})\b)", re.IGNORECASE
    )


def find_percents(text: str, lang: str = "it") -> list[tuple[int, int, float]]:
    """Every percentage in `text`: (start, end, value) with value in percent ("49%" -> 49)."""
    out = []
    for m in _percent_regex(lang).finditer(text):
        # a percentage is never a thousands number: "5.37%" / "5,38%" are decimals
        s = m.group("n")
        v = parse_number(s, lang)
        if v is not None and v > 100 and re.fullmatch(r"\d+[.,]\d{3}", s):
            v = Decimal(s.replace(",", "."))
        if v is not None:
            out.append((m.start(), m.end(), _as_number(v)))
    return out


@lru_cache(maxsize=None)
def _duration_regex(lang: str) -> re.Pattern:
    data = langdata.get(lang)
    words = [w for w in data.number_words if len(w) > 1]
    return re.compile(
        rf"\b(?P<n>\d+|{alternation(words)})\s+(?P<u>{alternation(data.duration_units)})\b", re.IGNORECASE
    )


def parse_duration(text: str, lang: str = "it") -> str | None:
    """An xsd:duration for the first "<number> <unit>" in `text`: "prossimi tre anni" -> "P3Y".

    Quarters become months ("2 trimestri" -> "P6M").
    """
    data = langdata.get(lang)
    m = _duration_regex(lang).search(text)
    if not m:
        return None
    n_s = m.group("n").lower()
    n = int(n_s) if n_s.isdigit() else data.number_words.get(n_s)
    if not n:
        return None
    unit = data.duration_units[m.group("u").lower()]
    if unit == "Q":
        return f"P{3 * n}M"
    if unit == "W":
        return f"P{7 * n}D"
    return f"P{n}{unit}"
