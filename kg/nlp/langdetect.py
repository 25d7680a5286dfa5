"""Italian/English language detection for ``--lang auto``, self-contained.

Why not a library: kg only needs to tell Italian from English, on texts as short as a
headline, with no model download.  Two cheap signals are combined:

1. function words (articles, prepositions, auxiliaries, conjunctions): the strongest cue
   on any sentence, since every sentence has some;
2. character trigrams typical of each language (Italian ``zio``, ``gli``, ``che``, final
   vowels; English ``th``, ``ing``, ``ed `` ...), which decide names-heavy headlines with
   few function words.

Each known cue adds a log-odds weight; the sign of the sum decides, ties go to English
unless Italian accented vowels are present.
"""
from __future__ import annotations

import re
import unicodedata

IT_WORDS = {
    "il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "di", "del", "dello", "della",
    "dei", "degli", "delle", "da", "dal", "dalla", "dai", "dagli", "dalle", "in", "nel",
    "nello", "nella", "nei", "negli", "nelle", "su", "sul", "sulla", "sui", "sugli", "sulle",
    "con", "per", "tra", "fra", "e", "ed", "o", "ma", "che", "chi", "non", "si", "ci", "è",
    "sono", "ha", "hanno", "era", "essere", "stato", "stata", "anche", "più", "come",
    "quando", "dove", "perché", "questo", "questa", "quello", "quella", "al", "allo", "alla",
    "ai", "agli", "alle", "suo", "sua", "loro", "dopo", "verso", "contro", "senza", "oltre",
    "già", "ancora", "sarà", "viene", "nuovo", "nuova", "anni", "milioni", "miliardi",
    "euro", "accordo", "società", "gruppo", "presidente", "amministratore", "delegato",
    "acquisisce", "acquista", "cede", "quota", "mercato", "secondo", "ogni", "tutti",
    "sull", "dell", "nell", "all", "dall", "l", "d", "un'", "c'è", "fa", "cosa",
}
EN_WORDS = {
    "the", "a", "an", "of", "to", "in", "on", "for", "with", "by", "from", "at", "as", "and",
    "or", "but", "not", "is", "are", "was", "were", "be", "been", "has", "have", "had",
    "will", "would", "its", "it", "this", "that", "these", "those", "which", "who", "after",
    "over", "into", "about", "than", "more", "new", "says", "said", "year", "years",
    "million", "billion", "deal", "company", "group", "chief", "executive", "buys",
    "acquires", "sells", "stake", "market", "shares", "up", "down", "out", "amid", "their",
    "his", "her", "they", "we", "you", "he", "she", "what", "how", "why", "when", "first",
    "s", "all", "can", "could", "should", "may", "do", "does", "did", "no", "if", "so",
}
# words spelled the same in both lists do not vote
_SHARED = IT_WORDS & EN_WORDS
IT_WORDS -= _SHARED
EN_WORDS -= _SHARED

IT_GRAMS = {
    "zio": 1.0, "zia": 1.0, "gli": 1.2, "che": 0.8, "ell": 0.6, "ett": 0.5, "zz": 0.8,
    "sci": 0.5, "gn": 0.6, "cch": 0.8, "ghi": 0.6, "oni": 0.6, "ità": 1.5, "ato ": 0.6,
    "ata ": 0.6, "are ": 0.5, "ere ": 0.6, "ire ": 0.6, "ione": 0.8, "zione": 0.8,
    "tti": 0.5, "lla": 0.6, "nno": 0.6, "ssi": 0.4, "i ": 0.25, "o ": 0.25, "a ": 0.1,
    "e ": 0.1, "è": 1.5, "à": 1.2, "ò": 1.5, "ù": 1.5, "ì": 1.2, "uo": 0.5, "ia ": 0.3,
}
EN_GRAMS = {
    "th": 1.0, "ing": 1.0, "ed ": 0.6, "wh": 0.8, "sh": 0.5, "ght": 1.2, "ck": 0.6,
    "ough": 1.0, "ies ": 0.6, "ly ": 0.8, "w": 0.5, "y ": 0.5, "k": 0.4, "tion": 0.2,
    "ss ": 0.4, "'s ": 1.0, "s ": 0.35, "ay": 0.4, "ew": 0.5, "ee": 0.5, "oo": 0.4,
    "ea": 0.3, "ou": 0.3, "er ": 0.5, "ble": 0.2,
}

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]*)?", re.UNICODE)


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("’", "'"))
    out = []
    for w in _WORD.findall(text.lower()):
        if "'" in w:  # l'azienda -> l', azienda ; company's -> company, 's
            head, _, tail = w.partition("'")
            out.append(head)
            if tail:
                out.append(tail if head in ("l", "d", "un", "all", "dell", "nell", "sull", "dall") else "'" + tail)
        else:
            out.append(w)
    return out


def language_scores(text: str) -> dict[str, float]:
    """Evidence for each language (higher = more likely); exposed for tests/debugging."""
    words = _words(text)
    it = en = 0.0
    for w in words:
        if w in IT_WORDS:
            it += 2.0
        elif w in EN_WORDS:
            en += 2.0
    padded = " " + " ".join(words) + " "
    for gram, weight in IT_GRAMS.items():
        it += weight * padded.count(gram)
    for gram, weight in EN_GRAMS.items():
        en += weight * padded.count(gram)
    return {"it": it, "en": en}


def detect_language(text: str) -> str:
    """Return ``"it"`` or ``"en"`` for a text (a headline is enough)."""
    s = language_scores(text)
    if s["it"] > s["en"]:
        return "it"
    return "en"
