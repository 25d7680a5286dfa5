"""Score an assembled pipeline on the dev corpora (``training/corpus``) and write JSON.

    python -m training.evaluate it [--model kg/models/it] [--corpus training/corpus]

Scores are on the gold tokenisation (as ``spacy evaluate``); NER F on spaCy's own
tokenisation is added as ``ents_f_spacy_tokenizer``, and on the text re-cased (lower,
upper, title case) as ``ents_f_<casing>``.
NER: ``ner_<lang>_dev.spacy`` (KIND WN dev / UNER EWT dev) and, for English, the
news-like dev ``ner_en_news_dev.spacy`` (GUM CC-BY dev entity layer + SEC FIN3), with
P/R/F per label.  Syntax: ``ud_<lang>_dev.spacy`` (ISDT dev / EWT dev): UPOS, morph,
lemma accuracy, UAS/LAS, sentence F.  Results go to ``<model>/dev_scores.json``.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from spacy.tokens import DocBin
from spacy.training import Example


from training.augment import CASINGS, recase


def score(nlp, docs: list, keep: tuple[str, ...], gold_tokens: bool = True,
          casing: str | None = None) -> dict:
    """Score ``nlp`` on the gold ``docs`` with spaCy's scorers.

    ``gold_tokens`` (as ``spacy evaluate`` and the training log do for corpora without
    whitespace information): the pipeline runs on the gold tokenisation.  Otherwise the
    text is re-tokenised by spaCy's tokenizer, which costs about a point of NER F where
    the two tokenisations disagree ("d'Italia", "Roma-Viterbo").  ``casing`` (a key of
    ``CASINGS``): the pipeline reads every gold word re-cased, against the same gold
    entities (how well names are found without their usual capitals)."""
    from spacy.tokens import Doc

    change = CASINGS[casing] if casing else (lambda w: w)
    examples = [
        Example(Doc(nlp.vocab, words=[recase(t.text, change) for t in d],
                    spaces=[bool(t.whitespace_) for t in d])
                if gold_tokens else nlp.make_doc(d.text), d)
        for d in docs
    ]
    scores = nlp.evaluate(examples)
    return {k: v for k, v in scores.items() if k.startswith(keep) and "las_per_type" not in k}


def evaluate(lang: str, model: Path, corpus: Path) -> dict:
    import spacy

    nlp = spacy.load(model)
    out: dict[str, dict] = {}
    ner_files = {"ner_dev": corpus / f"ner_{lang}_dev.spacy"}
    if lang == "en":
        ner_files["ner_news_dev"] = corpus / "ner_en_news_dev.spacy"
    read = lambda path: list(DocBin().from_disk(path).get_docs(nlp.vocab))  # noqa: E731
    for name, path in ner_files.items():
        if path.exists():
            docs = read(path)
            out[name] = score(nlp, docs, ("ents_",))
            raw = score(nlp, docs, ("ents_f",), gold_tokens=False)
            out[name]["ents_f_spacy_tokenizer"] = raw["ents_f"]
            for casing in CASINGS:
                out[name][f"ents_f_{casing}"] = score(nlp, docs, ("ents_f",), casing=casing)["ents_f"]
    ud = corpus / f"ud_{lang}_dev.spacy"
    if ud.exists():
        with nlp.select_pipes(disable=[p for p in ("ner",) if p in nlp.pipe_names]):
            out["ud_dev"] = score(nlp, read(ud), ("pos_", "morph_acc", "lemma_", "dep_", "sents_", "tag_"))
    (model / "dev_scores.json").write_text(json.dumps(out, indent=2))
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Score a kg pipeline on the dev corpora")
    p.add_argument("lang", choices=["it", "en"])
    p.add_argument("--model", type=Path, default=None)
    p.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parent / "corpus")
    a = p.parse_args(argv)
    model = a.model or Path(__file__).resolve().parents[1] / "kg" / "models" / a.lang
    print(json.dumps(evaluate(a.lang, model, a.corpus), indent=2))


if __name__ == "__main__":
    main()
