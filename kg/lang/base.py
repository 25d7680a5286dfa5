"""Language data shared by every language, and the record that holds one language's data.

Like spaCy's ``spacy/lang/``: the algorithms in kg.money, kg.nlp.numeric, kg.extract and
kg.resolve never change per language; they read a :class:`LangData`. Adding a language is
writing one small file that fills this record. Nothing here is a name of a company,
platform or person: only general vocabulary (currencies, legal suffixes, cue words).
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Currency symbols, longest first when matched. Prefixed dollars disambiguate the dollar.
CURRENCY_SYMBOLS: dict[str, str] = {
    "US$": "USD", "U.S.$": "USD", "USD$": "USD", "HK$": "HKD", "A$": "AUD", "AU$": "AUD",
    "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "S$": "SGD", "R$": "BRL", "NT$": "TWD",
    "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB",
    "CHF": "CHF", "Fr.": "CHF", "₺": "TRY", "RMB": "CNY",
}

# ISO 4217 codes written as words ("200 million USD", "EUR 3 mld").
CURRENCY_CODES: frozenset[str] = frozenset({
    "USD", "EUR", "CNY", "GBP", "JPY", "CHF", "HKD", "INR", "KRW", "RUB", "AUD", "CAD",
    "SGD", "BRL", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "TRY", "MXN", "ZAR", "AED",
    "SAR", "TWD", "NZD", "ILS", "THB", "IDR", "MYR", "PHP", "VND", "RMB",
})

# Legal / corporate suffixes: a difference only in these does not make another company
# ("X", "X Group", "X Group Holding", "X S.p.A." are one). Lowercase, without final dot.
LEGAL_SUFFIXES: tuple[str, ...] = (
    "group", "groups", "holding", "holdings", "inc", "incorporated", "corp", "corporation",
    "co", "company", "ltd", "limited", "llc", "llp", "lp", "plc", "ag", "se", "sa", "s.a",
    "nv", "n.v", "bv", "b.v", "gmbh", "spa", "s.p.a", "srl", "s.r.l", "sas", "s.a.s", "snc",
    "s.n.c", "sapa", "s.a.p.a", "kgaa", "oyj", "ab", "asa", "pte", "pty", "kk", "k.k",
    "& co", "and co", "gruppo", "&", "international", "sarl", "s.à r.l", "cv", "de cv",
)

# Surname prefixes written with a capital after them ("McMahon", "DeSantis", "LaRue"): not
# the camel case of a brand ("YouTube", "PayPal")
SURNAME_PREFIXES: tuple[str, ...] = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von")

# Top-level domains that make a token look like a web service ("example.com").
WEB_TLDS: tuple[str, ...] = (
    ".com", ".it", ".net", ".org", ".io", ".co.uk", ".cn", ".de", ".fr", ".es", ".eu",
    ".co", ".tv", ".app", ".ai", ".in", ".jp", ".uk",
)


@dataclass(frozen=True)
class LangData:
    """Everything language-specific that kg's rules read, for one language.

    Word lists are lowercase. Multi-word entries are matched on whole words.
    """

    code: str
    decimal_sep: str  # "," in Italian, "." in English
    thousands_sep: str
    # money
    scale_words: dict[str, int]  # "miliardi" -> 10**9, "bn" -> 10**9
    currency_words: dict[str, str]  # "dollari usa" -> "USD", "yuan" -> "CNY"
    money_linkers: tuple[str, ...]  # words between number/scale and currency: "di", "of"
    percent_words: tuple[str, ...]  # "per cento", "percent"
    # numbers written as words (periods: "tre anni")
    number_words: dict[str, int]
    # dates
    months: dict[str, int]
    weekdays: tuple[str, ...]
    duration_units: dict[str, str]  # "anni" -> "Y", "mesi" -> "M"
    period_prefixes: tuple[str, ...]  # "nei prossimi", "over the next", "entro"
    # entity typing
    platform_nouns: tuple[str, ...]
    company_nouns: tuple[str, ...]
    organization_nouns: tuple[str, ...]
    market_nouns: tuple[str, ...]
    generic_market_modifiers: tuple[str, ...]
    geo_adjectives: tuple[str, ...]  # nationality / region adjectives: "cinese", "Chinese"
    # epithets that name a place, with the place's plain names: "bel paese" -> ("italia",)
    place_epithets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a market's geography: geo adjective (or short form) -> the place's plain names
    # ("cinese" -> ("cina",)); a Market links only to a Place the article itself names
    geo_adjective_places: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # country names, lowercase: a strong Place vote, since the NER often tags them ORG
    country_names: frozenset[str] = frozenset()
    epithet_nouns: tuple[str, ...] = ()  # "colosso", "giant": descriptions of a company
    naming_verbs: tuple[str, ...] = ()  # "called", "chiamata": "the new company, called X"
    new_words: tuple[str, ...] = ()  # "nuova", "new"
    attempt_words: tuple[str, ...] = ()  # "provato", "tried": attempts are not deals
    negation_words: tuple[str, ...] = ()  # "non", "not": a feature of the learned relation layer
    # pronouns that refer back to a named entity, with the kind they refer to ("he" -> Person,
    # "its" -> Company); with a definite article, company nouns refer back too ("the firm")
    anaphors: dict[str, str] = field(default_factory=dict)
    source_cues: tuple[str, ...] = ()  # "secondo", "according to": media outlets
    # roles
    role_titles: tuple[str, ...] = ()
    # titles held only in firms ("CEO of X": X is a company; "president of X" may be a country)
    business_titles: tuple[str, ...] = ()
    role_verbs: dict[str, str] = field(default_factory=dict)  # "presieduta da" -> "presidente"
    board_nouns: tuple[str, ...] = ()  # "consiglio di amministrazione", "board"
    board_member_title: str = ""
    current_words: tuple[str, ...] = ()  # "attuale", "current"
    former_words: tuple[str, ...] = ()  # "ex", "former"
    resign_verbs: tuple[str, ...] = ()  # "si è dimesso", "resigned"
    future_words: tuple[str, ...] = ()  # "diventerà", "will become"
    # relation cue words: predicate -> cue phrases (lowercase, regex-free words)
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # investment
    invest_verbs: tuple[str, ...] = ()
    announced_markers: tuple[str, ...] = ()  # future / announcement: "investirà", "will"
    pending_markers: tuple[str, ...] = ()  # "sta procedendo", "approval"
    stake_nouns: tuple[str, ...] = ()
    acquisition_nouns: tuple[str, ...] = ()
    deal_nouns: tuple[str, ...] = ()  # "affare", "deal"
    capital_increase_nouns: tuple[str, ...] = ()
    not_investment_nouns: tuple[str, ...] = ()  # revenues, imports, sales
    per_share_words: tuple[str, ...] = ()  # "per azione", "a share"
    # syntax helpers
    prepositions_of: tuple[str, ...] = ()  # "di", "del", "of"
    determiners: tuple[str, ...] = ()
    coordinators: tuple[str, ...] = ()  # "e", "and"
    stop_words: frozenset[str] = frozenset()
    sentence_abbrevs: tuple[str, ...] = ()

    def all_currency_names(self) -> dict[str, str]:
        return dict(self.currency_words)
