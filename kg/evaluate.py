"""Measure the graph against hand-made gold annotations (`kg evaluate GOLD_DIR ARTICLES_DIR`).

The articles are built into a store (a temporary one unless a store is given) with
`kg.build.build`, and the score is computed on what a user gets: each article's named graph,
read back from the store with SPARQL, compared with `GOLD_DIR/<stem>.json` for the article
file `ARTICLES_DIR/<stem>.<ext>` (gold format: `../shared/dev-eval/README.md`).

Scoring rules
-------------
Names. Two surface forms are equal when they are equal after normalisation: Unicode NFKC,
typographic apostrophes and quotes made straight (’ ‘ ʼ ´ ` -> ', “ ” -> "), whitespace
collapsed, case folded. A predicted entity's names are its rdfs:label and every
skos:altLabel; a gold entity's names are its `name` and every alias.

Entities. A predicted entity can match a gold entity when they share a name. Matching is
one-to-one (a maximum bipartite matching, preferring label = name and compatible types), so
two predicted entities for one gold entity give one TP and one FP: duplicates are errors.
Unmatched predicted entities are FP, unmatched gold entities FN. `entities_typed` uses
the same rule but only pairs whose types are compatible may match; Company and Platform
are compatible (the gold README: a firm and its service are told apart by use).

Relations. Every direct triple of the article graph whose property is one of the relation
predicates (operates, subsidiaryOf, sellsOn, acquires, investsIn, mergesWith, partnersWith,
competesWith, targetsMarket, headquarteredIn, worksFor) is a predicted relation; other
properties (biz:geography, biz:mentionedIn, ...) are not scored. Facts compare entities
through identities: each predicted entity stands for ONE gold entity, its partner in the
entity matching, or, for a duplicate left out of it, the gold entity its names fit best
(label = gold name, else label among the gold names, else most shared names). So a
duplicate (a short form found as a second entity) still carries its facts,
but an entity wrongly merged with another (a company with the alias of a different one)
gets no credit for that other entity's facts. A gold fact names an entity by its name (or
an alias: the entity with that name wins); a gold name that is no entity is compared with
the predicted entity's names. A predicted relation matches a gold one with the same
predicate when subject and object stand for the gold subject and object; mergesWith,
partnersWith and competesWith are symmetric and match in either order. Matching is
one-to-one: a relation found twice (say through two duplicate entities) is one TP and one
FP.
`hasRole` facts are the biz:Position nodes: a Position matches a gold hasRole when its
holder stands for the gold person, its biz:roleTitle equals the gold role after name
normalisation and dropping a leading article ("the", "il", "l'", ...), and, when the gold
gives an `org`, its biz:organization stands for that entity (a predicted org is
not required when the gold has none). `status` is not scored. The `relations` category is
the sum over all predicates including hasRole; each predicate is also reported by itself,
and `roles` repeats the hasRole counts.

Investments. A predicted biz:Investment matches a gold investment when the investor
stands for the gold investor (or both have none) and
* the gold amount is given: the predicted biz:amount has a value within 1% of it and the
  same currency (an equivalent amount in another currency is not the amount);
* the gold amount is null: the target matches (an entity standing for the gold target,
  or a biz:targetDescription equal to it after normalisation) and, when the gold
  gives a `stake_percent`, the predicted biz:stakePercent is within 1% of it.
Kind, period and status are not part of the match; for matched pairs the report counts how
many agree (`investment_fields`).

Confidence. A fact counts only when its evidence has biz:confidence >= min_confidence
(the highest of its evidence nodes; a fact without evidence counts). Entities have no
confidence and are always read.

Numbers. Per article, per category and per predicate the report keeps TP/FP/FN; language
and overall scores are micro averages (the counts are summed, then P/R/F1 are computed).
P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2PR/(P+R); with nothing predicted and nothing in the
gold all three are 1, otherwise an empty denominator gives 0. The language of an article is
the `it`/`en` part of its file stem (`05_it_some_title`), else the gold's `lang`,
else the article's biz:language in the graph.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from rdflib import RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef

from kg.config import KgError
from kg.facts import RELATION_PREDICATES, SYMMETRIC_PREDICATES
from kg.terms import BIZ, BIZ_IRI, ENTITY_CLASSES

# Score the graph as built: the learned layer already keeps only facts whose calibrated
# probability passes its F1-optimal threshold (kg/models/relations.npz); raise this to score
# the surer part of the graph.
DEFAULT_MIN_CONFIDENCE = 0.0
ROLE_PREDICATE = "hasRole"
SCORED_PREDICATES = tuple(RELATION_PREDICATES) + (ROLE_PREDICATE,)
CATEGORIES = ("entities", "entities_typed", "relations", "roles", "investments")
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")
LANGUAGES = ("it", "en")
AMOUNT_TOLERANCE = 0.01  # relative: "amount within 1%"

# Entity types that may stand for each other when types are compared.
_TYPE_GROUP = {"Company": "Company", "Platform": "Company"}
_CLASS_TYPE = {str(iri): name for name, iri in ENTITY_CLASSES.items()}
_RELATION_IRIS = {str(BIZ[p]): p for p in RELATION_PREDICATES}

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"'})
_ARTICLE_WORDS = re.compile(r"^(?:(?:the|a|an|il|lo|la|i|gli|le|un|uno|una)\s+|l'|un')")


# ------------------------------------------------------------------------------------------
# Normalisation
# ------------------------------------------------------------------------------------------
def normalize_name(text: str | None) -> str:
    """The form two names are compared in: NFKC, straight apostrophes, one space, casefolded."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


