"""The entity graph as networkx: read once from the store, then drawn, measured, exported.

`entity_graph(store)` reads the ontology contract (entities with rdf:type, rdfs:label and
skos:altLabel; direct relation triples; Investment and Position nodes; PROV-O evidence) by
SPARQL into an `nx.MultiDiGraph`, the one in-memory shape that `kg.viz`, `kg.graph_export`
and `network_stats` share, so a picture, a GraphML file and a centrality table always agree.

Nodes are entity IRIs with attributes `label`, `type` (Company, Platform, Person, Place,
Market, Organization; "Other" for a node a query names without a type), `aliases` (sorted
list) and `articles` (article IRIs). Edges are keyed by predicate local name and carry
`predicate`, `kind` (ownership, trade, investment, people, place, other), `evidence` (list of
dicts: sentence, article, title, start, end, confidence) and for investments `amounts`
(list of (value, currency)), `investment_kind`, `stake_percent`, `status`.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from kg.config import KgError
from kg.facts import ENTITY_TYPES, RELATION_PREDICATES, SYMMETRIC_PREDICATES

BIZ = "https://w3id.org/kg/biz#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
ARTICLE_PREFIX = "https://w3id.org/kg/article/"
ONTOLOGY_GRAPH = "https://w3id.org/kg/graph/ontology"

PREFIXES = f"""PREFIX biz: <{BIZ}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""

# How each predicate is drawn and grouped: one place, shared by the HTML and static views.
PREDICATE_KIND = {
    "subsidiaryOf": "ownership",
    "acquires": "ownership",
    "mergesWith": "ownership",
    "operates": "ownership",
    "investsIn": "investment",
    "sellsOn": "trade",
    "partnersWith": "trade",
    "competesWith": "trade",
    "targetsMarket": "trade",
    "worksFor": "people",
    "headquarteredIn": "place",
    "geography": "place",
}
EDGE_KINDS = ("ownership", "trade", "investment", "people", "place", "other")
NODE_TYPES = ENTITY_TYPES + ("Other",)


class NetworkError(KgError):
    """A user-facing problem reading or focusing the graph (unknown name, bad query)."""


# ---------------------------------------------------------------------------------------
# SPARQL access: kg.store.Store or a bare pyoxigraph.Store, rows as python values.


def _py(term: Any) -> Any:
    """A pyoxigraph term as a python value: IRIs and strings as str, numbers as numbers."""
    if term is None:
        return None
    cls = type(term).__name__
    if cls == "NamedNode":
        return term.value
    if cls == "BlankNode":
        return "_:" + term.value
    if cls == "Literal":
        dt = term.datatype.value if term.datatype is not None else ""
        if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dt.endswith(("#decimal", "#double", "#float")):
            try:
                number = float(term.value)
            except ValueError:
                return term.value
            return int(number) if number.is_integer() and abs(number) < 2**63 else number
        return term.value
    return str(term)


def _raw_query(store: Any, sparql: str) -> Any:
    """Run SPARQL on a kg Store (union default graph) or a bare pyoxigraph Store."""
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        pyoxigraph = None
    if pyoxigraph is not None and isinstance(store, pyoxigraph.Store):
        return store.query(sparql, use_default_graph_as_union=True)
    return store.query(sparql)


def select(store: Any, sparql: str) -> list[dict[str, Any]]:
    """Rows of a SELECT as dicts {variable: python value}; unbound variables are absent."""
    result = _raw_query(store, PREFIXES + sparql)
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = _py(value)
        rows.append(row)
    return rows


