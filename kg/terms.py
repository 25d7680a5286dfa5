"""The terms of the kg business ontology (`ontology/biz.ttl`) as a closed rdflib namespace.

Code writes `BIZ.operates`, never a string: `_fail = True` makes a misspelt or unknown
term raise AttributeError instead of quietly minting a new IRI. tests/test_ontology.py
checks that this list and the terms defined in biz.ttl are the same set, both ways.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BIZ_IRI = "https://w3id.org/kg/biz#"
ONTOLOGY_IRI = "https://w3id.org/kg/biz"
ONTOLOGY_GRAPH = "https://w3id.org/kg/graph/ontology"
ENTITY_BASE = "https://w3id.org/kg/id/"
ARTICLE_BASE = "https://w3id.org/kg/article/"


class BIZ(DefinedNamespace):
    """Classes and properties of https://w3id.org/kg/biz# (see ontology/biz.ttl)."""

    _NS = Namespace(BIZ_IRI)
    _fail = True

    # Classes
    Company: URIRef
    Platform: URIRef
    Investment: URIRef
    Market: URIRef
    Person: URIRef
    Place: URIRef
    Organization: URIRef
    Article: URIRef
    MonetaryAmount: URIRef
    Position: URIRef
    Evidence: URIRef

    # Relations between entities
    operates: URIRef
    subsidiaryOf: URIRef
    sellsOn: URIRef
    acquires: URIRef
    investsIn: URIRef
    mergesWith: URIRef
    partnersWith: URIRef
    competesWith: URIRef
    targetsMarket: URIRef
    headquarteredIn: URIRef
    worksFor: URIRef
    mentionedIn: URIRef

    # Investment
    investor: URIRef
    target: URIRef
    targetDescription: URIRef
    amount: URIRef
    equivalentAmount: URIRef
    kind: URIRef
    stakePercent: URIRef
    period: URIRef
    periodText: URIRef
    status: URIRef

    # MonetaryAmount
    value: URIRef
    currency: URIRef
    amountText: URIRef

    # Position
    holder: URIRef
    organization: URIRef
    roleTitle: URIRef
    region: URIRef

    # Market
    geography: URIRef
    sector: URIRef

    # Article and provenance
    title: URIRef
    language: URIRef
    source: URIRef
    url: URIRef
    sourceId: URIRef
    contentHash: URIRef
    date: URIRef
    extractorVersion: URIRef
    evidence: URIRef
    sentence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    confidence: URIRef
    extractor: URIRef


# Entity kinds (kg.facts.ENTITY_TYPES) -> their class.
ENTITY_CLASSES = {
    "Company": BIZ.Company,
    "Platform": BIZ.Platform,
    "Person": BIZ.Person,
    "Place": BIZ.Place,
    "Market": BIZ.Market,
    "Organization": BIZ.Organization,
}

# Binary relation predicates (kg.facts.RELATION_PREDICATES plus `geography`) -> property.
RELATION_PROPERTIES = {
    "operates": BIZ.operates,
    "subsidiaryOf": BIZ.subsidiaryOf,
    "sellsOn": BIZ.sellsOn,
    "acquires": BIZ.acquires,
    "investsIn": BIZ.investsIn,
    "mergesWith": BIZ.mergesWith,
    "partnersWith": BIZ.partnersWith,
    "competesWith": BIZ.competesWith,
    "targetsMarket": BIZ.targetsMarket,
    "headquarteredIn": BIZ.headquarteredIn,
    "worksFor": BIZ.worksFor,
    "geography": BIZ.geography,
}

SYMMETRIC_PROPERTIES = frozenset({BIZ.mergesWith, BIZ.partnersWith, BIZ.competesWith})


def terms() -> set[str]:
    """Local names of every term listed in BIZ (what the ontology test compares)."""
    return set(BIZ.__annotations__)
