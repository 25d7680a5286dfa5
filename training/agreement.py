"""Inter-annotator agreement: F1 between two independent annotation passes of the same articles.

    python -m training.agreement corpus/dev/pass_a corpus/dev/pass_b [--format json]

Pass B is scored against pass A with kg's own scorer (kg.evaluate: the same matching of names,
aliases, types, relations, roles and investments as `kg evaluate`), so the figures read like
the extractor's: P/R/F1 per category, overall and per language. P and R swap when the passes
swap; F1 is nearly symmetric (the one-to-one matching can differ by a fact or two).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from kg.evaluate import (EvalReport, Gold, PredEntity, PredInvestment, Predicted, PredRelation,
                         PredRole, load_gold, score_article)


def as_predicted(gold: Gold) -> Predicted:
    """One annotation pass read as if an extractor had produced it."""
    pred = Predicted(lang=gold.lang)
    for j, e in enumerate(gold.entities):
        pred.entities[f"e{j}"] = PredEntity(f"e{j}", e.name, {e.type}, list(e.aliases))

    def iri(name):
        j = gold.index_of(name)
        return f"e{j}" if j is not None else None

    for r in gold.relations:
        if r.predicate == "hasRole":
            if iri(r.subject):
                pred.roles.append(PredRole(iri(r.subject), r.object, iri(r.org) if r.org else None))
        elif iri(r.subject) and iri(r.object):
            pred.relations.append(PredRelation(iri(r.subject), r.predicate, iri(r.object)))
    for v in gold.investments:
        target = iri(v.target)
        pred.investments.append(PredInvestment(
            iri(v.investor), target, None if target else v.target, v.amount, v.currency,
            v.stake_percent, v.kind, v.period, None, v.status))
    return pred


def agreement(dir_a: str | Path, dir_b: str | Path) -> EvalReport:
    """Pass B scored against pass A on the articles both passes annotated."""
    dir_a, dir_b = Path(dir_a), Path(dir_b)
    stems = sorted({p.stem for p in dir_a.glob("*.json")} & {p.stem for p in dir_b.glob("*.json")})
    scores = []
    for stem in stems:
        a, b = load_gold(dir_a / f"{stem}.json"), load_gold(dir_b / f"{stem}.json")
        scores.append(score_article(stem, a, as_predicted(b)))
    return EvalReport(scores, 0.0, [])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pass_a")
    ap.add_argument("pass_b")
    ap.add_argument("--format", choices=("table", "json"), default="table")
    args = ap.parse_args(argv)
    report = agreement(args.pass_a, args.pass_b)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=1))
        return
    print(f"{len(report.articles)} articles annotated twice")
    print(f"{'category':<16} {'scope':<5} {'A':>5} {'B':>5} {'both':>5} {'P':>6} {'R':>6} {'F1':>6}")
    scopes = [None, *report.languages]
    from kg.evaluate import CATEGORIES
    for cat in CATEGORIES:
        for lang in scopes:
            c = report.overall(lang)[cat]
            print(f"{cat:<16} {lang or 'all':<5} {c.tp + c.fn:>5} {c.tp + c.fp:>5} {c.tp:>5} "
                  f"{c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}")
    print("relations per predicate (F1; A/B counts):")
    for p, c in sorted(report.predicates().items()):
        print(f"  {p:<16} {c.f1:.3f}  ({c.tp + c.fn}/{c.tp + c.fp})")


if __name__ == "__main__":
    main()
