"""Facts -> RDF: one article's resolved facts as the triples of its named graph.

What one article graph holds (terms from ontology/biz.ttl, see kg.terms.BIZ):

* the Article node <https://w3id.org/kg/article/{hash}>: title, language, source, url,
  sourceId (= Article.id), contentHash, date, extractorVersion;
* every Entity <https://w3id.org/kg/id/{key}>: rdf:type biz:<kind>, rdfs:label,
  skos:altLabel per other surface form, biz:mentionedIn the article;
* every Relation as its direct triple (symmetric ones once, subject < object), plus an
  evidence node that is both a biz:Evidence and an rdf:Statement naming the triple;
* Investment, MonetaryAmount and Position nodes, each with biz:evidence; a Position with an
  organisation also gives the direct `worksFor` triple, an Investment with a named investor
  and target the direct `investsIn` (or `acquires` for an acquisition) triple, each with
  its own reified evidence;
* evidence nodes: prov:wasDerivedFrom the article, biz:sentence, biz:startOffset and
  biz:endOffset (xsd:integer), biz:confidence (xsd:decimal), biz:extractor, biz:status.

Node IRIs are hashes of their key fields under the article IRI and there are no blank
nodes, so the same input always gives the same triples. This module never touches spaCy.
"""
from __future__ import annotations

import hashlib
import logging
import re
from decimal import Decimal
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.articles import Article
from kg.config import ontology_file
from kg.facts import Evidence, Investment, MoneyAmount, Position, Relation, Resolved
from kg.terms import (
    ARTICLE_BASE,
    BIZ,
    BIZ_IRI,
    ENTITY_BASE,
    ENTITY_CLASSES,
    RELATION_PROPERTIES,
    SYMMETRIC_PROPERTIES,
)

log = logging.getLogger(__name__)

PREFIXES = {
    "biz": BIZ_IRI,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "kgid": ENTITY_BASE,
    "kgart": ARTICLE_BASE,
}

# Investment kinds whose investor -> target pair is also an `investsIn` triple.
_INVESTS_IN_KINDS = frozenset({None, "stake", "investment", "capital_increase"})

_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
# Characters that may not appear in an IRI (RFC 3987): escaped in entity keys.
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def ontology_graph() -> Graph:
    """The ontology (ontology/biz.ttl) parsed into a fresh rdflib Graph."""
    graph = Graph()
    graph.parse(ontology_file("biz.ttl"), format="turtle")
    return graph


def shapes_graph() -> Graph:
    """The SHACL shapes (ontology/shapes.ttl) parsed into a fresh rdflib Graph."""
    graph = Graph()
    graph.parse(ontology_file("shapes.ttl"), format="turtle")
    return graph


def article_iri(article: Article) -> URIRef:
    """IRI of the article node, which is also the name of the article's graph."""
    return URIRef(ARTICLE_BASE + article.hash)


def entity_iri(key: str) -> URIRef:
    """IRI of a resolved entity: <https://w3id.org/kg/id/{key}>, unsafe characters escaped."""
    safe = _IRI_UNSAFE.sub(lambda m: "%%%02X" % ord(m.group()), key)
    return URIRef(ENTITY_BASE + safe)


def article_graph(article: Article, resolved: Resolved, extractor_version: str) -> Graph:
    """All triples of one article's named graph (see the module docstring)."""
    mapper = _Mapper(article, resolved, extractor_version)
    mapper.add_article()
    mapper.add_entities()
    for relation in resolved.facts.relations:
        mapper.add_relation(relation)
    for investment in resolved.facts.investments:
        mapper.add_investment(investment)
    for position in resolved.facts.positions:
        mapper.add_position(position)
    return mapper.graph


