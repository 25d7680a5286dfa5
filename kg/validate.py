"""SHACL validation of the store's graph (pyshacl) against ontology/shapes.ttl.

The data graph is the union of all article graphs; the ontology (biz.ttl) is given as
pyshacl's ont_graph with RDFS inference, so a shape that targets a superclass also checks
instances of its subclasses.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass

from kg.config import KgError, ontology_file

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property path, what is wrong."""

    focus: str
    path: str | None
    message: str
    severity: str  # "Violation" | "Warning" | "Info"
    shape: str | None = None
    value: str | None = None


@dataclass
class ValidationReport:
    conforms: bool
    results: list[Violation]
    triples: int

    @property
    def violations(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "Violation"]


def shapes_graph():
    """ontology/shapes.ttl as an rdflib Graph (via kg.rdf when it offers it)."""
    try:
        from kg.rdf import shapes_graph as rdf_shapes
    except ImportError:
        rdf_shapes = None
    try:
        if rdf_shapes is not None:
            return rdf_shapes()
        from rdflib import Graph

        return Graph().parse(str(ontology_file("shapes.ttl")), format="turtle")
    except FileNotFoundError as e:
        raise KgError(f"SHACL shapes not found: {e.filename}") from None


def ontology_rdflib():
    try:
        from kg.rdf import ontology_graph
    except ImportError:
        from rdflib import Graph

        return Graph().parse(str(ontology_file("biz.ttl")), format="turtle")
    return ontology_graph()


def validate_graph(data_graph, shapes=None, ontology=None) -> ValidationReport:
    """Validate an rdflib Graph; returns every SHACL result, sorted."""
    from pyshacl import validate as shacl_validate
    from rdflib import RDF, Namespace

    sh = Namespace(SH)
    shapes = shapes if shapes is not None else shapes_graph()
    ontology = ontology if ontology is not None else ontology_rdflib()
    conforms, results_graph, _text = shacl_validate(
        data_graph, shacl_graph=shapes, ont_graph=ontology, inference="rdfs",
        abort_on_first=False, allow_warnings=True, advanced=True)
    results = []
    for r in results_graph.subjects(RDF.type, sh.ValidationResult):
        def one(p):
            v = results_graph.value(r, p)
            return None if v is None else str(v)

        severity = one(sh.resultSeverity) or SH + "Violation"
        results.append(Violation(
            focus=one(sh.focusNode) or "", path=one(sh.resultPath),
            message=one(sh.resultMessage) or "does not conform",
            severity=severity.rsplit("#", 1)[-1], shape=one(sh.sourceShape), value=one(sh.value)))
    results.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), results=results, triples=len(data_graph))


@contextmanager
def quiet_rdflib():
    """rdflib logs a warning with a traceback for every ill-typed literal it reads (an
    invalid xsd:date); kg reports those itself, as validation results, so mute that log."""
    logger = logging.getLogger("rdflib.term")
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


XSD = "http://www.w3.org/2001/XMLSchema#"


def ill_typed_literals(store) -> list[Violation]:
    """One Violation per literal whose text is not valid for its XSD datatype
    ("2023-13-45"^^xsd:date): SHACL shapes without sh:datatype never look at them."""
    from rdflib import Literal

    rows = store.query(f"""SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(isLiteral(?o) && STRSTARTS(STR(DATATYPE(?o)), "{XSD}")
               && DATATYPE(?o) != <{XSD}string>) }}""")
    out = []
    with quiet_rdflib():
        for r in rows:
            o = r["o"]
            if Literal(o.value, datatype=o.datatype.value).ill_typed:
                kind = "xsd:" + o.datatype.value[len(XSD):]
                out.append(Violation(focus=r["s"].value if hasattr(r["s"], "value") else str(r["s"]),
                                     path=r["p"].value, message=f"ill-typed literal: not a valid {kind}",
                                     severity="Violation", value=o.value))
    return out


def validate_store(store) -> ValidationReport:
    """Validate the union of the store's article graphs: the SHACL shapes, and every typed
    literal against its datatype."""
    with quiet_rdflib():
        report = validate_graph(store.to_rdflib())
    bad = ill_typed_literals(store)
    if bad:
        report.results = sorted(report.results + bad,
                                key=lambda v: (v.severity != "Violation", v.focus, v.path or "", v.message))
        report.conforms = False
    return report
