"""Lay out the business-news corpus: copy the articles of `../shared/data/business_news` into
`corpus/{train,dev}/articles/` under stems `NNNN_<lang>_<slug>` and write `corpus/manifest.jsonl`.

The dev split is drawn at random with a fixed seed, DEV_PER_LANG articles per language, and
never changes; everything else is train. Re-running gives the same split.

    python -m training.corpus_split [--source ../shared/data/business_news] [--out corpus]
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

SEED = 20261204
DEV_PER_LANG = 36


def stem_of(record: dict) -> str:
    """`en/0002_knight_to_leave.txt` -> `0002_en_knight_to_leave`."""
    num, _, slug = Path(record["file"]).stem.partition("_")
    return f"{num}_{record['lang']}_{slug}"


def split(records: list[dict], seed: int = SEED, per_lang: int = DEV_PER_LANG) -> dict[str, str]:
    """stem -> "dev" | "train"; per language, `per_lang` stems drawn with `seed`."""
    rng = random.Random(seed)
    out: dict[str, str] = {}
    for lang in sorted({r["lang"] for r in records}):
        stems = sorted(stem_of(r) for r in records if r["lang"] == lang)
        dev = set(rng.sample(stems, per_lang))
        out.update({s: ("dev" if s in dev else "train") for s in stems})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default="../shared/data/business_news")
    ap.add_argument("--out", default="corpus")
    args = ap.parse_args()
    src, out = Path(args.source), Path(args.out)
    records = [json.loads(line) for line in (src / "manifest.jsonl").read_text().splitlines() if line.strip()]
    where = split(records)
    lines = []
    for r in sorted(records, key=stem_of):
        stem = stem_of(r)
        dest = out / where[stem] / "articles" / f"{stem}.txt"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / r["file"], dest)
        lines.append(json.dumps({
            "stem": stem, "split": where[stem], "lang": r["lang"], "title": r["title"],
            "date": r["date"], "url": r["url"], "licence": r["licence"],
            "attribution": r.get("attribution") or _attribution(r),
            "source": r["source"], "translation": r["translation"],
            "original_en_title": r.get("original_en_title"), "quality": r["quality"],
            "edits": r["edits"], "sha256": r["sha256"],
        }, ensure_ascii=False))
    (out / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _attribution(r: dict) -> str:
    site = "Wikinotizie (it.wikinews.org)" if r["lang"] == "it" and not r["translation"] else "Wikinews"
    if r["translation"]:
        return (f"Italian translation (NewsReader MEANTIME) of the English Wikinews article "
                f"{r.get('original_en_title') or ''!s}; Wikinews contributors").strip()
    return f"{site} contributors, \"{r['title']}\", {r['url']}"


if __name__ == "__main__":
    main()
