"""RDF serialisation of store contents: turtle, trig, nquads, ntriples, jsonld.

Same content, same bytes: blank nodes get canonical labels (RDFC-1.0), and every format is
written in sorted order. Turtle and TriG are written here (prefixed names, one subject block
per resource, `a` first, then predicates and objects in sorted order) because neither
rdflib's nor Oxigraph's writer promises a stable order.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.config import PREFIXES, KgError

FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "json-ld": "jsonld",
                  "n-triples": "ntriples", "n-quads": "nquads"}
QUAD_FORMATS = ("trig", "nquads", "jsonld")
EXTENSIONS = {"turtle": ".ttl", "trig": ".trig", "nquads": ".nq", "ntriples": ".nt", "jsonld": ".jsonld"}

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def write_atomic(path: str | Path, data: bytes | str | Callable[[BinaryIO], object]) -> Path:
    """Write a file so that it is either the old file or the complete new one, never a
    truncated mix (disk full, Ctrl-C, a crash): the data goes to a temporary file in the
    same folder, which is renamed over `path` on success and removed on any failure.
    `data` is bytes, text (UTF-8) or a function that writes to the open binary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f)
            else:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file 0600: give it the mode a plain open() would have
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and e.filename is None and e.errno:
            raise OSError(e.errno, e.strerror, str(path)) from None  # name the file
        raise
    return path


def check_format(format: str) -> str:
    """The canonical format name, or KgError naming the choices."""
    f = FORMAT_ALIASES.get(format.lower(), format.lower())
    if f not in FORMATS:
        raise KgError(f"unknown export format {format!r} (choose one of: {', '.join(FORMATS)})")
    return f


def canonical_quads(quads: Iterable[ox.Quad], merge_graphs: bool) -> list[ox.Quad]:
    """Deduplicated quads with canonical blank-node labels, sorted. With `merge_graphs` the
    graph names are dropped (the union graph, for triple formats)."""
    if merge_graphs:
        quads = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    quads = list(dict.fromkeys(quads))
    if any(isinstance(t, ox.BlankNode) for q in quads
           for t in (q.subject, q.object, q.graph_name)):
        ds = ox.Dataset(quads)
        ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(ds)
    return sorted(quads, key=_quad_key)


def _quad_key(q: ox.Quad):
    g = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
    return (g, _term_key(q.subject), q.predicate.value != RDF_TYPE, q.predicate.value, _term_key(q.object))


def _term_key(t) -> tuple:
    # IRIs first, then blank nodes, then literals; each sorted by their text.
    order = 0 if isinstance(t, ox.NamedNode) else 1 if isinstance(t, ox.BlankNode) else 2
    return (order, str(t))


def serialize(quads: Iterable[ox.Quad], format: str) -> bytes:
    """Quads -> bytes in `format`. Triple formats (turtle, ntriples) merge all graphs."""
    format = check_format(format)
    quads = canonical_quads(quads, merge_graphs=format not in QUAD_FORMATS)
    if format == "turtle":
        return write_turtle(quads).encode("utf-8")
    if format == "trig":
        return write_trig(quads).encode("utf-8")
    if format in ("nquads", "ntriples"):
        return "".join(f"{q} .\n" for q in quads).encode("utf-8")
    data = ox.serialize(quads, format=ox.RdfFormat.JSON_LD) if quads else b"[]"
    return (json.dumps(json.loads(data), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


# --- Turtle / TriG writer -------------------------------------------------------------------
class _Names:
    """Compacts IRIs to prefixed names and remembers which prefixes were used."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
                self.used.add(prefix)
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"

    def term(self, t) -> str:
        if isinstance(t, ox.NamedNode):
            return self.iri(t.value)
        if isinstance(t, ox.Literal):
            quoted = str(ox.Literal(t.value))
            if t.language:
                return f"{quoted}@{t.language}"
            dt = t.datatype.value
            if dt in (XSD_STRING, LANG_STRING):
                return quoted
            return f"{quoted}^^{self.iri(dt)}"
        return str(t)  # blank node: _:label

    def header(self) -> str:
        lines = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(self.used)]
        return "\n".join(lines) + "\n\n" if lines else ""


def _blocks(quads: list[ox.Quad], names: _Names, indent: str = "") -> str:
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    order = []
    for q in quads:
        if q.subject not in by_subject:
            order.append(q.subject)
        by_subject[q.subject][q.predicate].append(q.object)
    out = []
    for s in order:
        preds = by_subject[s]
        parts = []
        for p, objs in preds.items():
            pname = "a" if p.value == RDF_TYPE else names.iri(p.value)
            parts.append(f"{pname} " + ", ".join(names.term(o) for o in objs))
        body = f" ;\n{indent}    ".join(parts)
        out.append(f"{indent}{names.term(s)} {body} .")
    return "\n\n".join(out)


def write_turtle(quads: list[ox.Quad], prefixes: dict[str, str] = PREFIXES) -> str:
    """Sorted Turtle of the triples of `quads` (graph names ignored); quads must come from
    canonical_quads so the order and blank-node labels are stable."""
    names = _Names(prefixes)
    body = _blocks(quads, names)
    return names.header() + (body + "\n" if body else "")


def write_trig(quads: list[ox.Quad], prefixes: dict[str, str] = PREFIXES) -> str:
    """Sorted TriG: one `GRAPH { ... }` block per named graph, in IRI order."""
    names = _Names(prefixes)
    graphs: dict = defaultdict(list)
    for q in quads:
        graphs[q.graph_name].append(q)
    chunks = []
    for g, qs in graphs.items():
        body = _blocks(qs, names, indent="    ")
        if isinstance(g, ox.DefaultGraph):
            chunks.append("{\n" + body + "\n}")
        else:
            chunks.append(f"{names.term(g)} {{\n{body}\n}}")
    body = "\n\n".join(chunks)
    return names.header() + (body + "\n" if body else "")
