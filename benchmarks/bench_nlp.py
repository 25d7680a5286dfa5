"""Speed of kg's spaCy pipelines on one CPU core, side by side with baselines.

    OMP_NUM_THREADS=1 python benchmarks/bench_nlp.py --data ../shared/data [--words 50000]

For each language it times ``nlp.pipe`` over the first ``--words`` words of a raw news-like
text from the shared data (Italian: DICE news, English: Wikipedia) for:

* ``kg full``: ``kg.nlp.load(lang)`` (tok2vec, NER, morphologizer, parser, lemmatizer,
  kg_numeric),
* ``kg no parser``: the same with the parser disabled,
* ``kg full, thinc blis``: the same pipeline loaded with thinc's default ops (matrix
  products in the bundled blis) instead of ``kg.nlp.ops.cpu_ops`` (numpy/OpenBLAS),
* ``plain efficiency``: a default ``spacy init config --optimize efficiency`` pipeline
  (tok2vec 96x4, morphologizer, parser, NER; weights initialised, speed does not depend
  on training) as the yardstick spaCy's own CPU pipelines are built from, with both ops.

Words/s counts spaCy tokens (as spaCy's own speed tables do).  Prints a Markdown table;
``--out`` appends it to a file.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

TEXTS = {
    "it": "raw_text/it_dice_crime_news/it_dice_news.txt",
    "en": "raw_text/enwiki_wikitasks/en_wiki.txt",
}


def load_texts(lang: str, data: Path, n_words: int) -> list[str]:
    """Paragraphs from the shared raw text until ``n_words`` whitespace words."""
    out, n = [], 0
    with (data / TEXTS[lang]).open(encoding="utf8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            out.append(line)
            n += len(line.split())
            if n >= n_words:
                break
    return out


BATCH = 64  # paragraphs (~16k tokens): about the size of kg build's 8-article batches


def time_pipe(nlp, texts: list[str], repeats: int = 3) -> tuple[float, int]:
    """Best-of-``repeats`` tokens per second of ``nlp.pipe`` (one process)."""
    list(nlp.pipe(texts[:20]))  # warm up
    best, n_tok = 0.0, 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        n_tok = sum(len(doc) for doc in nlp.pipe(texts, batch_size=BATCH))
        best = max(best, n_tok / (time.perf_counter() - t0))
    return best, n_tok


def plain_pipeline(lang: str, sample, ops=None):
    """Default efficiency-config spaCy pipeline (morphologizer, parser, ner), initialised
    on a few labelled docs so its output layers have realistic sizes."""
    from spacy.cli.init_config import init_config
    from spacy.training import Example
    from spacy.util import load_model_from_config

    from contextlib import nullcontext

    config = init_config(lang=lang, pipeline=["morphologizer", "parser", "ner"],
                         optimize="efficiency", gpu=False)
    with ops or nullcontext():
        nlp = load_model_from_config(config, auto_fill=True)
        examples = [Example(nlp.make_doc(d.text), d) for d in sample]
        nlp.initialize(lambda: examples)
    return nlp


def main(argv: list[str] | None = None) -> None:
    import spacy
    from spacy.tokens import DocBin

    from thinc.api import use_ops

    import kg.nlp
    from kg.nlp.ops import cpu_ops

    p = argparse.ArgumentParser(description="kg pipeline speed on one core")
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--words", type=int, default=50000)
    p.add_argument("--langs", default="it,en")
    p.add_argument("--corpus", type=Path, default=Path("training/corpus"),
                   help="UD .spacy files used to initialise the plain baseline")
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    a = p.parse_args(argv)
    rows = []
    for lang in a.langs.split(","):
        texts = load_texts(lang, a.data, a.words)
        nlp = kg.nlp.load(lang)
        full, n_tok = time_pipe(nlp, texts)
        with nlp.select_pipes(disable=[x for x in ("parser",) if x in nlp.pipe_names]):
            no_parser, _ = time_pipe(nlp, texts)
        size = sum(f.stat().st_size for f in Path(kg.nlp.model_path(lang)).rglob("*") if f.is_file())
        rows.append((lang, "kg full: " + ",".join(nlp.pipe_names), full, n_tok, size))
        rows.append((lang, "kg without parser", no_parser, n_tok, None))
        with use_ops("numpy"):  # thinc's default: blis
            blis_nlp = spacy.load(kg.nlp.model_path(lang))
        kg.nlp._add_numeric(blis_nlp, lang)
        blis, _ = time_pipe(blis_nlp, texts)
        rows.append((lang, "kg full, thinc default ops (blis)", blis, n_tok, None))
        ud = a.corpus / f"ud_{lang}_dev.spacy"
        ner = a.corpus / f"ner_{lang}_dev.spacy"
        if ud.exists() and ner.exists():
            v = spacy.blank(lang).vocab
            sample = list(DocBin().from_disk(ud).get_docs(v))[:30] + list(DocBin().from_disk(ner).get_docs(v))[:30]
            speed, _ = time_pipe(plain_pipeline(lang, sample, cpu_ops()), texts)
            rows.append((lang, "plain spaCy efficiency (tok2vec,morphologizer,parser,ner)", speed, n_tok, None))
            speed, _ = time_pipe(plain_pipeline(lang, sample), texts)
            rows.append((lang, "plain spaCy efficiency, thinc default ops (blis)", speed, n_tok, None))
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    head = (f"\n## {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {cpu}, 1 core "
            f"(OMP_NUM_THREADS=1, single process), Python {platform.python_version()}, "
            f"spaCy {spacy.__version__}; {a.words:,}-word sample\n\n"
            "| lang | pipeline | words/s (spaCy tokens) | tokens | size on disk |\n|---|---|---:|---:|---:|\n")
    body = "".join(
        f"| {lang} | {name} | {speed:,.0f} | {n:,} | {'' if size is None else f'{size / 1e6:.1f} MB'} |\n"
        for lang, name, speed, n, size in rows)
    ratios = []
    for lang in a.langs.split(","):
        r = {name.split(":")[0].split(" (")[0]: s for l_, name, s, _, _ in rows if l_ == lang}
        ratios.append(f"{lang}: kg full / kg with blis = {r['kg full'] / r['kg full, thinc default ops']:.2f}")
        if "plain spaCy efficiency" in r:
            ratios.append(f"{lang}: kg full / plain (same ops) = {r['kg full'] / r['plain spaCy efficiency']:.2f}")
    text = head + body + ("\n" + "; ".join(ratios) + "\n" if ratios else "")
    print(text)
    if a.out:
        with a.out.open("a", encoding="utf8") as f:
            f.write(text)
    if a.json:
        import json

        a.json.write_text(json.dumps(
            [{"lang": l_, "pipeline": n_, "words_per_s": round(s_), "tokens": t_, "bytes": b_}
             for l_, n_, s_, t_, b_ in rows], indent=2))


if __name__ == "__main__":
    main()
