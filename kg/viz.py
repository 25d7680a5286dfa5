"""Pictures of the entity graph: one offline HTML page, or a static PNG/SVG.

`write(G, path)` picks the format from the suffix. The HTML page inlines vis-network
(`kg/static/vis-network.min.js`, vis-network 9.1.2 standalone build, Apache-2.0 or MIT, as
shipped in pyvis 0.3.2; one error message lower-cased, "target object already has a property
flush", so that no capitalised name-like word sits in the package's data) and the
graph as JSON, so it opens from disk with no network at all. It draws nodes coloured and shaped
by type and sized by degree, edges labelled by predicate and styled by kind, investments with
their amount, tooltips with aliases and the evidence sentence, a legend whose entries filter by
type and predicate, and a search box; physics lays the graph out, then stops. The page keeps
its state in `#kg-status` (data-state, data-nodes, data-edges, data-search-hits) so a headless
browser can check what is drawn.

The static picture uses the same colours with matplotlib (no pyplot state, Agg canvas), a
seeded spring layout so two runs give the same picture, and a legend.
"""
from __future__ import annotations

import html
import json
import math
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export import write_atomic
from kg.network import EDGE_KINDS, NODE_TYPES, PREDICATE_KIND, local_name, simple_graph

# One palette for every view (Tableau 10 for nodes; darker, distinct hues for edges).
TYPE_STYLE: dict[str, dict[str, str]] = {
    "Company": {"color": "#4e79a7", "shape": "dot", "marker": "o"},
    "Platform": {"color": "#f28e2b", "shape": "square", "marker": "s"},
    "Person": {"color": "#e15759", "shape": "triangle", "marker": "^"},
    "Place": {"color": "#59a14f", "shape": "diamond", "marker": "D"},
    "Market": {"color": "#edc948", "shape": "hexagon", "marker": "h"},
    "Organization": {"color": "#b07aa1", "shape": "star", "marker": "*"},
    "Other": {"color": "#9d9d9d", "shape": "triangleDown", "marker": "v"},
}
KIND_STYLE: dict[str, dict[str, Any]] = {
    "ownership": {"color": "#1f3b73", "dashes": False, "width": 2.5, "mpl": "solid"},
    "trade": {"color": "#c25b00", "dashes": [8, 5], "width": 1.8, "mpl": "dashed"},
    "investment": {"color": "#1b7f3b", "dashes": False, "width": 3.5, "mpl": "solid"},
    "people": {"color": "#b0202a", "dashes": [2, 5], "width": 1.8, "mpl": "dotted"},
    "place": {"color": "#6b6b6b", "dashes": [10, 4, 2, 4], "width": 1.2, "mpl": "dashdot"},
    "other": {"color": "#8a8a8a", "dashes": False, "width": 1.0, "mpl": "solid"},
}

# Above this the page shows a message (and a "draw anyway" button) instead of freezing.
MAX_DRAWN_NODES = 1500
MAX_DRAWN_EDGES = 4000


def format_amount(value: float | int, currency: str) -> str:
    """A short readable amount: 200000000000 CNY -> '200 bn CNY'."""
    for scale, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "M")):
        if abs(value) >= scale:
            return f"{value / scale:.4g} {suffix} {currency}".strip()
    return f"{value:,.0f} {currency}".strip()


def summary(G: nx.MultiDiGraph) -> str:
    """'26 entities, 14 links from 1 article': the subtitle of every view."""
    articles = {a for _, d in G.nodes(data=True) for a in d.get("articles", [])}
    articles |= {a for *_, d in G.edges(data=True) for a in d.get("articles", [])}
    text = f"{G.number_of_nodes()} entities, {G.number_of_edges()} links"
    if articles:
        text += f" from {len(articles)} article" + ("s" if len(articles) != 1 else "")
    return text


def edge_label(data: dict[str, Any]) -> str:
    """Predicate, then the amounts of an investment or the role of a person, on a second line."""
    extra = [format_amount(v, c) for v, c in data.get("amounts", [])]
    if data.get("stake_percent") is not None:
        extra.append(f"{data['stake_percent']:g}%")
    extra += [str(r) for r in data.get("roles", [])]
    label = data.get("predicate", "")
    return label + ("\n" + ", ".join(extra) if extra else "")


# ---------------------------------------------------------------------------------------
# HTML


def vis_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes and edges as the page's JSON: display fields plus what the tooltips show."""
    degree = dict(G.degree())
    nodes, edges = [], []
    for node, data in sorted(G.nodes(data=True), key=lambda nd: nd[0]):
        kind = data.get("type", "Other")
        kind = kind if kind in TYPE_STYLE else "Other"
        nodes.append({
            "id": node,
            "label": data.get("label", local_name(node)),
            "type": kind,
            "aliases": list(data.get("aliases", [])),
            "roles": list(data.get("roles", [])),
            "articles": len(data.get("articles", [])),
            "degree": degree.get(node, 0),
            "iri": data.get("iri", node),
        })
    for i, (u, v, key, data) in enumerate(sorted(G.edges(keys=True, data=True),
                                                 key=lambda e: (e[0], e[2], e[1]))):
        kind = data.get("kind") or PREDICATE_KIND.get(key, "other")
        edges.append({
            "id": f"e{i}",
            "from": u,
            "to": v,
            "predicate": data.get("predicate", key),
            "kind": kind if kind in KIND_STYLE else "other",
            "text": edge_label(data),
            "symmetric": bool(data.get("symmetric")),
            "amounts": [format_amount(a, c) for a, c in data.get("amounts", [])],
            "equivalents": [format_amount(a, c) for a, c in data.get("equivalents", [])],
            "status": data.get("status"),
            "investmentKind": data.get("investment_kind"),
            "evidence": [
                {"sentence": e.get("sentence", ""), "title": e.get("title", ""),
                 "start": e.get("start"), "end": e.get("end"), "confidence": e.get("confidence")}
                for e in data.get("evidence", [])
            ],
        })
    return {"nodes": nodes, "edges": edges}


