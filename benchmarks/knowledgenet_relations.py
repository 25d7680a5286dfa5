"""kg's English relation rules on text nobody tuned them on: KnowledgeNet passages.

    python benchmarks/knowledgenet_relations.py --data ../shared/data [--errors 10] [--json F]

KnowledgeNet (Diffbot, CC BY-SA 4.0; ``<data>/knowledgenet_en``) annotates every fact of a
few properties in sentences from Wikipedia-like company and people pages, including the
passages where a property was checked and no fact found. Three of its properties are kg
predicates:

    HEADQUARTERS  org -> place   kg headquarteredIn(org, place)
    SUBSIDIARY_OF child -> parent kg subsidiaryOf(child, parent)
    CEO           org -> person  kg worksFor(person, org) with a CEO role (Position)

No kg model or rule was trained or tuned on KnowledgeNet (``--folds`` picks some of its four
training folds). Each passage is one article for kg (``kg.nlp.load("en")`` + ``kg.extract``
+ ``kg.resolve``, as ``kg build`` runs them). A gold fact is found when kg states the
predicate between two entities that carry the gold names (label or alias, compared casefolded
and without legal suffixes); facts with a pronoun end ("He") are left out, since kg resolves no pronouns.
Precision counts kg's statements of a predicate in the passages checked for its property.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROPERTIES = {"HEADQUARTERS": "headquarteredIn", "SUBSIDIARY_OF": "subsidiaryOf", "CEO": "CEO"}
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "who"}


def name_key(text: str) -> str:
    from kg.evaluate import normalize_name
    from kg.extract.names import core_name

    key = normalize_name(core_name(text)).strip(" .,\"")
    key = re.sub(r"(?:'s|')$", "", key)  # "Health Management Associates'"
    return re.sub(r"^the ", "", key)


def passages(data: Path, folds=(1, 2, 3, 4)) -> dict[tuple[str, int], dict]:
    """(doc_id, passage_start) -> {"text", "checked": set of properties, "facts": [...]}."""
    kn = data / "knowledgenet_en"
    out: dict[tuple[str, int], dict] = {}

    def entry(row):
        return out.setdefault((row["doc_id"], row["passage_start"]),
                              {"text": row["passage"], "checked": set(), "facts": []})

    with (kn / "knowledgenet_train_facts.jsonl").open(encoding="utf8") as f:
        for line in f:
            row = json.loads(line)
            if row["relation"] in PROPERTIES and row["fold"] in folds:
                e = entry(row)
                e["checked"].add(row["relation"])
                e["facts"].append((row["relation"], row["subject"]["text"], row["object"]["text"]))
    with (kn / "knowledgenet_train_negative_passages.jsonl").open(encoding="utf8") as f:
        for line in f:
            row = json.loads(line)
            if row["annotated_property_without_fact"] in PROPERTIES and row["fold"] in folds:
                entry(row)["checked"].add(row["annotated_property_without_fact"])
    return out


def kg_statements(res) -> set[tuple[str, frozenset, frozenset]]:
    """(property, subject names, object names) in KnowledgeNet's direction."""
    names = {e.key: frozenset(name_key(n) for n in [e.label, *e.aliases]) for e in res.entities}
    ent = res.entity_of
    out = set()
    for r in res.facts.relations:
        s, o = ent.get(r.subject), ent.get(r.object)
        if s and o and r.predicate in ("headquarteredIn", "subsidiaryOf"):
            prop = "HEADQUARTERS" if r.predicate == "headquarteredIn" else "SUBSIDIARY_OF"
            out.add((prop, names[s], names[o]))
    for p in res.facts.positions:
        holder, org = ent.get(p.holder), ent.get(p.organization) if p.organization else None
        if holder and org and p.status != "former" and _is_ceo(p.role_title):
            out.add(("CEO", names[org], names[holder]))
    return out


def _is_ceo(title: str) -> bool:
    t = title.lower().replace(".", "")
    return "ceo" in t.split() or "chief executive" in t


def evaluate(data: Path, errors: int = 0, folds=(1, 2, 3, 4)) -> dict:
    from kg.articles import Article
    from kg.extract import extract
    from kg.nlp import load
    from kg.resolve import resolve

    items = list(passages(data, folds).values())
    nlp = load("en")
    counts = {p: {"tp": 0, "fp": 0, "fn": 0} for p in PROPERTIES}
    shown: dict[str, list] = defaultdict(list)
    texts = [it["text"] for it in items]
    for i, (it, doc) in enumerate(zip(items, nlp.pipe(texts, batch_size=64))):
        art = Article(id=f"kn{i}", text=it["text"], lang="en")
        said = kg_statements(resolve(art, extract(doc, art)))
        for prop in it["checked"]:
            gold = [(s, o) for r, s, o in it["facts"] if r == prop
                    and s.lower() not in PRONOUNS and o.lower() not in PRONOUNS]
            mine = [(s, o) for r, s, o in said if r == prop]
            # KnowledgeNet states a fact once per name of an entity ("Valve", "Valve
            # Corporation"); one kg statement about that entity, which knows both names, finds each
            used = set()
            for s, o in gold:
                hits = {k for k, (ps, po) in enumerate(mine)
                        if name_key(s) in ps and name_key(o) in po}
                if hits:
                    used |= hits
                    counts[prop]["tp"] += 1
                else:
                    counts[prop]["fn"] += 1
                    shown[f"FN {prop}"].append((s, o, it["text"]))
            for k, (ps, po) in enumerate(mine):
                if k not in used:
                    counts[prop]["fp"] += 1
                    shown[f"FP {prop}"].append((sorted(ps), sorted(po), it["text"]))
    result = {"passages": len(items), "properties": {}}
    for prop, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result["properties"][prop] = {**c, "precision": round(p, 3), "recall": round(r, 3),
                                      "f1": round(f, 3), "kg": PROPERTIES[prop]}
    if errors:
        result["errors"] = {k: v[:errors] for k, v in shown.items()}
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--errors", type=int, default=0, help="show N misses/false hits per kind")
    ap.add_argument("--json", type=Path, default=None, help="also write the result here")
    ap.add_argument("--folds", default="1,2,3,4", help="comma list of KnowledgeNet folds")
    a = ap.parse_args(argv)
    res = evaluate(a.data, a.errors, tuple(int(f) for f in a.folds.split(",")))
    print(f"{res['passages']} passages")
    print(f"{'property':<15}{'kg':<17}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}")
    for prop, c in res["properties"].items():
        print(f"{prop:<15}{c['kg']:<17}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}"
              f"{c['precision']:>7.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}")
    for kind, rows in res.get("errors", {}).items():
        print(f"\n{kind}")
        for s, o, text in rows:
            print(f"  {s} -> {o}\n      {text[:220]}")
    if a.json:
        a.json.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
