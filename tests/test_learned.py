"""The learned extraction layer: shipped weights, the annotation rules' hard constraints on what
the classifier proposes, anaphora, and (on the corpus dev split, in aggregate) that it finds
more of the gold relations than the rules alone."""
import json
import re
from pathlib import Path

import pytest
import spacy

from kg.articles import Article
from kg.extract import extract, learned
from kg.facts import RELATION_PREDICATES
from kg.resolve import resolve

ROOT = Path(__file__).resolve().parents[1]


def _doc(lang, text, ents):
    doc = spacy.blank(lang).make_doc(text)
    spans = []
    for surface, label in ents:
        for m in re.finditer(re.escape(surface), text):
            spans.append(doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand"))
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


def _resolved(lang, text, ents):
    doc = _doc(lang, text, ents)
    art = Article(id="t", text=text, lang=lang)
    return resolve(art, extract(doc, art))


def test_shipped_weights_cover_the_ontology_predicates():
    rel = learned.load_model()
    typ = learned.load_typing_model()
    assert rel is not None and typ is not None, "kg/models/{relations,typing}.npz are shipped"
    assert set(rel.labels) == set(RELATION_PREDICATES)
    assert set(typ.labels) == {*learned.KINDS, learned.NONE}
    assert 0.0 < rel.threshold < 1.0
    import numpy as np
    with np.load(learned.MODEL_PATH) as z:
        meta = json.loads(str(z["meta"]))
    assert meta["articles"] >= 200 and meta["corpus_sha256"]


def _parsed(lang, text):
    """Facts of `text` read with kg's real pipeline (the learned layer needs a parse)."""
    from kg.nlp import load
    art = Article(id="t", text=text, lang=lang)
    return resolve(art, extract(load(lang)(text), art))


@pytest.mark.model
@pytest.mark.parametrize("lang,text", [
    ("it", "Nel 2006 la Zetafin aveva provato ad acquisire la Kappalux, senza successo."),
    ("en", "Last year Zetafin Corp. tried to buy Kappalux Inc., but the talks failed."),
    ("en", "Zetafin Corp. made an unsuccessful attempt to take over Kappalux Inc. in 2006."),
])
def test_attempts_are_never_acquisitions(lang, text):
    res = _parsed(lang, text)
    assert not [r for r in res.facts.relations if r.predicate in ("acquires", "mergesWith")]


@pytest.mark.model
def test_bracketed_affiliation_is_not_an_employer():
    res = _parsed("it", "Il consiglio ha ascoltato gli analisti Luca Gialli (Fondo Est) e "
                        "Anna Neri (Omicron Capital).")
    assert not [r for r in res.facts.relations if r.predicate == "worksFor"]


def test_no_parse_no_learned_facts():
    """A Doc without a dependency parse (a blank pipeline) gets the rules only."""
    text = "Zetafin Corp. agreed to buy Kappalux Inc. Zetafin Corp. is based in Brantford."
    res = _resolved("en", text, [("Zetafin Corp.", "ORG"), ("Kappalux Inc.", "ORG"),
                                 ("Brantford", "LOC")])
    assert not [r for r in res.facts.relations if r.evidence.extractor == learned.EXTRACTOR]


def test_anaphors_refer_back_and_are_not_aliases():
    text = ("Quellmark Industries reported higher sales. The company later bought Osterlund. "
            "Anna Verdi joined in 2001. She became its chief executive.")
    doc = _doc("en", text, [("Quellmark Industries", "ORG"), ("Osterlund", "ORG"),
                            ("Anna Verdi", "PER")])
    art = Article(id="t", text=text, lang="en")
    facts = extract(doc, art)
    by_id = {m.id: m for m in facts.mentions}
    refs = {m.text: by_id[m.ref].text for m in facts.mentions if m.anaphor}
    assert refs.get("The company") == "Quellmark Industries"
    assert refs.get("She") == "Anna Verdi"
    res = resolve(art, facts)
    firm = res.entity(res.entity_of[next(m.id for m in facts.mentions if m.text == "Quellmark Industries")])
    assert "The company" not in firm.aliases and "its" not in firm.aliases


@pytest.mark.model
def test_learned_layer_finds_more_gold_relations_than_the_rules(monkeypatch):
    """On the corpus dev split (gold by two annotation passes, reconciled), in aggregate: the
    learned layer raises relation recall well above the rules' and F1 with it."""
    from kg.evaluate import evaluate

    gold, arts = ROOT / "corpus" / "dev" / "gold", ROOT / "corpus" / "dev" / "articles"
    learned_rel = evaluate(gold, arts).overall()["relations"]
    monkeypatch.setenv("KG_TYPING_MODEL", "/nonexistent/typing.npz")
    monkeypatch.setenv("KG_RELATION_MODEL", "/nonexistent/relations.npz")
    rules_rel = evaluate(gold, arts).overall()["relations"]
    assert learned_rel.recall >= rules_rel.recall + 0.1, (learned_rel, rules_rel)
    assert learned_rel.f1 > rules_rel.f1, (learned_rel, rules_rel)


def test_bare_company_nouns_are_not_anaphors():
    """Only a definite description refers back: "expect business to grow" names no firm."""
    text = "Quellmark Industries grew. Analysts expect business to grow, and companies to hire."
    doc = _doc("en", text, [("Quellmark Industries", "ORG")])
    art = Article(id="t", text=text, lang="en")
    assert not [m for m in extract(doc, art).mentions if m.anaphor]


@pytest.mark.train
def test_training_recipe_on_a_tiny_corpus(tmp_path, monkeypatch):
    """python -m training.extract on four invented annotated articles writes loadable,
    deterministic weights."""
    from training import extract as recipe

    names = [("Quellmark", "Osterlund"), ("Brantwick", "Zephyra"), ("Nimbora", "Caltrix"),
             ("Velmont", "Ardessa")]
    for split in ("train",):
        for k, (a, b) in enumerate(names):
            stem = f"{k:04d}_en_tiny"
            # phrasings the precise rules do not read (pairs they read are left out of training)
            text = (f"{a} and {b}\n\n{b} Systems will soon sit inside {a} Holdings, people close "
                    f"to both said. Engineers of {a} Holdings in Milan cheered. Maria Rossi, long "
                    f"a fixture at {a} Holdings, spoke first.")
            (tmp_path / split / "articles").mkdir(parents=True, exist_ok=True)
            (tmp_path / split / "gold").mkdir(parents=True, exist_ok=True)
            (tmp_path / split / "articles" / f"{stem}.txt").write_text(text)
            gold = {"entities": [{"name": f"{a} Holdings", "type": "Company", "aliases": [a]},
                                 {"name": f"{b} Systems", "type": "Company", "aliases": [b]},
                                 {"name": "Milan", "type": "Place", "aliases": []},
                                 {"name": "Maria Rossi", "type": "Person", "aliases": []}],
                    "relations": [
                        {"subject": f"{a} Holdings", "predicate": "acquires", "object": f"{b} Systems",
                         "evidence": f"{b} Systems will soon sit inside {a} Holdings"},
                        {"subject": f"{a} Holdings", "predicate": "headquarteredIn", "object": "Milan",
                         "evidence": f"{a} Holdings in Milan"},
                        {"subject": "Maria Rossi", "predicate": "worksFor", "object": f"{a} Holdings",
                         "evidence": f"Maria Rossi, long a fixture at {a} Holdings"}],
                    "investments": []}
            (tmp_path / split / "gold" / f"{stem}.json").write_text(json.dumps(gold))
    monkeypatch.setenv("KG_TYPING_MODEL", "/nonexistent/typing.npz")
    outs = []
    for run in ("a", "b"):
        recipe.main(["--corpus", str(tmp_path), "--out-dir", str(tmp_path / run)])
        outs.append(learned.LinearModel.load(tmp_path / run / "relations.npz"))
        assert learned.LinearModel.load(tmp_path / run / "typing.npz").labels
    import numpy as np
    assert outs[0].index == outs[1].index and np.allclose(outs[0].W, outs[1].W)
    assert set(outs[0].labels) == set(RELATION_PREDICATES)
    # the recipe leaves the caller's setting as it found it
    import os
    assert os.environ["KG_TYPING_MODEL"] == "/nonexistent/typing.npz"
