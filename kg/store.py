"""The triple store: where the graph lives between runs.

`Store` is the one interface the rest of kg uses. Its article bookkeeping (find, replace,
remove, list) is written once, in SPARQL 1.1 Query + Update, on three primitives
(`query`, `update`, `quads`), so a SPARQL 1.1 endpoint store only has to implement those
(plus `close`). `OxigraphStore` is the default: an embedded, persistent Oxigraph store on
disk (pyoxigraph). `SparqlEndpointStore` puts a remote SPARQL 1.1 endpoint in its place.

Layout of the dataset:
- one named graph per article, IRI `https://w3id.org/kg/article/{Article.hash}`; the
  Article node in it carries `biz:sourceId` = Article.id, which is how a rebuilt article
  finds the graph of its previous version;
- the ontology in `https://w3id.org/kg/graph/ontology`, so queries can follow
  rdfs:subClassOf;
- queries see the default graph as the union of all named graphs.

Atomicity: `replace_article` is ONE SPARQL Update request (drop old graphs; insert the new
one). Oxigraph applies an update in a single transaction, so a crash, kill or Ctrl-C leaves
the article fully in or fully out.

oxrdflib traps, handled once here: kg never parses through rdflib's `format="turtle"` into
the store (slow parser; pyoxigraph parses instead), never runs one huge `parse()`
transaction, never calls `len()` on a store-backed rdflib graph (a COUNT query each time)
and never writes through an unnamed rdflib `Graph` (it lands in a blank-node graph): use
`rdflib_dataset()` to get a correctly configured rdflib view, and `to_rdflib()` for an
in-memory copy (e.g. for pyshacl).
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.config import ARTICLE_NS, BIZ, ONTOLOGY_GRAPH, KgError, store_location

SOURCE_ID = BIZ + "sourceId"
EXTRACTOR_VERSION = BIZ + "extractorVersion"
# Article metadata kg.rdf writes on the Article node (Article field -> biz: local name);
# a change in any of them means the stored article is not current.
ARTICLE_FIELDS = {"title": "title", "lang": "language", "date": "date", "url": "url", "source": "source"}
RELATION_PREDICATES = (
    "operates", "subsidiaryOf", "sellsOn", "acquires", "investsIn", "mergesWith",
    "partnersWith", "competesWith", "targetsMarket", "headquarteredIn", "worksFor",
)

# Article metadata properties, as kg.rdf writes them.
_TITLE = "biz:title"
_LANG = "biz:language"
_DATE = "biz:date"

_Q_PREFIXES = f"""PREFIX biz: <{BIZ}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""


class StoreError(KgError):
    """The store cannot do what was asked (locked, missing, unknown article)."""


def article_graph_iri(article_hash: str) -> str:
    return ARTICLE_NS + article_hash


def _lit(s: str) -> str:
    """A SPARQL string literal."""
    return str(ox.Literal(s))


def _iri(s: str) -> str:
    """A SPARQL IRI reference. The IRI is checked first (ValueError when it is not one), so
    text from outside (an article id, a hash typed by a user) can never end the `<...>` early
    and change the query."""
    return str(ox.NamedNode(s))


