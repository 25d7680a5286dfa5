"""RDF export: every format parses back to the same graph; Turtle is byte-stable."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from kg.articles import Article
from kg.config import KgError
from kg.export import check_format, serialize
from kg.store import OxigraphStore, article_graph_iri
from kg.terms import BIZ

from test_store import toy_graph

A = Article(id="a", text="Alpha text with \"quotes\"\nand a newline", title="Alpha \u00e8")
B = Article(id="b", text="Beta text")


def with_amount(article: Article) -> Graph:
    """A toy graph with a blank node, a decimal and a language-tagged literal."""
    g = toy_graph(article)
    node, amount = URIRef(article_graph_iri(article.hash)), BNode()
    g.add((node, BIZ.amount, amount))
    g.add((amount, BIZ.value, Literal("200000000000", datatype=XSD.decimal)))
    g.add((amount, BIZ.currency, Literal("CNY")))
    g.add((node, BIZ.sentence, Literal("l'azienda \"X\"\n\tnuova", lang="it")))
    return g


def filled(order) -> OxigraphStore:
    s = OxigraphStore.in_memory()
    for art in order:
        s.replace_article(art, with_amount(art))
    return s


def test_turtle_is_byte_stable_across_insert_order_and_bnode_ids():
    one = filled([A, B]).dump("turtle")
    two = filled([B, A]).dump("turtle")
    assert one == two
    assert one.startswith(b"@prefix biz: <https://w3id.org/kg/biz#> .")
    assert b"_:c14n0" in one  # canonical blank node labels


@pytest.mark.parametrize("fmt, rdflib_format", [
    ("turtle", "turtle"), ("ntriples", "nt"), ("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_every_format_parses_back_to_the_stored_triples(fmt, rdflib_format):
    s = filled([A, B])
    data = s.dump(fmt)
    expected = Graph()
    for art in (A, B):
        expected += with_amount(art)
    if fmt in ("trig", "nquads", "jsonld"):
        ds = Dataset()
        ds.parse(data=data.decode("utf-8"), format=rdflib_format)
        names = {str(g.identifier) for g in ds.graphs() if len(g)}
        assert names == {article_graph_iri(A.hash), article_graph_iri(B.hash)}
        got = Graph()
        for g in ds.graphs():
            got += g
    else:
        got = Graph().parse(data=data.decode("utf-8"), format=rdflib_format)
    assert isomorphic(got, expected)
    # pyoxigraph parses it too (a second, independent parser)
    ox_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
                 "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    assert len(list(ox.parse(data, format=ox_format))) == len(expected)


def test_single_article_export():
    s = filled([A, B])
    g = Graph().parse(data=s.dump("turtle", article_graph_iri(A.hash)).decode(), format="turtle")
    assert isomorphic(g, with_amount(A))


def test_nquads_stable_and_grouped_by_graph():
    data = filled([B, A]).dump("nquads")
    assert data == filled([A, B]).dump("nquads")
    lines = data.decode().splitlines()
    assert len(set(lines)) == len(lines)
    graphs = [line.rsplit(" ", 2)[-2] for line in lines]
    assert graphs == sorted(graphs)


def test_ontology_only_when_asked():
    s = filled([A])
    s.load_ontology()
    plain = Graph().parse(data=s.dump("ntriples").decode(), format="nt")
    full = Graph().parse(data=s.dump("ntriples", include_ontology=True).decode(), format="nt")
    assert (BIZ.Company, RDF.type, None) not in plain
    assert len(full) > len(plain)


def test_empty_store_exports_parse():
    s = OxigraphStore.in_memory()
    assert s.dump("turtle") == b""
    assert json.loads(s.dump("jsonld")) == []


def test_unknown_format():
    with pytest.raises(KgError, match="unknown export format 'xml'"):
        check_format("xml")
    assert check_format("TTL") == "turtle"
    with pytest.raises(KgError):
        serialize([], "rdfxml")
