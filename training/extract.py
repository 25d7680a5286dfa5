"""Train kg's learned relation layer (``kg/models/relations.npz``) from the annotated corpus.

    python -m training.extract                       # corpus/train -> kg/models/relations.npz
    python -m training.extract --fraction 0.5 --out /tmp/half.npz   # learning-curve points
    python -m training.extract --extra-en knowledgenet  # add English KnowledgeNet facts

Each article of the split is parsed with kg's own pipeline and read by the extraction passes
before the learned layer (``kg.extract.analyse``); every candidate pair of mentions
(``kg.extract.learned.candidates``) is labelled from the gold: a pair whose two mentions name the
two ends of a gold relation, in a sentence that overlaps the relation's evidence, gets the
relation's label (with its direction); a pair of entities the gold never relates is NONE; a pair
the gold relates elsewhere in the article is left out (its sentence may or may not state it).
One logistic regression per label (scikit-learn, liblinear) is fitted on the binary features;
the regularisation and the decision threshold are chosen by cross-validation over articles.
Deterministic: same corpus, same weights.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "training" / "runs" / "docs"


def load_split(corpus: Path, split: str, langs: tuple[str, ...] = ("it", "en")) -> list[dict]:
    """The annotated articles of a split: stem, lang, text, gold path."""
    from kg.articles import parse_txt

    items = []
    gold_dir = corpus / split / "gold"
    for gold in sorted(gold_dir.glob("*.json")):
        art = corpus / split / "articles" / f"{gold.stem}.txt"
        lang = gold.stem.split("_")[1]
        if lang not in langs or not art.exists():
            continue
        article = parse_txt(art.read_text(encoding="utf-8"), id=gold.stem, source=str(art))
        items.append({"stem": gold.stem, "lang": lang, "article": replace(article, lang=lang),
                      "gold": gold})
    return items


def parse(items: list[dict]) -> list:
    """spaCy Docs of the items (kg's pipelines), cached on disk by text hash."""
    from spacy.tokens import DocBin

    from kg.nlp import load
    CACHE.mkdir(parents=True, exist_ok=True)
    docs = [None] * len(items)
    for lang in ("it", "en"):
        idx = [i for i, it in enumerate(items) if it["lang"] == lang]
        if not idx:
            continue
        nlp = load(lang)
        todo = []
        for i in idx:
            key = hashlib.sha256(items[i]["article"].text.encode()).hexdigest()[:16]
            path = CACHE / f"{lang}_{key}.spacy"
            if path.exists():
                docs[i] = next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
            else:
                todo.append((i, path))
        for (i, path), doc in zip(todo, nlp.pipe([items[i]["article"].text for i, _ in todo])):
            DocBin(store_user_data=False, docs=[doc]).to_disk(path)
            docs[i] = doc
    return docs


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    out, start = [], 0
    while needle and (k := text.find(needle, start)) >= 0:
        out.append((k, k + len(needle)))
        start = k + 1
    return out


def examples(item: dict, doc) -> list[tuple[dict, set[str], str]]:
    """(features, gold labels, article stem) for every candidate pair of one article."""
    from kg.evaluate import load_gold, normalize_name
    from kg.extract import analyse
    from kg.extract import learned as L

    gold = load_gold(item["gold"])
    article = item["article"]
    ctx, _ = analyse(doc, article)
    ms = ctx.mentions
    by_id = {m.id: m for m in ms}

    def entity_of(m) -> int | None:
        j = gold.index_of(m.text)
        if j is None and m.ref and m.ref in by_id:
            j = gold.index_of(by_id[m.ref].text)
        if j is None:  # "Acme Inc." read as "Acme Inc" and the like
            key = normalize_name(m.text).rstrip(".")
            for k, e in enumerate(gold.entities):
                if key in {n.rstrip(".") for n in e.names}:
                    return k
        return j

    ents = [entity_of(m) for m in ms]
    rels = []  # (subject entity, object entity, predicate, evidence spans)
    for r in gold.relations:
        if r.predicate not in L.SUBJ:
            continue
        s, o = gold.index_of(r.subject), gold.index_of(r.object)
        if s is None or o is None or s == o:
            continue
        rels.append((s, o, r.predicate, _spans(article.text, r.evidence)))
    related = {frozenset((s, o)) for s, o, _, _ in rels}
    out = []
    for cand in L.candidates(ctx):
        ea, eb = ents[cand.a], ents[cand.b]
        s0, s1 = ctx.sents[cand.sent]
        labels: set[str] = set()
        elsewhere = False
        if ea is not None and eb is not None and ea != eb and frozenset((ea, eb)) in related:
            for s, o, p, spans in rels:
                if {s, o} != {ea, eb}:
                    continue
                if any(a < s1 and b > s0 for a, b in spans):
                    labels.add(p if p in L.SYMMETRIC_PREDICATES else p + (">" if s == ea else "<"))
                else:
                    elsewhere = True
            if not labels and elsewhere:
                continue
        out.append((L.pair_features(ctx, doc, cand), labels, item["stem"]))
    return out


def build_examples(items: list[dict], progress: bool = True) -> list[tuple[dict, set[str], str]]:
    docs = parse(items)
    out = []
    for k, (item, doc) in enumerate(zip(items, docs)):
        out.extend(examples(item, doc))
        if progress and (k + 1) % 25 == 0:
            print(f"  features: {k + 1}/{len(items)} articles", file=sys.stderr)
    return out


def fit(exs, C: float, min_count: int = 2):
    """(feature names, W, b) of one-vs-rest logistic regressions."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from kg.extract.learned import labels as all_labels

    counts: dict[str, int] = {}
    for f, _, _ in exs:
        for k in f:
            counts[k] = counts.get(k, 0) + 1
    keep = {k for k, c in counts.items() if c >= min_count}
    vec = DictVectorizer()
    X = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f, _, _ in exs]).tocsr()
    X.indices = X.indices.astype(np.int32)  # liblinear takes 32-bit sparse indices only
    X.indptr = X.indptr.astype(np.int32)
    labs = all_labels()
    W = np.zeros((X.shape[1], len(labs)))
    b = np.full(len(labs), -8.0)
    for j, lab in enumerate(labs):
        y = np.array([lab in ls for _, ls, _ in exs], dtype=int)
        if y.sum() < 2:
            continue
        clf = LogisticRegression(C=C, solver="liblinear", max_iter=2000)
        clf.fit(X, y)
        W[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    return list(vec.feature_names_), W, b


def _model(names, W, b, threshold):
    from kg.extract.learned import LinearModel, labels
    return LinearModel(labels(), {n: i for i, n in enumerate(names)}, W, b, threshold)


def pair_scores(model, exs) -> list[dict[str, float]]:
    return [model.probabilities(f) for f, _, _ in exs]


def prf(probs, exs, threshold: float) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for p, (_, gold, _) in zip(probs, exs):
        pred = {lab for lab, v in p.items() if v >= threshold}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    return P, R, (2 * P * R / (P + R) if P + R else 0.0)


def cross_validate(exs, Cs=(0.1, 0.3, 1.0), thresholds=(0.2, 0.25, 0.3, 0.35, 0.4, 0.5),
                   folds: int = 4) -> tuple[float, float, dict]:
    """Best (C, threshold) by pair-level micro F1 over article folds."""
    stems = sorted({s for _, _, s in exs})
    random.Random(0).shuffle(stems)
    fold_of = {s: k % folds for k, s in enumerate(stems)}
    table = {}
    for C in Cs:
        probs_all: list = [None] * len(exs)
        for k in range(folds):
            train = [e for e in exs if fold_of[e[2]] != k]
            test_idx = [i for i, e in enumerate(exs) if fold_of[e[2]] == k]
            model = _model(*fit(train, C), 0.5)
            for i in test_idx:
                probs_all[i] = model.probabilities(exs[i][0])
        for t in thresholds:
            table[(C, t)] = prf(probs_all, exs, t)
    best = max(table, key=lambda k: table[k][2])
    return best[0], best[1], {f"C={c} t={t}": [round(x, 3) for x in v] for (c, t), v in table.items()}


def subsample(items: list[dict], fraction: float, seed: int = 0) -> list[dict]:
    """`fraction` of the articles of each language (seeded)."""
    out = []
    for lang in ("it", "en"):
        its = [i for i in items if i["lang"] == lang]
        random.Random(seed).shuffle(its)
        out.extend(its[:max(1, round(len(its) * fraction))] if its else [])
    return sorted(out, key=lambda i: i["stem"])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Train kg's learned relation layer from the corpus.")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--out", default=None, help="default: kg/models/relations.npz")
    ap.add_argument("--fraction", type=float, default=1.0, help="share of train articles per language")
    ap.add_argument("--langs", default="it,en")
    ap.add_argument("--C", type=float, default=None, help="skip cross-validation: use this C")
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args(argv)
    from kg.extract.learned import MODEL_PATH

    t0 = time.time()
    items = subsample(load_split(Path(args.corpus), "train", tuple(args.langs.split(","))),
                      args.fraction)
    print(f"train articles: {len(items)} "
          f"(it {sum(i['lang'] == 'it' for i in items)}, en {sum(i['lang'] == 'en' for i in items)})",
          file=sys.stderr)
    exs = build_examples(items)
    pos = sum(1 for _, ls, _ in exs if ls)
    print(f"candidate pairs: {len(exs)}, with a relation: {pos}", file=sys.stderr)
    if args.C is None or args.threshold is None:
        C, thr, table = cross_validate(exs)
        print(f"cross-validation: C={C} threshold={thr} (pair P/R/F1 {table[f'C={C} t={thr}']})",
              file=sys.stderr)
    else:
        C, thr, table = args.C, args.threshold, {}
    names, W, b = fit(exs, C)
    model = _model(names, W, b, thr)
    out = Path(args.out) if args.out else MODEL_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    texts = "".join(sorted(hashlib.sha256(i["article"].text.encode()).hexdigest() for i in items))
    meta = {"articles": len(items), "pairs": len(exs), "positive_pairs": pos, "C": C,
            "threshold": thr, "fraction": args.fraction,
            "corpus_sha256": hashlib.sha256(texts.encode()).hexdigest()[:16],
            "cv_pair_prf": table.get(f"C={C} t={thr}"), "seconds": round(time.time() - t0, 1)}
    model.save(out, meta)
    print(json.dumps(meta), file=sys.stderr)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB, {len(names)} features)", file=sys.stderr)


if __name__ == "__main__":
    main()
