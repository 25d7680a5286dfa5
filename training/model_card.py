"""Write ``kg/models/<lang>/MODEL_CARD.md`` from measured numbers only.

    python -m training.model_card it [--bench benchmarks/results.json] [--notes notes.md]

Reads ``dev_scores.json`` (training/evaluate.py), ``training_info.json`` (training/train.py
assemble stage), the benchmark JSON (benchmarks/bench_nlp.py --json) and an optional
Markdown file of notes (what helped, measured during development), and writes the card.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.augment import CASINGS

ROOT = Path(__file__).resolve().parents[1]

DATA = {
    "it": """\
| use | data | licence |
|---|---|---|
| NER first pass (silver) | WikiNEuRal-it val+test (Babelscape; automatic annotation of Wikipedia), MISC -> O | **CC BY-NC-SA 4.0** |
| NER train | KIND (dhfbk/KIND, EVALITA-2023 release): Wikinews train (x2), fiction train+dev, Alcide De Gasperi train+dev | **CC BY-NC 4.0** (De Gasperi: **CC BY-NC-SA 4.0**) |
| NER dev | KIND Wikinews dev | CC BY-NC 4.0 |
| static vectors | floret on raw text: DICE crime news (**CC BY-NC-SA 4.0**), WikiNEuRal-it sentences (**CC BY-NC-SA 4.0**), KIND non-news texts (NC annotations' source), ELTeC-ita novels (public domain) | mixed, NC |
| tagger/parser | UD Italian ParlaMint (CC BY-SA 4.0), MarkIT (CC BY 4.0), TWITTIRÒ (CC BY-SA 4.0), VALICO (CC BY-SA 4.0), ParTUT (**CC BY-NC-SA 4.0**), PoSTWITA dev+test (**CC BY-NC-SA 4.0**), VIT dev+test (**CC BY-NC-SA 3.0**), ISDT test (**CC BY-NC-SA 3.0**); dev = ISDT dev | mixed, NC |
| lemmatizer | spacy-lookups-data Italian tables (pruned to forms seen in the raw text) | see spacy-lookups-data (MIT package; tables' own licences in `it_license.txt`) |

**Licence of this model: NonCommercial.** It is trained on KIND annotations (CC BY-NC /
BY-NC-SA), NonCommercial UD treebanks and NonCommercial raw text, so the weights may be
used for research and other non-commercial purposes only (we use CC BY-NC-SA 4.0 for the
model as the most restrictive of its inputs). kg's code stays under the project licence
(Apache-2.0); to use kg commercially in Italian, point `KG_SPACY_MODEL_IT` at a pipeline
you are licensed to use.""",
    "en": """\
| use | data | licence |
|---|---|---|
| NER train | Universal NER English-EWT train (x2) | CC BY-SA 4.0 |
| NER train | SEC filings financial NER (Salinas Alvarado et al. 2015), FIN5 | CC BY 3.0 |
| NER train | wikigold | CC BY 4.0 |
| NER train | GUM CC-BY genres (Wikinews news/interview/bio, Wikivoyage, OpenStax textbooks, vlogs, speeches, conversations) train, entity layer: named person/organization/place mentions | texts CC BY / CC BY-SA / PD, annotations CC BY 4.0 |
| NER train | Re-DocRED dev+test typed mentions (PER/ORG/LOC) | MIT (texts Wikipedia, CC BY-SA) |
| NER dev | UNER EWT dev; news-like dev = GUM CC-BY dev entity layer + SEC FIN3 | as above |
| static vectors | floret on English Wikipedia text (WikiTasks shards) | CC BY-SA 3.0/4.0 |
| tagger/parser | UD English-EWT train (CC BY-SA 4.0), GUM CC-BY genres train; dev = EWT dev | CC BY-SA 4.0 / CC BY |
| lemmatizer | spacy-lookups-data English rule tables | see spacy-lookups-data |

No NonCommercial source is used for the English model (WikiNEuRal-en, the full GUM and
REBEL were left out on purpose). Share-alike sources (UNER/UD EWT, Wikipedia) make
**CC BY-SA 4.0** the licence of the weights; attribution: the sources above.""",
}


def _pct(x) -> str:
    return "" if x is None else f"{100 * x:.1f}"


def ner_table(scores: dict) -> str:
    rows = ["| label | P | R | F |", "|---|---:|---:|---:|"]
    for label, s in sorted((scores.get("ents_per_type") or {}).items()):
        rows.append(f"| {label} | {_pct(s['p'])} | {_pct(s['r'])} | {_pct(s['f'])} |")
    rows.append(f"| **all** | {_pct(scores.get('ents_p'))} | {_pct(scores.get('ents_r'))} | "
                f"**{_pct(scores.get('ents_f'))}** |")
    recased = [(c, scores[f"ents_f_{c}"]) for c in CASINGS
               if scores.get(f"ents_f_{c}") is not None]
    if recased:
        rows += ["", "F on the same text re-cased (every word lower case / upper case / "
                 "capitalised): " + ", ".join(f"{c} {_pct(f)}" for c, f in recased) + "."]
    return "\n".join(rows)


def write_card(lang: str, model: Path, bench: Path | None, notes: Path | None) -> Path:
    dev = json.loads((model / "dev_scores.json").read_text())
    info = json.loads((model / "training_info.json").read_text())
    meta = json.loads((model / "meta.json").read_text())
    size = sum(f.stat().st_size for f in model.rglob("*") if f.is_file())
    dev_name = "KIND Wikinews dev" if lang == "it" else "UNER English-EWT dev"
    parts = [
        f"# kg {lang} spaCy pipeline (`kg/models/{lang}`)",
        "",
        f"Components: `{', '.join(meta['pipeline'])}` (+ `kg_numeric` rules for MONEY/PERCENT/DATE "
        "added by `kg.nlp.load`). spaCy " + meta.get("spacy_version", "") + ". Size on disk: "
        f"**{size / 1e6:.1f} MB**.",
        "",
        "## Data and licences",
        "",
        DATA[lang],
        "",
        f"## NER, {dev_name} (exact span + label match)",
        "",
        ner_table(dev.get("ner_dev", {})),
    ]
    if "ner_news_dev" in dev:
        parts += ["", "News-like English dev (GUM CC-BY dev named mentions + SEC FIN3; "
                  "annotation conventions differ from UNER, so this is a lower bound):", "",
                  ner_table(dev["ner_news_dev"])]
    ud = dev.get("ud_dev")
    if ud:
        ud_name = "UD Italian ISDT dev" if lang == "it" else "UD English EWT dev"
        parts += ["", f"## Tagging and parsing, {ud_name}", "",
                  "| metric | value |", "|---|---:|"]
        for key, label in (("pos_acc", "UPOS accuracy"), ("morph_acc", "morph. features accuracy"),
                           ("lemma_acc", "lemma accuracy"), ("dep_uas", "UAS"), ("dep_las", "LAS"),
                           ("sents_f", "sentence boundary F")):
            if ud.get(key) is not None:
                parts.append(f"| {label} | {_pct(ud[key])} |")
    parts += ["", "## Speed (one CPU core, this machine)", ""]
    if bench and bench.exists():
        rows = [r for r in json.loads(bench.read_text()) if r["lang"] == lang]
        parts += ["| pipeline | words/s |", "|---|---:|"]
        parts += [f"| {r['pipeline']} | {r['words_per_s']:,} |" for r in rows]
        parts += ["", "Measured by `benchmarks/bench_nlp.py` (see `benchmarks/BENCHMARKS.md`)."]
    else:
        parts.append("Not measured yet.")
    parts += ["", "## Training", ""]
    for key, label in (("ner_train_seconds", "NER (tok2vec + ner)"),
                       ("ud_train_seconds", "morphologizer + parser")):
        if key in info:
            parts.append(f"- {label}: {info[key] / 60:.0f} min wall time on the 2-core build machine")
    parts.append(f"- rebuild: `python -m training.train {lang} --data ../shared/data` "
                 "(see `training/README.md`)")
    if notes and notes.exists():
        parts += ["", notes.read_text().strip()]
    card = model / "MODEL_CARD.md"
    card.write_text("\n".join(parts) + "\n")
    return card


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Write a model card from measured numbers")
    p.add_argument("lang", choices=["it", "en"])
    p.add_argument("--model", type=Path, default=None)
    p.add_argument("--bench", type=Path, default=ROOT / "benchmarks" / "results.json")
    p.add_argument("--notes", type=Path, default=None)
    a = p.parse_args(argv)
    print(write_card(a.lang, a.model or ROOT / "kg" / "models" / a.lang, a.bench, a.notes))


if __name__ == "__main__":
    main()
