"""kg.query: inline and file SPARQL, SELECT/ASK/CONSTRUCT, values, output formats, errors.

The store holds the seed's gold facts (hand-made in tests/rdf_fixtures.py) mapped by the
real kg.rdf, so expectations come from the gold annotation of the seed."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph

from kg.query import QueryError, format_result, run_query, store_stats
from kg.rdf import article_graph
from kg.store import OxigraphStore

from rdf_fixtures import seed_article, seed_resolved

OPERATES = """SELECT ?company ?platform WHERE {
  ?c biz:operates ?p . ?c rdfs:label ?company . ?p rdfs:label ?platform } ORDER BY ?company ?platform"""


@pytest.fixture(scope="module")
def seed_store():
    s = OxigraphStore.in_memory()
    s.load_ontology()
    s.replace_article(seed_article(), article_graph(seed_article(), seed_resolved(), "test"))
    yield s
    s.close()


def test_select_inline_with_predeclared_prefixes(seed_store):
    r = run_query(seed_store, OPERATES)
    assert r.kind == "select" and r.columns == ["company", "platform"]
    # gold: Alibaba operates Tmall, Tmall Global and Alibaba.com
    assert r.rows == [("Alibaba Group Holding", "Alibaba.com"), ("Alibaba Group Holding", "Tmall"),
                      ("Alibaba Group Holding", "Tmall Global")]


def test_select_from_rq_file(seed_store, tmp_path):
    f = tmp_path / "ops.rq"
    f.write_text("# companies and platforms\nPREFIX biz: <https://w3id.org/kg/biz#>\n" + OPERATES)
    assert run_query(seed_store, str(f)).rows == run_query(seed_store, OPERATES).rows
    assert run_query(seed_store, f).rows == run_query(seed_store, OPERATES).rows


def test_numbers_come_back_as_numbers(seed_store):
    r = run_query(seed_store, "SELECT ?v ?cur WHERE { ?i a biz:Investment ; biz:amount ?m . "
                              "?m biz:value ?v ; biz:currency ?cur }")
    assert r.rows == [(200000000000, "CNY")]  # "200 miliardi di yuan"
    assert isinstance(r.rows[0][0], int)


def test_unbound_is_none(seed_store):
    r = run_query(seed_store, "SELECT ?x ?y WHERE { BIND(1 AS ?x) }")
    assert r.rows == [(1, None)]


def test_ask(seed_store):
    yes = run_query(seed_store, "ASK { ?c biz:sellsOn ?p . ?c rdfs:label 'Smeg' }")
    no = run_query(seed_store, "ASK { ?c biz:acquires ?p }")
    assert (yes.kind, yes.boolean, no.boolean) == ("ask", True, False)
    assert json.loads(format_result(yes, "json")) == {"boolean": True}


def test_construct(seed_store):
    r = run_query(seed_store, "CONSTRUCT { ?c biz:operates ?p } WHERE { ?c biz:operates ?p }")
    assert r.kind == "construct" and len(r.rows) == 3 and r.columns == ["subject", "predicate", "object"]
    g = Graph().parse(data=format_result(r, "turtle"), format="turtle")
    assert len(g) == 3


def test_subclass_reasoning_through_ontology_graph(seed_store):
    """The ontology sits in the union default graph: rdfs:subClassOf can be followed."""
    r = run_query(seed_store, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* biz:Company }")
    direct = run_query(seed_store, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a biz:Company }")
    assert r.rows[0][0] >= direct.rows[0][0] > 0


@pytest.mark.parametrize("bad", ["SELEC ?x WHERE {}", "SELECT ?x WHERE { ?x ?p }", "SELECT * WHERE { ?x foo:bar ?y }"])
def test_malformed_sparql_is_one_clear_error(seed_store, bad):
    with pytest.raises(QueryError) as e:
        run_query(seed_store, bad)
    msg = str(e.value)
    assert msg.startswith("malformed SPARQL in query:") and "\n" not in msg


def test_malformed_query_file_names_the_file(seed_store, tmp_path):
    f = tmp_path / "bad.rq"
    f.write_text("SELECT WHERE")
    with pytest.raises(QueryError, match="malformed SPARQL in .*bad.rq"):
        run_query(seed_store, str(f))
    with pytest.raises(QueryError, match="no such query file"):
        run_query(seed_store, str(tmp_path / "missing.rq"))
    with pytest.raises(QueryError, match="empty query"):
        run_query(seed_store, "   ")


def test_output_formats(seed_store):
    r = run_query(seed_store, OPERATES)
    rows = list(csv.reader(io.StringIO(format_result(r, "csv"))))
    assert rows[0] == ["company", "platform"] and rows[1] == ["Alibaba Group Holding", "Alibaba.com"]
    tsv = format_result(r, "tsv").splitlines()
    assert tsv[0] == "company\tplatform" and tsv[3] == "Alibaba Group Holding\tTmall Global"
    assert json.loads(format_result(r, "json"))[1] == {"company": "Alibaba Group Holding", "platform": "Tmall"}
    table = format_result(r, "table")
    assert "Tmall Global" in table and "3 rows" in table
    with pytest.raises(QueryError, match="unknown output format 'xml'"):
        format_result(r, "xml")
    with pytest.raises(QueryError, match="CONSTRUCT"):
        format_result(r, "turtle")


def test_tsv_escapes_tabs_and_newlines(seed_store):
    r = run_query(seed_store, 'SELECT ?s WHERE { BIND("a\\tb\\nc" AS ?s) }')
    assert format_result(r, "tsv") == "s\na\\tb\\nc\n"


def test_table_compacts_iris(seed_store):
    r = run_query(seed_store, "SELECT ?c WHERE { ?c rdfs:label 'Tmall' }")
    assert "kgid:platform/tmall" in format_result(r, "table")
    assert r.rows == [("https://w3id.org/kg/id/platform/tmall",)]


def test_store_stats(seed_store):
    s = store_stats(seed_store)
    assert s["totals"]["articles"] == 1
    assert s["classes"]["biz:Company"] == 5  # gold: 5 companies in the seed
    assert s["classes"]["biz:Platform"] == 3
    assert s["predicates"]["biz:sellsOn"] == 6
    assert s["totals"]["entities"] == 15


def test_query_file_not_utf8(seed_store, tmp_path):
    f = tmp_path / "latin.rq"
    f.write_bytes("# citt\u00e0\nSELECT * WHERE { ?s ?p ?o }".encode("latin-1"))
    with pytest.raises(QueryError, match="not UTF-8"):
        run_query(seed_store, str(f))


def test_cli_examples_name_real_query_files():
    """The query files the CLI help shows exist in queries/."""
    import re

    from kg.cli import main
    from conftest import ROOT

    text = (main.help or "") + "".join(c.help or "" for c in main.commands.values())
    named = set(re.findall(r"queries/([\w-]+\.rq)", text))
    assert named and all((ROOT / "queries" / n).is_file() for n in named), named
