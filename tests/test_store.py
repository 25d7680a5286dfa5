"""The store: one named graph per article, atomic replace, remove, skip unchanged,
crash safety, ontology graph, union default graph, locking."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.articles import Article
from kg.config import ONTOLOGY_GRAPH
from kg.store import OxigraphStore, SparqlEndpointStore, StoreError, article_graph_iri, open_store
from kg.terms import BIZ

from conftest import ROOT


def toy_graph(article: Article, version: str = "v1", n_extra: int = 0) -> Graph:
    """A minimal article graph in the shape kg.rdf makes: Article node with sourceId,
    extractorVersion and metadata, one company, plus n_extra filler triples."""
    g = Graph()
    a = URIRef(article_graph_iri(article.hash))
    g.add((a, RDF.type, BIZ.Article))
    g.add((a, BIZ.sourceId, Literal(article.id)))
    g.add((a, BIZ.extractorVersion, Literal(version)))
    for field, local in (("title", "title"), ("lang", "language"), ("date", "date"), ("url", "url"),
                         ("source", "source")):
        if getattr(article, field):
            g.add((a, BIZ[local], Literal(getattr(article, field))))
    c = URIRef(f"https://w3id.org/kg/id/company/{article.id}")
    g.add((c, RDF.type, BIZ.Company))
    g.add((c, BIZ.operates, URIRef("https://w3id.org/kg/id/platform/p")))
    for i in range(n_extra):
        g.add((c, BIZ.sentence, Literal(f"filler {i}")))
    return g


def graph_sizes(store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in rows}


@pytest.fixture(params=["disk", "memory", "endpoint"])
def any_store(request, tmp_path):
    """The same store tests on three backends: the on-disk Oxigraph store, an in-memory
    one, and a SPARQL 1.1 endpoint (SparqlEndpointStore against a local test server)."""
    if request.param == "endpoint":
        s = open_store(request.getfixturevalue("sparql_endpoint"))
        assert isinstance(s, SparqlEndpointStore)
    else:
        s = OxigraphStore(tmp_path / "s") if request.param == "disk" else OxigraphStore.in_memory()
    yield s
    s.close()


A1 = Article(id="acme", text="Acme buys Beta\n\nBody.", title="Acme buys Beta", lang="en")
A1_CHANGED = Article(id="acme", text="Acme buys Beta\n\nBody, corrected.", title="Acme buys Beta", lang="en")
B1 = Article(id="beta", text="Beta sells\n\nOther body.", title="Beta sells", lang="en")


def test_one_named_graph_per_article(any_store):
    assert any_store.replace_article(A1, toy_graph(A1)) == "added"
    assert any_store.replace_article(B1, toy_graph(B1)) == "added"
    assert any_store.article_graphs() == sorted([article_graph_iri(A1.hash), article_graph_iri(B1.hash)])
    assert graph_sizes(any_store)[article_graph_iri(A1.hash)] == len(toy_graph(A1))
    ids = [(a["id"], a["title"], a["facts"]) for a in any_store.articles()]
    assert ids == [("acme", "Acme buys Beta", 1), ("beta", "Beta sells", 1)]


def test_replace_drops_old_version_of_same_id(any_store):
    any_store.replace_article(A1, toy_graph(A1))
    any_store.replace_article(B1, toy_graph(B1))
    assert any_store.replace_article(A1_CHANGED, toy_graph(A1_CHANGED)) == "replaced"
    graphs = any_store.article_graphs()
    assert article_graph_iri(A1.hash) not in graphs
    assert article_graph_iri(A1_CHANGED.hash) in graphs and article_graph_iri(B1.hash) in graphs
    assert any_store.graphs_of("acme") == [article_graph_iri(A1_CHANGED.hash)]


def test_skip_unchanged_needs_same_hash_id_and_version(any_store):
    any_store.replace_article(A1, toy_graph(A1, "v1"))
    assert any_store.has_current(A1, "v1")
    assert not any_store.has_current(A1, "v2")  # new extractor: rebuild
    assert not any_store.has_current(A1_CHANGED, "v1")  # new text: rebuild
    assert not any_store.has_current(Article(id="other", text=A1.text), "v1")


def test_changed_metadata_is_not_current(any_store):
    """Same text, same version, but a corrected date (or title, url, source...): rebuild."""
    import dataclasses

    from kg.rdf import article_graph
    from kg.facts import ArticleFacts, Resolved

    dated = dataclasses.replace(A1, date="2024-01-02", source="a.jsonl:1", url="https://x.example/a")
    any_store.replace_article(dated, article_graph(dated, Resolved(ArticleFacts(), [], {}), "v1"))
    assert any_store.has_current(dated, "v1")
    for change in ({"date": "2024-01-03"}, {"url": None}, {"source": "b.jsonl:1"}, {"lang": "it"},
                   {"title": "Other"}):
        assert not any_store.has_current(dataclasses.replace(dated, **change), "v1"), change


def test_remove_by_id_and_by_hash(any_store):
    any_store.replace_article(A1, toy_graph(A1))
    any_store.replace_article(B1, toy_graph(B1))
    assert any_store.remove_article("acme") == [article_graph_iri(A1.hash)]
    assert any_store.remove_article(B1.hash) == [article_graph_iri(B1.hash)]
    assert any_store.article_graphs() == []
    with pytest.raises(StoreError, match="no article with id or hash 'acme'"):
        any_store.remove_article("acme")


def test_failure_while_reading_graph_leaves_old_version(any_store):
    any_store.replace_article(A1, toy_graph(A1))

    def broken():
        yield from list(toy_graph(A1_CHANGED))[:3]
        raise RuntimeError("extractor crashed mid-graph")

    with pytest.raises(RuntimeError):
        any_store.replace_article(A1_CHANGED, broken())
    assert any_store.article_graphs() == [article_graph_iri(A1.hash)]
    assert graph_sizes(any_store)[article_graph_iri(A1.hash)] == len(toy_graph(A1))


def test_update_failing_midway_is_rolled_back(any_store):
    """What replace_article relies on: one SPARQL Update is one transaction. The request
    drops the old graph, inserts a new one, then fails: nothing of it may remain."""
    any_store.replace_article(A1, toy_graph(A1))
    any_store.load_ontology([(URIRef("https://w3id.org/kg/biz#Company"), RDF.type,
                              URIRef("http://www.w3.org/2002/07/owl#Class"))])
    with pytest.raises(Exception, match="already exists"):
        any_store.update(f"DROP GRAPH <{article_graph_iri(A1.hash)}> ; "
                         f"INSERT DATA {{ GRAPH <urn:x:new> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }} ; "
                         f"CREATE GRAPH <{ONTOLOGY_GRAPH}>")
    assert any_store.article_graphs() == [article_graph_iri(A1.hash)]
    assert "urn:x:new" not in graph_sizes(any_store)


def test_empty_graph_is_refused(any_store):
    with pytest.raises(StoreError, match="empty graph"):
        any_store.replace_article(A1, Graph())


KILLER = textwrap.dedent("""
    import signal, sys
    # a shell that starts the tests in the background (`.ci/run &`) leaves SIGINT ignored,
    # and Python keeps that: restore Ctrl-C's KeyboardInterrupt, as in a terminal
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.path.insert(0, {tests!r})
    from test_store import toy_graph
    from kg.articles import Article
    from kg.store import OxigraphStore
    store = OxigraphStore({path!r})
    i = 0
    while True:
        for aid in ("a", "b", "c"):
            art = Article(id=aid, text=f"{{aid}} version {{i}}")
            store.replace_article(art, toy_graph(art, n_extra={n}))
            print("stored", aid, i, flush=True)
        i += 1
