"""`kg viz`, `kg stats --network` and `kg export --format graphml|gexf|csv` from the command line.

The store is filled through the contracts (viz_graphs.py) and the commands run in-process
with the shared `cli` fixture (KG_STORE points at a temporary store).
"""
from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest

from viz_graphs import load_store


@pytest.fixture
def filled(store):
    load_store(store)
    store.close()  # the CLI opens it itself


def test_viz_writes_offline_html_and_says_what_it_drew(filled, cli, tmp_path):
    out = tmp_path / "graph.html"
    r = cli("viz", "-o", out)
    assert r.exit_code == 0, r.output
    assert "17 entities, 16 links" in r.output
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]*\b(src|href)=", text)
    assert "Alibaba Group Holding" in text


def test_viz_focus_article_and_query(filled, cli, tmp_path):
    r = cli("viz", "--focus", "Kmart", "--depth", "1", "-o", tmp_path / "k.png")
    assert r.exit_code == 0 and "3 entities, 3 links" in r.output
    assert (tmp_path / "k.png").read_bytes()[:4] == b"\x89PNG"
    r = cli("viz", "--article", "en_kmart", "-o", tmp_path / "a.svg")
    assert r.exit_code == 0 and "5 entities, 4 links" in r.output
    q = tmp_path / "ops.rq"
    q.write_text("PREFIX biz: <https://w3id.org/kg/biz#>\n"
                 "CONSTRUCT { ?s biz:operates ?o } WHERE { ?s biz:operates ?o }", encoding="utf-8")
    r = cli("viz", "--query", q, "-o", tmp_path / "q.html")
    assert r.exit_code == 0 and "4 entities, 3 links" in r.output


@pytest.mark.parametrize("args,message", [
    (["--focus", "Nobody Inc"], "no entity named 'Nobody Inc'"),
    (["--article", "missing"], "no article 'missing'"),
    (["-o", "graph.pdf"], ".html, .png or .svg"),
    (["--query", "q.rq", "--article", "x"], "cannot be combined"),
    (["--depth", "2"], "--depth needs --focus"),
    (["--query", "q.rq"], "ASK query has no graph"),
])
def test_viz_errors_are_one_line(filled, cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q.rq").write_text("ASK {}", encoding="utf-8")
    r = cli("viz", *args)
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output


def test_stats_network_table_csv_json(filled, cli):
    r = cli("stats", "--network", "--top", "3")
    assert r.exit_code == 0, r.output
    assert "17 entities, 16 links, 4 connected components" in r.output
    assert "Alibaba Group Holding" in r.output and "Communities (Louvain)" in r.output
    rows = list(csv.DictReader(io.StringIO(cli("stats", "--network", "-f", "csv").output)))
    assert len(rows) == 17 and rows[0]["label"] == "Alibaba Group Holding"
    assert {"degree", "betweenness", "pagerank", "component", "community"} <= set(rows[0])
    data = json.loads(cli("stats", "--network", "-f", "json").output)
    assert data["entities"][0]["degree"] == 7
    assert [len(c) for c in data["components"]] == [10, 4, 2, 1]


def test_export_graph_formats(filled, cli, tmp_path):
    r = cli("export", "--format", "graphml", "-o", tmp_path / "kg.graphml")
    assert r.exit_code == 0, r.output
    G = nx.read_graphml(tmp_path / "kg.graphml", force_multigraph=True)
    assert (G.number_of_nodes(), G.number_of_edges()) == (17, 16)
    r = cli("export", "--format", "gexf")
    assert r.exit_code == 0 and "<gexf" in r.output
    r = cli("export", "--format", "csv", "--article", "en_kmart")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert len(rows) == 4 and all(row["evidence"] for row in rows)