def local_name(iri: str) -> str:
    """The part after the last '#' or '/': the readable name of an IRI."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


# ---------------------------------------------------------------------------------------
# Reading the entity graph.


def _scope(graphs: Iterable[str] | None) -> str:
    """VALUES clause restricting ?g to some article graphs, or a filter dropping the ontology."""
    if graphs is None:
        return f"FILTER(?g != <{ONTOLOGY_GRAPH}>)"
    return "VALUES ?g { " + " ".join(f"<{iri}>" for iri in graphs) + " }"


def article_iris(store: Any, article: str) -> list[str]:
    """The graph IRIs of an article given by its id, its content hash or its IRI."""
    rows = select(store, f"""
        SELECT DISTINCT ?g ?id WHERE {{
          GRAPH ?g {{ ?g a biz:Article . OPTIONAL {{ ?g biz:sourceId ?id }} }}
        }}""")
    found = []
    for row in rows:
        g = row["g"]
        if article in (g, g.rsplit("/", 1)[-1], row.get("id")):
            found.append(g)
    if not found:
        known = sorted({str(r.get("id") or r["g"].rsplit("/", 1)[-1]) for r in rows})
        hint = f" Known articles: {', '.join(known[:10])}" if known else " The store is empty."
        raise NetworkError(f"no article {article!r} in the store.{hint}")
    return sorted(set(found))


def _article_titles(store: Any, scope: str) -> dict[str, str]:
    """Article IRI -> a readable name (title, else source id, else hash)."""
    rows = select(store, f"""
        SELECT ?g ?title ?id WHERE {{
          GRAPH ?g {{
            ?g a biz:Article .
            OPTIONAL {{ ?g biz:title ?title }}
            OPTIONAL {{ ?g dcterms:title ?title }}
            OPTIONAL {{ ?g biz:sourceId ?id }}
          }}
          {scope}
        }}""")
    titles: dict[str, str] = {}
    for row in rows:
        name = row.get("title") or row.get("id") or row["g"].rsplit("/", 1)[-1]
        titles.setdefault(row["g"], str(name))
    return titles


def _entities(store: Any, scope: str) -> dict[str, dict[str, Any]]:
    types = " ".join(f"biz:{t}" for t in ENTITY_TYPES)
    rows = select(store, f"""
        SELECT ?g ?e ?type ?label ?alt WHERE {{
          GRAPH ?g {{
            ?e a ?type . VALUES ?type {{ {types} }}
            OPTIONAL {{ ?e rdfs:label ?label }}
            OPTIONAL {{ ?e skos:altLabel ?alt }}
          }}
          {scope}
        }}""")
    types_of: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, set] = defaultdict(set)
    articles: dict[str, set] = defaultdict(set)
    for row in rows:
        e = row["e"]
        types_of[e][local_name(row["type"])] += 1
        if "label" in row:
            labels[e][str(row["label"])] += 1
        if "alt" in row:
            aliases[e].add(str(row["alt"]))
        articles[e].add(row["g"])
    out = {}
    for e, counts in types_of.items():
        kind = sorted(counts, key=lambda t: (-counts[t], ENTITY_TYPES.index(t)))[0]
        label_counts = labels.get(e) or Counter({local_name(e): 1})
        label = sorted(label_counts, key=lambda s: (-label_counts[s], -len(s), s))[0]
        other = (set(label_counts) | aliases.get(e, set())) - {label}
        out[e] = {
            "label": label,
            "type": kind,
            "aliases": sorted(other),
            "articles": sorted(articles[e]),
            "iri": e,
        }
    return out


# Evidence (ontology/biz.ttl): a biz:Evidence node carries the sentence, its offsets and the
# confidence, inside the article's graph. An n-ary fact (Investment, Position) points at it
# with biz:evidence; the evidence of a direct relation triple is itself an rdf:Statement
# naming that triple (rdf:subject / rdf:predicate / rdf:object), with an optional biz:status.
EVIDENCE_FIELDS = """
    OPTIONAL { ?ev biz:sentence ?sentence }
    OPTIONAL { ?ev biz:startOffset ?start }
    OPTIONAL { ?ev biz:endOffset ?end }
    OPTIONAL { ?ev biz:confidence ?confidence }
    OPTIONAL { ?ev biz:status ?evstatus }
