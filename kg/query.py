"""SPARQL over the store: run a `.rq` file or inline text, get plain Python values back, and
print them as a table, CSV, TSV or JSON (or Turtle for CONSTRUCT).

The default graph is the union of all article graphs and the ontology, so a query needs no
GRAPH clause; kg's usual prefixes (biz:, rdfs:, skos:, prov:, xsd:, ...) are predeclared.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kg.config import PREFIXES, KgError

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "turtle")
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


class QueryError(KgError):
    """Malformed SPARQL, a missing query file or a query the store refused."""


@dataclass
class QueryResult:
    """A query's answer as plain values. SELECT: columns + rows. ASK: `boolean` (also as a
    one-row table). CONSTRUCT/DESCRIBE: `triples` (also as subject/predicate/object rows)."""

    kind: str  # "select" | "ask" | "construct"
    columns: list[str]
    rows: list[tuple]
    boolean: bool | None = None
    triples: list = field(default_factory=list)


def load_query(query_text_or_path: str | Path) -> tuple[str, str]:
    """(sparql text, name for messages). A string naming an existing file, or ending in
    .rq/.sparql, is read as a file; anything else is inline SPARQL."""
    s = str(query_text_or_path)
    looks_like_file = "\n" not in s and len(s) < 1024 and (
        s.endswith((".rq", ".sparql")) or ("{" not in s and Path(s).is_file()))
    if isinstance(query_text_or_path, Path) or looks_like_file:
        path = Path(s)
        if not path.is_file():
            raise QueryError(f"no such query file: {s}")
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except UnicodeDecodeError:
            raise QueryError(f"query file {s} is not UTF-8 text") from None
    if not s.strip():
        raise QueryError("empty query")
    return s, "query"


# What SPARQL text can hold that is not a keyword: comments, strings (long and short, with
# escapes) and IRIs. They are blanked out before looking for SERVICE, so a label or an IRI
# that spells "service" is not refused, and a SERVICE keyword cannot hide inside one.
_NOT_KEYWORDS = re.compile("|".join((
    r"#[^\n\r]*",                            # comment
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",      # long strings
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',
    r"'(?:[^'\\\n\r]|\\.)*'",              # short strings
    r'"(?:[^"\\\n\r]|\\.)*"',
    r'<[^<>"{}|^`\\\x00-\x20]*>',             # IRI
)), re.DOTALL)
# the keyword itself: not part of a prefixed name (ex:service), a variable (?service) or a word
_SERVICE = re.compile(r"(?<![\w:?$\-])SERVICE(?![\w:\-])", re.IGNORECASE)


def uses_service(sparql: str) -> bool:
    """True when the query has a SERVICE clause (federated access to another endpoint)."""
    return bool(_SERVICE.search(_NOT_KEYWORDS.sub(" ", sparql)))


def check_offline(sparql: str, name: str = "query", allow_service: bool = False) -> None:
    """QueryError when the query would reach another endpoint over the network (SERVICE):
    kg runs offline unless the user asks otherwise."""
    if not allow_service and uses_service(sparql):
        raise QueryError(f"{name} uses SERVICE (a federated query over the network); kg runs "
                         f"offline and refuses it: pass --allow-service to allow it")


def python_value(term):
    """An RDF term as a plain Python value: IRIs as strings, numbers as int/float,
    booleans as bool, other literals as their text, blank nodes as "_:id", None unbound."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGERS:
                return int(term.value)
            if dt == XSD + "decimal":
                d = Decimal(term.value)
                return int(d) if d == d.to_integral_value() else float(d)
            if dt in (XSD + "double", XSD + "float"):
                return float(term.value)
            if dt == XSD + "boolean":
                return term.value in ("true", "1")
        except (ValueError, InvalidOperation):
            pass
        return term.value
    return str(term)


