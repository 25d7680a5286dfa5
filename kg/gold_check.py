"""Check a gold annotation file against the annotation rules (`corpus/README.md`).

A gold file belongs to an article (`gold/<stem>.json` beside `articles/<stem>.txt`). It is valid
when every name, alias and evidence string occurs verbatim in the article; entity types,
predicates, statuses and investment kinds are those of the rules; relation and investment ends
are declared entities (the object of `hasRole` is a role string, normalised as the rules say; an investment target may be a
description); numbers are numbers.

    python -m kg.gold_check corpus/train/gold/*.json      # one line per problem, exit 1 if any
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from kg.facts import ENTITY_TYPES, INVESTMENT_KINDS, RELATION_PREDICATES

ROLE_PREDICATE = "hasRole"
PREDICATES = (*RELATION_PREDICATES, ROLE_PREDICATE)
# Statuses the annotation rules allow on relations and investments.
GOLD_STATUSES = ("former", "announced", "agreed, pending")
ENTITY_KEYS = {"name", "type", "aliases"}
RELATION_KEYS = {"subject", "predicate", "object", "evidence", "org", "status"}
INVESTMENT_KEYS = {"investor", "target", "amount", "currency", "period", "evidence", "kind",
                   "stake_percent", "status", "date", "note"}


def article_for(gold_path: str | Path) -> Path:
    """The article a gold file belongs to: `../articles/<stem>.txt`."""
    gold_path = Path(gold_path)
    return gold_path.parent.parent / "articles" / f"{gold_path.stem}.txt"


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_gold(data: object, text: str) -> list[str]:
    """Every way `data` (a parsed gold file) breaks the rules for the article `text`."""
    if not isinstance(data, dict):
        return ["the file is not a JSON object"]
    problems: list[str] = []

    def name(x: object) -> str | None:
        """A name field's value when it is a string (anything else is reported elsewhere)."""
        return x if isinstance(x, str) else None

    def record(kind: str, i: int, rec: object, keys: set[str]) -> bool:
        """Whether `rec` is an object; its unknown keys are a problem."""
        if not isinstance(rec, dict):
            problems.append(f"{kind} {i}: not an object")
            return False
        if set(rec) - keys:
            problems.append(f"{kind} {i}: unknown keys {sorted(set(rec) - keys)}")
        return True

    def declared_end(label: str, field: str, value: object) -> None:
        if name(value) not in names:
            problems.append(f"{label}: {field} is not a declared entity name or alias")

    def verbatim(what: str, s: object) -> None:
        if not isinstance(s, str) or not s.strip():
            problems.append(f"{what}: not a non-empty string: {s!r}")
        elif s not in text:
            problems.append(f"{what}: not verbatim in the article: {s!r}")

    extra = set(data) - {"entities", "relations", "investments", "lang"}
    if extra:
        problems.append(f"unknown top-level keys: {sorted(extra)}")
    names: set[str] = set()  # entity names and aliases: what facts may name
    declared: set[tuple] = set()  # (name, type): homonyms of different types may coexist
    for i, e in enumerate(data.get("entities") or []):
        if not record("entity", i, e, ENTITY_KEYS):
            continue
        verbatim(f"entity {i} name", e.get("name"))
        if name(e.get("type")) not in ENTITY_TYPES:
            problems.append(f"entity {e.get('name')!r}: type {e.get('type')!r} not one of {ENTITY_TYPES}")
        aliases = e.get("aliases") or []
        if not isinstance(aliases, list):
            problems.append(f"entity {e.get('name')!r}: aliases is not a list")
            aliases = []
        for a in aliases:
            verbatim(f"alias of {e.get('name')!r}", a)
        if isinstance(e.get("name"), str):
            # homonyms of different types are two entities ("Nokia" the firm and the town)
            if (e["name"], name(e.get("type"))) in declared:
                problems.append(f"entity {e['name']!r} declared twice")
            declared.add((e["name"], name(e.get("type"))))
            names.add(e["name"])
        names.update(a for a in aliases if isinstance(a, str))

    for i, r in enumerate(data.get("relations") or []):
        if not record("relation", i, r, RELATION_KEYS):
            continue
        label = f"relation {i} ({r.get('subject')!r} {r.get('predicate')} {r.get('object')!r})"
        if name(r.get("predicate")) not in PREDICATES:
            problems.append(f"{label}: predicate not one of the rules' predicates")
        declared_end(label, "subject", r.get("subject"))
        if r.get("predicate") == ROLE_PREDICATE:
            # Roles are normalised ("presieduta da" -> "presidente"): a string, not verbatim.
            if not isinstance(r.get("object"), str) or not r["object"].strip():
                problems.append(f"{label}: role is not a non-empty string")
            if r.get("org") is not None:
                declared_end(label, "org", r.get("org"))
        else:
            declared_end(label, "object", r.get("object"))
        if r.get("status") is not None and name(r.get("status")) not in GOLD_STATUSES:
            problems.append(f"{label}: status {r.get('status')!r} not one of {GOLD_STATUSES}")
        verbatim(f"{label} evidence", r.get("evidence"))

    for i, v in enumerate(data.get("investments") or []):
        if not record("investment", i, v, INVESTMENT_KEYS):
            continue
        label = f"investment {i} ({v.get('investor')!r} -> {v.get('target')!r})"
        if v.get("investor") is not None:
            declared_end(label, "investor", v.get("investor"))
        if v.get("target") is not None and not isinstance(v.get("target"), str):
            problems.append(f"{label}: target is not a string")
        if v.get("amount") is not None and not _is_number(v.get("amount")):
            problems.append(f"{label}: amount is not a number")
        if v.get("stake_percent") is not None and not _is_number(v.get("stake_percent")):
            problems.append(f"{label}: stake_percent is not a number")
        if v.get("amount") is None and v.get("stake_percent") is None:
            problems.append(f"{label}: neither amount nor stake_percent (not an investment)")
        cur = v.get("currency")
        # a currency the text does not state stays null (no background knowledge)
        if cur is not None and not (isinstance(cur, str) and len(cur) == 3 and cur.isupper()):
            problems.append(f"{label}: currency {cur!r} is not an ISO 4217 code")
        if v.get("kind") is not None and name(v.get("kind")) not in INVESTMENT_KINDS:
            problems.append(f"{label}: kind {v.get('kind')!r} not one of {INVESTMENT_KINDS}")
        if v.get("status") is not None and name(v.get("status")) not in GOLD_STATUSES:
            problems.append(f"{label}: status {v.get('status')!r} not one of {GOLD_STATUSES}")
        verbatim(f"{label} evidence", v.get("evidence"))
    return problems


def check_file(gold_path: str | Path) -> list[str]:
    """Problems of one gold file, read with its article."""
    gold_path = Path(gold_path)
    article = article_for(gold_path)
    try:
        text = article.read_text(encoding="utf-8")
    except OSError as e:
        return [f"cannot read its article {article}: {e.strerror or e}"]
    try:
        data = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [f"not readable JSON: {e}"]
    return check_gold(data, text)


def main(argv: list[str] | None = None) -> int:
    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bad = 0
    for p in paths:
        for problem in check_file(p):
            print(f"{p}: {problem}")
            bad += 1
    if not bad:
        print(f"{len(paths)} file(s) OK")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