"""


def _evidence_rows(store: Any, scope: str, link_pattern: str) -> list[dict[str, Any]]:
    """Evidence rows of the facts `link_pattern` binds (?fact or ?s ?p ?o, and ?ev)."""
    return select(store, f"""
        SELECT ?g ?fact ?s ?p ?o ?sentence ?start ?end ?confidence ?evstatus WHERE {{
          GRAPH ?g {{ {link_pattern} {EVIDENCE_FIELDS} }}
          {scope}
        }}""")


def _evidence(row: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    g = row["g"]
    return {
        "sentence": str(row.get("sentence", "")),
        "article": g,
        "title": titles.get(g, g.rsplit("/", 1)[-1]),
        "start": row.get("start"),
        "end": row.get("end"),
        "confidence": row.get("confidence"),
    }


def _add_evidence(edge: dict[str, Any], ev: dict[str, Any]) -> None:
    key = (ev["article"], ev["start"], ev["end"], ev["sentence"])
    if all((e["article"], e["start"], e["end"], e["sentence"]) != key for e in edge["evidence"]):
        edge["evidence"].append(ev)


def _ensure_node(G: nx.MultiDiGraph, iri: str, **attrs: Any) -> None:
    if iri not in G:
        G.add_node(iri, label=attrs.get("label", local_name(iri)), type=attrs.get("type", "Other"),
                   aliases=[], articles=[], iri=iri)


def _edge(G: nx.MultiDiGraph, s: str, o: str, predicate: str, **extra: Any) -> dict[str, Any]:
    """The edge s -predicate-> o, created on first use (one edge per triple, not per article)."""
    if not G.has_edge(s, o, key=predicate):
        G.add_edge(s, o, key=predicate, predicate=predicate,
                   kind=PREDICATE_KIND.get(predicate, "other"), evidence=[], articles=[],
                   symmetric=predicate in SYMMETRIC_PREDICATES, **extra)
    return G.edges[s, o, predicate]


def entity_graph(store: Any, article: str | None = None) -> nx.MultiDiGraph:
    """The entity graph of the whole store, or of one article (id, hash or IRI).

    Investments are drawn as investor -> target edges with their amounts: they enrich an
    `investsIn`/`acquires` edge between the same pair when the text states one, else they add
    an `investsIn` edge. An investment with only a described target ("cloud infrastructure")
    gets a node of type Other for that description. Positions add the role title to the
    person's `worksFor` edge (created when missing).
    """
    scope = _scope(article_iris(store, article) if article else None)
    titles = _article_titles(store, scope)
    G = nx.MultiDiGraph()
    for iri, attrs in sorted(_entities(store, scope).items()):
        G.add_node(iri, **attrs)

    preds = " ".join(f"biz:{p}" for p in RELATION_PREDICATES)
    for row in select(store, f"""
        SELECT ?g ?s ?p ?o WHERE {{
          GRAPH ?g {{ ?s ?p ?o . VALUES ?p {{ {preds} }} FILTER(isIRI(?o)) }}
          {scope}
        }} ORDER BY ?s ?p ?o"""):
        s, p, o = row["s"], local_name(row["p"]), row["o"]
        _ensure_node(G, s)
        _ensure_node(G, o)
        edge = _edge(G, s, o, p)
        if row["g"] not in edge["articles"]:
            edge["articles"].append(row["g"])

    # Evidence of relation triples: a reified rdf:Statement pointing at its evidence.
    for row in _evidence_rows(store, scope, """
            ?ev a biz:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ."""):
        p = local_name(row["p"])
        if G.has_edge(row["s"], row["o"], key=p):
            edge = G.edges[row["s"], row["o"], p]
            _add_evidence(edge, _evidence(row, titles))
            if row.get("evstatus") and not edge.get("status"):
                edge["status"] = str(row["evstatus"])

    _add_investments(store, scope, titles, G)
    _add_positions(store, scope, titles, G)
    for _, _, data in G.edges(data=True):
        data["evidence"].sort(key=lambda e: (e["title"], e["start"] if e["start"] is not None else -1))
        data["articles"] = sorted(set(data["articles"]) | {e["article"] for e in data["evidence"]})
    return G


def _add_investments(store: Any, scope: str, titles: dict[str, str], G: nx.MultiDiGraph) -> None:
    rows = select(store, f"""
        SELECT ?g ?inv ?investor ?target ?desc ?value ?currency ?eqvalue ?eqcurrency ?kind ?stake
               ?status ?period
        WHERE {{
          GRAPH ?g {{
            ?inv a biz:Investment .
            OPTIONAL {{ ?inv biz:investor ?investor }}
            OPTIONAL {{ ?inv biz:target ?target }}
            OPTIONAL {{ ?inv biz:targetDescription ?desc }}
            OPTIONAL {{ ?inv biz:amount ?amount .
                        ?amount biz:value ?value . OPTIONAL {{ ?amount biz:currency ?currency }} }}
            OPTIONAL {{ ?inv biz:equivalentAmount ?eq . ?eq biz:value ?eqvalue .
                        OPTIONAL {{ ?eq biz:currency ?eqcurrency }} }}
            OPTIONAL {{ ?inv biz:kind ?kind }}
            OPTIONAL {{ ?inv biz:stakePercent ?stake }}
            OPTIONAL {{ ?inv biz:status ?status }}
            OPTIONAL {{ ?inv biz:period ?period }}
          }}
          {scope}
        }} ORDER BY ?inv""")
    by_inv: dict[str, dict[str, Any]] = {}
    for row in rows:
        inv = by_inv.setdefault(row["inv"], {"amounts": [], "equivalents": [], "graphs": set(),
                                             **row})
        inv["graphs"].add(row["g"])
        for value, currency, into in (("value", "currency", "amounts"),
                                      ("eqvalue", "eqcurrency", "equivalents")):
            if value in row:
                amount = (row[value], str(row.get(currency, "")))
                if amount not in inv[into]:
                    inv[into].append(amount)
    evidence = defaultdict(list)
    for row in _evidence_rows(store, scope, "?fact a biz:Investment ; biz:evidence ?ev ."):
        evidence[row["fact"]].append(_evidence(row, titles))

    for iri, inv in by_inv.items():
        investor = inv.get("investor")
        if investor is None:
            investor = iri + "#investor"
            _ensure_node(G, investor, label="unnamed investor")
        target = inv.get("target")
        if target is None:
            target = iri + "#target"
            _ensure_node(G, target, label=str(inv.get("desc") or "undisclosed target"))
        _ensure_node(G, investor)
        _ensure_node(G, target)
        kind = inv.get("kind")
        predicate = "acquires" if kind and local_name(str(kind)) == "acquisition" else "investsIn"
        if not G.has_edge(investor, target, key=predicate):
            other = "investsIn" if predicate == "acquires" else "acquires"
            if G.has_edge(investor, target, key=other):
                predicate = other
        edge = _edge(G, investor, target, predicate)
        for into in ("amounts", "equivalents"):
            edge.setdefault(into, [])
            for amount in inv[into]:
                if amount not in edge[into]:
                    edge[into].append(amount)
        for attr, key in (("investment_kind", "kind"), ("stake_percent", "stake"),
                          ("status", "status"), ("period", "period")):
            if key in inv and not edge.get(attr):
                value = inv[key]
                edge[attr] = local_name(value) if isinstance(value, str) and "://" in value else value
        edge["articles"].extend(sorted(inv["graphs"]))
        for ev in evidence.get(iri, []):
            _add_evidence(edge, ev)


def _add_positions(store: Any, scope: str, titles: dict[str, str], G: nx.MultiDiGraph) -> None:
    rows = select(store, f"""
        SELECT ?g ?pos ?holder ?org ?role WHERE {{
          GRAPH ?g {{
            ?pos a biz:Position ; biz:holder ?holder .
            OPTIONAL {{ ?pos biz:organization ?org }}
            OPTIONAL {{ ?pos biz:roleTitle ?role }}
          }}
          {scope}
        }} ORDER BY ?pos""")
    evidence = defaultdict(list)
    for row in _evidence_rows(store, scope, "?fact a biz:Position ; biz:evidence ?ev ."):
        evidence[row["fact"]].append(_evidence(row, titles))
    for row in rows:
        holder, org, role = row["holder"], row.get("org"), row.get("role")
        _ensure_node(G, holder)
        if org is None:
            roles = G.nodes[holder].setdefault("roles", [])
            if role and role not in roles:
                roles.append(str(role))
            continue
        _ensure_node(G, org)
        edge = _edge(G, holder, org, "worksFor")
        roles = edge.setdefault("roles", [])
        if role and str(role) not in roles:
            roles.append(str(role))
        edge["articles"].append(row["g"])
        for ev in evidence.get(row["pos"], []):
            _add_evidence(edge, ev)


# ---------------------------------------------------------------------------------------
# Sub-views: a neighbourhood, the result of a query.


def find_node(G: nx.MultiDiGraph, name: str) -> str:
    """The node a user means by `name`: label or alias (case-insensitive), else the IRI."""
    wanted = name.casefold().strip()
    for exact in (True, False):
        hits = []
        for node, data in G.nodes(data=True):
            names = [data.get("label", "")] + list(data.get("aliases", [])) + [node]
            names = [n.casefold() for n in names]
            if (exact and wanted in names) or (not exact and any(wanted in n for n in names)):
                hits.append(node)
        if len(hits) == 1 or (exact and hits):
            return sorted(hits, key=lambda n: -G.degree(n))[0]
        if hits:
            labels = sorted(G.nodes[h]["label"] for h in hits)
            raise NetworkError(f"{name!r} matches several entities: {', '.join(labels[:10])}")
    close = difflib.get_close_matches(name, [d["label"] for _, d in G.nodes(data=True)], n=5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise NetworkError(f"no entity named {name!r} in the graph.{hint}")


def focus(G: nx.MultiDiGraph, name: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of one entity: every node within `depth` hops, either direction."""
    if depth < 0:
        raise NetworkError("--depth must be 0 or more")
    center = find_node(G, name)
    nodes = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), center,
                                                  cutoff=depth)
    H = G.subgraph(nodes).copy()
    H.graph["focus"] = center
    return H