def new_graph() -> Graph:
    """An empty rdflib Graph with kg's prefixes bound (readable Turtle)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _hash(*fields: object) -> str:
    text = "\x1f".join("" if f is None else str(f) for f in fields)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _decimal(number: float | int) -> Literal:
    """An xsd:decimal literal without float noise (200000000000.0 -> 200000000000)."""
    if isinstance(number, float) and number.is_integer():
        value = Decimal(int(number))
    elif isinstance(number, float):
        value = Decimal(repr(number))
    else:
        value = Decimal(number)
    return Literal(value, datatype=XSD.decimal)


def _date(text: str) -> Literal:
    if _DATE.match(text):
        return Literal(text, datatype=XSD.date)
    if _DATETIME.match(text):
        return Literal(text, datatype=XSD.dateTime)
    return Literal(text)


class _Mapper:
    """Builds one article graph; holds the article IRI and the mention -> entity map."""

    def __init__(self, article: Article, resolved: Resolved, extractor_version: str) -> None:
        self.article = article
        self.resolved = resolved
        self.extractor_version = extractor_version
        self.iri = article_iri(article)
        self.graph = new_graph()

    def node(self, kind: str, *fields: object) -> URIRef:
        """A deterministic IRI for an article-local node (evidence, investment, ...)."""
        return URIRef(f"{self.iri}/{kind}/{_hash(*fields)}")

    def entity(self, mention_id: str | None) -> URIRef | None:
        """The entity IRI a mention resolved to, or None (logged) when it did not."""
        if mention_id is None:
            return None
        key = self.resolved.entity_of.get(mention_id)
        if key is None:
            log.warning("article %s: mention %s has no entity; fact part dropped",
                        self.article.id, mention_id)
            return None
        return entity_iri(key)

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        self.graph.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))

    # -- the article and its entities ------------------------------------------------

    def add_article(self) -> None:
        a, art = self.iri, self.article
        self.add(a, RDF.type, BIZ.Article)
        self.add(a, BIZ.sourceId, Literal(art.id))
        self.add(a, BIZ.contentHash, Literal(art.hash))
        self.add(a, BIZ.extractorVersion, Literal(self.extractor_version))
        if art.title:
            self.add(a, BIZ.title, Literal(art.title))
        if art.lang:
            self.add(a, BIZ.language, Literal(art.lang))
        if art.source:
            self.add(a, BIZ.source, Literal(str(art.source)))
        if art.url:
            self.add(a, BIZ.url, Literal(art.url, datatype=XSD.anyURI))
        if art.date:
            self.add(a, BIZ.date, _date(art.date))

    def add_entities(self) -> None:
        for entity in self.resolved.entities:
            e = entity_iri(entity.key)
            cls = ENTITY_CLASSES.get(entity.kind)
            if cls is None:
                log.warning("article %s: entity %s has unknown kind %r; untyped",
                            self.article.id, entity.key, entity.kind)
            else:
                self.add(e, RDF.type, cls)
            self.add(e, RDFS.label, Literal(entity.label))
            for alias in sorted(set(entity.aliases) - {entity.label}):
                self.add(e, SKOS.altLabel, Literal(alias))
            if entity.sector:
                self.add(e, BIZ.sector, Literal(entity.sector))
            self.add(e, BIZ.mentionedIn, self.iri)

    # -- evidence ----------------------------------------------------------------------

    def add_evidence(self, ev: URIRef, evidence: Evidence, status: str | None = None) -> None:
        """The provenance of a fact: article, sentence, offsets, confidence, extractor."""
        self.add(ev, RDF.type, BIZ.Evidence)
        self.add(ev, PROV.wasDerivedFrom, self.iri)
        self.add(ev, BIZ.sentence, Literal(evidence.sentence))
        self.add(ev, BIZ.startOffset, Literal(int(evidence.start), datatype=XSD.integer))
        self.add(ev, BIZ.endOffset, Literal(int(evidence.end), datatype=XSD.integer))
        self.add(ev, BIZ.confidence, _decimal(round(float(evidence.confidence), 4)))
        if evidence.extractor:
            self.add(ev, BIZ.extractor, Literal(evidence.extractor))
        if status:
            self.add(ev, BIZ.status, Literal(status))

    def add_triple(self, s: URIRef, p: URIRef, o: URIRef, evidence: Evidence,
                   status: str | None = None) -> URIRef:
        """A direct triple plus its reified evidence (a biz:Evidence rdf:Statement)."""
        if p in SYMMETRIC_PROPERTIES and str(o) < str(s):
            s, o = o, s
        self.add(s, p, o)
        # status is not part of the key: the same triple read from the same sentence (say,
        # as a relation and again from an investment) is one evidence node.
        ev = self.node("evidence", s, p, o, evidence.start, evidence.end, evidence.extractor,
                       evidence.confidence)
        self.add(ev, RDF.type, RDF.Statement)
        self.add(ev, RDF.subject, s)
        self.add(ev, RDF.predicate, p)
        self.add(ev, RDF.object, o)
        self.add_evidence(ev, evidence, status)
        return ev

    # -- facts -------------------------------------------------------------------------

    def add_relation(self, relation: Relation) -> None:
        prop = RELATION_PROPERTIES.get(relation.predicate)
        if prop is None:
            log.warning("article %s: unknown predicate %r dropped",
                        self.article.id, relation.predicate)
            return
        s, o = self.entity(relation.subject), self.entity(relation.object)
        if s is None or o is None or s == o:
            return
        self.add_triple(s, prop, o, relation.evidence, relation.status)

    def add_amount(self, owner: URIRef, prop: URIRef, money: MoneyAmount) -> None:
        node = self.node("amount", owner, prop, money.value, money.currency)
        self.add(owner, prop, node)
        self.add(node, RDF.type, BIZ.MonetaryAmount)
        self.add(node, BIZ.value, _decimal(money.value))
        self.add(node, BIZ.currency, Literal(money.currency))
        if money.text:
            self.add(node, BIZ.amountText, Literal(money.text))

    def add_investment(self, inv: Investment) -> None:
        investor, target = self.entity(inv.investor), self.entity(inv.target)
        amount = (inv.amount.value, inv.amount.currency) if inv.amount else None
        node = self.node("investment", investor, target, inv.target_description, amount,
                         inv.kind, inv.stake_percent, inv.period, inv.status,
                         inv.evidence.start, inv.evidence.end)
        self.add(node, RDF.type, BIZ.Investment)
        if investor is not None:
            self.add(node, BIZ.investor, investor)
        if target is not None:
            self.add(node, BIZ.target, target)
        if inv.target_description:
            self.add(node, BIZ.targetDescription, Literal(inv.target_description))
        if inv.amount is not None:
            self.add_amount(node, BIZ.amount, inv.amount)
        for equivalent in inv.equivalents:
            self.add_amount(node, BIZ.equivalentAmount, equivalent)
        if inv.kind:
            self.add(node, BIZ.kind, Literal(inv.kind))
        if inv.stake_percent is not None:
            self.add(node, BIZ.stakePercent, _decimal(inv.stake_percent))
        if inv.period:
            if _DURATION.match(inv.period):
                self.add(node, BIZ.period, Literal(inv.period, datatype=XSD.duration))
            else:
                log.warning("article %s: period %r is not an xsd:duration",
                            self.article.id, inv.period)
        if inv.period_text:
            self.add(node, BIZ.periodText, Literal(inv.period_text))
        if inv.status:
            self.add(node, BIZ.status, Literal(inv.status))
        ev = self.node("evidence", node, inv.evidence.start, inv.evidence.end,
                       inv.evidence.extractor, inv.evidence.confidence)
        self.add(node, BIZ.evidence, ev)
        self.add_evidence(ev, inv.evidence)
        if investor is not None and target is not None and investor != target:
            if inv.kind == "acquisition":
                self.add_triple(investor, BIZ.acquires, target, inv.evidence, inv.status)
            elif inv.kind in _INVESTS_IN_KINDS:
                self.add_triple(investor, BIZ.investsIn, target, inv.evidence, inv.status)

    def add_position(self, pos: Position) -> None:
        holder = self.entity(pos.holder)
        if holder is None:
            return
        org, region = self.entity(pos.organization), self.entity(pos.region)
        node = self.node("position", holder, org, pos.role_title, region, pos.status,
                         pos.evidence.start, pos.evidence.end)
        self.add(node, RDF.type, BIZ.Position)
        self.add(node, BIZ.holder, holder)
        self.add(node, BIZ.roleTitle, Literal(pos.role_title))
        if org is not None:
            self.add(node, BIZ.organization, org)
        if region is not None:
            self.add(node, BIZ.region, region)
        if pos.status:
            self.add(node, BIZ.status, Literal(pos.status))
        ev = self.node("evidence", node, pos.evidence.start, pos.evidence.end,
                       pos.evidence.extractor, pos.evidence.confidence)
        self.add(node, BIZ.evidence, ev)
        self.add_evidence(ev, pos.evidence)
        if org is not None and org != holder:
            self.add_triple(holder, BIZ.worksFor, org, pos.evidence, pos.status)