""")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_writer_leaves_every_article_fully_in_or_out(tmp_path, sig):
    """Kill a process that keeps replacing three articles with big graphs; reopen the
    store: every article has exactly one complete graph."""
    n = 3000
    path = str(tmp_path / "s")
    script = KILLER.format(tests=str(ROOT / "tests"), path=path, n=n)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, cwd=str(ROOT), env={**os.environ, "OMP_NUM_THREADS": "1"})
    seen = 0
    for line in proc.stdout:
        seen += 1
        if seen == 7:  # in the middle of the 3rd round: the next write is in flight
            proc.send_signal(sig)
            break
    proc.wait(timeout=60)
    proc.stdout.close()
    store = OxigraphStore(path)
    try:
        full = len(toy_graph(Article(id="a", text="x"), n_extra=n))
        sizes = graph_sizes(store)
        assert sizes and set(sizes.values()) == {full}
        for aid in ("a", "b", "c"):
            assert len(store.graphs_of(aid)) == 1
    finally:
        store.close()


def test_store_persists_across_reopen(tmp_path):
    with OxigraphStore(tmp_path / "s") as s:
        s.replace_article(A1, toy_graph(A1))
    with OxigraphStore(tmp_path / "s", read_only=True) as s:
        assert [a["id"] for a in s.articles()] == ["acme"]


def test_second_writer_gets_a_clear_lock_error(tmp_path):
    with OxigraphStore(tmp_path / "s"):
        with pytest.raises(StoreError, match="locked"):
            OxigraphStore(tmp_path / "s")


def test_reader_works_while_writer_holds_the_store(tmp_path):
    with OxigraphStore(tmp_path / "s") as w:
        w.replace_article(A1, toy_graph(A1))
        w.ox.flush()
        with OxigraphStore(tmp_path / "s", read_only=True) as r:
            assert r.graphs_of("acme") == [article_graph_iri(A1.hash)]
            with pytest.raises(StoreError, match="read-only"):
                r.remove_article("acme")


def test_missing_store_is_not_created_for_reading(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        OxigraphStore(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        OxigraphStore(f)


def test_open_store_default_location_and_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_STORE", raising=False)
    with open_store() as s:
        assert s.location == os.path.join(".kg", "store")
    assert (tmp_path / ".kg" / "store").is_dir()
    monkeypatch.setenv("KG_STORE", str(tmp_path / "env"))
    with open_store() as s:
        assert s.location == str(tmp_path / "env")
    endpoint = open_store("http://localhost:7878/query")
    assert isinstance(endpoint, SparqlEndpointStore) and endpoint.update_url == "http://localhost:7878/update"


def test_unreachable_endpoint_is_a_clear_error():
    with open_store("http://127.0.0.1:9/query") as s:
        with pytest.raises(StoreError, match="cannot reach SPARQL endpoint"):
            s.articles()


def test_ontology_graph_and_subclass_queries(any_store):
    any_store.load_ontology()
    assert any_store.has_ontology()
    any_store.replace_article(A1, toy_graph(A1))
    # the union default graph sees the article AND the ontology (rdfs:subClassOf paths)
    rows = list(any_store.query(
        "SELECT ?c ?super WHERE { ?c a ?cls . ?cls <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?super }"))
    supers = {r["super"].value for r in rows if r["c"].value.endswith("/company/acme")}
    assert supers, "biz:Company should have superclasses in the ontology"
    # loading again replaces it (no duplicates, still one graph)
    before = graph_sizes(any_store)[ONTOLOGY_GRAPH]
    any_store.load_ontology()
    assert graph_sizes(any_store)[ONTOLOGY_GRAPH] == before
    assert ONTOLOGY_GRAPH not in any_store.article_graphs()


def test_rdflib_views(any_store):
    any_store.replace_article(A1, toy_graph(A1))
    g = any_store.to_rdflib()
    assert len(g) == len(toy_graph(A1))
    if isinstance(any_store, OxigraphStore):
        ds = any_store.rdflib_dataset()
        assert (None, BIZ.sourceId, Literal("acme")) in ds