def query_graph(store: Any, query: str | Path, allow_service: bool = False) -> nx.MultiDiGraph:
    """The graph a SPARQL query describes: a CONSTRUCT, or a SELECT binding ?s ?p ?o.

    Triples between IRIs become edges; rdfs:label / rdf:type / skos:altLabel set node
    attributes. Nodes and edges that exist in the entity graph keep its labels, types and
    evidence, so a query view is drawn like the full graph.
    """
    text = Path(query).read_text(encoding="utf-8") if isinstance(query, Path) else query
    from kg.query import check_offline

    check_offline(text, str(query) if isinstance(query, Path) else "the query", allow_service)
    try:
        result = _raw_query(store, text)
    except (SyntaxError, ValueError, OSError) as exc:
        raise NetworkError(f"the query failed: {exc}") from exc
    triples = []
    if hasattr(result, "variables"):
        names = {v.value for v in result.variables}
        if not {"s", "p", "o"} <= names:
            raise NetworkError("a SELECT to draw must bind ?s ?p ?o; use CONSTRUCT otherwise")
        for sol in result:
            if sol["s"] is not None and sol["p"] is not None and sol["o"] is not None:
                triples.append((sol["s"], sol["p"], sol["o"]))
    elif isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        raise NetworkError("an ASK query has no graph to draw; use CONSTRUCT or SELECT ?s ?p ?o")
    else:
        triples = [(t.subject, t.predicate, t.object) for t in result]

    full = entity_graph(store)
    G = nx.MultiDiGraph()
    literal_props: list[tuple[str, str, Any]] = []
    for s_term, p_term, o_term in triples:
        s, p = _py(s_term), _py(p_term)
        is_node = type(o_term).__name__ in ("NamedNode", "BlankNode")
        o = _py(o_term)
        for n in ([s, o] if is_node and p != RDF_TYPE else [s]):
            if n not in G:
                if n in full:
                    G.add_node(n, **full.nodes[n])
                else:
                    _ensure_node(G, n)
        if p == RDF_TYPE:
            if local_name(o) in NODE_TYPES:
                G.nodes[s]["type"] = local_name(o)
            continue
        if not is_node:
            literal_props.append((s, p, o))
            continue
        pred = local_name(p)
        if full.has_edge(s, o, key=pred):
            if not G.has_edge(s, o, key=pred):
                G.add_edge(s, o, key=pred, **full.edges[s, o, pred])
        else:
            _edge(G, s, o, pred)
    for s, p, o in literal_props:
        if p == RDFS_LABEL and s not in full:
            G.nodes[s]["label"] = str(o)
        elif p == SKOS_ALT:
            if str(o) not in G.nodes[s]["aliases"] and str(o) != G.nodes[s]["label"]:
                G.nodes[s]["aliases"] = sorted(set(G.nodes[s]["aliases"]) | {str(o)})
        elif p != RDFS_LABEL:
            G.nodes[s].setdefault("properties", []).append((local_name(p), o))
    return G


