"""kg.rdf.article_graph: resolved facts become the triples of one article's graph."""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SKOS

from kg.facts import Relation
from kg.rdf import article_graph, article_iri, entity_iri
from kg.terms import BIZ

sys.path.insert(0, str(Path(__file__).parent))
from rdf_fixtures import (  # noqa: E402
    GOLD,
    second_article,
    second_resolved,
    seed_article,
    seed_resolved,
)

SEED_GOLD = GOLD / "00_it_alibaba_tmall_seed.json"


@pytest.fixture(scope="module")
def seed() -> Graph:
    return article_graph(seed_article(), seed_resolved(), "kg-test-1")


@pytest.fixture(scope="module")
def second() -> Graph:
    return article_graph(second_article(), second_resolved(), "kg-test-1")


def label(g: Graph, node) -> str:
    return str(g.value(node, RDFS.label))


def by_label(g: Graph, text: str) -> URIRef:
    nodes = [s for s in g.subjects(RDFS.label, Literal(text)) if str(s).startswith("https://w3id.org/kg/id/")]
    assert len(nodes) == 1, text
    return nodes[0]


def test_article_node_carries_its_metadata(second):
    art = second_article()
    a = URIRef(f"https://w3id.org/kg/article/{art.hash}")
    assert article_iri(art) == a
    assert (a, RDF.type, BIZ.Article) in second
    assert second.value(a, BIZ.sourceId) == Literal("en_northwind_contoso")
    assert second.value(a, BIZ.contentHash) == Literal(art.hash)
    assert second.value(a, BIZ.title) == Literal("Northwind Holdings to buy Contoso")
    assert second.value(a, BIZ.language) == Literal("en")
    assert second.value(a, BIZ.date) == Literal("2024-03-04", datatype=XSD.date)
    assert second.value(a, BIZ.source) == Literal("tests/second.txt")
    assert second.value(a, BIZ.url).datatype == XSD.anyURI
    assert second.value(a, BIZ.extractorVersion) == Literal("kg-test-1")


def test_article_without_title_or_date_has_no_such_triples(seed):
    a = article_iri(seed_article())
    assert seed.value(a, BIZ.title) is None and seed.value(a, BIZ.date) is None
    assert seed.value(a, BIZ.sourceId) == Literal("00_it_alibaba_tmall_seed")


def test_entities_have_type_label_aliases_and_article(seed):
    alibaba = URIRef("https://w3id.org/kg/id/company/alibaba-group-holding")
    assert (alibaba, RDF.type, BIZ.Company) in seed
    assert seed.value(alibaba, RDFS.label) == Literal("Alibaba Group Holding")
    assert {str(o) for o in seed.objects(alibaba, SKOS.altLabel)} == {
        "Alibaba Group", "Alibaba", "gruppo di Hangzhou", "colosso dell’e-commerce"}
    assert (alibaba, BIZ.mentionedIn, article_iri(seed_article())) in seed
    assert (URIRef("https://w3id.org/kg/id/platform/tmall"), RDF.type, BIZ.Platform) in seed
    assert (by_label(seed, "mercato cinese"), RDF.type, BIZ.Market) in seed
    assert (by_label(seed, "Jeff Zhang"), RDF.type, BIZ.Person) in seed


def direct_facts(g: Graph) -> set[tuple[str, str, str]]:
    """(subject label, predicate local name, object label) of every entity-to-entity triple."""
    out = set()
    for s, p, o in g:
        if (str(p).startswith(str(BIZ._NS)) and isinstance(o, URIRef)
                and str(s).startswith("https://w3id.org/kg/id/")
                and str(o).startswith("https://w3id.org/kg/id/")):
            out.add((label(g, s), str(p).split("#")[1], label(g, o)))
    return out


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="dev-eval gold not available")
def test_seed_relations_are_the_gold_relations(seed):
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    expected = {(r["subject"], r["predicate"], r["object"])
                for r in gold["relations"] if r["predicate"] != "hasRole"}
    assert direct_facts(seed) == expected


def evidence_of(g: Graph, s, p, o) -> list:
    return [ev for ev in g.subjects(RDF.subject, s)
            if (ev, RDF.predicate, p) in g and (ev, RDF.object, o) in g]