def run_query(store, query_text_or_path: str | Path, allow_service: bool = False) -> QueryResult:
    """Run SPARQL (inline text or a .rq file) on `store`; QueryError on malformed SPARQL, and
    on a SERVICE clause unless `allow_service` (kg makes no network access by default)."""
    sparql, name = load_query(query_text_or_path)
    check_offline(sparql, name, allow_service)
    try:
        result = store.query(sparql, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", ["answer"], [(bool(result),)], boolean=bool(result))
        if not isinstance(result, ox.QuerySolutions):  # CONSTRUCT/DESCRIBE: triples
            triples = list(result)
            rows = [tuple(python_value(t) for t in (x.subject, x.predicate, x.object)) for x in triples]
            return QueryResult("construct", ["subject", "predicate", "object"], rows, triples=triples)
        columns = [v.value for v in result.variables]
        rows = [tuple(python_value(sol[c]) for c in columns) for sol in result]
        return QueryResult("select", columns, rows)
    except SyntaxError as e:
        raise QueryError(f"malformed SPARQL in {name}: {str(e).splitlines()[0]}") from None
    except (OSError, RuntimeError) as e:
        raise QueryError(f"query failed ({name}): {str(e).splitlines()[0]}") from None


# --- output ----------------------------------------------------------------------------------
def compact(value, prefixes: dict[str, str] = PREFIXES):
    """An IRI as prefix:local when a known namespace matches (for tables)."""
    if isinstance(value, str) and "://" in value:
        for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if value.startswith(ns) and len(value) > len(ns):
                return f"{prefix}:{value[len(ns):]}"
    return value


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def format_result(result: QueryResult, fmt: str = "table", width: int | None = None) -> str:
    """The result as text in `fmt`: table, csv, tsv, json (or turtle for CONSTRUCT)."""
    if fmt not in OUTPUT_FORMATS:
        raise QueryError(f"unknown output format {fmt!r} (choose one of: {', '.join(OUTPUT_FORMATS)})")
    if fmt == "turtle":
        if result.kind != "construct":
            raise QueryError("--format turtle is for CONSTRUCT queries; use table, csv, tsv or json")
        from kg.export import canonical_quads, write_turtle

        return write_turtle(canonical_quads((ox.Quad(t.subject, t.predicate, t.object)
                                             for t in result.triples), merge_graphs=True))
    if fmt == "json":
        if result.kind == "ask":
            data = {"boolean": result.boolean}
        else:
            data = [dict(zip(result.columns, row)) for row in result.rows]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        if fmt == "csv":
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(result.columns)
            w.writerows([_cell(v) for v in row] for row in result.rows)
        else:
            esc = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"})
            buf.write("\t".join(result.columns) + "\n")
            for row in result.rows:
                buf.write("\t".join(_cell(v).translate(esc) for v in row) + "\n")
        return buf.getvalue()
    return render_table(result.columns, result.rows, width=width,
                        caption=None if result.kind == "ask" else _count(len(result.rows), "row"))


def render_table(columns, rows, width: int | None = None, caption: str | None = None, title: str | None = None) -> str:
    """A rich table as text (IRIs compacted with kg's prefixes)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(caption=caption, title=title, show_lines=False)
    for c in columns:  # fold long values (IRIs, amounts) instead of cutting them off
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(compact(v)) for v in row))
    buf = io.StringIO()
    Console(file=buf, width=width or 120, force_terminal=False, color_system=None).print(table)
    return buf.getvalue()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --- statistics --------------------------------------------------------------------------------
ENTITY_CLASSES = ("Company", "Platform", "Person", "Place", "Market", "Organization")


def store_stats(store) -> dict:
    """Counts over the article graphs (the ontology graph left out): totals (articles,
    distinct triples, entities), instances by class, distinct triples by predicate."""
    from kg.config import ARTICLE_NS, BIZ

    in_articles = f'FILTER(STRSTARTS(STR(?g), "{ARTICLE_NS}"))'

    def pairs(sparql: str) -> dict:
        return {compact(python_value(r["k"])): int(r["n"].value) for r in store.query(sparql)}

    classes = pairs(f"""SELECT ?k (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?k }} {in_articles} }}
                        GROUP BY ?k ORDER BY DESC(?n) ?k""")
    predicates = pairs(f"""SELECT ?k (COUNT(*) AS ?n) WHERE {{
                             {{ SELECT DISTINCT ?s ?k ?o WHERE {{ GRAPH ?g {{ ?s ?k ?o }} {in_articles} }} }}
                           }} GROUP BY ?k ORDER BY DESC(?n) ?k""")
    values = " ".join(f"<{BIZ}{c}>" for c in ENTITY_CLASSES)
    entities = next(iter(store.query(f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH ?g {{ ?s a ?c }} VALUES ?c {{ {values} }} {in_articles} }}""")))["n"]
    triples = sum(predicates.values())
    return {"totals": {"articles": len(store.article_graphs()), "triples": triples,
                       "entities": int(entities.value)},
            "classes": classes, "predicates": predicates}
