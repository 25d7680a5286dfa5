"""The ontology file, the closed namespace kg.terms.BIZ and the SHACL shapes agree."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.rdf import article_graph, ontology_graph, shapes_graph
from kg.terms import BIZ, BIZ_IRI, ENTITY_CLASSES, RELATION_PROPERTIES, terms

sys.path.insert(0, str(Path(__file__).parent))
from rdf_fixtures import second_article, second_resolved, seed_article, seed_resolved  # noqa: E402

CONTRACT_CLASSES = {"Company", "Platform", "Investment", "Market", "Person", "Place",
                    "Organization", "Article", "MonetaryAmount", "Position"}
CONTRACT_PROPERTIES = {
    "operates", "subsidiaryOf", "sellsOn", "acquires", "investsIn", "mergesWith",
    "partnersWith", "competesWith", "targetsMarket", "headquarteredIn", "worksFor",
    "investor", "target", "targetDescription", "amount", "value", "currency", "kind",
    "stakePercent", "period", "status", "holder", "organization", "roleTitle", "region",
    "geography", "sector",
}
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
FIBO = "https://spec.edmcouncil.org/fibo/"
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def defined_terms(g: Graph) -> set[str]:
    return {str(s)[len(BIZ_IRI):] for s in set(g.subjects()) if str(s).startswith(BIZ_IRI)}


def test_terms_module_equals_ontology_both_ways(onto):
    in_ttl = defined_terms(onto)
    in_code = terms()
    assert in_code - in_ttl == set(), "in kg/terms.py but not defined in biz.ttl"
    assert in_ttl - in_code == set(), "defined in biz.ttl but missing from kg/terms.py"


def test_closed_namespace_rejects_unknown_terms():
    assert BIZ.operates == URIRef(BIZ_IRI + "operates")
    with pytest.raises(AttributeError):
        BIZ.operate  # noqa: B018 - misspelt on purpose


def test_contract_names_are_all_defined(onto):
    in_ttl = defined_terms(onto)
    assert CONTRACT_CLASSES <= in_ttl
    assert CONTRACT_PROPERTIES <= in_ttl
    for name in CONTRACT_CLASSES:
        assert (BIZ[name], RDF.type, OWL.Class) in onto
    assert set(ENTITY_CLASSES.values()) <= {BIZ[c] for c in CONTRACT_CLASSES}
    assert set(RELATION_PROPERTIES) <= in_ttl


def test_every_term_has_english_and_italian_label_and_comment(onto):
    for name in defined_terms(onto):
        term = BIZ[name]
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in onto.objects(term, prop) if isinstance(o, Literal)}
            assert {"en", "it"} <= langs, f"{name} lacks an en+it {prop}"


def test_object_and_datatype_properties_have_ranges(onto):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in onto.subjects(RDF.type, kind):
            if str(prop).startswith(BIZ_IRI) and prop not in (BIZ.target, BIZ.evidence,
                                                               BIZ.status, BIZ.date):
                assert onto.value(prop, RDFS.range) is not None, f"{prop} has no range"


def test_contract_properties_domains(onto):
    assert onto.value(BIZ.operates, RDFS.domain) == BIZ.Company
    assert onto.value(BIZ.operates, RDFS.range) == BIZ.Platform
    assert onto.value(BIZ.subsidiaryOf, RDFS.range) == BIZ.Company
    assert onto.value(BIZ.holder, RDFS.range) == BIZ.Person
    assert onto.value(BIZ.amount, RDFS.range) == BIZ.MonetaryAmount
    assert str(onto.value(BIZ.value, RDFS.range)).endswith("#decimal")
    assert str(onto.value(BIZ.period, RDFS.range)).endswith("#duration")


def test_symmetric_properties(onto):
    symmetric = set(onto.subjects(RDF.type, OWL.SymmetricProperty))
    assert symmetric == {BIZ.mergesWith, BIZ.partnersWith, BIZ.competesWith}


def test_aligned_to_schema_org_w3c_org_fibo_and_prov(onto):
    targets = {str(o) for p in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf)
               for s, o in onto.subject_objects(p) if str(s).startswith(BIZ_IRI)}
    for vocabulary in (SCHEMA, ORG, FIBO, PROV):
        assert any(t.startswith(vocabulary) for t in targets), f"no alignment to {vocabulary}"
    assert (BIZ.Company, RDFS.subClassOf, URIRef(SCHEMA + "Organization")) in onto
    assert (BIZ.Position, RDFS.subClassOf, URIRef(ORG + "Membership")) in onto
    assert (BIZ.worksFor, RDFS.subPropertyOf, URIRef(SCHEMA + "worksFor")) in onto


# ---- SHACL ------------------------------------------------------------------------------

def conforms(data: Graph) -> tuple[bool, str]:
    ok, _, text = pyshacl.validate(data, shacl_graph=shapes_graph())
    return ok, text


@pytest.fixture()
def good() -> Graph:
    return (article_graph(seed_article(), seed_resolved(), "test")
            + article_graph(second_article(), second_resolved(), "test"))


def test_well_formed_graph_conforms(good):
    ok, text = conforms(good)
    assert ok, text


def _one(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def test_investment_without_investor_and_amount_fails(good):
    inv = _one(good, BIZ.Investment)
    good.remove((inv, BIZ.investor, None))
    assert conforms(good)[0], "an amount alone is enough"
    good.remove((inv, BIZ.amount, None))
    ok, text = conforms(good)
    assert not ok and "investor or an amount" in text


def test_monetary_amount_value_must_be_one_decimal(good):
    amount = _one(good, BIZ.MonetaryAmount)
    good.set((amount, BIZ.value, Literal("200 miliardi")))
    assert not conforms(good)[0]
    good.set((amount, BIZ.value, Literal(Decimal("5"))))
    assert conforms(good)[0]
    good.add((amount, BIZ.value, Literal(Decimal("7.5"))))
    assert not conforms(good)[0], "two values"
    good.remove((amount, BIZ.value, None))
    assert not conforms(good)[0], "no value"


@pytest.mark.parametrize("code", ["yuan", "usd", "EURO", "€", ""])
def test_monetary_amount_currency_must_be_iso_4217(good, code):
    amount = _one(good, BIZ.MonetaryAmount)
    good.set((amount, BIZ.currency, Literal(code)))
    assert not conforms(good)[0]


def test_monetary_amount_needs_a_currency(good):
    amount = _one(good, BIZ.MonetaryAmount)
    good.remove((amount, BIZ.currency, None))
    assert not conforms(good)[0]


@pytest.mark.parametrize("cls", sorted(ENTITY_CLASSES.values()))
def test_entity_without_label_fails(good, cls):
    entity = _one(good, cls)
    good.remove((entity, RDFS.label, None))
    ok, text = conforms(good)
    assert not ok and "rdfs:label" in text


def test_position_without_holder_fails(good):
    pos = _one(good, BIZ.Position)
    good.remove((pos, BIZ.holder, None))
    ok, text = conforms(good)
    assert not ok and "holder" in text


@pytest.mark.parametrize("offset", [Literal(-1), Literal("12"), Literal(3.5)])
def test_evidence_offsets_must_be_non_negative_integers(good, offset):
    ev = _one(good, BIZ.Evidence)
    good.set((ev, BIZ.startOffset, offset))
    assert not conforms(good)[0]


def test_evidence_start_after_end_fails(good):
    ev = _one(good, BIZ.Evidence)
    end = good.value(ev, BIZ.endOffset)
    good.set((ev, BIZ.startOffset, Literal(int(end) + 1)))
    assert not conforms(good)[0]


def test_alias_must_not_be_empty(good):
    entity = _one(good, BIZ.Company)
    good.add((entity, SKOS.altLabel, Literal("")))
    assert not conforms(good)[0]


def test_every_term_is_a_class_or_a_typed_property_with_consistent_range(onto):
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for name in defined_terms(onto):
        types = set(onto.objects(BIZ[name], RDF.type)) & kinds
        assert len(types) == 1, f"{name}: {types}"
        rng = onto.value(BIZ[name], RDFS.range)
        if rng is None:
            continue
        if OWL.DatatypeProperty in types:
            assert str(rng).startswith(xsd), f"{name} is a datatype property with range {rng}"
        elif OWL.ObjectProperty in types:
            members = list(onto.items(onto.value(rng, OWL.unionOf))) if onto.value(rng, OWL.unionOf) else [rng]
            for cls in members:
                assert (cls, RDF.type, OWL.Class) in onto, f"{name} ranges over undefined {cls}"


def test_ontology_parses_with_pyoxigraph_too():
    import pyoxigraph

    from kg.config import ontology_file

    for name in ("biz.ttl", "shapes.ttl"):
        quads = list(pyoxigraph.parse(path=str(ontology_file(name)), format=pyoxigraph.RdfFormat.TURTLE))
        assert quads
