"""kg.viz without a browser: the HTML is self-contained and carries the graph; pictures are stable."""
from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from kg import network, viz
from viz_graphs import load_store

ID = "https://w3id.org/kg/id/"


@pytest.fixture(scope="module")
def G():
    from kg.store import OxigraphStore

    with OxigraphStore.in_memory() as s:
        load_store(s)
        return network.entity_graph(s)


def page_data(html_text: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html_text, re.S)
    return json.loads(m.group(1))


def test_html_fetches_nothing_from_the_network(G, tmp_path):
    out = viz.write(G, tmp_path / "graph.html")
    text = out.read_text(encoding="utf-8")
    tags = re.findall(r"<(?:script|link|img|iframe|source|embed)\b[^>]*>", text, re.I)
    assert tags, "the page has script tags"
    for tag in tags:
        assert not re.search(r"\b(?:src|href)\s*=", tag, re.I), tag
    assert not re.search(r"@import|url\(\s*['\"]?https?:", text, re.I)
    assert "vis.Network" in text and "DataSet" in text  # the library is inline


def test_html_carries_every_node_and_edge_with_style_and_evidence(G, tmp_path):
    data = page_data(viz.render_html(G))
    assert len(data["nodes"]) == G.number_of_nodes()
    assert len(data["edges"]) == G.number_of_edges()
    alibaba = [n for n in data["nodes"] if n["id"] == ID + "company/alibaba"][0]
    assert alibaba["aliases"] == ["Alibaba", "il gruppo di Hangzhou"]
    assert alibaba["degree"] == 7
    buy = [e for e in data["edges"] if e["predicate"] == "acquires"][0]
    assert buy["text"] == "acquires\n11 bn USD"
    assert buy["kind"] == "ownership" and buy["amounts"] == ["11 bn USD"]
    assert buy["evidence"][0]["title"] == "Kmart to buy Sears for US$11 billion"
    cloud = [e for e in data["edges"] if e["kind"] == "investment"][0]
    assert cloud["text"] == "investsIn\n200 bn CNY"
    works = [e for e in data["edges"] if e["predicate"] == "worksFor" and "presidente" in e["text"]]
    assert works


def test_labels_cannot_break_out_of_the_page():
    G = nx.MultiDiGraph()
    G.add_node("x", label="</script><script>alert(1)</script>", type="Company", aliases=[],
               articles=[])
    text = viz.render_html(G)
    assert "<script>alert(1)" not in text
    assert page_data(text)["nodes"][0]["label"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("value,currency,expected", [
    (200_000_000_000, "CNY", "200 bn CNY"), (1_630_000_000, "EUR", "1.63 bn EUR"),
    (28_280_000_000, "USD", "28.28 bn USD"), (1_000_000, "CNY", "1 M CNY"), (212, "USD", "212 USD"),
])
def test_amounts_are_short_and_keep_the_currency(value, currency, expected):
    assert viz.format_amount(value, currency) == expected


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_static_picture_is_written_and_stable(G, tmp_path, suffix):
    a = viz.write(G, tmp_path / f"a{suffix}", title="test")
    b = viz.write(G, tmp_path / f"b{suffix}", title="test")
    assert a.stat().st_size > 10_000
    assert a.read_bytes() == b.read_bytes()  # seeded layout: same graph, same picture


def test_static_picture_is_the_same_in_another_process(G, tmp_path):
    """Hash randomisation (PYTHONHASHSEED) must not move the layout between runs."""
    import os
    import subprocess
    import sys

    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from viz_graphs import load_store\n"
        "from kg.store import OxigraphStore\n"
        "from kg import network, viz\n"
        "s = OxigraphStore.in_memory(); load_store(s)\n"
        "viz.write(network.entity_graph(s), sys.argv[2], title='test')\n")
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"p{seed}.svg"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent), str(out)],
                       check=True, env=env)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_svg_shows_labels_and_legend(G, tmp_path):
    svg = viz.write(G, tmp_path / "g.svg").read_text(encoding="utf-8")
    # matplotlib keeps text as glyph paths with the string in a comment per text object
    for text in ("Alibaba Group Holding", "Tmall Global", "Company", "Platform", "investment link",
                 "acquires 11 bn USD"):
        assert f"<!-- {text}" in svg or f"<!--{text}" in svg or text in svg, text


def test_layout_places_every_node_apart(G):
    pos = viz._layout(nx.Graph(network.simple_graph(G)), seed=7)
    assert set(pos) == set(G)
    points = sorted(pos.values())
    assert len(set(points)) == len(points)


def test_unknown_suffix_is_refused(G, tmp_path):
    with pytest.raises(ValueError, match=r"\.html, \.png or \.svg"):
        viz.write(G, tmp_path / "graph.pdf")


def test_empty_graph_still_draws(tmp_path):
    G = nx.MultiDiGraph()
    assert viz.write(G, tmp_path / "e.png").exists()
    assert page_data(viz.render_html(G)) == {"nodes": [], "edges": []}


def test_many_unlinked_entities_are_counted_not_drawn(tmp_path):
    G = nx.MultiDiGraph()
    for i in range(40):
        G.add_node(f"lone{i}", label=f"Lonely {i}", type="Place", aliases=[], articles=[])
    G.add_node("a", label="Buyer Co", type="Company", aliases=[], articles=[])
    G.add_node("b", label="Target Co", type="Company", aliases=[], articles=[])
    G.add_edge("a", "b", key="acquires", predicate="acquires", kind="ownership", evidence=[])
    svg = viz.write(G, tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "40 entities without links not drawn" in svg
    assert "Buyer Co" in svg and "Lonely 1 " not in svg and "Lonely 1\n" not in svg
    few = viz.write(nx.MultiDiGraph(G.subgraph(["a", "b", "lone1"])), tmp_path / "f.svg")
    assert "Lonely 1" in few.read_text(encoding="utf-8")  # a few are drawn, with their names
