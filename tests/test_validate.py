"""SHACL validation of the store (ontology/shapes.ttl with biz.ttl as ont_graph)."""
from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import XSD

from kg.rdf import article_graph
from kg.store import OxigraphStore, article_graph_iri
from kg.terms import BIZ
from kg.validate import validate_store

from rdf_fixtures import second_article, second_resolved, seed_article, seed_resolved
from test_store import toy_graph


@pytest.fixture
def gold_store():
    s = OxigraphStore.in_memory()
    s.load_ontology()
    for art, res in ((seed_article(), seed_resolved()), (second_article(), second_resolved())):
        s.replace_article(art, article_graph(art, res, "test"))
    yield s
    s.close()


def test_gold_facts_conform(gold_store):
    report = validate_store(gold_store)
    assert report.conforms, report.violations[:3]
    assert report.violations == [] and report.triples > 100


def test_violations_are_listed(gold_store):
    from kg.articles import Article

    bad = Article(id="bad", text="Broken article")
    g = toy_graph(bad)
    a = URIRef(article_graph_iri(bad.hash))
    g.add((a, BIZ.contentHash, Literal(bad.hash)))
    nameless = URIRef("https://w3id.org/kg/id/company/nameless")
    g.add((nameless, RDF.type, BIZ.Company))  # no rdfs:label
    amount = URIRef(str(a) + "/amount/1")
    g.add((amount, RDF.type, BIZ.MonetaryAmount))
    g.add((amount, BIZ.value, Literal("12", datatype=XSD.decimal)))
    g.add((amount, BIZ.currency, Literal("euro")))  # not ISO 4217
    g.add((URIRef("https://w3id.org/kg/id/company/bad"), RDFS.label, Literal("Bad Co")))
    gold_store.replace_article(bad, g)
    report = validate_store(gold_store)
    assert not report.conforms
    by_focus = {(v.focus, v.path) for v in report.violations}
    assert (str(nameless), str(RDFS.label)) in by_focus
    assert (str(amount), str(BIZ.currency)) in by_focus
    # the toy graph's platform has no label either; it is a Platform by biz:operates' range
    assert ("https://w3id.org/kg/id/platform/p", str(RDFS.label)) in by_focus
    assert len(report.violations) == 3
    assert all(v.message for v in report.violations)


def test_empty_store_conforms():
    s = OxigraphStore.in_memory()
    assert validate_store(s).conforms
