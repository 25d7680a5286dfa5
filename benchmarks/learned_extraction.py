"""How well and how fast the learned extraction layer works, on the corpus dev split.

    OMP_NUM_THREADS=1 python benchmarks/learned_extraction.py [--curve] [--reliability] [--speed]
        [--out benchmarks/learned_results.json]

--curve        learning curve: train typing + relation models on 25%, 50% and 100% of
               corpus/train (per language, seeded), score each on corpus/dev (P/R/F1 per
               language for relations, typed entities, investments), next to the rules alone.
--reliability  reliability of biz:confidence on dev: for each confidence bin, how many
               relation facts the graph holds (learned and rule facts alike: what a user
               filtering by confidence sees), and the share of them that are right.
--speed        tokens/s of `kg build` (in-memory store) against the spaCy pipeline alone
               (nlp.pipe) on the same texts (all corpus articles), one process; "words" in
               the tables are spaCy tokens, as in bench_nlp.py.

Prints Markdown tables (for BENCHMARKS.md) and writes the raw numbers as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV_GOLD = ROOT / "corpus" / "dev" / "gold"
DEV_ARTICLES = ROOT / "corpus" / "dev" / "articles"
CATS = ("relations", "entities_typed", "investments")


def _evaluate(typing: str, relations: str, min_confidence: float = 0.0) -> dict:
    """kg evaluate on the dev split in a fresh process with these weights (paths that do not
    exist switch a model off)."""
    env = {**os.environ, "KG_TYPING_MODEL": typing, "KG_RELATION_MODEL": relations}
    out = subprocess.run([sys.executable, "-m", "kg.cli", "evaluate", str(DEV_GOLD), str(DEV_ARTICLES),
                          "--format", "json", "--min-confidence", str(min_confidence)],
                         env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def _scores(report: dict) -> dict:
    out = {}
    for scope, block in [("all", report["overall"]), *report["by_language"].items()]:
        out[scope] = {c: {k: round(block[c][k], 3) for k in ("precision", "recall", "f1")}
                      for c in CATS}
    return out


def curve(fractions=(0.25, 0.5, 1.0)) -> dict:
    results = {"rules only": _scores(_evaluate("/nonexistent", "/nonexistent"))}
    for frac in fractions:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.time()
            subprocess.run([sys.executable, "-m", "training.extract", "--fraction", str(frac),
                            "--out-dir", tmp], check=True, cwd=ROOT, capture_output=True)
            secs = time.time() - t0
            meta = _meta(Path(tmp) / "relations.npz")
            res = _scores(_evaluate(str(Path(tmp) / "typing.npz"), str(Path(tmp) / "relations.npz")))
            res["train_articles"] = {"it": meta["articles_it"], "en": meta["articles"] - meta["articles_it"]}
            res["train_seconds"] = round(secs)
            results[f"{int(frac * 100)}% of train"] = res
    return results


def _meta(path: Path) -> dict:
    import numpy as np
    with np.load(path, allow_pickle=False) as z:
        return json.loads(str(z["meta"]))


def reliability(bins=(0.0, 0.15, 0.3, 0.5, 0.7, 0.9)) -> list[dict]:
    """Relation facts per confidence bin and the share that match the gold: true positives
    and facts counted at min_confidence lo minus those counted at hi (one build, scored at
    each bound)."""
    from kg.evaluate import evaluate
    from kg.store import OxigraphStore

    os.environ.pop("KG_RELATION_MODEL", None)
    os.environ.pop("KG_TYPING_MODEL", None)
    with OxigraphStore.in_memory() as store:
        evaluate(DEV_GOLD, DEV_ARTICLES, store=store)
        counts = {}
        for lo in bins:
            rep = evaluate(DEV_GOLD, DEV_ARTICLES, store=store, build=False, min_confidence=lo)
            c = rep.overall()["relations"]
            counts[lo] = (c.tp, c.tp + c.fp)
    rows = []
    for lo, hi in zip(bins, [*bins[1:], None]):
        tp = counts[lo][0] - (counts[hi][0] if hi is not None else 0)
        n = counts[lo][1] - (counts[hi][1] if hi is not None else 0)
        rows.append({"confidence": f"[{lo:.2f}, {hi:.2f})" if hi is not None else f"[{lo:.2f}, 1.00]",
                     "facts": n,
                     "right": tp, "share_right": round(tp / n, 3) if n else None})
    return rows


def speed() -> dict:
    from kg.articles import read_paths
    from kg.build import build
    from kg.nlp import load
    from kg.store import OxigraphStore

    paths = [str(ROOT / "corpus" / s / "articles") for s in ("train", "dev")]
    arts = read_paths(paths).articles
    by_lang: dict[str, list[str]] = {}
    for a in arts:
        lang = a.id.split("_")[1]
        by_lang.setdefault(lang, []).append(a.text)
    for lang in by_lang:  # load (and warm) the pipelines outside the timing
        list(load(lang).pipe(by_lang[lang][:2]))
    words = 0
    t0 = time.perf_counter()
    for lang, texts in by_lang.items():
        for doc in load(lang).pipe(texts):
            words += len(doc)
    t_nlp = time.perf_counter() - t0
    with OxigraphStore.in_memory() as store:
        t0 = time.perf_counter()
        build(paths, store, lang="auto")
        t_build = time.perf_counter() - t0
    return {"articles": len(arts), "words": words, "nlp_pipe_s": round(t_nlp, 1),
            "kg_build_s": round(t_build, 1), "nlp_words_per_s": round(words / t_nlp),
            "build_words_per_s": round(words / t_build), "build_vs_nlp": round(t_nlp / t_build, 3)}


def _table_curve(res: dict) -> str:
    lines = ["| model | train articles (it/en) | relations P/R/F1 it | relations P/R/F1 en | typed entities F1 it/en | investments F1 it/en |",
             "|---|---|---|---|---|---|"]
    for name, r in res.items():
        if name == "stamp":
            continue

        def prf(lang, c):
            x = r[lang][c]
            return f"{x['precision']:.2f}/{x['recall']:.2f}/**{x['f1']:.2f}**"
        n = r.get("train_articles")
        lines.append(f"| {name} | {n['it']}/{n['en']} | " if n else f"| {name} | - | ")
        lines[-1] += (f"{prf('it', 'relations')} | {prf('en', 'relations')} | "
                      f"{r['it']['entities_typed']['f1']:.2f}/{r['en']['entities_typed']['f1']:.2f} | "
                      f"{r['it']['investments']['f1']:.2f}/{r['en']['investments']['f1']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--curve", action="store_true")
    ap.add_argument("--reliability", action="store_true")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "learned_results.json"))
    args = ap.parse_args()
    out = json.loads(Path(args.out).read_text()) if Path(args.out).exists() else {}
    stamp = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, OMP_NUM_THREADS=1"
    print(f"## {stamp}")
    if args.curve:
        out["curve"] = {"stamp": stamp, **curve()}
        print(_table_curve(out["curve"]))
        Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    if args.reliability:
        out["reliability"] = {"stamp": stamp, "bins": reliability()}
        print("| confidence | relation facts | right | share right |\n|---|---|---|---|")
        for r in out["reliability"]["bins"]:
            print(f"| {r['confidence']} | {r['facts']} | {r['right']} | {r['share_right']} |")
    if args.speed:
        out["speed"] = {"stamp": stamp, **speed()}
        s = out["speed"]
        print(f"| texts | words | nlp.pipe words/s | kg build words/s | build / nlp |\n|---|---|---|---|---|\n"
              f"| {s['articles']} corpus articles | {s['words']} | {s['nlp_words_per_s']} | "
              f"{s['build_words_per_s']} | {s['build_vs_nlp']:.2f} |")
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
