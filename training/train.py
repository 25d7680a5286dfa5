"""Rebuild kg's spaCy pipeline for one language from ``../shared/data``.

    python -m training.train it --data ../shared/data            # everything
    python -m training.train en --data ../shared/data --stages ner,ud,assemble

Stages (in order; ``--stages`` picks a subset):

1. ``vectors``  floret static vectors on ``raw_text`` (training/vectors.py)
2. ``convert``  shared formats -> ``training/corpus/*.spacy`` (training/convert.py)
3. ``ner``      tok2vec + NER (configs/ner.cfg) -> ``training/runs/ner_<lang>/model-best``
4. ``ud``       syntax_tok2vec + morphologizer + parser on UD (configs/ud.cfg)
                -> ``training/runs/ud_<lang>/model-best``
5. ``assemble`` NER (owning its tok2vec) + the UD components + the lookup lemmatizer,
                write meta + training info, save to ``--model-out`` (default
                ``kg/models/<lang>``)

Each ``spacy train`` run writes its log to ``training/runs/<stage>_<lang>.log`` when
started in the background (see training/README.md) and keeps ``model-best``/``model-last``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIGS = HERE / "configs"
STAGES = ("vectors", "convert", "pretrain", "ner", "ud", "assemble")
# pretraining the tok2vec did not raise dev F1 (model card), so it runs only when asked
DEFAULT_STAGES = tuple(s for s in STAGES if s != "pretrain")
# Per-language changes to the configs' casing variants (training/augment.py: 15% lower,
# 5% upper, 5% title-cased docs).  Italian headlines are not title-cased, and title-cased
# Italian training text cost recall on ordinary text (model card), so Italian has none.
NER_CASING = {"it": {"title": 0.0}}


def spacy_train(config: Path, output: Path, overrides: dict[str, object]) -> float:
    """Run ``spacy train`` on CPU in a subprocess; return wall time in seconds."""
    cmd = [sys.executable, "-m", "training.spacy_cli", "train", str(config), "--output",
           str(output), "--gpu-id", "-1"]
    for k, v in overrides.items():
        cmd += [f"--{k}", str(v)]
    print("[train] " + " ".join(cmd), flush=True)
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    t0 = time.time()
    subprocess.run(cmd, check=True, env=env, cwd=HERE.parent)
    return time.time() - t0


def train_ner(lang: str, corpus: Path, runs: Path, vectors: Path | None, steps: int,
              extra: dict[str, object] | None = None, init_tok2vec: Path | None = None,
              silver_steps: int = 0) -> Path:
    """Train tok2vec+NER; returns the gold run's model-best directory.

    With ``silver_steps`` and a ``ner_<lang>_silver.spacy`` corpus, two passes: first
    ``silver_steps`` on the silver data alone (``runs/ner_silver_<lang>``), then ``steps``
    on the gold data starting from that model (``configs/ner_continue.cfg``), so the gold
    conventions win.  ``init_tok2vec``: pretrained tok2vec weights for the first pass."""
    out = runs / f"ner_{lang}"
    silver = corpus / f"ner_{lang}_silver.spacy"
    ov: dict[str, object] = {
        "nlp.lang": lang,
        "paths.train": corpus / f"ner_{lang}_train.spacy",
        "paths.dev": corpus / f"ner_{lang}_dev.spacy",
        "training.max_steps": steps,
    }
    if vectors is not None:
        ov["paths.vectors"] = vectors
    else:
        ov["components.tok2vec.model.embed.include_static_vectors"] = "false"
    if init_tok2vec is not None:
        ov["paths.init_tok2vec"] = init_tok2vec
    ov.update({f"corpora.train.augmenter.{k}": v for k, v in NER_CASING.get(lang, {}).items()})
    shortest = min(steps, silver_steps or steps)
    if shortest < 500:  # tiny runs (tests)
        ov["training.eval_frequency"] = max(1, shortest // 2)
    ov.update(extra or {})
    if silver_steps and silver.exists():
        first = runs / f"ner_silver_{lang}"
        secs = spacy_train(CONFIGS / "ner.cfg", first,
                           {**ov, "paths.train": silver, "training.max_steps": silver_steps})
        ov.pop("paths.init_tok2vec", None)
        ov.pop("components.tok2vec.model.embed.include_static_vectors", None)
        ov.update({"paths.ner_model": first / "model-last", "training.optimizer.learn_rate": 0.001})
        secs += spacy_train(CONFIGS / "ner_continue.cfg", out, ov)
    else:
        secs = spacy_train(CONFIGS / "ner.cfg", out, ov)
    (out / "train_seconds.txt").write_text(f"{secs:.0f}\n")
    return out / "model-best"


def train_ud(lang: str, corpus: Path, runs: Path, steps: int,
             vectors: Path | None = None, extra: dict[str, object] | None = None) -> Path:
    """Train syntax_tok2vec + morphologizer + parser on UD; returns model-best.
    ``vectors`` should be the table the NER uses: the assembled pipeline has one vocab."""
    out = runs / f"ud_{lang}"
    ov: dict[str, object] = {
        "nlp.lang": lang,
        "paths.train": corpus / f"ud_{lang}_train.spacy",
        "paths.dev": corpus / f"ud_{lang}_dev.spacy",
        "training.max_steps": steps,
    }
    if vectors is not None:
        ov["paths.vectors"] = vectors
    else:
        ov["components.syntax_tok2vec.model.embed.include_static_vectors"] = "false"
    if steps < 500:  # tiny runs (tests): every label is rare, keep them all
        ov["training.eval_frequency"] = max(1, steps // 2)
        ov["components.parser.min_action_freq"] = 1
    ov.update(extra or {})
    secs = spacy_train(CONFIGS / "ud.cfg", out, ov)
    (out / "train_seconds.txt").write_text(f"{secs:.0f}\n")
    return out / "model-best"


def corpus_form_ids(lang: str, data: Path) -> set[int]:
    """String ids of every word form (as written and lowercased) in ``<data>/raw_text``."""
    import re

    from spacy.strings import get_string_id

    from training.vectors import RAW_FILES

    forms: set[str] = set()
    word = re.compile(r"\w+(?:'\w+)?")
    for rel in RAW_FILES[lang]:
        path = data / rel
        if path.exists():
            with path.open(encoding="utf8") as f:
                for line in f:
                    forms.update(word.findall(line))
    forms |= {w.lower() for w in forms}
    return {get_string_id(w) for w in forms}


def prune_lookups(lookups, keep: set[int]) -> None:
    """Drop table entries for forms never seen in the raw text (keeps the model small:
    the full Italian tables are 15 MB, mostly rare verb forms)."""
    from spacy.lookups import Table

    for name in list(lookups.tables):
        table = lookups.get_table(name)
        if len(table) < 5000:
            continue
        small = Table(name=name)
        for key, value in table.items():
            if key in keep:
                small[key] = value
        lookups.remove_table(name)
        lookups.set_table(name, small)


def add_lemmatizer(nlp, lang: str, data: Path | None = None) -> None:
    """Lookup-table lemmatizer from spacy-lookups-data: Italian ``pos_lookup`` (per-UPOS
    tables, pruned to forms seen in the raw text when ``data`` is given), English
    ``rule`` (needs the POS the morphologizer predicts)."""
    from spacy.lookups import load_lookups

    mode = "pos_lookup" if lang == "it" else "rule"
    if "lemmatizer" in nlp.pipe_names:
        nlp.remove_pipe("lemmatizer")
    lem = nlp.add_pipe("lemmatizer", config={"mode": mode, "overwrite": True})
    required, optional = lem.get_lookups_config(mode)
    lookups = load_lookups(lang=lang, tables=required)
    try:
        opt = load_lookups(lang=lang, tables=optional, strict=False)
        for name in opt.tables:
            lookups.set_table(name, opt.get_table(name))
    except Exception:  # optional tables only
        pass
    if lang == "it" and data is not None and (data / "raw_text").exists():
        prune_lookups(lookups, corpus_form_ids(lang, data))
    lem.initialize(lookups=lookups)


def _literal_pipe_configs(nlp) -> None:
    """Replace ``${...}`` references in the component configs by their values, so the
    config stays valid after ``replace_listeners`` copies the tok2vec into another
    component and the tok2vec is removed."""
    from thinc.api import Config

    full = nlp.config.interpolate()
    for name in nlp.pipe_names:
        nlp._pipe_configs[name] = Config(full["components"][name])


def assemble(lang: str, runs: Path, out: Path, data: Path | None = None) -> Path:
    """Final pipeline: the NER model's tok2vec copied into the NER (replace_listeners, so
    the NER owns its encoder), then syntax_tok2vec + morphologizer + parser sourced from
    the UD model, then the lookup lemmatizer.  Without a UD model: NER + sentencizer."""
    import spacy

    ud = runs / f"ud_{lang}" / "model-best"
    ner = runs / f"ner_{lang}" / "model-best"
    nlp = spacy.load(ner)
    _literal_pipe_configs(nlp)
    nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    nlp.remove_pipe("tok2vec")
    if ud.exists():
        ud_nlp = spacy.load(ud, vocab=nlp.vocab)
        _literal_pipe_configs(ud_nlp)
        for name in ("syntax_tok2vec", "morphologizer", "parser"):
            nlp.add_pipe(name, source=ud_nlp)
    else:
        nlp.add_pipe("sentencizer", first=True)
    if "morphologizer" in nlp.pipe_names or lang == "it":
        add_lemmatizer(nlp, lang, data)
    nlp.meta["name"] = f"kg_{lang}"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = f"kg's own {lang} pipeline (see MODEL_CARD.md)"
    nlp.meta["license"] = "CC BY-NC-SA 4.0" if lang == "it" else "CC BY-SA 4.0"
    if out.exists():  # to_disk does not delete components of an older pipeline
        import shutil

        shutil.rmtree(out)
    out.mkdir(parents=True)
    nlp.to_disk(out)
    # spaCy saves every string the training corpora put in the vocab (names among them);
    # inference re-adds the strings it needs (labels, lookup tables) when the pipeline
    # loads, and analyses are identical with an empty table, so none is shipped.
    (out / "vocab" / "strings.json").write_text("[]\n")
    info = {"ner_run": str(ner), "ud_run": str(ud) if ud.exists() else None}
    for name, run in (("ner", runs / f"ner_{lang}"), ("ud", runs / f"ud_{lang}")):
        meta = run / "model-best" / "meta.json"
        if meta.exists():
            info[f"{name}_dev_scores"] = json.loads(meta.read_text()).get("performance", {})
        secs = run / "train_seconds.txt"
        if secs.exists():
            info[f"{name}_train_seconds"] = float(secs.read_text())
    (out / "training_info.json").write_text(json.dumps(info, indent=2, default=str))
    print(f"[assemble] {out}: {nlp.pipe_names}", flush=True)
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Rebuild kg's spaCy pipeline for one language")
    p.add_argument("lang", choices=["it", "en"])
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--stages", default=",".join(DEFAULT_STAGES),
                   help="comma list of " + ",".join(STAGES) + " (default: all but pretrain)")
    p.add_argument("--work", type=Path, default=HERE, help="where corpus/, runs/, vectors/ go")
    p.add_argument("--model-out", type=Path, default=None, help="default kg/models/<lang>")
    p.add_argument("--ner-steps", type=int, default=None, help="steps on the gold NER data")
    p.add_argument("--silver-steps", type=int, default=None,
                   help="steps on the WikiNEuRal silver data before the gold (0: none; "
                        "default it 8000, en 0: for English it did not help and would make "
                        "the model NonCommercial)")
    p.add_argument("--ud-steps", type=int, default=None)
    p.add_argument("--pretrain-words", type=int, default=8_000_000,
                   help="raw-text words for the tok2vec pretraining pass")
    p.add_argument("--no-vectors", action="store_true", help="train without floret vectors")
    p.add_argument("--vector-lines", type=int, default=None, help="limit raw text lines (tests)")
    a = p.parse_args(argv)
    stages = [s.strip() for s in a.stages.split(",") if s.strip()]
    corpus, runs, vdir = a.work / "corpus", a.work / "runs", a.work / "vectors"
    runs.mkdir(parents=True, exist_ok=True)
    vectors = None if a.no_vectors else vdir / f"{a.lang}_vectors"
    # the step counts of the shipped models
    ner_steps = a.ner_steps or (5000 if a.lang == "it" else 6000)
    silver_steps = a.silver_steps if a.silver_steps is not None else (8000 if a.lang == "it" else 0)
    ud_steps = a.ud_steps or (3000 if a.lang == "it" else 4000)
    if "vectors" in stages and vectors is not None:
        from training.vectors import train_vectors

        train_vectors(a.lang, a.data, vdir, max_lines=a.vector_lines)
    if "convert" in stages:
        from training.convert import convert

        convert(a.lang, a.data, corpus)
    pretrained = runs / f"pretrain_{a.lang}" / "weights" / "model-last.bin"
    if "pretrain" in stages:
        from training.pretrain import pretrain

        pretrained = pretrain(a.lang, a.data, runs / f"pretrain_{a.lang}", vectors,
                              a.pretrain_words)
    if "ner" in stages:
        train_ner(a.lang, corpus, runs, vectors, ner_steps, silver_steps=silver_steps,
                  init_tok2vec=pretrained if "pretrain" in stages else None)
    if "ud" in stages:
        train_ud(a.lang, corpus, runs, ud_steps, vectors)
    if "assemble" in stages:
        out = a.model_out or (HERE.parent / "kg" / "models" / a.lang)
        assemble(a.lang, runs, out, a.data)


if __name__ == "__main__":
    main()
