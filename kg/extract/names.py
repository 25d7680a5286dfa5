"""Name normalisation shared by extraction and resolution (pure string functions).

- :func:`core_name` drops legal/corporate suffixes ("X Group Holding" -> "X", "X Corp." -> "X",
  "X, Y & Co." -> "X, Y"), so names that differ only in them compare equal.
- :func:`slug` makes an ASCII key part ("Société Générale" -> "societe-generale"); a name in
  another script is transliterated and gets a short hash of its own spelling ("Газпром" ->
  "gazprom-<6 hex>"), so distinct names never share a key.
- :func:`acronym` gives the initials of a multi-word name ("Banca Popolare del Sud" ->
  "BPS"), to link an acronym to the full name when both occur.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from kg.lang.base import LEGAL_SUFFIXES

_SUFFIXES = sorted({s.rstrip(".") for s in LEGAL_SUFFIXES}, key=len, reverse=True)
_SUFFIX_RX = re.compile(
    r"(?:[\s,]+(?:" + "|".join(re.escape(s) for s in _SUFFIXES) + r")\.?)+\s*$", re.IGNORECASE
)
_LEAD_AMP = re.compile(r"\s*&\s*$|\s+and\s*$", re.IGNORECASE)


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def clean(text: str) -> str:
    """Typographic quotes/apostrophes made plain, spaces collapsed."""
    t = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    return re.sub(r"\s+", " ", t).strip()


def core_name(text: str) -> str:
    """The name without trailing legal/corporate suffixes (never empty)."""
    t = clean(text).rstrip(" .,")
    prev = None
    while prev != t:
        prev = t
        stripped = _SUFFIX_RX.sub("", t)
        stripped = _LEAD_AMP.sub("", stripped).rstrip(" .,")
        if stripped:
            t = stripped
    return t


def has_legal_suffix(text: str) -> bool:
    return core_name(text) != clean(text).rstrip(" .,")


def _slugify(ascii_text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _latin_letter(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN ")


def _short_hash(text: str) -> str:
    """6 hex digits of the name's spelling, case-, accent-, space- and punctuation-free (so the
    spellings that give the same transliteration of one name give the same hash too)."""
    t = unicodedata.normalize("NFKD", text.casefold())
    ident = "".join(c for c in t if unicodedata.category(c)[0] in "LN"
                    or unicodedata.category(c) == "Mc") or text
    return hashlib.sha1(ident.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def slug(text: str) -> str:
    """ASCII key part of a name, readable, stable across runs, distinct for distinct names.

    Latin-script names keep the plain folded form ("Société Générale" -> "societe-generale").
    A transliteration (anyascii) spells out what folding would drop: Latin letters such as
    Ø, ß, Ł ("Ørsted" -> "orsted"), and other scripts, which also get a short hash of the
    original spelling ("Газпром" -> "gazprom-<hash>"), because a transliteration can map two
    names to one spelling (homophones in Chinese, "Gazprom" written in Latin letters)."""
    t = clean(text)
    folded = _slugify(ascii_fold(t))
    lost = [c for c in unicodedata.normalize("NFKD", t) if ord(c) > 127 and c.isalnum()]
    if folded and not lost:
        return folded
    s = _slugify(anyascii(t))
    if s and all(_latin_letter(c) for c in lost):
        return s
    return f"{s or 'x'}-{_short_hash(t)}"


def name_key(text: str) -> str:
    """Comparison key: suffix-free, accent-free, case-free, punctuation-free."""
    return slug(core_name(text))


_FUNCTION = {"di", "del", "della", "dei", "degli", "delle", "de", "la", "le", "il", "lo",
             "e", "and", "of", "the", "&", "du", "des", "von", "van", "da", "dal", "y"}


def acronym(text: str) -> str:
    """Initials of the capitalised words (at least two), e.g. "New York Stock Exchange" -> NYSE."""
    words = [w for w in re.split(r"[\s\-]+", clean(text)) if w]
    caps = [w for w in words if w.lower() not in _FUNCTION and w[:1].isupper()]
    if len(caps) < 2:
        return ""
    return "".join(w[0] for w in caps).upper()


# words before a name that do not change which firm it denotes ("Gruppo X" = "The X" = "X").
# Business-type words ("Banca", "Assicurazioni") are not among them: "Banca Alfa" and
# "Assicurazioni Alfa" are two firms, like "X Cloud" and "X".
GENERIC_LEAD = {"gruppo", "group", "the", "società", "compagnia"}


def _lead_free(text: str) -> list[str]:
    core = re.sub(r"(?<=\w)-[A-Z]{2,5}$", "", core_name(text))
    words = core.split()
    while len(words) > 1 and words[0].lower() in GENERIC_LEAD:
        words = words[1:]
    return words


@lru_cache(maxsize=65536)  # pure, and asked for every mention pair by several passes
def merge_key(text: str) -> str:
    """Key under which two names denote one firm: no legal suffix, no leading generic word,
    no trailing "-ACRONYM" part, spaces ignored ("Alfa Beta-XY" = "AlfaBeta")."""
    return slug("".join(_lead_free(text)))


def key_name(text: str) -> str:
    """Readable, stable key part of a firm's name: like merge_key but keeps word breaks
    ("Gruppo Alfa Group" -> "alfa", "Banca Alfa S.p.A." -> "banca-alfa")."""
    return slug(" ".join(_lead_free(text)))