def _is_iri(s: str) -> bool:
    try:
        ox.NamedNode(s)
    except ValueError:
        return False
    return True


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term (or a pyoxigraph one) as a pyoxigraph term."""
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def triples_of(graph) -> Iterator[tuple]:
    """(s, p, o) pyoxigraph terms of an rdflib Graph or an iterable of triples/quads."""
    for t in graph:
        if isinstance(t, (ox.Triple, ox.Quad)):
            yield t.subject, t.predicate, t.object
        else:
            s, p, o = t[:3]
            yield to_ox(s), to_ox(p), to_ox(o)


class Store(ABC):
    """A dataset of article graphs plus the ontology graph. Use it as a context manager.

    Subclasses implement `query`, `update`, `quads` and `close`; everything else is SPARQL
    on top of them.
    """

    location: str

    # --- primitives -----------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, prefixes: dict[str, str] | None = None):
        """Run a SPARQL query, default graph = union of all named graphs; `prefixes` are
        predeclared (the query's own PREFIX lines win). Returns a pyoxigraph
        QuerySolutions / QueryBoolean / QueryTriples; SyntaxError when malformed."""

    @abstractmethod
    def update(self, sparql_update: str) -> None:
        """Run a SPARQL Update request as ONE transaction."""

    @abstractmethod
    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        """Quads of one named graph, or of the whole dataset when None."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- graphs ---------------------------------------------------------------------------
    def graphs_of(self, article_id: str) -> list[str]:
        """Named graphs whose Article node has this source id."""
        # the id as a bound plain literal: an index lookup, not a scan of every article
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?a <{SOURCE_ID}> {_lit(article_id)} }} }}")
        return sorted(r["g"].value for r in rows)

    def has_graph(self, graph_iri: str) -> bool:
        if not _is_iri(graph_iri):  # "my article" is an id, never a graph name
            return False
        return bool(self.query(f"ASK {{ GRAPH {_iri(graph_iri)} {{ ?s ?p ?o }} }}"))

    def has_current(self, article, extractor_version: str) -> bool:
        """True when the store holds this article's text (same hash, same id) built by the
        same extractor version, with the same metadata (title, language, date, url,
        source): building it again would change nothing."""
        g = article_graph_iri(article.hash)
        conds = [f"?a <{SOURCE_ID}> ?sid ; <{EXTRACTOR_VERSION}> ?v . "
                 f"FILTER(STR(?sid) = {_lit(article.id)} && STR(?v) = {_lit(extractor_version)})"]
        for i, (field, value) in enumerate(sorted(ARTICLE_FIELDS.items())):
            pred, value = BIZ + value, getattr(article, field)
            if value:
                conds.append(f"?a <{pred}> ?m{i} . FILTER(STR(?m{i}) = {_lit(str(value))})")
            else:
                conds.append(f"FILTER NOT EXISTS {{ ?a <{pred}> ?n{i} }}")
        return bool(self.query(f"ASK {{ GRAPH {_iri(g)} {{ {' '.join(conds)} }} }}"))

    def replace_article(self, article, graph) -> str:
        """Store `graph` (rdflib Graph or triples) as the named graph of `article`, dropping
        every graph of an earlier version with the same Article.id, in ONE transaction.
        Returns "added" or "replaced"."""
        g = article_graph_iri(article.hash)
        old = set(self.graphs_of(article.id))
        old.add(g)
        # Build the whole request before touching the store: an error while reading the
        # graph (or Ctrl-C) happens before anything is written.
        body = "\n".join(f"{s} {p} {o} ." for s, p, o in triples_of(graph))
        if not body:
            raise StoreError(f"article {article.id}: empty graph, nothing to store")
        drops = "".join(f"DROP SILENT GRAPH {_iri(x)} ;\n" for x in sorted(old))
        existed = any(self.has_graph(x) for x in old)
        self.update(f"{drops}INSERT DATA {{ GRAPH {_iri(g)} {{\n{body}\n}} }}")
        return "replaced" if existed else "added"

    def find_article(self, id_or_hash: str) -> list[str]:
        """Graph IRIs of an article given its id, content hash or graph IRI; StoreError
        naming the store when nothing matches."""
        found = set(self.graphs_of(id_or_hash))
        for iri in (id_or_hash, article_graph_iri(id_or_hash)):
            if iri.startswith(ARTICLE_NS) and self.has_graph(iri):
                found.add(iri)
        if not found:
            raise StoreError(f"no article with id or hash {id_or_hash!r} in the store {self.location}")
        return sorted(found)

    def remove_article(self, id_or_hash: str) -> list[str]:
        """Drop the graph(s) of an article given its id, content hash or graph IRI.
        Returns the dropped graph IRIs; StoreError when nothing matches."""
        found = self.find_article(id_or_hash)
        self.update("".join(f"DROP SILENT GRAPH {_iri(x)} ;\n" for x in found).rstrip(" ;\n"))
        return found

    def article_graphs(self) -> list[str]:
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                          f"FILTER(STRSTARTS(STR(?g), {_lit(ARTICLE_NS)})) }}")
        return sorted(r["g"].value for r in rows)

    def articles(self) -> list[dict]:
        """One dict per stored article: id, hash, title, lang, date, facts (relations +
        investments + positions), graph; sorted by id."""
        preds = " ".join(f"biz:{p}" for p in RELATION_PREDICATES)
        meta = self.query(_Q_PREFIXES + f"""
SELECT ?g (SAMPLE(?sid) AS ?id) (SAMPLE(?t) AS ?title) (SAMPLE(?l) AS ?lang)
       (SAMPLE(?d) AS ?date) WHERE {{
  GRAPH ?g {{ ?a <{SOURCE_ID}> ?sid .
    OPTIONAL {{ ?a {_TITLE} ?t }} OPTIONAL {{ ?a {_LANG} ?l }} OPTIONAL {{ ?a {_DATE} ?d }} }}
  FILTER(STRSTARTS(STR(?g), {_lit(ARTICLE_NS)}))
}} GROUP BY ?g""")
        out = {}
        for r in meta:
            g = r["g"].value
            out[g] = {"id": _val(r["id"]), "hash": g[len(ARTICLE_NS):], "title": _val(r["title"]),
                      "lang": _val(r["lang"]), "date": _val(r["date"]), "facts": 0, "graph": g}
        counts = self.query(_Q_PREFIXES + f"""
SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{
  {{ ?s ?p ?o VALUES ?p {{ {preds} }} }} UNION {{ ?x a biz:Investment }} UNION {{ ?x a biz:Position }}
}} }} GROUP BY ?g""")
        for r in counts:
            if r["g"].value in out:
                out[r["g"].value]["facts"] = int(r["n"].value)
        return sorted(out.values(), key=lambda a: (a["id"] or "", a["hash"]))

    # --- ontology -------------------------------------------------------------------------
    def load_ontology(self, graph=None) -> None:
        """Replace the ontology graph (default: `kg.rdf.ontology_graph()`, else
        ontology/biz.ttl parsed by pyoxigraph) in one transaction."""
        if graph is None:
            graph = ontology_triples()
        body = "\n".join(f"{s} {p} {o} ." for s, p, o in triples_of(graph))
        self.update(f"DROP SILENT GRAPH {_iri(ONTOLOGY_GRAPH)} ;\n"
                    f"INSERT DATA {{ GRAPH {_iri(ONTOLOGY_GRAPH)} {{\n{body}\n}} }}")

    def has_ontology(self) -> bool:
        return self.has_graph(ONTOLOGY_GRAPH)

    # --- export ---------------------------------------------------------------------------
    def data_quads(self, graph_iri: str | None = None, include_ontology: bool = False) -> list[ox.Quad]:
        """Quads of one graph, or of every article graph (and the ontology if asked)."""
        if graph_iri is not None:
            return list(self.quads(graph_iri))
        return [q for q in self.quads(None)
                if isinstance(q.graph_name, ox.NamedNode)
                and (q.graph_name.value.startswith(ARTICLE_NS)
                     or (include_ontology and q.graph_name.value == ONTOLOGY_GRAPH))]

    def dump(self, format: str, graph_iri: str | None = None, include_ontology: bool = False) -> bytes:
        """Serialise one graph (or all article graphs) as turtle, trig, nquads, ntriples or
        jsonld; byte-stable for the same content (see kg.export)."""
        from kg.export import serialize

        if graph_iri is not None and not self.has_graph(graph_iri):
            raise StoreError(f"no graph {graph_iri} in the store")
        return serialize(self.data_quads(graph_iri, include_ontology), format)

    def to_rdflib(self, graph_iri: str | None = None, include_ontology: bool = False):
        """An in-memory rdflib Graph with the triples of one graph or of all article graphs
        (a copy: safe to hand to pyshacl or networkx code)."""
        from rdflib import Graph

        g = Graph()
        data = self.dump("ntriples", graph_iri, include_ontology)
        if data:
            g.parse(data=data.decode("utf-8"), format="nt")
        return g