def normalize_role(text: str | None) -> str:
    """A role title as compared: a normalised name without a leading article."""
    return _ARTICLE_WORDS.sub("", normalize_name(text), count=1).strip()


def types_compatible(a: str | None, b: str | None) -> bool:
    """True when two entity types count as the same (Company and Platform do)."""
    if not a or not b:
        return False
    return _TYPE_GROUP.get(a, a) == _TYPE_GROUP.get(b, b)


def language_of(stem: str, fallback: str | None = None) -> str:
    """`it`/`en` from a file stem such as `05_it_some_title`, else the fallback."""
    for part in re.split(r"[_\-.]", stem.lower()):
        if part in LANGUAGES:
            return part
    return fallback or "unknown"


# ------------------------------------------------------------------------------------------
# Counts
# ------------------------------------------------------------------------------------------
@dataclass
class Counts:
    """True positives, false positives and false negatives, with P/R/F1 derived from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 1.0 if self.fn == 0 else 0.0

    @property
    def recall(self) -> float:
        if self.tp + self.fn:
            return self.tp / (self.tp + self.fn)
        return 1.0 if self.fp == 0 else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def empty(self) -> bool:
        return self.tp + self.fp + self.fn == 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total = total + c
    return total


# ------------------------------------------------------------------------------------------
# Gold
# ------------------------------------------------------------------------------------------
@dataclass
class GoldEntity:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {normalize_name(n) for n in [self.name, *self.aliases] if n}


@dataclass
class GoldRelation:
    subject: str
    predicate: str
    object: str
    org: str | None = None
    status: str | None = None
    evidence: str = ""


@dataclass
class GoldInvestment:
    investor: str | None
    target: str | None
    amount: float | None
    currency: str | None
    stake_percent: float | None = None
    kind: str | None = None
    period: str | None = None
    status: str | None = None
    evidence: str = ""


@dataclass
class Gold:
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)
    investments: list[GoldInvestment] = field(default_factory=list)
    lang: str | None = None

    def index_of(self, name: str | None) -> int | None:
        """The gold entity a fact names: the one with this `name`, else the first with it as
        an alias, else None (a target description, not an entity)."""
        if not name:
            return None
        key = normalize_name(name)
        for j, e in enumerate(self.entities):
            if normalize_name(e.name) == key:
                return j
        for j, e in enumerate(self.entities):
            if key in e.names:
                return j
        return None


def load_gold(path: str | Path) -> Gold:
    """Read one gold file (`entities`, `relations`, `investments`); a malformed file is a
    KgError naming it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entities = [GoldEntity(e["name"], e.get("type") or "", list(e.get("aliases") or []))
                    for e in data.get("entities", [])]
        relations = [GoldRelation(r["subject"], r["predicate"], r["object"], r.get("org"),
                                  r.get("status"), r.get("evidence") or "")
                     for r in data.get("relations", [])]
        investments = [GoldInvestment(i.get("investor"), i.get("target"), i.get("amount"),
                                      i.get("currency"), i.get("stake_percent"), i.get("kind"),
                                      i.get("period"), i.get("status"), i.get("evidence") or "")
                       for i in data.get("investments", [])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise KgError(f"cannot read gold file {path}: {e}") from None
    return Gold(entities, relations, investments, data.get("lang"))


# ------------------------------------------------------------------------------------------
# Predicted: what one article graph says
# ------------------------------------------------------------------------------------------
@dataclass
class PredEntity:
    iri: str
    label: str
    types: set[str] = field(default_factory=set)
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {normalize_name(n) for n in [self.label, *self.aliases] if n}

    @property
    def type(self) -> str | None:
        return min(self.types) if self.types else None


@dataclass
class PredRelation:
    subject: str  # entity IRI
    predicate: str
    object: str
    confidence: float | None = None


@dataclass
class PredRole:
    holder: str
    role: str
    org: str | None = None
    confidence: float | None = None


@dataclass
class PredInvestment:
    investor: str | None
    target: str | None = None
    target_description: str | None = None
    amount: float | None = None
    currency: str | None = None
    stake_percent: float | None = None
    kind: str | None = None
    period: str | None = None
    period_text: str | None = None
    status: str | None = None
    confidence: float | None = None


@dataclass
class Predicted:
    entities: dict[str, PredEntity] = field(default_factory=dict)
    relations: list[PredRelation] = field(default_factory=list)
    roles: list[PredRole] = field(default_factory=list)
    investments: list[PredInvestment] = field(default_factory=list)
    lang: str | None = None

    def names(self, iri: str | None) -> set[str]:
        if iri is None:
            return set()
        entity = self.entities.get(iri)
        return entity.names if entity else set()

    def label(self, iri: str | None) -> str:
        if iri is None:
            return "-"
        entity = self.entities.get(iri)
        return entity.label if entity and entity.label else iri.rsplit("/", 1)[-1]


def _number(term) -> float | None:
    if term is None:
        return None
    try:
        return float(term.toPython() if isinstance(term, Literal) else term)
    except (TypeError, ValueError):
        return None


def _text(term) -> str | None:
    return None if term is None else str(term)


def _max_confidence(graph: Graph, evidence_nodes: Iterable) -> float | None:
    values = [v for ev in evidence_nodes
              for v in (_number(c) for c in graph.objects(ev, BIZ.confidence)) if v is not None]
    return max(values) if values else None


def _kept(confidence: float | None, min_confidence: float) -> bool:
    return confidence is None or confidence >= min_confidence - 1e-9


def read_predicted(graph: Graph, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Predicted:
    """The facts of one article graph (rdflib) in the shape the scorer compares.

    Entities are the nodes typed with an entity class (or marked biz:mentionedIn);
    relations the direct triples of the relation properties; roles the biz:Position nodes;
    investments the biz:Investment nodes. Facts whose best evidence confidence is below
    `min_confidence` are left out.
    """
    pred = Predicted()
    lang = next(graph.objects(None, BIZ.language), None)
    pred.lang = _text(lang)
    nodes = {s for s, t in graph.subject_objects(RDF.type) if str(t) in _CLASS_TYPE}
    nodes |= set(graph.subjects(BIZ.mentionedIn, None))
    for node in sorted(nodes, key=str):
        types = {_CLASS_TYPE[str(t)] for t in graph.objects(node, RDF.type) if str(t) in _CLASS_TYPE}
        labels = sorted(str(x) for x in graph.objects(node, RDFS.label))
        aliases = sorted(str(x) for x in graph.objects(node, SKOS.altLabel))
        label = labels[0] if labels else ""
        pred.entities[str(node)] = PredEntity(str(node), label, types, labels[1:] + aliases)

    # evidence of direct triples: rdf:Statement nodes naming them
    statement_conf: dict[tuple[str, str, str], list] = {}
    for st in graph.subjects(RDF.predicate, None):
        s, p, o = (graph.value(st, RDF.subject), graph.value(st, RDF.predicate),
                   graph.value(st, RDF.object))
        if s is not None and p is not None and o is not None:
            statement_conf.setdefault((str(s), str(p), str(o)), []).append(st)
    for p_iri, predicate in _RELATION_IRIS.items():
        for s, o in graph.subject_objects(URIRef(p_iri)):
            if isinstance(o, Literal):
                continue
            evs = statement_conf.get((str(s), p_iri, str(o)), [])
            if predicate in SYMMETRIC_PREDICATES:
                evs = evs + statement_conf.get((str(o), p_iri, str(s)), [])
            conf = _max_confidence(graph, evs)
            if _kept(conf, min_confidence):
                pred.relations.append(PredRelation(str(s), predicate, str(o), conf))

    for node in graph.subjects(RDF.type, BIZ.Position):
        holder = graph.value(node, BIZ.holder)
        if holder is None:
            continue
        conf = _max_confidence(graph, graph.objects(node, BIZ.evidence))
        if not _kept(conf, min_confidence):
            continue
        pred.roles.append(PredRole(str(holder), _text(graph.value(node, BIZ.roleTitle)) or "",
                                   _text(graph.value(node, BIZ.organization)), conf))

    for node in graph.subjects(RDF.type, BIZ.Investment):
        conf = _max_confidence(graph, graph.objects(node, BIZ.evidence))
        if not _kept(conf, min_confidence):
            continue
        amount = graph.value(node, BIZ.amount)
        pred.investments.append(PredInvestment(
            investor=_text(graph.value(node, BIZ.investor)),
            target=_text(graph.value(node, BIZ.target)),
            target_description=_text(graph.value(node, BIZ.targetDescription)),
            amount=_number(graph.value(amount, BIZ.value)) if amount is not None else None,
            currency=_text(graph.value(amount, BIZ.currency)) if amount is not None else None,
            stake_percent=_number(graph.value(node, BIZ.stakePercent)),
            kind=_text(graph.value(node, BIZ.kind)),
            period=_text(graph.value(node, BIZ.period)),
            period_text=_text(graph.value(node, BIZ.periodText)),
            status=_text(graph.value(node, BIZ.status)),
            confidence=conf))
    pred.relations.sort(key=lambda r: (r.predicate, r.subject, r.object))
    pred.roles.sort(key=lambda r: (r.holder, r.role, r.org or ""))
    return pred


# ------------------------------------------------------------------------------------------
# Matching
# ------------------------------------------------------------------------------------------
def match(preds: Sequence, golds: Sequence, ok: Callable[[object, object], bool],
          bonus: Callable[[object, object], float] | None = None) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of predicted to gold items among the pairs `ok` allows;
    among matchings of that size, the one with the highest total `bonus` (0..10 a pair).
    Returns (pred index, gold index) pairs."""
    if not preds or not golds:
        return []
    allowed = [[ok(p, g) for g in golds] for p in preds]
    if not any(any(row) for row in allowed):
        return []
    from scipy.optimize import linear_sum_assignment

    big = 100.0 * (min(len(preds), len(golds)) + 1)
    cost = [[-(big + (bonus(p, g) if bonus else 0.0)) if allowed[i][j] else 0.0
             for j, g in enumerate(golds)] for i, p in enumerate(preds)]
    rows, cols = linear_sum_assignment(cost)
    return sorted((int(i), int(j)) for i, j in zip(rows, cols) if allowed[i][j])


@dataclass
class ArticleScore:
    """The counts of one article and the items behind its errors."""

    id: str
    lang: str
    categories: dict[str, Counts] = field(default_factory=dict)
    predicates: dict[str, Counts] = field(default_factory=dict)
    investment_fields: dict[str, Counts] = field(default_factory=dict)
    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"id": self.id, "lang": self.lang,
                "scores": {k: v.to_dict() for k, v in self.categories.items()},
                "predicates": {k: v.to_dict() for k, v in self.predicates.items() if not v.empty},
                "investment_fields": {k: {"agree": v.tp, "matched": v.tp + v.fn}
                                      for k, v in self.investment_fields.items()},
                "errors": self.errors}


def _error_lists(pred_items: Sequence, gold_items: Sequence, pairs: list[tuple[int, int]],
                 show_pred: Callable, show_gold: Callable) -> tuple[Counts, dict[str, list[str]]]:
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    fp = [show_pred(p) for i, p in enumerate(pred_items) if i not in matched_p]
    fn = [show_gold(g) for j, g in enumerate(gold_items) if j not in matched_g]
    return Counts(len(pairs), len(fp), len(fn)), {"fp": sorted(fp), "fn": sorted(fn)}


def _name_bonus(p: PredEntity, g: GoldEntity) -> float:
    """How well a predicted entity's names fit a gold entity (label = name is best)."""
    label = normalize_name(p.label)
    b = 4.0 if label == normalize_name(g.name) else 2.0 if label in g.names else 0.0
    return b + min(1.0, len(p.names & g.names) / 4)


def score_entities(gold: Gold, pred: Predicted, typed: bool) -> tuple[Counts, dict, list]:
    preds = list(pred.entities.values())

    def ok(p: PredEntity, g: GoldEntity) -> bool:
        if not (p.names & g.names):
            return False
        return not typed or any(types_compatible(t, g.type) for t in p.types)

    def bonus(p: PredEntity, g: GoldEntity) -> float:
        b = _name_bonus(p, g)
        if any(t == g.type for t in p.types):
            b += 3
        elif any(types_compatible(t, g.type) for t in p.types):
            b += 2
        return b

    pairs = match(preds, gold.entities, ok, bonus)
    show_p = (lambda p: f"{p.label} [{'/'.join(sorted(p.types)) or '?'}]")
    show_g = (lambda g: f"{g.name} [{g.type}]")
    counts, errors = _error_lists(preds, gold.entities, pairs, show_p, show_g)
    if not typed:  # found, but typed wrong: what the typed score counts against
        errors["type"] = sorted(
            f"{preds[i].label} [{'/'.join(sorted(preds[i].types)) or '?'}], gold {gold.entities[j].type}"
            for i, j in pairs if not any(types_compatible(t, gold.entities[j].type) for t in preds[i].types))
    return counts, errors, pairs


def entity_identities(gold: Gold, pred: Predicted, pairs: list[tuple[int, int]]) -> dict[str, int]:
    """Predicted entity IRI -> index of the one gold entity it stands for in facts: its
    partner in the entity matching, else (a duplicate) the gold entity its names fit best."""
    preds = list(pred.entities.values())
    ident = {preds[i].iri: j for i, j in pairs}
    for p in preds:
        if p.iri in ident:
            continue
        fits = [(_name_bonus(p, g), -j) for j, g in enumerate(gold.entities) if p.names & g.names]
        if fits:
            ident[p.iri] = -max(fits)[1]
    return ident


class _Same:
    """Does a predicted entity (IRI) stand for the gold entity a fact names?"""

    def __init__(self, gold: Gold, pred: Predicted, ident: dict[str, int]) -> None:
        self.gold, self.pred, self.ident = gold, pred, ident

    def __call__(self, iri: str | None, gold_name: str | None) -> bool:
        if iri is None or not gold_name:
            return False
        j = self.gold.index_of(gold_name)
        if j is None:  # not an entity of the gold: compare names
            return normalize_name(gold_name) in self.pred.names(iri)
        return self.ident.get(iri) == j

    def target(self, p: "PredInvestment", gold_target: str | None) -> bool:
        if not gold_target:
            return p.target is None and not p.target_description
        if p.target is not None and self(p.target, gold_target):
            return True
        return normalize_name(p.target_description) == normalize_name(gold_target)


def _relation_ok(same: _Same) -> Callable[[PredRelation, GoldRelation], bool]:
    def ok(p: PredRelation, g: GoldRelation) -> bool:
        if p.predicate != g.predicate:
            return False
        if same(p.subject, g.subject) and same(p.object, g.object):
            return True
        return g.predicate in SYMMETRIC_PREDICATES and same(p.subject, g.object) \
            and same(p.object, g.subject)
    return ok


def _role_ok(same: _Same) -> Callable[[PredRole, GoldRelation], bool]:
    def ok(p: PredRole, g: GoldRelation) -> bool:
        if not same(p.holder, g.subject):
            return False
        if normalize_role(p.role) != normalize_role(g.object):
            return False
        return not g.org or same(p.org, g.org)
    return ok


def _role_bonus(p: PredRole, g: GoldRelation) -> float:
    if g.org and p.org:
        return 2.0
    return 1.0 if not g.org and not p.org else 0.0


def _close(a: float | None, b: float | None, tolerance: float = AMOUNT_TOLERANCE) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= tolerance * abs(b) + 1e-9


def _investment_ok(same: _Same) -> Callable[[PredInvestment, GoldInvestment], bool]:
    def ok(p: PredInvestment, g: GoldInvestment) -> bool:
        if g.investor is None or p.investor is None:
            if g.investor is not None or p.investor is not None:
                return False
        elif not same(p.investor, g.investor):
            return False
        if g.amount is not None:
            return _close(p.amount, float(g.amount)) and \
                (p.currency or "").upper() == (g.currency or "").upper()
        if not g.target or not same.target(p, g.target):
            return False
        return g.stake_percent is None or _close(p.stake_percent, float(g.stake_percent))
    return ok


def _show_relation(pred: Predicted) -> Callable[[PredRelation], str]:
    return lambda r: f"{r.predicate}({pred.label(r.subject)}, {pred.label(r.object)})"


def _show_gold_relation(g: GoldRelation) -> str:
    if g.predicate == ROLE_PREDICATE:
        return f"hasRole({g.subject}, {g.object!r}{', ' + g.org if g.org else ''})"
    return f"{g.predicate}({g.subject}, {g.object})"


def _show_money(amount, currency) -> str:
    if amount is None:
        return "no amount"
    return f"{float(amount):,.0f} {currency or '?'}"


def score_article(stem: str, gold: Gold, pred: Predicted) -> ArticleScore:
    """Compare one article's predicted facts with its gold (rules: module docstring)."""
    score = ArticleScore(stem, language_of(stem, gold.lang or pred.lang))
    for typed, name in ((False, "entities"), (True, "entities_typed")):
        counts, errors, pairs = score_entities(gold, pred, typed)
        score.categories[name] = counts
        score.errors[name] = errors
        if not typed:
            same = _Same(gold, pred, entity_identities(gold, pred, pairs))

    rel_ok, role_ok = _relation_ok(same), _role_ok(same)
    for predicate in SCORED_PREDICATES:
        golds = [g for g in gold.relations if g.predicate == predicate]
        if predicate == ROLE_PREDICATE:
            preds = pred.roles
            pairs = match(preds, golds, role_ok, _role_bonus)
            show = (lambda r: f"hasRole({pred.label(r.holder)}, {r.role!r}"
                              f"{', ' + pred.label(r.org) if r.org else ''})")
        else:
            preds = [r for r in pred.relations if r.predicate == predicate]
            pairs = match(preds, golds, rel_ok)
            show = _show_relation(pred)
        counts, errors = _error_lists(preds, golds, pairs, show, _show_gold_relation)
        score.predicates[predicate] = counts
        if errors["fp"] or errors["fn"]:
            score.errors[predicate] = errors
    unknown = sorted({g.predicate for g in gold.relations} - set(SCORED_PREDICATES))
    for predicate in unknown:  # a gold predicate kg has no property for: all missed
        golds = [g for g in gold.relations if g.predicate == predicate]
        score.predicates[predicate] = Counts(0, 0, len(golds))
        score.errors[predicate] = {"fp": [], "fn": sorted(map(_show_gold_relation, golds))}
    score.categories["relations"] = _sum(score.predicates.values())
    score.categories["roles"] = score.predicates[ROLE_PREDICATE]

    inv_pairs = match(pred.investments, gold.investments, _investment_ok(same))
    counts, errors = _error_lists(
        pred.investments, gold.investments, inv_pairs,
        lambda p: f"{pred.label(p.investor) if p.investor else '-'} -> "
                  f"{pred.label(p.target) if p.target else (p.target_description or '-')}: "
                  f"{_show_money(p.amount, p.currency)}"
                  f"{f', {p.stake_percent:g}%' if p.stake_percent is not None else ''}",
        lambda g: f"{g.investor or '-'} -> {g.target or '-'}: {_show_money(g.amount, g.currency)}"
                  f"{f', {g.stake_percent:g}%' if g.stake_percent is not None else ''}")
    score.categories["investments"] = counts
    score.errors["investments"] = errors
    score.investment_fields = _investment_fields(gold, pred, inv_pairs, same)
    return score


def _investment_fields(gold: Gold, pred: Predicted, pairs: list[tuple[int, int]],
                       same: _Same) -> dict[str, Counts]:
    """For matched investments: does each detail agree? (tp = agrees, fn = differs)."""
    fields: dict[str, Counts] = {k: Counts() for k in ("target", "kind", "status", "period")}
    for i, j in pairs:
        p, g = pred.investments[i], gold.investments[j]
        target = same.target(p, g.target)
        period = (g.period is None and p.period_text is None and p.period is None) or (
            g.period is not None and normalize_name(p.period_text) == normalize_name(g.period))
        checks = {"target": target,
                  "kind": (p.kind or None) == (g.kind or None),
                  "status": (p.status or None) == (g.status or None),
                  "period": period}
        for k, agree in checks.items():
            fields[k] = fields[k] + (Counts(tp=1) if agree else Counts(fn=1))
    return fields


# ------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------
@dataclass
class EvalReport:
    """Scores of every article, with language and overall micro averages."""

    articles: list[ArticleScore]
    min_confidence: float
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    def _total(self, scores: Iterable[ArticleScore], attr: str) -> dict[str, Counts]:
        out: dict[str, Counts] = {}
        for s in scores:
            for k, v in getattr(s, attr).items():
                out[k] = out.get(k, Counts()) + v
        return out

    @property
    def languages(self) -> list[str]:
        return sorted({a.lang for a in self.articles})

    def overall(self, lang: str | None = None) -> dict[str, Counts]:
        """Category -> summed counts, over all articles or those of one language."""
        scores = [a for a in self.articles if lang is None or a.lang == lang]
        totals = self._total(scores, "categories")
        return {k: totals.get(k, Counts()) for k in CATEGORIES}

    def predicates(self, lang: str | None = None) -> dict[str, Counts]:
        scores = [a for a in self.articles if lang is None or a.lang == lang]
        return self._total(scores, "predicates")

    def investment_fields(self) -> dict[str, Counts]:
        return self._total(self.articles, "investment_fields")

    def to_dict(self) -> dict:
        predicates = self.predicates()
        return {
            "min_confidence": self.min_confidence,
            "articles_scored": len(self.articles),
            "overall": {k: v.to_dict() for k, v in self.overall().items()},
            "by_language": {lang: {k: v.to_dict() for k, v in self.overall(lang).items()}
                            for lang in self.languages},
            "predicates": {p: c.to_dict() for p, c in predicates.items() if not c.empty},
            "predicates_by_language": {
                lang: {p: c.to_dict() for p, c in self.predicates(lang).items() if not c.empty}
                for lang in self.languages},
            "investment_fields": {k: {"agree": v.tp, "matched": v.tp + v.fn}
                                  for k, v in self.investment_fields().items()},
            "articles": [a.to_dict() for a in self.articles],
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
        }


# ------------------------------------------------------------------------------------------
# Reading the store
# ------------------------------------------------------------------------------------------
_ARTICLES_QUERY = f"""
SELECT ?g ?id ?lang WHERE {{
  GRAPH ?g {{ ?a a <{BIZ_IRI}Article> ; <{BIZ_IRI}sourceId> ?id .
             OPTIONAL {{ ?a <{BIZ_IRI}language> ?lang }} }}
}}"""


def _to_rdflib(term):
    """A pyoxigraph term (or an rdflib one) as an rdflib term."""
    if term is None or isinstance(term, (URIRef, Literal, BNode)):
        return term
    cls = type(term).__name__
    if cls == "NamedNode":
        return URIRef(term.value)
    if cls == "BlankNode":
        return BNode(term.value)
    if cls == "Literal":
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value if term.datatype is not None else None
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            datatype = None
        return Literal(term.value, datatype=URIRef(datatype) if datatype else None)
    return Literal(str(term))


def _solutions(store, sparql: str) -> list[dict]:
    """Run a SELECT on a kg Store, a pyoxigraph Store or an rdflib graph; rows as dicts of
    rdflib terms."""
    result = store.query(sparql)
    variables = getattr(result, "variables", None) or getattr(result, "vars", None) or []
    names = [getattr(v, "value", None) or str(v).lstrip("?") for v in variables]
    rows = []
    for solution in result:
        row = {}
        for i, name in enumerate(names):
            try:
                value = solution[name]
            except (KeyError, IndexError, TypeError):
                value = solution[i]
            row[name] = _to_rdflib(value)
        rows.append(row)
    return rows


def article_graphs(store) -> dict[str, tuple[str, str | None]]:
    """Source id (file stem) -> (IRI of its named graph, language) for every stored article."""
    out: dict[str, tuple[str, str | None]] = {}
    for row in _solutions(store, _ARTICLES_QUERY):
        if row.get("id") is None or row.get("g") is None:
            continue
        out[str(row["id"])] = (str(row["g"]), _text(row.get("lang")))
    return out


def fetch_graph(store, graph_iri: str) -> Graph:
    """All triples of one named graph, as an rdflib Graph."""
    graph = Graph()
    for row in _solutions(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"):
        graph.add((row["s"], row["p"], row["o"]))
    return graph


# ------------------------------------------------------------------------------------------
# evaluate()
# ------------------------------------------------------------------------------------------
def pair_files(gold_dir: str | Path, articles_dir: str | Path) -> tuple[list[tuple[str, Path, Path]], list[tuple[str, str]]]:
    """(stem, gold file, article file) for every gold file with an article of the same stem,
    and (path, reason) for the gold files without one. Missing folders are KgErrors."""
    gold_dir, articles_dir = Path(gold_dir), Path(articles_dir)
    if not gold_dir.is_dir():
        raise KgError(f"gold folder not found: {gold_dir}")
    if not articles_dir.is_dir():
        raise KgError(f"articles folder not found: {articles_dir}")
    articles: dict[str, Path] = {}
    for path in sorted(articles_dir.iterdir()):
        if path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES:
            articles.setdefault(path.stem, path)
    pairs, skipped = [], []
    for gold in sorted(gold_dir.glob("*.json")):
        if gold.stem in articles:
            pairs.append((gold.stem, gold, articles[gold.stem]))
        else:
            skipped.append((str(gold), f"no article {gold.stem}.* in {articles_dir}"))
    if not pairs:
        raise KgError(f"no gold file in {gold_dir} has an article of the same name in {articles_dir}")
    return pairs, skipped


def evaluate(gold_dir: str | Path, articles_dir: str | Path, store=None,
             min_confidence: float = DEFAULT_MIN_CONFIDENCE, build: bool = True,
             lang: str = "auto", progress: bool = False) -> EvalReport:
    """Build the articles that have gold files and score their graphs against the gold.

    `store`: a kg Store (or anything with a pyoxigraph-style `query`); None builds into a
    throwaway in-memory store. `build=False` scores what the store already
    holds (the articles must have been built from the same files).
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise KgError(f"--min-confidence must be between 0 and 1, not {min_confidence}")
    pairs, skipped = pair_files(gold_dir, articles_dir)
    golds = {stem: load_gold(path) for stem, path, _ in pairs}
    if store is not None:
        return _evaluate_in(store, pairs, golds, skipped, min_confidence, build, lang, progress)
    from kg.store import OxigraphStore

    with OxigraphStore.in_memory() as tmp_store:  # a throwaway store, gone when scored
        return _evaluate_in(tmp_store, pairs, golds, skipped, min_confidence, build, lang,
                            progress)


def _evaluate_in(store, pairs, golds, skipped, min_confidence, build, lang, progress) -> EvalReport:
    skipped = list(skipped)
    if build:
        from kg.build import build as build_articles

        report = build_articles([str(a) for _, _, a in pairs], store, lang=lang, progress=progress)
        for path, reason in getattr(report, "rejected", []) or []:
            skipped.append((str(path), f"not built: {reason}"))
    graphs = article_graphs(store)
    scores = []
    for stem, _, article_path in pairs:
        if stem not in graphs:
            if not any(p == str(article_path) for p, _ in skipped):
                skipped.append((str(article_path), "no graph for this article in the store"))
            continue
        graph_iri, graph_lang = graphs[stem]
        predicted = read_predicted(fetch_graph(store, graph_iri), min_confidence)
        predicted.lang = predicted.lang or graph_lang
        scores.append(score_article(stem, golds[stem], predicted))
    if not scores:
        reasons = "; ".join(f"{Path(p).name}: {r}" for p, r in skipped[:3])
        raise KgError(f"no article could be scored ({reasons})")
    return EvalReport(scores, min_confidence, skipped)


# ------------------------------------------------------------------------------------------
# Table output
# ------------------------------------------------------------------------------------------
_CATEGORY_LABELS = {"entities": "entities", "entities_typed": "entities (typed)",
                    "relations": "relations", "roles": "  roles (hasRole)",
                    "investments": "investments"}


def _f(x: float) -> str:
    return f"{x:.3f}"


def render(report: EvalReport, console=None, errors: bool = False) -> None:
    """Print the report as rich tables: overall and per language, per predicate, per article
    (and, with `errors`, every false positive and false negative)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    langs = report.languages
    counts_by_lang = {lang: sum(1 for a in report.articles if a.lang == lang) for lang in langs}
    title = (f"kg evaluate: {len(report.articles)} articles ("
             + ", ".join(f"{k}: {v}" for k, v in counts_by_lang.items())
             + f"), min confidence {report.min_confidence:g}")
    table = Table(title=title, title_justify="left")
    for col in ("category", "scope", "TP", "FP", "FN", "P", "R", "F1"):
        table.add_column(col, justify="left" if col in ("category", "scope") else "right")
    for cat in CATEGORIES:
        scopes = [("all", report.overall()[cat])] + [(lang, report.overall(lang)[cat]) for lang in langs]
        for i, (scope, c) in enumerate(scopes):
            table.add_row(_CATEGORY_LABELS[cat] if i == 0 else "", scope, str(c.tp), str(c.fp),
                          str(c.fn), _f(c.precision), _f(c.recall),
                          f"[bold]{_f(c.f1)}[/bold]" if scope == "all" else _f(c.f1),
                          end_section=(i == len(scopes) - 1))
    console.print(table)

    ptable = Table(title="per predicate", title_justify="left")
    for col in ["predicate", "TP", "FP", "FN", "P", "R", "F1"] + [f"F1 {lang}" for lang in langs]:
        ptable.add_column(col, justify="left" if col == "predicate" else "right")
    overall = report.predicates()
    by_lang = {lang: report.predicates(lang) for lang in langs}
    for predicate in sorted(overall, key=lambda p: (p not in SCORED_PREDICATES, p)):
        c = overall[predicate]
        if c.empty:
            continue
        per_lang = []
        for lang in langs:
            lc = by_lang[lang].get(predicate, Counts())
            per_lang.append("-" if lc.empty else _f(lc.f1))
        ptable.add_row(predicate, str(c.tp), str(c.fp), str(c.fn), _f(c.precision),
                       _f(c.recall), _f(c.f1), *per_lang)
    console.print(ptable)

    atable = Table(title="per article (F1)", title_justify="left")
    for col in ("article", "lang", "entities", "typed", "relations", "roles", "investments"):
        atable.add_column(col, justify="left" if col in ("article", "lang") else "right")
    for a in report.articles:
        atable.add_row(a.id, a.lang, *(_f(a.categories[c].f1) for c in CATEGORIES))
    console.print(atable)

    fields = report.investment_fields()
    matched = max((c.tp + c.fn for c in fields.values()), default=0)
    if matched:
        console.print("matched investments with the same detail: " + ", ".join(
            f"{k} {c.tp}/{c.tp + c.fn}" for k, c in fields.items()))
    for path, reason in report.skipped:
        console.print(f"[yellow]skipped[/yellow] {path}: {reason}")
    if errors:
        for a in report.articles:
            console.rule(f"{a.id} ({a.lang})")
            for cat, lists in a.errors.items():
                if cat == "entities_typed":
                    continue
                for kind in ("fp", "fn", "type"):
                    for item in lists.get(kind, []):
                        console.print(f"  {kind.upper()} {cat}: {item}", markup=False,
                                      highlight=False)
