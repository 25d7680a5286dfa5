"""Casing variants of NER training docs (training/augment.py, kg.case_variants.v1)."""
import random

import pytest
import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

import training.augment  # noqa: F401  registers kg.case_variants.v1


@pytest.fixture()
def example():
    nlp = spacy.blank("en")
    words = ["Sears", "Holdings", "sells", "Kmart", "'s", "stake", "in", "Straße", "."]
    spaces = [True, True, True, False, True, True, True, False, False]
    ref = Doc(nlp.vocab, words=words, spaces=spaces)
    ref.ents = [Span(ref, 0, 2, "ORG"), Span(ref, 3, 4, "ORG"), Span(ref, 7, 8, "LOC")]
    return nlp, Example(nlp.make_doc(ref.text), ref)


def _variants(nlp, example, **levels):
    augment = registry.augmenters.get("kg.case_variants.v1")(**levels)
    return list(augment(nlp, example))


@pytest.mark.parametrize("levels, text, ents", [
    ({"lower": 1.0}, "sears holdings sells kmart's stake in straße.",
     ["sears holdings", "kmart", "straße"]),
    # "ß".upper() is "SS": a word whose length would change keeps its case
    ({"upper": 1.0}, "SEARS HOLDINGS SELLS KMART'S STAKE IN Straße.",
     ["SEARS HOLDINGS", "KMART", "Straße"]),
    ({"title": 1.0}, "Sears Holdings Sells Kmart's Stake In Straße.",
     ["Sears Holdings", "Kmart", "Straße"]),
])
def test_variant_keeps_the_entities(example, levels, text, ents):
    nlp, ex = example
    (out,) = _variants(nlp, ex, **levels)
    assert out.reference.text == text
    assert [(e.text, e.label_) for e in out.reference.ents] == list(zip(ents, ["ORG", "ORG", "LOC"]))
    assert out.predicted.text == text  # the model sees the changed text


def test_no_levels_leave_the_example_alone(example):
    nlp, ex = example
    assert _variants(nlp, ex) == [ex]


def test_levels_are_shares_of_the_docs(example):
    nlp, ex = example
    random.seed(0)
    texts = [_variants(nlp, ex, lower=0.2, upper=0.1, title=0.1)[0].reference.text
             for _ in range(2000)]
    share = {k: sum(t == v for t in texts) / len(texts) for k, v in
             (("lower", ex.reference.text.lower()), ("kept", ex.reference.text))}
    assert share["lower"] == pytest.approx(0.2, abs=0.03)
    assert share["kept"] == pytest.approx(0.6, abs=0.03)


def test_levels_above_one_are_refused():
    with pytest.raises(ValueError):
        registry.augmenters.get("kg.case_variants.v1")(lower=0.6, upper=0.5)