def _val(term):
    return None if term is None else term.value


def ontology_triples():
    """The ontology as triples: kg.rdf.ontology_graph() when the rdf module offers it, else
    ontology/biz.ttl parsed with pyoxigraph (fast, and no oxrdflib turtle trap)."""
    try:
        from kg.rdf import ontology_graph
    except ImportError:
        ontology_graph = None
    if ontology_graph is not None:
        return ontology_graph()
    from kg.config import ontology_file

    return list(ox.parse(path=str(ontology_file("biz.ttl")), format=ox.RdfFormat.TURTLE))


class OxigraphStore(Store):
    """Embedded persistent Oxigraph store in a folder (RocksDB inside). One process writes
    at a time. With `read_only=True` the store is opened as a read-only snapshot: it takes no
    lock (a long `kg query` never blocks a `kg build`) and writes nothing (it works on a
    read-only folder)."""

    # Written by the process holding the store for writing (pid, command, since when), so a
    # second writer is told what holds the lock; removed on close.
    HOLDER_FILE = "KG_WRITER"  # no article suffix: a build of a folder holding the store skips it

    def __init__(self, location: str | os.PathLike, read_only: bool = False, create: bool = True):
        self.location = str(location)
        self.read_only = read_only
        path = Path(self.location)
        if path.exists() and not path.is_dir():
            raise StoreError(f"store location {self.location} is a file, not a store folder")
        if (read_only or not create) and not (path / "CURRENT").exists():
            raise StoreError(f"no store at {self.location} (run `kg build PATH` first, or pass --store)")
        if read_only:
            self._store = self._snapshot()
            return
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create store folder {self.location}: {e.strerror}") from None
        try:
            self._store = ox.Store(self.location)
        except OSError as e:
            msg = str(e)
            if "lock" not in msg.lower():
                raise StoreError(f"cannot open store {self.location} for writing: {msg.splitlines()[0]}") from None
            raise StoreError(f"store {self.location} is locked: another kg process is writing to it "
                             f"({self._holder()}); wait for it to finish and retry") from None
        self._write_holder()

    def _write_holder(self) -> None:
        import sys
        import time

        command = " ".join([Path(sys.argv[0]).name] + sys.argv[1:]) if sys.argv else ""
        try:
            (Path(self.location) / self.HOLDER_FILE).write_text(
                f"pid {os.getpid()}: {command or 'python'}, since {time.strftime('%Y-%m-%d %H:%M:%S')}",
                encoding="utf-8", errors="replace")
        except OSError:
            pass  # only used to explain a lock to a second writer

    def _holder(self) -> str:
        try:
            text = (Path(self.location) / self.HOLDER_FILE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "which one is not recorded"
        return " ".join(text.split())[:300] or "which one is not recorded"

    def _snapshot(self) -> ox.Store:
        """A read-only view of the store (another process may be writing it). RocksDB may
        delete a file the view is opening (compaction), so try a few times."""
        import time

        error = None
        for attempt in range(6):
            try:
                return ox.Store.read_only(self.location)
            except (OSError, RuntimeError) as e:
                error = e
                time.sleep(0.05 * attempt)
        raise StoreError(f"store {self.location} could not be read: "
                         f"{str(error).splitlines()[0]}") from None

    @classmethod
    def in_memory(cls) -> "OxigraphStore":
        """A throwaway store (tests, one-off conversions)."""
        self = cls.__new__(cls)
        self.location = ":memory:"
        self.read_only = False
        self._store = ox.Store()
        return self

    @property
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph Store, for bulk work the interface does not cover."""
        return self._store

    def query(self, sparql: str, prefixes: dict[str, str] | None = None):
        return self._store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)

    # RocksDB keeps every write-ahead log until all its column families are flushed, so a
    # long build without a flush grows the folder by gigabytes and makes the reopen after a
    # crash replay all of it. Flushing after every few MB of updates keeps both small.
    FLUSH_EVERY = 8_000_000  # characters of SPARQL Update text

    def update(self, sparql_update: str) -> None:
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        self._store.update(sparql_update)
        self._unflushed = getattr(self, "_unflushed", 0) + len(sparql_update)
        if self._unflushed >= self.FLUSH_EVERY and self.location != ":memory:":
            self._store.flush()
            self._unflushed = 0

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph_iri) if graph_iri is not None else None
        return self._store.quads_for_pattern(None, None, None, g)

    def article_graphs(self) -> list[str]:
        # the graph index, not a scan of every quad (kg only DROPs graphs, never CLEARs)
        return sorted(g.value for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(ARTICLE_NS))

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            if not self.read_only and self.location != ":memory:":
                try:
                    store.flush()
                except OSError:
                    pass
                try:
                    (Path(self.location) / self.HOLDER_FILE).unlink()
                except OSError:
                    pass
            self._store = None
            del store

    def rdflib_dataset(self):
        """An rdflib Dataset view over this store through oxrdflib (no copy). Union default
        graph; add triples only via named graphs (`ds.graph(IRI)`), never an unnamed Graph."""
        from oxrdflib import OxigraphStore as OxRdflibStore
        from rdflib import Dataset

        return Dataset(store=OxRdflibStore(store=self._store), default_union=True)


class SparqlEndpointStore(Store):
    """A remote SPARQL 1.1 endpoint (Protocol: query and update over HTTP POST) holding the
    same dataset layout. The endpoint must treat the default graph as the union of the
    named graphs (Oxigraph server: `--union-default-graph`; Fuseki: `tdb2:unionDefaultGraph`).

    `query_url` answers queries; updates go to `update_url` (default: the query URL with a
    final `/query` replaced by `/update`, else the same URL).
    """

    def __init__(self, query_url: str, update_url: str | None = None, read_only: bool = False,
                 timeout: float = 60.0):
        self.location = query_url
        self.update_url = update_url or (query_url[: -len("query")] + "update"
                                         if query_url.rstrip("/").endswith("/query") else query_url)
        self.read_only = read_only
        self.timeout = timeout

    def _post(self, url: str, field: str, text: str, accept: str) -> tuple[str, bytes]:
        import urllib.error
        import urllib.parse
        import urllib.request

        body = urllib.parse.urlencode({field: text}).encode("utf-8")
        req = urllib.request.Request(url, data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().splitlines()
            msg = detail[0] if detail else e.reason
            if e.code == 400:
                raise SyntaxError(msg) from None
            raise StoreError(f"SPARQL endpoint {url} answered {e.code}: {msg}") from None
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"cannot reach SPARQL endpoint {url}: {getattr(e, 'reason', e)}") from None

    def query(self, sparql: str, prefixes: dict[str, str] | None = None):
        if prefixes:
            sparql = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + sparql
        ctype, data = self._post(self.location, "query", sparql,
                                 "application/sparql-results+json, application/n-triples;q=0.9")
        if "json" in ctype:
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]

    def update(self, sparql_update: str) -> None:
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        self._post(self.update_url, "update", sparql_update, "*/*")

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        where = (f"GRAPH {_iri(graph_iri)} {{ ?s ?p ?o }} BIND({_iri(graph_iri)} AS ?g)"
                 if graph_iri else "GRAPH ?g { ?s ?p ?o }")
        for r in self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}"):
            yield ox.Quad(r["s"], r["p"], r["o"], r["g"])

    def close(self) -> None:
        pass


def open_store(location: str | os.PathLike | None = None, *, read_only: bool = False,
               create: bool = True) -> Store:
    """Open the store at `location` (default: $KG_STORE, else ./.kg/store).

    An http:// or https:// location is a SPARQL 1.1 endpoint (SparqlEndpointStore).
    `read_only` forbids writes (and opens a snapshot of a store another process holds);
    `create=False` refuses to create a missing store."""
    loc = store_location(location)
    if loc.startswith(("http://", "https://")):
        return SparqlEndpointStore(loc, read_only=read_only)
    return OxigraphStore(loc, read_only=read_only, create=create)