def test_every_direct_relation_has_evidence_pointing_into_the_text(seed, second):
    for g, art in ((seed, seed_article()), (second, second_article())):
        triples = [(s, p, o) for s, p, o in g
                   if str(p).startswith(str(BIZ._NS)) and p != BIZ.mentionedIn
                   and str(s).startswith("https://w3id.org/kg/id/")
                   and str(o).startswith("https://w3id.org/kg/id/")]
        assert triples
        for s, p, o in triples:
            evs = evidence_of(g, s, p, o)
            assert evs, (s, p, o)
            for ev in evs:
                assert (ev, RDF.type, BIZ.Evidence) in g and (ev, RDF.type, RDF.Statement) in g
                assert (ev, PROV.wasDerivedFrom, article_iri(art)) in g
                start, end = g.value(ev, BIZ.startOffset), g.value(ev, BIZ.endOffset)
                assert start.datatype == XSD.integer and end.datatype == XSD.integer
                assert art.text[int(start):int(end)] == str(g.value(ev, BIZ.sentence))
                assert g.value(ev, BIZ.confidence) == Literal(Decimal("0.9"))
                assert g.value(ev, BIZ.extractor) == Literal("test-hand-made")


def test_evidence_of_operates_is_the_stated_sentence(seed):
    alibaba, tmall = by_label(seed, "Alibaba Group Holding"), by_label(seed, "Tmall")
    [ev] = evidence_of(seed, alibaba, BIZ.operates, tmall)
    assert str(seed.value(ev, BIZ.sentence)).startswith(
        "Per i prossimi 12 mesi Alibaba si pone come obiettivo")
    assert int(seed.value(ev, BIZ.startOffset)) == 0


def test_symmetric_relation_is_stored_once_whatever_the_direction(second):
    nw, litware = by_label(second, "Northwind Holdings"), by_label(second, "Litware")
    stored = [(s, o) for s, o in second.subject_objects(BIZ.mergesWith)]
    assert stored == [tuple(sorted((nw, litware), key=str))]
    resolved = second_resolved()
    flipped = [replace(r, subject=r.object, object=r.subject) if r.predicate == "mergesWith" else r
               for r in resolved.facts.relations]
    resolved.facts.relations = flipped
    again = article_graph(second_article(), resolved, "kg-test-1")
    assert isomorphic(again, second)


def test_seed_investment_node(seed):
    [inv] = seed.subjects(RDF.type, BIZ.Investment)
    assert label(seed, seed.value(inv, BIZ.investor)) == "Alibaba Group Holding"
    assert seed.value(inv, BIZ.target) is None
    assert seed.value(inv, BIZ.targetDescription) == Literal("infrastrutture cloud")
    amount = seed.value(inv, BIZ.amount)
    assert (amount, RDF.type, BIZ.MonetaryAmount) in seed
    value = seed.value(amount, BIZ.value)
    assert value.datatype == XSD.decimal and value.toPython() == Decimal(200000000000)
    assert seed.value(amount, BIZ.currency) == Literal("CNY")
    equivalent = seed.value(inv, BIZ.equivalentAmount)
    assert seed.value(equivalent, BIZ.value).toPython() == Decimal(28280000000)
    assert seed.value(equivalent, BIZ.currency) == Literal("USD")
    assert seed.value(inv, BIZ.kind) == Literal("investment")
    assert seed.value(inv, BIZ.status) == Literal("announced")
    assert seed.value(inv, BIZ.period) == Literal("P3Y", datatype=XSD.duration)
    assert seed.value(inv, BIZ.periodText) == Literal("prossimi tre anni")
    ev = seed.value(inv, BIZ.evidence)
    assert "Alibaba Group Holding investirà 200 miliardi di yuan" in str(seed.value(ev, BIZ.sentence))
    assert (ev, PROV.wasDerivedFrom, article_iri(seed_article())) in seed


