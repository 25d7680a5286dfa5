"""Train kg's learned relation layer (``kg/models/relations.npz``) from the annotated corpus.

    python -m training.extract            # corpus/train -> kg/models/{typing,relations}.npz
    python -m training.extract --fraction 0.5 --out-dir /tmp/half   # a learning-curve point

Each article of the split is parsed with kg's own pipeline and read by the extraction passes
before the learned layer (``kg.extract.analyse``); every candidate pair of mentions
(``kg.extract.learned.candidates``) is labelled from the gold: a pair whose two mentions name the
two ends of a gold relation, in a sentence that overlaps the relation's evidence, gets the
relation's label (with its direction); a pair of entities the gold never relates is NONE; a pair
the gold relates elsewhere in the article is left out (its sentence may or may not state it).
Pairs the precise rules already read are left out (at run time the rules decide them). One
logistic regression per label (scikit-learn, liblinear) is fitted on the features (sparse
indicators and word-vector blocks);
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

    from kg.nlp import load, model_path
    CACHE.mkdir(parents=True, exist_ok=True)
    docs = [None] * len(items)
    for lang in ("it", "en"):
        idx = [i for i, it in enumerate(items) if it["lang"] == lang]
        if not idx:
            continue
        nlp = load(lang)
        # parses are only reused for the same pipeline (its name, version and config)
        pipeline = json.dumps([model_path(lang), nlp.meta.get("version"), nlp.config.to_str()]).encode()
        todo = []
        for i in idx:
            key = hashlib.sha256(items[i]["article"].text.encode() + pipeline).hexdigest()[:16]
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
    rules = L.rule_readings(ctx)
    for cand in L.candidates(ctx):
        if (cand.a, cand.b) in rules or (cand.b, cand.a) in rules:
            continue  # left to the rules at run time (kg.extract.learned.learned_relations)
        s0, s1 = ctx.sents[cand.sent]
        base = None
        for si, oi, fwd in L.orientations(ctx, cand):
            es, eo = ents[si], ents[oi]
            labels: set[str] = set()
            elsewhere = False
            if es is not None and eo is not None and es != eo and frozenset((es, eo)) in related:
                for s, o, p, spans in rels:
                    if p in L.SYMMETRIC_PREDICATES:
                        if {s, o} != {es, eo}:
                            continue
                    elif (s, o) != (es, eo):
                        continue
                    if any(a < s1 and b > s0 for a, b in spans):
                        labels.add(p)
                    else:
                        elsewhere = True
                if not labels and elsewhere:
                    continue  # stated in another sentence: this one may or may not say it
            if base is None:
                base = L.pair_features(ctx, doc, cand)
            out.append((L.expand(L.oriented(base, ms[si].kind, ms[oi].kind, fwd)),
                        labels, item["stem"]))
    return out


def build_examples(items: list[dict], docs: list, progress: bool = True) -> list[tuple[dict, set[str], str]]:
    """Relation examples of every article: (features, gold predicates, stem)."""
    out = []
    for k, (item, doc) in enumerate(zip(items, docs)):
        out.extend(examples(item, doc))
        if progress and (k + 1) % 50 == 0:
            print(f"  relation features: {k + 1}/{len(items)} articles", file=sys.stderr)
    return out


def typing_examples(items: list[dict], docs: list) -> list[tuple]:
    """(features, {gold type or NONE}, stem, the rules' type or NONE, rule vote margin) for
    every named mention the typing pass decides on: the gold type of the entity whose name or
    alias the mention is, else NONE."""
    from kg.evaluate import load_gold
    from kg.extract import analyse
    from kg.extract.learned import KINDS, NONE

    out = []
    for item, doc in zip(items, docs):
        gold = load_gold(item["gold"])
        log: list = []
        analyse(doc, item["article"], typing_log=log)
        for text, _, _, feats, rule_kind, margin in log:
            j = gold.index_of(text)
            kind = gold.entities[j].type if j is not None else NONE
            if kind not in KINDS:
                kind = NONE  # a Market gold name read as a named mention
            out.append((feats, {kind}, item["stem"], rule_kind or NONE, margin))
    return out


def fit_typing(exs, Cs=(0.3, 1.0, 3.0), margins=(0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 1e9),
               folds: int = 4):
    """One-vs-rest logistic regressions over the types and NONE, used where the rule votes'
    margin is below a threshold (the rules keep the clear-cut cases). C and the margin by
    cross-validated accuracy over article folds. Returns (model, C, margin, table)."""
    from kg.extract.learned import KINDS, NONE, LinearModel, predict_kind

    labs = [*KINDS, NONE]
    stems = sorted({e[2] for e in exs})
    random.Random(0).shuffle(stems)
    fold_of = {s: k % folds for k, s in enumerate(stems)}
    table = {}
    for C in Cs:
        pred = [None] * len(exs)
        for k in range(folds):
            train = [e[:3] for e in exs if fold_of[e[2]] != k]
            names, W, b = fit(train, C, labs=labs)
            model = LinearModel(labs, {n: i for i, n in enumerate(names)}, W, b, 0.5)
            for i, e in enumerate(exs):
                if fold_of[e[2]] == k:
                    # as kg.extract.kinds applies it: a name the rules kept is dropped only
                    # when "not an entity" is clearly likelier
                    pred[i] = predict_kind(model, e[0], None if e[3] == NONE else e[3]) or NONE
        for mg in margins:
            right = sum((p if e[4] < mg else e[3]) in e[1] for p, e in zip(pred, exs))
            table[(C, mg)] = right / max(1, len(exs))
    C, margin = max(table, key=table.get)
    names, W, b = fit([e[:3] for e in exs], C, labs=labs)
    model = LinearModel(labs, {n: i for i, n in enumerate(names)}, W, b, margin)
    return model, C, margin, table


def fit(exs, C: float, min_count: int = 2, labs: list[str] | None = None):
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
    labs = labs or all_labels()
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


def cross_validate(exs, Cs=(0.3, 1.0, 3.0), folds: int = 4):
    """Choose C by cross-validated pair-level F1 over article folds, fit Platt scaling on the
    out-of-fold scores, and choose the decision threshold on the calibrated probabilities.
    Returns (C, threshold, calibration, report)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    stems = sorted({s for _, _, s in exs})
    random.Random(0).shuffle(stems)
    fold_of = {s: k % folds for k, s in enumerate(stems)}
    raw = {}
    best_f1 = {}
    for C in Cs:
        scores: list = [None] * len(exs)
        for k in range(folds):
            train = [e for e in exs if fold_of[e[2]] != k]
            model = _model(*fit(train, C), 0.5)
            for i, e in enumerate(exs):
                if fold_of[e[2]] == k:
                    scores[i] = model.scores(e[0])
        raw[C] = np.array(scores)
        labs = model.labels
        probs = [dict(zip(labs, 1 / (1 + np.exp(-z)))) for z in raw[C]]
        best_f1[C] = max(prf(probs, exs, t)[2] for t in np.arange(0.05, 0.9, 0.05))
    C = max(best_f1, key=best_f1.get)
    Z = raw[C]
    labs = model.labels
    Y = np.array([[lab in ls for lab in labs] for _, ls, _ in exs], dtype=int)
    platt = LogisticRegression(C=100.0).fit(Z.reshape(-1, 1), Y.reshape(-1))
    a, c = float(platt.coef_[0][0]), float(platt.intercept_[0])
    P = 1 / (1 + np.exp(-(a * Z + c)))
    probs = [dict(zip(labs, row)) for row in P]
    table = {round(float(t), 2): prf(probs, exs, t) for t in np.arange(0.05, 0.9, 0.05)}
    thr = max(table, key=lambda t: table[t][2])
    # reliability: predicted probability bins vs the share that is right
    bins = []
    for lo in np.arange(0.0, 1.0, 0.1):
        sel = (P >= lo) & (P < lo + 0.1)
        if sel.sum():
            bins.append((round(float(lo), 1), int(sel.sum()), round(float(P[sel].mean()), 3),
                         round(float(Y[sel].mean()), 3)))
    report = {"C_f1": {str(k): round(v, 3) for k, v in best_f1.items()},
              "threshold_prf": {str(t): [round(x, 3) for x in v] for t, v in table.items()},
              "reliability_cv": bins}
    return C, thr, (a, c), report



def subsample(items: list[dict], fraction: float, seed: int = 0) -> list[dict]:
    """`fraction` of the articles of each language (seeded)."""
    out = []
    for lang in ("it", "en"):
        its = [i for i in items if i["lang"] == lang]
        random.Random(seed).shuffle(its)
        out.extend(its[:max(1, round(len(its) * fraction))] if its else [])
    return sorted(out, key=lambda i: i["stem"])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Train kg's learned extraction layer from the corpus.")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--out-dir", default=None, help="default: kg/models (relations.npz, typing.npz)")
    ap.add_argument("--fraction", type=float, default=1.0, help="share of train articles per language")
    ap.add_argument("--langs", default="it,en")
    ap.add_argument("--no-typing", action="store_true", help="keep the rule typing (no typing.npz)")
    ap.add_argument("--C", type=float, default=None,
                    help="use this C (threshold and calibration still cross-validated)")
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args(argv)
    import os

    from kg.extract.learned import MODEL_PATH

    t0 = time.time()
    out_dir = Path(args.out_dir) if args.out_dir else MODEL_PATH.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    items = subsample(load_split(Path(args.corpus), "train", tuple(args.langs.split(","))),
                      args.fraction)
    n_it = sum(i["lang"] == "it" for i in items)
    print(f"train articles: {len(items)} (it {n_it}, en {len(items) - n_it})", file=sys.stderr)
    docs = parse(items)
    print(f"parsed in {time.time() - t0:.0f} s", file=sys.stderr)
    texts = "".join(sorted(hashlib.sha256(i["article"].text.encode()).hexdigest() for i in items))
    common = {"articles": len(items), "articles_it": n_it, "fraction": args.fraction,
              "corpus_sha256": hashlib.sha256(texts.encode()).hexdigest()[:16]}

    saved_env = os.environ.get("KG_TYPING_MODEL")
    try:
        _train(args, items, docs, common, out_dir, t0)
    finally:  # the recipe points kg at the weights it trains; leave the caller's setting as it was
        if saved_env is None:
            os.environ.pop("KG_TYPING_MODEL", None)
        else:
            os.environ["KG_TYPING_MODEL"] = saved_env
        from kg.extract.learned import _load_model
        _load_model.cache_clear()  # weights rewritten at the same path must be read again


def _train(args, items, docs, common, out_dir: Path, t0: float) -> None:
    import os

    from kg.extract.learned import MODEL_PATH, TYPING_MODEL_PATH

    typing_path = out_dir / TYPING_MODEL_PATH.name
    if args.no_typing:
        os.environ["KG_TYPING_MODEL"] = str(out_dir / "no-typing-model")
        typing_path.unlink(missing_ok=True)
    else:
        os.environ["KG_TYPING_MODEL"] = str(out_dir / "no-typing-model")  # log rule typing only
        texs = typing_examples(items, docs)
        rule_acc = sum(e[3] in e[1] for e in texs) / max(1, len(texs))
        print(f"typing: the rules' accuracy on the same mentions {rule_acc:.3f}", file=sys.stderr)
        tmodel, tC, tmargin, ttable = fit_typing(texs)
        tmodel.save(typing_path, {**common, "mentions": len(texs), "C": tC, "rule_margin": tmargin,
                                  "rules_accuracy": round(rule_acc, 3),
                                  "cv_accuracy": {f"C={c} margin={m}": round(v, 3)
                                                  for (c, m), v in ttable.items()}})
        print(f"typing: {len(texs)} mentions, C={tC}, rules kept above vote margin {tmargin}, "
              f"cross-validated accuracy {ttable[(tC, tmargin)]:.3f}; wrote {typing_path}",
              file=sys.stderr)
        os.environ["KG_TYPING_MODEL"] = str(typing_path)  # relations learn on the learned types

    exs = build_examples(items, docs)
    if not exs:
        raise SystemExit("no candidate pairs left to learn from (every pair is read by the rules)")
    pos = sum(1 for _, ls, _ in exs if ls)
    print(f"candidate pairs: {len(exs)}, with a relation: {pos}", file=sys.stderr)
    # with --C the threshold and the calibration are still cross-validated, for that C
    C, thr, calib, report = cross_validate(exs, Cs=(args.C,) if args.C is not None else (0.3, 1.0, 3.0))
    if args.threshold is not None:
        thr = args.threshold
    print(f"cross-validation: C={C} threshold={thr} calibration a={calib[0]:.3f} c={calib[1]:.3f} "
          f"(pair P/R/F1 {report['threshold_prf'].get(str(thr))})", file=sys.stderr)
    names, W, b = fit(exs, C)
    model = _model(names, W, b, thr)
    model.calibration = calib
    out = out_dir / MODEL_PATH.name
    meta = {**common, "pairs": len(exs), "positive_pairs": pos, "C": C, "threshold": thr,
            "calibration": list(calib), "cv": report, "seconds": round(time.time() - t0, 1)}
    model.save(out, meta)
    print(json.dumps(meta), file=sys.stderr)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB, {len(names)} features) "
          f"in {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
