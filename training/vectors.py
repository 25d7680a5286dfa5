"""Train small floret static vectors on the raw text in ``<data>/raw_text``.

Why: static vectors trained on millions of words give the CNN NER knowledge about
words it never saw in the (small) gold training sets.  floret ("bloom" hashing) keeps
the table small (a fixed number of hashed rows) so the shipped model stays <= 40 MB and
still covers unseen words through their character n-grams.

Usage: ``python -m training.vectors it --data ../shared/data --out training/vectors``
produces ``<out>/<lang>.floret`` (text table) and a spaCy vectors model directory
``<out>/<lang>_vectors`` that configs use as ``[initialize] vectors``.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

RAW_FILES = {
    "it": [
        "raw_text/it_dice_crime_news/it_dice_news.txt",
        "raw_text/it_wikineural_kind/it_wikineural_sents.txt",
        "raw_text/it_wikineural_kind/it_kind_moro.txt",
        "raw_text/it_wikineural_kind/it_kind_degasperi.txt",
        "raw_text/it_wikineural_kind/it_kind_fiction.txt",
        "raw_text/it_eltec_novels/it_eltec_novels.txt",
    ],
    "en": ["raw_text/enwiki_wikitasks/en_wiki.txt"],
}


def tokenize_corpus(lang: str, data: Path, out_txt: Path, max_lines: int | None = None) -> int:
    """Write the raw text tokenised by spaCy's rule tokenizer, one line per paragraph.

    floret splits on whitespace, so tokenising the same way the pipeline does makes the
    vector keys match spaCy tokens ("Roma," -> "Roma" ",")."""
    import spacy

    nlp = spacy.blank(lang)
    n_words = 0
    with out_txt.open("w", encoding="utf8") as out:
        for rel in RAW_FILES[lang]:
            path = data / rel
            if not path.exists():
                continue
            with path.open(encoding="utf8") as f:
                lines = (ln.strip() for i, ln in enumerate(f) if max_lines is None or i < max_lines)
                for doc in nlp.tokenizer.pipe(ln for ln in lines if ln):
                    toks = [t.text for t in doc if not t.is_space]
                    n_words += len(toks)
                    out.write(" ".join(toks) + "\n")
    return n_words


def train_vectors(
    lang: str,
    data: Path,
    out: Path,
    dim: int = 100,
    bucket: int = 50000,
    epoch: int = 5,
    threads: int = 1,
    max_lines: int | None = None,
    model: str = "cbow",
) -> Path:
    """Tokenise, train floret (``model`` cbow or skipgram, mode floret) and convert to a spaCy vectors model."""
    import floret

    out.mkdir(parents=True, exist_ok=True)
    txt = out / f"{lang}_tok.txt"
    t0 = time.time()
    n = tokenize_corpus(lang, data, txt, max_lines=max_lines)
    print(f"[vectors] {lang}: tokenised {n:,} words in {time.time() - t0:.0f}s", flush=True)
    t0 = time.time()
    ft = floret.train_unsupervised(
        str(txt),
        model=model,
        mode="floret",
        hashCount=2,
        bucket=bucket,
        minn=4,
        maxn=5,
        minCount=3,
        dim=dim,
        epoch=epoch,
        thread=threads,
        verbose=1,
    )
    print(f"[vectors] {lang}: floret trained in {time.time() - t0:.0f}s", flush=True)
    table = out / f"{lang}.floret"
    ft.save_floret_vectors(str(table))
    vec_dir = out / f"{lang}_vectors"
    subprocess.run(
        [sys.executable, "-m", "spacy", "init", "vectors", lang, str(table), str(vec_dir),
         "--mode", "floret"],
        check=True,
    )
    txt.unlink(missing_ok=True)
    return vec_dir


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("lang", choices=sorted(RAW_FILES))
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--out", type=Path, default=Path("training/vectors"))
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--bucket", type=int, default=50000)
    p.add_argument("--epoch", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--model", choices=["cbow", "skipgram"], default="cbow")
    p.add_argument("--max-lines", type=int, default=None, help="per file, for quick tests")
    a = p.parse_args(argv)
    train_vectors(a.lang, a.data, a.out, a.dim, a.bucket, a.epoch, a.threads, a.max_lines, a.model)


if __name__ == "__main__":
    main()
