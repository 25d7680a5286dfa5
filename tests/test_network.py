"""The entity graph read from the store: nodes, edges, provenance, sub-views, analytics.

Expectations come from the hand-written facts in viz_graphs.py (two articles written through
kg.rdf.article_graph into a real store), not from whatever the code printed.
"""
from __future__ import annotations

import pytest

from kg import network
from kg.network import NetworkError
from viz_graphs import EN_TEXT, english_article, italian_article, load_store

ID = "https://w3id.org/kg/id/"


@pytest.fixture(scope="module")
def store():
    from kg.store import OxigraphStore

    s = OxigraphStore.in_memory()
    load_store(s)
    yield s
    s.close()


@pytest.fixture(scope="module")
def G(store):
    return network.entity_graph(store)


def edge(G, s, p, o):
    return G.edges[ID + s, ID + o, p]


def test_every_entity_is_a_node_with_its_type_label_and_aliases(G):
    entities = italian_article()[1].entities + english_article()[1].entities
    for e in entities:
        node = G.nodes[ID + e.key]
        assert node["type"] == e.kind
        assert node["label"] == e.label
        assert node["aliases"] == sorted(e.aliases)
    # plus one node for the described (unnamed) target of the cloud investment
    others = [n for n, d in G.nodes(data=True) if d["type"] == "Other"]
    assert [G.nodes[n]["label"] for n in others] == ["infrastrutture cloud"]
    assert G.number_of_nodes() == len(entities) + 1


def test_relations_positions_and_investments_are_edges(G):
    # 10 + 3 relations; 2 worksFor from the positions; 1 investment with a described target;
    # the acquisition's amount lands on the stated `acquires` edge instead of a new edge.
    assert G.number_of_edges() == 16
    assert G.has_edge(ID + "company/alibaba", ID + "platform/tmall", "operates")
    assert edge(G, "company/smeg", "sellsOn", "platform/tmall-global")["kind"] == "trade"
    assert edge(G, "company/alibaba-cloud", "subsidiaryOf", "company/alibaba")["kind"] == "ownership"
    works = edge(G, "person/jeff-zhang", "worksFor", "company/alibaba-cloud-intelligence")
    assert works["roles"] == ["presidente"] and works["kind"] == "people"
    buy = edge(G, "company/kmart", "acquires", "company/sears")
    assert buy["amounts"] == [(11_000_000_000, "USD")]
    assert buy["status"] == "announced"
    cloud = [d for _, _, d in G.out_edges(ID + "company/alibaba", data=True) if d.get("amounts")]
    assert len(cloud) == 1
    assert cloud[0]["predicate"] == "investsIn" and cloud[0]["kind"] == "investment"
    assert cloud[0]["amounts"] == [(200_000_000_000, "CNY")]


def test_each_edge_carries_its_evidence_sentence_and_article(G):
    for _, _, data in G.edges(data=True):
        assert data["evidence"], data["predicate"]
    ev = edge(G, "company/kmart", "acquires", "company/sears")["evidence"]
    sentence = "Kmart Holding Corp said it will buy Sears, Roebuck and Co for $11 billion."
    assert sentence in [e["sentence"] for e in ev]
    first = [e for e in ev if e["sentence"] == sentence][0]
    assert first["title"] == "Kmart to buy Sears for US$11 billion"
    assert EN_TEXT[first["start"]:first["end"]] == sentence
    assert first["confidence"] == pytest.approx(0.9)
    untitled = edge(G, "company/alibaba", "operates", "platform/tmall")["evidence"][0]
    assert untitled["title"] == "it_alibaba"  # no headline: the article's source id


def test_one_article_by_id_or_hash(store):
    article = english_article()[0]
    for ref in (article.id, article.hash):
        H = network.entity_graph(store, article=ref)
        assert {d["label"] for _, d in H.nodes(data=True)} == {
            "Kmart Holding Corp", "Sears, Roebuck and Co", "Edward Lampert", "Sears Holdings",
            "Hoffman Estates"}
        assert H.number_of_edges() == 4
    with pytest.raises(NetworkError, match="no article"):
        network.entity_graph(store, article="nope")