def _vis_asset(name: str) -> str:
    return files("kg").joinpath("static", name).read_text(encoding="utf-8")


def _json_for_script(obj: Any) -> str:
    """JSON safe inside a <script> element (no '</script>', no HTML parsing surprises)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_html(G: nx.MultiDiGraph, title: str = "kg graph") -> str:
    """One self-contained HTML page drawing G (no network access needed or made)."""
    config = {
        "types": {t: TYPE_STYLE[t] for t in NODE_TYPES},
        "typeOrder": list(NODE_TYPES),
        "articles": len({a for _, d in G.nodes(data=True) for a in d.get("articles", [])}
                        | {a for *_, d in G.edges(data=True) for a in d.get("articles", [])}),
        "kinds": {k: {kk: vv for kk, vv in KIND_STYLE[k].items() if kk != "mpl"}
                  for k in EDGE_KINDS},
        "predicateKind": PREDICATE_KIND,
        "maxNodes": MAX_DRAWN_NODES,
        "maxEdges": MAX_DRAWN_EDGES,
        "title": title,
    }
    script = _vis_asset("vis-network.min.js").replace("</script", "<\\/script")
    return fill(_PAGE, {
        "TITLE": html.escape(title),
        "DATA": _json_for_script(vis_data(G)),
        "CONFIG": _json_for_script(config),
        "PAGE_JS": _PAGE_JS,
        "VIS_JS": script,
    })


_PLACEHOLDER = re.compile(r"%%([A-Z_]+)%%")


def fill(template: str, values: dict[str, str]) -> str:
    """The template with every %%NAME%% replaced in ONE pass: text put in is never read
    again, so a title or label that spells a placeholder stays text (chained str.replace
    would pull the script into the data block)."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%%TITLE%%</title>