# ---------------------------------------------------------------------------------------
# Analytics.


def simple_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Undirected, one edge per linked pair weighted by the number of facts between them."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v in G.edges():
        if u == v:
            continue
        if H.has_edge(u, v):
            H.edges[u, v]["weight"] += 1
        else:
            H.add_edge(u, v, weight=1)
    return H


@dataclass
class NetworkStats:
    """Centrality of every entity, components and communities of the entity graph."""

    nodes: int
    edges: int
    rows: list[dict[str, Any]]  # one per entity, most central first
    components: list[list[str]]  # labels, largest component first
    communities: list[list[str]]  # labels, largest community first
    columns: tuple[str, ...] = field(default=(
        "rank", "label", "type", "degree", "betweenness", "pagerank", "component", "community"))

    def top(self, n: int | None) -> list[dict[str, Any]]:
        return self.rows if n is None else self.rows[:n]

    def as_dict(self, n: int | None = None) -> dict[str, Any]:
        return {"nodes": self.nodes, "edges": self.edges, "entities": self.top(n),
                "components": self.components, "communities": self.communities}


def network_stats(G: nx.MultiDiGraph, seed: int = 42) -> NetworkStats:
    """Degree (distinct neighbours), betweenness, PageRank, components, Louvain communities.

    Centralities are computed on the undirected projection (a fact links two entities
    whatever its direction); PageRank uses the number of facts between a pair as weight.
    Ranking is by PageRank, then degree, then label, so it is stable run to run.
    """
    H = simple_graph(G)
    if H.number_of_nodes() == 0:
        return NetworkStats(0, 0, [], [], [])
    betweenness = nx.betweenness_centrality(H, normalized=True)
    pagerank = nx.pagerank(H, weight="weight") if H.number_of_edges() else {
        n: 1 / H.number_of_nodes() for n in H}

    def label(n: str) -> str:
        return H.nodes[n].get("label", local_name(n))

    comps = sorted((sorted(c, key=label) for c in nx.connected_components(H)),
                   key=lambda c: (-len(c), label(c[0])))
    comms = nx.community.louvain_communities(H, weight="weight", seed=seed) \
        if H.number_of_edges() else [{n} for n in H]
    comms = sorted((sorted(c, key=label) for c in comms), key=lambda c: (-len(c), label(c[0])))
    comp_of = {n: i + 1 for i, c in enumerate(comps) for n in c}
    comm_of = {n: i + 1 for i, c in enumerate(comms) for n in c}
    rows = []
    for n in H:
        rows.append({
            "label": label(n), "type": H.nodes[n].get("type", "Other"), "iri": n,
            "degree": H.degree(n), "betweenness": round(betweenness[n], 4),
            "pagerank": round(pagerank[n], 4), "component": comp_of[n], "community": comm_of[n],
        })
    rows.sort(key=lambda r: (-r["pagerank"], -r["degree"], r["label"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return NetworkStats(
        nodes=G.number_of_nodes(), edges=G.number_of_edges(), rows=rows,
        components=[[label(n) for n in c] for c in comps],
        communities=[[label(n) for n in c] for c in comms],
    )