def test_focus_draws_the_neighbourhood(G):
    H = network.focus(G, "kmart", depth=1)  # an alias, any case
    assert {d["label"] for _, d in H.nodes(data=True)} == {
        "Kmart Holding Corp", "Sears, Roebuck and Co", "Edward Lampert"}
    H2 = network.focus(G, "Kmart Holding Corp", depth=2)
    assert "Hoffman Estates" in {d["label"] for _, d in H2.nodes(data=True)}
    assert network.focus(G, "Sears Holdings", depth=3).number_of_nodes() == 1
    with pytest.raises(NetworkError, match="Did you mean"):
        network.focus(G, "Kmartt Holding Corp")
    with pytest.raises(NetworkError, match="several"):
        network.focus(G, "Tmal")  # Tmall and Tmall Global


def test_query_construct_keeps_labels_types_and_evidence(store):
    H = network.query_graph(store, """
        PREFIX biz: <https://w3id.org/kg/biz#>
        CONSTRUCT { ?s biz:operates ?o } WHERE { ?s biz:operates ?o }""")
    assert sorted(d["label"] for _, d in H.nodes(data=True)) == [
        "Alibaba Group Holding", "Alibaba.com", "Tmall", "Tmall Global"]
    assert H.number_of_edges() == 3
    assert H.nodes[ID + "platform/tmall"]["type"] == "Platform"
    assert all(d["evidence"] for _, _, d in H.edges(data=True))


def test_query_select_spo_and_bad_queries(store, tmp_path):
    q = tmp_path / "people.rq"
    q.write_text("""PREFIX biz: <https://w3id.org/kg/biz#>
        SELECT ?s ?p ?o WHERE { VALUES ?p { biz:worksFor } ?s ?p ?o }""", encoding="utf-8")
    H = network.query_graph(store, q)
    assert sorted(d["label"] for _, d in H.nodes(data=True)) == [
        "Alibaba Cloud Intelligence", "Edward Lampert", "Jeff Zhang", "Kmart Holding Corp"]
    assert H.number_of_edges() == 2
    with pytest.raises(NetworkError, match="ASK"):
        network.query_graph(store, "ASK { ?s ?p ?o }")
    with pytest.raises(NetworkError, match=r"\?s \?p \?o"):
        network.query_graph(store, "SELECT ?x WHERE { ?x ?y ?z }")
    with pytest.raises(NetworkError):
        network.query_graph(store, "SELECT nonsense {")


def test_network_stats_rank_components_and_communities(G):
    stats = network.network_stats(G)
    assert stats.rows[0]["label"] == "Alibaba Group Holding"
    top = stats.rows[0]
    assert top["degree"] == 7 and top["betweenness"] > 0
    leaf = [r for r in stats.rows if r["label"] == "Hangzhou"][0]
    assert leaf["degree"] == 1 and leaf["betweenness"] == 0
    # the Alibaba article, the Kmart article, Jeff Zhang's pair, and lone Sears Holdings
    assert [len(c) for c in stats.components] == [10, 4, 2, 1]
    assert ["Sears Holdings"] in stats.components
    members = sorted(x for c in stats.communities for x in c)
    assert members == sorted(r["label"] for r in stats.rows)  # a partition of all nodes
    kmart = [c for c in stats.communities if "Kmart Holding Corp" in c][0]
    assert "Alibaba Group Holding" not in kmart
    assert sum(r["pagerank"] for r in stats.rows) == pytest.approx(1.0, abs=1e-3)
    assert network.network_stats(G).rows == stats.rows  # same graph, same numbers


def test_empty_store_gives_empty_graph_and_stats():
    from kg.store import OxigraphStore

    with OxigraphStore.in_memory() as empty:
        G = network.entity_graph(empty)
    assert G.number_of_nodes() == 0
    assert network.network_stats(G).rows == []
