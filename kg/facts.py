"""Facts: what the extractor finds in one article, as plain records.

These dataclasses are the contract between the stages of kg:

    extract (reads a spaCy Doc)  ->  ArticleFacts  ->  resolve  ->  rdf

Nothing here refers to spaCy: a fact is strings, character offsets into the article
text, a confidence in [0, 1] and the name of the extractor that produced it, so later
stages never import spaCy and tests can build facts by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Entity types of the ontology contract (local names in ontology/biz.ttl).
ENTITY_TYPES = ("Company", "Platform", "Person", "Place", "Market", "Organization")

# Binary relations of the ontology contract; the symmetric ones are stored once.
RELATION_PREDICATES = (
    "operates", "subsidiaryOf", "sellsOn", "acquires", "investsIn", "mergesWith",
    "partnersWith", "competesWith", "targetsMarket", "headquarteredIn", "worksFor",
)
SYMMETRIC_PREDICATES = frozenset({"mergesWith", "partnersWith", "competesWith"})

INVESTMENT_KINDS = ("acquisition", "stake", "investment", "capital_increase", "payment")
STATUSES = ("announced", "planned", "completed", "former", "agreed, pending")


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence and character offsets into Article.text."""

    sentence: str
    start: int  # offset of the sentence's first character in the article text
    end: int  # offset one past its last character
    confidence: float = 1.0
    extractor: str = ""


@dataclass
class Mention:
    """One surface form of an entity in the article text.

    `text` is verbatim (article.text[start:end] == text). `kind` is one of ENTITY_TYPES.
    `ref` is set when the mention is a description that refers back to a named mention
    ("il gruppo di Torino" -> the mention id of "Acme"): resolve makes it an alias.
    """

    id: str  # unique within the article, e.g. "m12"
    text: str
    start: int
    end: int
    kind: str
    confidence: float = 1.0
    ref: str | None = None
    is_description: bool = False
    sector: str | None = None  # Market only: the sector as written ("auto", "PC")
    anaphor: bool = False  # a pronoun or "the company" referring back (never an alias)


@dataclass
class Relation:
    """subject --predicate--> object, both mention ids; predicate in RELATION_PREDICATES,
    or "geography" (Market -> Place: "mercato cinese" -> the article's "Cina")."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence
    status: str | None = None


@dataclass
class MoneyAmount:
    value: float | int  # in currency units: "200 miliardi di yuan" -> 200000000000
    currency: str  # ISO 4217
    text: str = ""  # the words it was read from

    def __post_init__(self) -> None:
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"not an ISO 4217 code: {self.currency!r}")


@dataclass
class Investment:
    investor: str | None  # mention id, None when unnamed
    evidence: Evidence
    target: str | None = None  # mention id
    target_description: str | None = None  # literal, e.g. "infrastrutture cloud"
    amount: MoneyAmount | None = None
    kind: str | None = None  # INVESTMENT_KINDS
    stake_percent: float | None = None
    period: str | None = None  # xsd:duration, e.g. "P3Y"
    period_text: str | None = None  # as written: "prossimi tre anni"
    status: str | None = None  # STATUSES
    equivalents: list[MoneyAmount] = field(default_factory=list)  # "(28,28 miliardi di dollari)"


@dataclass
class Position:
    holder: str  # mention id of a Person
    role_title: str  # as written: "presidente", "general manager"
    evidence: Evidence
    organization: str | None = None  # mention id
    region: str | None = None  # mention id of a Place, or None
    status: str | None = None  # "former" when the text says so


@dataclass
class ArticleFacts:
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    investments: list[Investment] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)

    def mention(self, mention_id: str) -> Mention:
        for m in self.mentions:
            if m.id == mention_id:
                return m
        raise KeyError(mention_id)


@dataclass
class Entity:
    """One real-world entity of an article after resolution.

    `key` is stable across articles and runs ("company/alibaba"): rdf mints the IRI
    <https://w3id.org/kg/id/{key}> from it, so the same company in two articles is one node.
    `label` is the fullest surface form; `aliases` every other form seen (skos:altLabel).
    """

    key: str
    kind: str  # one of ENTITY_TYPES
    label: str
    aliases: list[str] = field(default_factory=list)
    mention_ids: list[str] = field(default_factory=list)
    sector: str | None = None  # Market only (biz:sector)


@dataclass
class Resolved:
    """ArticleFacts with every mention id mapped to an Entity key."""

    facts: ArticleFacts
    entities: list[Entity]
    entity_of: dict[str, str]  # mention id -> Entity.key

    def entity(self, key: str) -> Entity:
        for e in self.entities:
            if e.key == key:
                return e
        raise KeyError(key)
