"""kg.nlp.load: the shipped pipelines find the names of the dev-eval gold and parse."""
import json
from pathlib import Path

from paths import SHARED

import pytest

import kg.nlp

DEV = SHARED / "dev-eval"
NAMED_TYPES = {"Company", "Person", "Place", "Organization"}


def gold_names(stem: str) -> list[str]:
    gold = json.loads((DEV / "gold" / f"{stem}.json").read_text())
    return [e["name"] for e in gold["entities"] if e["type"] in NAMED_TYPES]


@pytest.mark.model
@pytest.mark.parametrize("lang", ["it", "en"])
def test_load_returns_full_cached_pipeline(lang):
    nlp = kg.nlp.load(lang)
    assert nlp is kg.nlp.load(lang)
    for pipe in ("ner", "morphologizer", "parser", "lemmatizer", "kg_numeric"):
        assert pipe in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC"}


@pytest.mark.model
def test_italian_sentence():
    nlp = kg.nlp.load("it")
    doc = nlp("Il presidente Mario Rossi ha incontrato a Milano i vertici della Banca d'Italia. "
              "L'accordo vale 3 miliardi di euro.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Mario Rossi", "PER") in ents
    assert ("Milano", "LOC") in ents
    assert len(list(doc.sents)) == 2
    assert [t.pos_ for t in doc[:2]] == ["DET", "NOUN"]
    assert doc[1].head.text == "incontrato"
    assert any(e.label_ == "MONEY" for e in doc.ents)


@pytest.mark.model
def test_english_sentence():
    nlp = kg.nlp.load("en")
    doc = nlp("Chief executive John Smith said the company will open an office in London. "
              "Shares rose 5% on Monday.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("John Smith", "PER") in ents
    assert ("London", "LOC") in ents
    assert len(list(doc.sents)) == 2
    assert doc[4].lemma_ == "say"
    assert any(e.label_ == "PERCENT" for e in doc.ents)


@pytest.mark.model
@pytest.mark.parametrize("stem,lang", [
    ("01_it_borsa_italiana_lse", "it"), ("02_it_google_motorola", "it"),
    ("05_it_generali_geronzi", "it"), ("13_en_kmart_sears", "en"),
])
def test_gold_names_are_found(stem, lang):
    """Most gold company/person/place names of the news articles are NER spans."""
    if not DEV.exists():
        pytest.skip("dev-eval not available")
    text = (DEV / "articles" / f"{stem}.txt").read_text()
    doc = kg.nlp.load(lang)(text)
    spans = {e.text for e in doc.ents if e.label_ in ("PER", "ORG", "LOC")}
    names = gold_names(stem)
    found = [n for n in names if n in spans]
    assert len(found) >= 0.6 * len(names), (sorted(set(names) - set(found)), sorted(spans))


@pytest.mark.model
def test_env_override_uses_another_pipeline(tmp_path, monkeypatch):
    import spacy

    spacy.blank("en").to_disk(tmp_path / "blank_en")
    monkeypatch.setenv("KG_SPACY_MODEL_EN", str(tmp_path / "blank_en"))
    nlp = kg.nlp.load("en")
    assert nlp.pipe_names == ["kg_numeric"]
    assert [e.label_ for e in nlp("It fell 5% in 2020.").ents] == ["PERCENT", "DATE"]


def test_unknown_language_is_a_clean_error():
    from kg.config import KgError

    with pytest.raises(KgError):
        kg.nlp.load("fr")


@pytest.mark.model
@pytest.mark.parametrize("lang", ["it", "en"])
def test_openblas_ops_give_the_same_analysis_as_thinc_default(lang):
    """kg.nlp.load computes with numpy/OpenBLAS (kg/nlp/ops.py) for speed; the analysis
    must be the one the pipeline gives with thinc's default (blis) ops."""
    import spacy
    from thinc.api import use_ops

    text = {"it": "Il presidente Mario Rossi ha incontrato a Milano i vertici della Banca "
                  "d'Italia, che ha venduto le quote detenute dalle controllate.",
            "en": "Chief executive John Smith said the companies were buying stakes in "
                  "two banks, which had sold their London offices."}[lang] * 5
    with use_ops("numpy"):
        default = spacy.load(kg.nlp.model_path(lang))

    def analysis(doc):
        return ([(e.start, e.end, e.label_) for e in doc.ents],
                [(t.pos_, t.dep_, t.head.i, t.lemma_) for t in doc])

    ours = kg.nlp.load(lang)
    with ours.select_pipes(disable=["kg_numeric"]):
        assert analysis(ours(text)) == analysis(default(text))


@pytest.mark.model
@pytest.mark.parametrize("lang", ["it", "en"])
def test_shipped_pipelines_carry_no_name_from_the_evaluation_gold(lang):
    """The models must find names they never saw: no dev-eval gold name is stored in them
    (spaCy's string table of the training corpora is not shipped)."""
    names = {n for g in (DEV / "gold").glob("*.json") for n in gold_names(g.stem)}
    strings = set(json.loads((kg.nlp.MODELS_DIR / lang / "vocab" / "strings.json").read_text()))
    assert names and not names & strings
