"""Pretrain the NER's tok2vec on raw text (``spacy pretrain``, characters objective).

The encoder of ``configs/ner.cfg`` learns to predict the first and last characters of
each word from its context on millions of words of ``<data>/raw_text`` before it sees
the (small) NER gold sets; ``train_ner`` then starts from the saved weights
(``[initialize] init_tok2vec``).  The tok2vec section is read from ``configs/ner.cfg``
itself, so the weights always fit the NER model.

``python -m training.pretrain it --data ../shared/data --out training/runs/pretrain_it``
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from training.vectors import RAW_FILES

HERE = Path(__file__).resolve().parent

# the vectors' raw text without the 19th-century novels, which would teach old spelling
PRETRAIN_FILES = {lang: [f for f in files if "eltec" not in f] for lang, files in RAW_FILES.items()}

PRETRAINING = {
    "max_epochs": 1,
    "dropout": 0.2,
    "n_save_every": 500,
    "n_save_epoch": 1,
    "component": "tok2vec",
    "layer": "",
    "corpus": "corpora.pretrain",
    "batcher": {"@batchers": "spacy.batch_by_words.v1", "size": 3000,
                "discard_oversize": False, "tolerance": 0.2, "get_length": None},
    "objective": {"@architectures": "spacy.PretrainCharacters.v1", "maxout_pieces": 3,
                  "hidden_size": 300, "n_characters": 4},
    "optimizer": {"@optimizers": "Adam.v1", "beta1": 0.9, "beta2": 0.999,
                  "L2_is_weight_decay": True, "L2": 0.01, "grad_clip": 1.0,
                  "use_averages": True, "eps": 1e-8, "learn_rate": 0.001},
    "before_to_disk": None,
}


def write_raw_jsonl(lang: str, data: Path, out: Path, max_words: int) -> int:
    """Paragraphs of the raw text as ``{"text": ...}`` lines, files interleaved
    round-robin so a capped corpus still mixes the sources; returns the word count."""
    handles = [open(data / rel, encoding="utf8") for rel in PRETRAIN_FILES[lang]
               if (data / rel).exists()]
    n = 0
    with out.open("w", encoding="utf8") as f:
        while handles and n < max_words:
            for h in list(handles):
                line = ""
                while not line:
                    raw = h.readline()
                    if not raw:
                        break
                    line = raw.strip()
                if not line:
                    handles.remove(h)
                    h.close()
                    continue
                f.write(json.dumps({"text": line}, ensure_ascii=False) + "\n")
                n += len(line.split())
    for h in handles:
        h.close()
    return n


def pretrain_config(out: Path) -> Path:
    """configs/ner.cfg plus the [pretraining] and [corpora.pretrain] sections."""
    from thinc.api import Config

    cfg = Config().from_disk(HERE / "configs" / "ner.cfg", interpolate=False)
    cfg["paths"]["raw_text"] = None
    cfg["pretraining"] = PRETRAINING
    cfg["corpora"]["pretrain"] = {"@readers": "spacy.JsonlCorpus.v1", "path": "${paths.raw_text}",
                                  "min_length": 5, "max_length": 500, "limit": 0}
    path = out / "pretrain.cfg"
    cfg.to_disk(path)
    return path


def pretrain(lang: str, data: Path, out: Path, vectors: Path | None,
             max_words: int = 6_000_000) -> Path:
    """Run ``spacy pretrain`` for one pass over ``max_words`` words; returns the last
    weights file (``model-last.bin``)."""
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "raw.jsonl"
    n = write_raw_jsonl(lang, data, raw, max_words)
    print(f"[pretrain] {n:,} words of raw text -> {raw}", flush=True)
    cmd = [sys.executable, "-m", "training.spacy_cli", "pretrain", str(pretrain_config(out)),
           str(out / "weights"), "--paths.raw_text", str(raw), "--nlp.lang", lang]
    if vectors is not None:
        cmd += ["--paths.vectors", str(vectors)]
    else:
        cmd += ["--components.tok2vec.model.embed.include_static_vectors", "false"]
    print("[pretrain] " + " ".join(cmd), flush=True)
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    t0 = time.time()
    subprocess.run(cmd, check=True, env=env, cwd=HERE.parent)
    (out / "train_seconds.txt").write_text(f"{time.time() - t0:.0f}\n")
    return out / "weights" / "model-last.bin"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("lang", choices=["it", "en"])
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--vectors", type=Path, default=None)
    p.add_argument("--max-words", type=int, default=6_000_000)
    a = p.parse_args(argv)
    print(pretrain(a.lang, a.data, a.out, a.vectors, a.max_words))


if __name__ == "__main__":
    main()