<style>
  html, body { margin: 0; height: 100%; font: 14px/1.35 system-ui, -apple-system, "Segoe UI",
    "DejaVu Sans", sans-serif; color: #222; background: #fafafa; }
  #kg-app { display: flex; height: 100vh; }
  #kg-side { width: 290px; min-width: 290px; overflow-y: auto; padding: 12px 14px;
    box-sizing: border-box; background: #fff; border-right: 1px solid #ddd; }
  #kg-side h1 { font-size: 17px; margin: 0 0 2px; }
  #kg-side h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #666;
    margin: 14px 0 6px; }
  #kg-summary { color: #555; font-size: 13px; }
  #kg-search { width: 100%; box-sizing: border-box; padding: 6px 8px; font-size: 14px;
    border: 1px solid #bbb; border-radius: 4px; }
  #kg-search-result { font-size: 12px; color: #555; min-height: 1.3em; margin-top: 3px; }
  .kg-legend-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; cursor: pointer;
    font-size: 13px; }
  .kg-legend-row input { margin: 0; }
  .kg-legend-row .kg-count { margin-left: auto; color: #888; font-size: 12px; }
  .kg-legend-row svg { flex: none; }
  #kg-graph-wrap { position: relative; flex: 1; }
  #kg-graph { position: absolute; inset: 0; }
  #kg-overlay { position: absolute; inset: 0; display: none; align-items: center;
    justify-content: center; background: rgba(250,250,250,.92); z-index: 5; }
  #kg-overlay .kg-box { max-width: 520px; padding: 18px 22px; background: #fff;
    border: 1px solid #ccc; border-radius: 6px; box-shadow: 0 2px 10px rgba(0,0,0,.08); }
  #kg-overlay code { background: #f2f2f2; padding: 1px 4px; border-radius: 3px; }
  #kg-progress { position: absolute; left: 12px; bottom: 10px; font-size: 12px; color: #666;
    z-index: 4; }
  .kg-tip { max-width: 420px; white-space: normal; font-size: 13px; }
  .kg-tip b { font-size: 14px; }
  .kg-tip .kg-muted { color: #666; }
  .kg-tip blockquote { margin: 6px 0 2px; padding-left: 8px; border-left: 3px solid #ccc;
    font-style: italic; }
  .kg-tip .kg-src { color: #555; font-size: 12px; }
  /* vis-network's tooltip rule (from its stylesheet, which is otherwise not needed) */
  div.vis-tooltip { position: absolute; visibility: hidden; padding: 6px 8px; white-space: normal;
    max-width: 440px; color: #000; background: #fffdf5; border: 1px solid #999;
    border-radius: 4px; box-shadow: 3px 3px 10px rgba(0,0,0,.2); pointer-events: none; z-index: 5; }
  #kg-controls label { font-size: 13px; display: block; margin: 2px 0; }
</style>
</head>
<body>
<div id="kg-app">
  <aside id="kg-side">
    <h1>%%TITLE%%</h1>
    <div id="kg-summary"></div>
    <h2>Search</h2>
    <input id="kg-search" type="search" placeholder="Find an entity or alias…"
           autocomplete="off" aria-label="Search entities">
    <div id="kg-search-result" aria-live="polite"></div>
    <section id="kg-legend" aria-label="Legend">
      <h2>Entities</h2>
      <div id="kg-legend-types"></div>
      <h2>Relations</h2>
      <div id="kg-legend-predicates"></div>
    </section>
    <h2>View</h2>
    <div id="kg-controls">
      <label><input type="checkbox" id="kg-edge-labels" checked> edge labels</label>
      <label><input type="checkbox" id="kg-lone" checked> entities without links</label>
      <label><input type="checkbox" id="kg-physics"> keep physics running</label>
      <button type="button" id="kg-fit">Fit to screen</button>
    </div>
    <p class="kg-muted" style="font-size:12px;color:#777">Hover a node or a link for its
      names and evidence; click a legend entry to hide or show it.</p>
  </aside>
  <main id="kg-graph-wrap">
    <div id="kg-graph"></div>
    <div id="kg-overlay"><div class="kg-box" id="kg-overlay-box"></div></div>
    <div id="kg-progress"></div>
  </main>
</div>
<div id="kg-status" hidden data-state="loading" data-nodes="0" data-edges="0"
     data-total-nodes="0" data-total-edges="0" data-search-hits="" data-search-first=""></div>
<script type="application/json" id="kg-data">%%DATA%%</script>
<script type="application/json" id="kg-config">%%CONFIG%%</script>
<script>%%VIS_JS%%</script>
<script>%%PAGE_JS%%</script>
</body>
</html>
"""

_PAGE_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var CFG = JSON.parse(document.getElementById("kg-config").textContent);
  var status = document.getElementById("kg-status");
  var overlay = document.getElementById("kg-overlay");
  var overlayBox = document.getElementById("kg-overlay-box");
  var progress = document.getElementById("kg-progress");
  var shownTypes = {}, shownPredicates = {};
  var network = null, nodes = null, edges = null, nodeView = null, edgeView = null;
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; shownTypes[n.type] = true; });
  DATA.edges.forEach(function (e) { shownPredicates[e.predicate] = true; });

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // ---- tooltips: DOM elements filled with textContent, never innerHTML
  function evidenceBlock(tip, evidence) {
    evidence.slice(0, 3).forEach(function (ev) {
      tip.appendChild(el("blockquote", {}, "\u201c" + ev.sentence + "\u201d"));
      var src = "\u2014 " + (ev.title || "article");
      if (ev.start !== null && ev.start !== undefined) { src += ", chars " + ev.start + "\u2013" + ev.end; }
      if (ev.confidence !== null && ev.confidence !== undefined) {
        src += ", confidence " + Number(ev.confidence).toFixed(2);
      }
      tip.appendChild(el("div", {"class": "kg-src"}, src));
    });
    if (evidence.length > 3) {
      tip.appendChild(el("div", {"class": "kg-muted"}, "+ " + (evidence.length - 3) + " more"));
    }
  }
  function nodeTip(n) {
    var tip = el("div", {"class": "kg-tip"});
    tip.appendChild(el("b", {}, n.label));
    tip.appendChild(el("div", {"class": "kg-muted"}, n.type + " \u00b7 " +
      plural(n.degree, "link", "links") + " \u00b7 " + plural(n.articles, "article", "articles")));
    if (n.aliases.length) { tip.appendChild(el("div", {}, "Also: " + n.aliases.join("; "))); }
    if (n.roles.length) { tip.appendChild(el("div", {}, "Roles: " + n.roles.join("; "))); }
    return tip;
  }
  function edgeTip(e) {
    var tip = el("div", {"class": "kg-tip"});
    var a = byId[e.from], b = byId[e.to];
    tip.appendChild(el("b", {}, a.label + " \u2014 " + e.predicate + (e.symmetric ? " \u2014 " : " \u2192 ") + b.label));
    var facts = [];
    if (e.amounts.length) { facts.push("Amount: " + e.amounts.join(", ")); }
    if (e.equivalents.length) { facts.push("(\u2248 " + e.equivalents.join(", ") + ")"); }
    if (e.investmentKind) { facts.push("kind: " + e.investmentKind); }
    if (e.status) { facts.push("status: " + e.status); }
    if (facts.length) { tip.appendChild(el("div", {}, facts.join(" \u00b7 "))); }
    if (e.evidence.length) { evidenceBlock(tip, e.evidence); }
    else { tip.appendChild(el("div", {"class": "kg-muted"}, "no evidence recorded")); }
    return tip;
  }

  // ---- vis datasets
  function visNode(n) {
    var st = CFG.types[n.type] || CFG.types.Other;
    return {id: n.id, label: n.label, title: nodeTip(n), value: n.degree + 1, shape: st.shape,
            color: {background: st.color, border: "#333", highlight: {background: st.color, border: "#000"},
                    hover: {background: st.color, border: "#000"}},
            kgType: n.type, kgDegree: n.degree};
  }
  function visEdge(e) {
    var st = CFG.kinds[e.kind] || CFG.kinds.other;
    return {id: e.id, from: e.from, to: e.to, label: e.text, kgLabel: e.text, title: edgeTip(e),
            arrows: e.symmetric ? "" : "to", dashes: st.dashes, width: st.width,
            color: {color: st.color, highlight: st.color, hover: st.color, opacity: 0.85},
            kgPredicate: e.predicate};
  }

  // ---- legend that doubles as filters
  function swatchNode(type) {
    var st = CFG.types[type] || CFG.types.Other, ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    var shape;
    var pts = {
      square: "2,2 14,2 14,14 2,14", triangle: "8,1 15,14 1,14", triangleDown: "1,2 15,2 8,15",
      diamond: "8,1 15,8 8,15 1,8", hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8",
      star: "8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.8 3.2,15 5,9.5 0.5,6 6,6"};
    if (pts[st.shape]) { shape = document.createElementNS(ns, "polygon"); shape.setAttribute("points", pts[st.shape]); }
    else { shape = document.createElementNS(ns, "circle"); shape.setAttribute("cx", "8");
           shape.setAttribute("cy", "8"); shape.setAttribute("r", "6.5"); }
    shape.setAttribute("fill", st.color); shape.setAttribute("stroke", "#333");
    svg.appendChild(shape);
    return svg;
  }
  function swatchEdge(kind) {
    var st = CFG.kinds[kind] || CFG.kinds.other, ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "12");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "6"); line.setAttribute("x2", "29");
    line.setAttribute("y2", "6"); line.setAttribute("stroke", st.color);
    line.setAttribute("stroke-width", String(Math.min(st.width, 3.5)));
    if (st.dashes) { line.setAttribute("stroke-dasharray", st.dashes.join(" ")); }
    svg.appendChild(line);
    return svg;
  }
  function legendRow(box, key, swatch, text, count, table, attr) {
    var label = el("label", {"class": "kg-legend-row"});
    var cb = el("input", {type: "checkbox"}); cb.checked = true;
    cb.setAttribute(attr, key);
    cb.addEventListener("change", function () { table[key] = cb.checked; applyFilters(); });
    label.appendChild(cb); label.appendChild(swatch);
    label.appendChild(el("span", {}, text));
    label.appendChild(el("span", {"class": "kg-count"}, String(count)));
    box.appendChild(label);
  }
  function buildLegend() {
    var typeCount = {}, predCount = {}, predKind = {};
    DATA.nodes.forEach(function (n) { typeCount[n.type] = (typeCount[n.type] || 0) + 1; });
    DATA.edges.forEach(function (e) { predCount[e.predicate] = (predCount[e.predicate] || 0) + 1;
                                      predKind[e.predicate] = e.kind; });
    var tbox = document.getElementById("kg-legend-types");
    CFG.typeOrder.forEach(function (t) {
      if (typeCount[t]) { legendRow(tbox, t, swatchNode(t), t, typeCount[t], shownTypes, "data-type"); }
    });
    var pbox = document.getElementById("kg-legend-predicates");
    var kinds = Object.keys(CFG.kinds);
    Object.keys(predCount).sort(function (a, b) {
      var d = kinds.indexOf(predKind[a]) - kinds.indexOf(predKind[b]);
      return d !== 0 ? d : (a < b ? -1 : 1);
    }).forEach(function (p) {
      legendRow(pbox, p, swatchEdge(predKind[p]), p + " (" + predKind[p] + ")", predCount[p],
                shownPredicates, "data-predicate");
    });
    if (!DATA.nodes.length) { tbox.appendChild(el("div", {"class": "kg-muted"}, "none")); }
    if (!DATA.edges.length) { pbox.appendChild(el("div", {"class": "kg-muted"}, "none")); }
  }

  // ---- status for users and for headless checks
  function drawnCounts() {
    if (!network) { return {nodes: 0, edges: 0}; }
    return {nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length};
  }
  function updateStatus(state) {
    var c = drawnCounts();
    if (state) { status.setAttribute("data-state", state); }
    status.setAttribute("data-nodes", String(c.nodes));
    status.setAttribute("data-edges", String(c.edges));
    document.getElementById("kg-summary").textContent =
      plural(DATA.nodes.length, "entity", "entities") + ", " + plural(DATA.edges.length, "link", "links") +
      (CFG.articles ? " from " + plural(CFG.articles, "article", "articles") : "") +
      (c.nodes !== DATA.nodes.length || c.edges !== DATA.edges.length ?
        " (showing " + c.nodes + " and " + c.edges + ")" : "");
  }

  function applyFilters() {
    if (!network) { return; }
    nodeView.refresh(); edgeView.refresh();
    updateStatus();
  }

  // ---- search
  function search(query) {
    var q = (query || "").trim().toLowerCase(), hits = [];
    var out = document.getElementById("kg-search-result");
    if (!q) { out.textContent = ""; status.setAttribute("data-search-hits", "");
              status.setAttribute("data-search-first", "");
              if (network) { network.unselectAll(); network.fit({animation: false}); } return; }
    DATA.nodes.forEach(function (n) {
      var names = [n.label].concat(n.aliases);
      var exact = names.some(function (s) { return s.toLowerCase() === q; });
      var part = names.some(function (s) { return s.toLowerCase().indexOf(q) >= 0; });
      if (exact || part) { hits.push({n: n, exact: exact}); }
    });
    hits.sort(function (a, b) { return (b.exact - a.exact) || (b.n.degree - a.n.degree); });
    var ids = hits.map(function (h) { return h.n.id; }).filter(function (id) {
      return network && network.body.nodes[id] !== undefined && network.body.nodeIndices.indexOf(id) >= 0; });
    status.setAttribute("data-search-hits", String(hits.length));
    status.setAttribute("data-search-first", hits.length ? hits[0].n.label : "");
    if (!hits.length) { out.textContent = "no entity matches \u201c" + query.trim() + "\u201d"; }
    else {
      out.textContent = plural(hits.length, "match", "matches") + ": " +
        hits.slice(0, 5).map(function (h) { return h.n.label; }).join(", ") + (hits.length > 5 ? ", \u2026" : "");
    }
    if (network) {
      network.selectNodes(ids);
      if (ids.length) { network.focus(ids[0], {scale: Math.max(network.getScale(), 1.0), animation: false}); }
    }
  }
  var searchBox = document.getElementById("kg-search");
  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(searchBox.value); } });

  // ---- drawing
  function draw() {
    overlay.style.display = "none";
    nodes = new vis.DataSet(DATA.nodes.map(visNode));
    edges = new vis.DataSet(DATA.edges.map(visEdge));
    nodeView = new vis.DataView(nodes, {filter: function (n) {
      return shownTypes[n.kgType] !== false && (n.kgDegree > 0 || document.getElementById("kg-lone").checked); }});
    edgeView = new vis.DataView(edges, {filter: function (e) { return shownPredicates[e.kgPredicate] !== false; }});
    var big = DATA.nodes.length > 150;
    var options = {
      autoResize: true,
      // Big graphs: hubs get large label fonts, capped on screen (maxVisible), so zoomed out
      // only the hubs are named and the others appear as one zooms in, instead of a pile.
      nodes: {scaling: {min: 10, max: 42, label: big
                ? {enabled: true, min: 10, max: 70, maxVisible: 22, drawThreshold: 7}
                : {enabled: true, min: 12, max: 20, drawThreshold: 5}},
              font: {size: 14, face: "system-ui, DejaVu Sans, sans-serif", strokeWidth: 4, strokeColor: "#ffffff"},
              borderWidth: 1.5},
      edges: {font: {size: 11, align: "horizontal", strokeWidth: 4, strokeColor: "#ffffff", color: "#333"},
              smooth: {enabled: true, type: "dynamic"}, selectionWidth: 2, hoverWidth: 1.5,
              arrowStrikethrough: false},
      interaction: {hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, navigationButtons: false,
                    multiselect: true},
      physics: {enabled: true, solver: "forceAtlas2Based",
                forceAtlas2Based: {gravitationalConstant: -60, springLength: 130, springConstant: 0.06,
                                   avoidOverlap: 0.4},
                stabilization: {enabled: true, iterations: big ? 400 : 1000, updateInterval: 25, fit: true},
                minVelocity: 0.75},
      layout: {randomSeed: 7, improvedLayout: DATA.nodes.length <= 100}
    };
    if (big) { document.getElementById("kg-edge-labels").checked = false; toggleEdgeLabels(); }
    network = new vis.Network(document.getElementById("kg-graph"), {nodes: nodeView, edges: edgeView}, options);
    window.kgNetwork = network;
    network.on("stabilizationProgress", function (p) {
      progress.textContent = "Laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      if (!document.getElementById("kg-physics").checked) { network.setOptions({physics: {enabled: false}}); }
      network.fit({animation: false});
      progress.textContent = "";
      updateStatus("ready");
      if (pendingSearch) { searchBox.value = pendingSearch; search(pendingSearch); }
    });
    network.on("doubleClick", function (p) { if (p.nodes.length) { network.focus(p.nodes[0], {scale: 1.4}); } });
    updateStatus("drawing");
    if (!DATA.nodes.length) { showMessage("The graph is empty.",
      "Nothing to draw: build some articles first (kg build DIR), or widen the query or focus."); updateStatus("ready"); }
  }
  function toggleEdgeLabels() {
    if (!edges) { return; }
    var on = document.getElementById("kg-edge-labels").checked;
    edges.update(edges.get().map(function (e) { return {id: e.id, label: on ? e.kgLabel : " "}; }));
  }
  document.getElementById("kg-edge-labels").addEventListener("change", toggleEdgeLabels);
  document.getElementById("kg-lone").addEventListener("change", applyFilters);
  document.getElementById("kg-physics").addEventListener("change", function (ev) {
    if (network) { network.setOptions({physics: {enabled: ev.target.checked}}); }
  });
  document.getElementById("kg-fit").addEventListener("click", function () { if (network) { network.fit(); } });

  function showMessage(title, text, button) {
    overlayBox.textContent = "";
    overlayBox.appendChild(el("h2", {}, title));
    text.split("\n").forEach(function (line) { overlayBox.appendChild(el("p", {}, line)); });
    if (button) { overlayBox.appendChild(button); }
    overlay.style.display = "flex";
  }

  var pendingSearch = (location.hash.match(/search=([^&]*)/) || [])[1] || "";
  try { pendingSearch = decodeURIComponent(pendingSearch); }
  catch (e) { /* a bad escape ("#search=%"): search for the text as written */ }
  status.setAttribute("data-total-nodes", String(DATA.nodes.length));
  status.setAttribute("data-total-edges", String(DATA.edges.length));
  buildLegend();
  if (typeof vis === "undefined") {
    showMessage("Cannot draw", "The drawing library did not load.");
    updateStatus("error");
  } else if (DATA.nodes.length > CFG.maxNodes || DATA.edges.length > CFG.maxEdges) {
    var btn = el("button", {type: "button", id: "kg-draw-anyway"}, "Draw anyway (may be slow)");
    btn.addEventListener("click", draw);
    showMessage("This graph is too large to draw here",
      DATA.nodes.length + " entities and " + DATA.edges.length + " links would freeze the page.\n" +
      "Draw a neighbourhood instead, e.g.  kg viz --focus \"NAME\" --depth 2 -o graph.html\n" +
      "or one article (--article ID), or a query (--query FILE.rq). Search still works on the list.",
      btn);
    updateStatus("too-large");
  } else {
    draw();
  }
})();
"""


# ---------------------------------------------------------------------------------------
# Static pictures


def _component_layout(C: nx.Graph, seed: int) -> dict[str, Any]:
    """Positions of one connected component, centred on 0 with radius about sqrt(size)."""
    n = C.number_of_nodes()
    if n == 1:
        return {next(iter(C)): (0.0, 0.0)}
    if n == 2:  # one above the other: the link label fits between, whatever its length
        a, b = sorted(C)
        return {a: (0.0, 0.7), b: (0.0, -0.7)}
    if n <= 80:
        start = nx.spring_layout(C, seed=seed, iterations=100)
        pos = nx.kamada_kawai_layout(C, pos=start)
    else:
        pos = nx.spring_layout(C, seed=seed, k=1.6 / math.sqrt(n), iterations=300)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 1.25 * math.sqrt(n) / span
    return {v: ((x - cx) * scale, (y - cy) * scale) for v, (x, y) in pos.items()}


def _ordered_subgraph(H: nx.Graph, nodes: list) -> nx.Graph:
    """The subgraph on `nodes` with nodes and edges in sorted order.

    `H.subgraph()` iterates its node set in hash order, which changes between processes
    (PYTHONHASHSEED) and with it the seeded layout; building it sorted keeps pictures stable.
    """
    C = nx.Graph()
    C.add_nodes_from(sorted(nodes))
    C.add_edges_from(sorted(tuple(sorted(e)) for e in H.edges(nodes)))
    return C


def _skyline(sizes: list[tuple[float, float]], width: float) -> list[tuple[float, float]]:
    """(x, depth) of each (w, h) box, placed in order as high, then as far left, as it fits."""
    placed: list[tuple[float, float, float, float]] = []
    for w, h in sizes:
        best = None
        for x in sorted({0.0} | {r[0] + r[2] for r in placed}):
            if x > 0 and x + w > width + 1e-9:
                continue
            depth = max((r[1] + r[3] for r in placed
                         if r[0] < x + w - 1e-9 and x < r[0] + r[2] - 1e-9), default=0.0)
            if best is None or (depth, x) < (best[1], best[0]):
                best = (x, depth)
        placed.append((best[0], best[1], w, h))
    return [(x, d) for x, d, _, _ in placed]


def _layout(H: nx.Graph, seed: int, labels: dict[str, str] | None = None) -> dict[str, tuple[float, float]]:
    """Seeded layout, one component at a time, packed side by side (largest first).

    Laying out components separately keeps each one readable (a global spring layout flings
    small components to the corners and squeezes the big one); the seed and the sorted
    node order make two runs give the same picture.
    """
    if H.number_of_nodes() == 0:
        return {}
    comps = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0]))
    boxes = []
    for comp in (c for c in comps if len(c) > 1):
        pos = _component_layout(_ordered_subgraph(H, comp), seed)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        boxes.append((pos, max(xs) - min(xs) + 1.6, max(ys) - min(ys) + 1.6, min(xs), max(ys), 0.8, 0.8))
    lone = [c[0] for c in comps if len(c) == 1]
    if lone:  # entities without links: one compact grid, packed like a component
        cols = max(1, math.ceil(math.sqrt(len(lone) * 1.5)))
        rows = math.ceil(len(lone) / cols)
        # column width from its longest label (about 0.085 layout units per character)
        col_w = [max([0.9] + [0.085 * len((labels or {}).get(v, "")) + 0.35
                              for v in lone[c::cols]]) for c in range(cols)]
        col_x = [sum(col_w[:c]) + col_w[c] / 2 for c in range(cols)]
        grid = {v: (col_x[i % cols], -(i // cols) * 0.7) for i, v in enumerate(lone)}
        boxes.append((grid, sum(col_w) + 0.2, (rows - 1) * 0.7 + 0.9, 0.0, 0.0, 0.1, 0.45))
    # Skyline packing: each box (largest first) goes as high as it can, then as far left,
    # within a width limit; of a few limits, keep the most compact, roughly landscape result.
    widest = max(b[1] for b in boxes)
    side = math.sqrt(sum(b[1] * b[2] for b in boxes))
    best_cost, out = None, {}
    for factor in (1.2, 1.4, 1.6, 1.8, 2.0, 2.4):
        spots = _skyline([(b[1], b[2]) for b in boxes], max(widest, side * factor))
        W = max(x + b[1] for (x, _), b in zip(spots, boxes))
        D = max(d + b[2] for (_, d), b in zip(spots, boxes))
        cost = W * D * max(1.0, (W / D) / 1.6, (D / W) / 0.8)
        if best_cost is None or cost < best_cost - 1e-9:
            best_cost, out = cost, {}
            for (x, depth), (pos, w, h, minx, maxy, padx, pady) in zip(spots, boxes):
                for v, (px, py) in pos.items():
                    out[v] = (x + (px - minx) + padx, -depth - (maxy - py) - pady)
    return out


LABEL_PT = 11  # node label size in the static pictures
MARGIN_X, MARGIN_Y = 1.1, 0.8  # layout units around the nodes: room for their labels


def _text_box(x: float, y: float, text: str, size: float, unit: float) -> tuple:
    """Estimated box (x0, y0, x1, y1), in layout units, of centred text at (x, y)."""
    lines = text.split("\n")
    w = (0.6 * size * max(len(t) for t in lines) + 4) / unit
    h = (1.4 * size * len(lines) + 2) / unit
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _place_labels(G: nx.MultiDiGraph, pos: dict, nodes: list, radius_pts: dict,
                  inch: float, obstacles: list | None = None,
                  bounds: tuple | None = None) -> dict[str, tuple[float, float, str, str]]:
    """Where each node label goes: below its node, else above, right or left, whichever
    first overlaps no label placed before it, no edge label (`obstacles`) and no other
    node (greedy, hubs first).

    Returns offsets in points with the text alignment for `annotate`. Sizes are estimated
    from the character count, which is close enough for DejaVu Sans.
    """
    unit = 72.0 * inch  # points per layout unit
    placed: list[tuple[float, float, float, float]] = list(obstacles or [])
    discs = [(pos[v][0], pos[v][1], radius_pts[v] / unit) for v in G]
    out = {}
    for v in nodes:
        x, y = pos[v]
        text = str(G.nodes[v].get("label", local_name(v)))
        w = (0.62 * LABEL_PT * len(text) + 6) / unit
        h = (1.45 * LABEL_PT + 4) / unit
        gap = (radius_pts[v] + 3) / unit
        options = [  # (box x0, y0, x1, y1) in layout units, then offsets in points + alignment
            ((x - w / 2, y - gap - h, x + w / 2, y - gap), (0, -radius_pts[v] - 3, "center", "top")),
            ((x - w / 2, y + gap, x + w / 2, y + gap + h), (0, radius_pts[v] + 3, "center", "bottom")),
            ((x + gap, y - h / 2, x + gap + w, y + h / 2), (radius_pts[v] + 3, 0, "left", "center")),
            ((x - gap - w, y - h / 2, x - gap, y + h / 2), (-radius_pts[v] - 3, 0, "right", "center")),
        ]

        def clashes(box):
            x0, y0, x1, y1 = box
            if bounds and (x0 < bounds[0] or x1 > bounds[2] or y0 < bounds[1] or y1 > bounds[3]):
                return True
            if any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in placed):
                return True
            return any(x0 < cx + r and cx - r < x1 and y0 < cy + r and cy - r < y1
                       for cx, cy, r in discs if (cx, cy) != (x, y))

        box, where = next(((b, o) for b, o in options if not clashes(b)), options[0])
        placed.append(box)
        out[v] = where
    return out


def render_static(G: nx.MultiDiGraph, path: str | Path, title: str = "kg graph",
                  seed: int = 7, max_labels: int = 60, max_edge_labels: int = 300,
                  max_unlinked: int = 30) -> Path:
    """Write G as a PNG or SVG picture (chosen by suffix) with a legend; returns the path.

    Labels must stay readable, so: the `max_labels` best-connected entities are named (and
    every unlinked entity drawn); a link label that would cover another one is left out
    (investments and ownership first; the legend still tells the kinds apart), and none
    when there are more than `max_edge_labels` links; more than `max_unlinked` entities
    without any link are not drawn but counted in the subtitle (the HTML view has them all).
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"static pictures are .png or .svg, not {path.suffix!r}")

    subtitle = summary(G)
    lone = sorted(v for v in G if all(u == v for u in nx.all_neighbors(G, v)))
    if len(lone) > max_unlinked:
        subtitle += f"; {len(lone)} entities without links not drawn"
        keep = set(G) - set(lone)
        D = nx.MultiDiGraph()
        D.add_nodes_from((v, G.nodes[v]) for v in sorted(keep))
        D.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True))
        G, lone = D, []
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes()))
    H.add_edges_from(sorted(simple_graph(G).edges()))
    pos = _layout(H, seed, {v: str(G.nodes[v].get("label", local_name(v))) for v in G})
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span_x, span_y = max(xs) - min(xs) + 2 * MARGIN_X, max(ys) - min(ys) + 2 * MARGIN_Y
    inch = min(1.15, 40.0 / span_x, 40.0 / span_y)  # inches per layout unit, capped size
    width = max(6.0, span_x * inch)
    height = max(4.5, span_y * inch)
    legend_w, header_h = 2.9, 0.9
    matplotlib.rcParams["svg.hashsalt"] = "kg"
    fig = Figure(figsize=(width + legend_w, height + header_h), dpi=110)
    FigureCanvasAgg(fig)
    W, Ht = width + legend_w, height + header_h
    ax = fig.add_axes((0.0, 0.0, width / W, height / Ht))
    ax.set_axis_off()
    fig.text(0.15 / W, 1 - 0.12 / Ht, title, ha="left", va="top", fontsize=15, fontweight="bold")
    fig.text(0.15 / W, 1 - 0.5 / Ht, subtitle,
             ha="left", va="top", fontsize=11, color="#555")

    degree = dict(G.degree())
    small = G.number_of_nodes() > 150
    size_of = {v: (60 if small else 220) + (60 if small else 140) * math.sqrt(degree.get(v, 0))
               for v in G}
    label_edges = G.number_of_edges() <= max_edge_labels
    node_radius_pts = {v: math.sqrt(s) / 2 for v, s in size_of.items()}

    # Edges: one curved arrow per fact; parallel facts between a pair fan out.
    pair_edges: dict[tuple[str, str], list] = {}
    for u, v, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        pair_edges.setdefault(tuple(sorted((u, v))), []).append((u, v, key, data))
    kinds_used, types_used = set(), set()
    edge_texts: list[tuple] = []  # (priority, x, y, text)
    priority = {k: i for i, k in enumerate(("investment", "ownership", "trade", "people", "place"))}
    for (a, b), group in pair_edges.items():
        labels = []
        for i, (u, v, key, data) in enumerate(group):
            if u == v:
                continue
            kind = data.get("kind", "other")
            kinds_used.add(kind)
            st = KIND_STYLE.get(kind, KIND_STYLE["other"])
            rad = 0.0 if len(group) == 1 else 0.18 * (i - (len(group) - 1) / 2)
            if u != a:
                rad = -rad
            arrow = FancyArrowPatch(
                pos[u], pos[v], arrowstyle="-" if data.get("symmetric") else "-|>",
                mutation_scale=14, connectionstyle=f"arc3,rad={rad}", color=st["color"],
                linewidth=st["width"] * 0.8, linestyle=st["mpl"], alpha=0.85,
                shrinkA=node_radius_pts[u] + 1, shrinkB=node_radius_pts[v] + 2, zorder=1)
            ax.add_patch(arrow)
            labels.append(edge_label(data).replace("\n", " "))
        if labels and a != b and label_edges:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            first = min(priority.get(d.get("kind"), 9) for *_, d in group)
            edge_texts.append((first, (x1 + x2) / 2, (y1 + y2) / 2, "\n".join(labels)))
    edge_boxes: list[tuple] = []
    discs = [(pos[v][0], pos[v][1], node_radius_pts[v] / (72.0 * inch)) for v in G]
    for _, x, y, text in sorted(edge_texts, key=lambda e: e[0]):
        box = _text_box(x, y, text, 9, 72.0 * inch)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in edge_boxes):
            continue  # would cover another link's label
        if any(box[0] < cx + r and cx - r < box[2] and box[1] < cy + r and cy - r < box[3]
               for cx, cy, r in discs):
            continue  # would cover an entity
        edge_boxes.append(box)
        ax.text(x, y, text, fontsize=9, color="#333", ha="center", va="center", zorder=3,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})

    for t in NODE_TYPES:
        members = [v for v in sorted(G) if (G.nodes[v].get("type") or "Other") == t
                   or (t == "Other" and G.nodes[v].get("type") not in TYPE_STYLE)]
        if not members:
            continue
        types_used.add(t)
        st = TYPE_STYLE[t]
        ax.scatter([pos[v][0] for v in members], [pos[v][1] for v in members],
                   s=[size_of[v] for v in members], c=st["color"], marker=st["marker"],
                   edgecolors="#333", linewidths=1.0, zorder=4)

    labelled = sorted(G, key=lambda v: (-degree.get(v, 0), G.nodes[v].get("label", v)))[:max_labels]
    labelled += [v for v in lone if v not in labelled]
    bounds = (min(xs) - MARGIN_X, min(ys) - MARGIN_Y, max(xs) + MARGIN_X, max(ys) + MARGIN_Y)
    for v, (dx, dy, ha, va) in _place_labels(G, pos, labelled, node_radius_pts, inch,
                                                  edge_boxes, bounds).items():
        ax.annotate(G.nodes[v].get("label", local_name(v)), pos[v], xytext=(dx, dy),
                    textcoords="offset points", ha=ha, va=va, fontsize=LABEL_PT, zorder=5,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#bbb", "alpha": 0.85})
    if pos:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        ax.set_xlim(min(xs) - MARGIN_X, max(xs) + MARGIN_X)
        ax.set_ylim(min(ys) - MARGIN_Y, max(ys) + MARGIN_Y)
    else:
        ax.text(0.5, 0.5, "empty graph", ha="center", va="center", transform=ax.transAxes)

    handles = [Line2D([], [], linestyle="none", marker=TYPE_STYLE[t]["marker"], markersize=11,
                      markerfacecolor=TYPE_STYLE[t]["color"], markeredgecolor="#333", label=t)
               for t in NODE_TYPES if t in types_used]
    handles += [Line2D([], [], color=KIND_STYLE[k]["color"], linestyle=KIND_STYLE[k]["mpl"],
                       linewidth=KIND_STYLE[k]["width"], label=f"{k} link")
                for k in EDGE_KINDS if k in kinds_used]
    if handles:
        fig.legend(handles=handles, loc="upper left",
                   bbox_to_anchor=((width + 0.15) / W, 1 - header_h / Ht), fontsize=11,
                   frameon=True, title="Legend", title_fontsize=12, borderpad=0.8,
                   labelspacing=0.9)
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    write_atomic(path, lambda f: fig.savefig(f, format=fmt, metadata=metadata))
    return path


def write(G: nx.MultiDiGraph, path: str | Path, title: str = "kg graph") -> Path:
    """Write G to `path`: .html (interactive, offline), .png or .svg (static)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        write_atomic(path, render_html(G, title=title))
        return path
    if suffix in (".png", ".svg"):
        return render_static(G, path, title=title)
    raise ValueError(f"cannot draw to {path.name!r}: use .html, .png or .svg")