def test_acquisition_with_price_gives_investment_and_acquires_triple(second):
    [inv] = second.subjects(RDF.type, BIZ.Investment)
    assert label(second, second.value(inv, BIZ.target)) == "Contoso"
    assert second.value(second.value(inv, BIZ.amount), BIZ.value).toPython() == Decimal(1200000000)
    assert (by_label(second, "Northwind Holdings"), BIZ.acquires, by_label(second, "Contoso")) in second
    assert not list(second.subject_objects(BIZ.investsIn)), "an acquisition is not investsIn"


def test_positions_with_regions_and_works_for(seed, second):
    rodrigo, jeff = by_label(seed, "Rodrigo Cipriani Foresio"), by_label(seed, "Jeff Zhang")
    positions = {(label(seed, seed.value(p, BIZ.holder)), str(seed.value(p, BIZ.roleTitle)),
                  label(seed, seed.value(p, BIZ.organization)), label(seed, seed.value(p, BIZ.region)))
                 for p in seed.subjects(RDF.type, BIZ.Position)}
    assert positions == {
        ("Rodrigo Cipriani Foresio", "general manager", "Alibaba Group Holding", "Italia"),
        ("Rodrigo Cipriani Foresio", "general manager", "Alibaba Group Holding", "Spagna"),
        ("Jeff Zhang", "presidente", "Alibaba Cloud Intelligence", "None"),
    }
    assert (rodrigo, BIZ.worksFor, by_label(seed, "Alibaba Group Holding")) in seed
    assert (jeff, BIZ.worksFor, by_label(seed, "Alibaba Cloud Intelligence")) in seed
    [former] = second.subjects(RDF.type, BIZ.Position)
    assert second.value(former, BIZ.status) == Literal("former")
    [ev] = evidence_of(second, by_label(second, "Jane Roe"), BIZ.worksFor, by_label(second, "Contoso"))
    assert second.value(ev, BIZ.status) == Literal("former")


def test_market_geography(second):
    market = by_label(second, "European cloud market")
    assert label(second, second.value(market, BIZ.geography)) == "Europe"
    assert second.value(market, BIZ.sector) == Literal("cloud")
    assert (by_label(second, "Northwind Holdings"), BIZ.targetsMarket, market) in second


def test_same_input_gives_identical_triples_and_no_blank_nodes(seed):
    again = article_graph(seed_article(), seed_resolved(), "kg-test-1")
    assert sorted(again.serialize(format="nt").splitlines()) == sorted(
        seed.serialize(format="nt").splitlines())
    assert not any(isinstance(t, BNode) for triple in seed for t in triple)


def test_extractor_version_changes_only_the_article_node(seed):
    other = article_graph(seed_article(), seed_resolved(), "kg-test-2")
    diff = set(other) ^ set(seed)
    assert {p for _, p, _ in diff} == {BIZ.extractorVersion}


def test_unresolved_mentions_and_unknown_predicates_are_dropped_not_fatal():
    resolved = seed_resolved()
    ev = resolved.facts.relations[0].evidence
    resolved.facts.relations += [Relation("m0", "operates", "nope", ev),
                                 Relation("m0", "ownsALot", "m1", ev)]
    g = article_graph(seed_article(), resolved, "kg-test-1")
    assert isomorphic(g, article_graph(seed_article(), seed_resolved(), "kg-test-1"))


def test_entity_iri_escapes_characters_not_allowed_in_iris():
    assert entity_iri("company/alibaba") == URIRef("https://w3id.org/kg/id/company/alibaba")
    assert entity_iri("company/l’amande") == URIRef("https://w3id.org/kg/id/company/l’amande")
    assert entity_iri('company/a b"c') == URIRef("https://w3id.org/kg/id/company/a%20b%22c")


def test_stored_and_exported_turtle_is_byte_identical_across_runs():
    """Same input, same output: two stores built from the same facts export the same bytes."""
    from kg.store import OxigraphStore

    dumps = []
    for _ in range(2):
        store = OxigraphStore.in_memory()
        for art, resolved in ((seed_article(), seed_resolved()), (second_article(), second_resolved())):
            store.replace_article(art, article_graph(art, resolved, "kg-test-1"))
        dumps.append(store.dump("turtle"))
        store.close()
    assert dumps[0] == dumps[1]
    assert b"biz:Evidence" in dumps[0] or b"kg/biz#Evidence" in dumps[0]
