"""Casing variants of NER training docs, so names are found without their capitals.

Registered as ``kg.case_variants.v1`` and used by ``configs/ner*.cfg``: each training
doc is, with probability ``lower``, lower-cased (web text, chat), with ``upper``
upper-cased (wire headlines), with ``title`` title-cased (English headlines capitalise
every word), otherwise kept as it is.  The entity annotation is carried over token by
token (spaCy's own ``lower_case`` augmenter works the same way).

``python -m training.spacy_cli`` imports this module, so ``spacy train`` finds it.
"""
from __future__ import annotations

import random
from functools import partial
from typing import Callable, Iterator

from spacy.training import Example
from spacy.training.augment import _doc_to_biluo_tags_with_partial
from spacy.util import registry


# the word-level casings, shared with training/evaluate.py's re-cased dev scores
CASINGS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "title": lambda w: w[:1].upper() + w[1:],  # every word capitalised, as in English headlines
}


def recase(word: str, change: Callable[[str], str]) -> str:
    """``change(word)``, or ``word`` itself when the change would alter its length
    ("ß".upper() is "SS"), so that character offsets stay valid."""
    new = change(word)
    return new if len(new) == len(word) else word


def case_variant(nlp, example: Example, change: Callable[[str], str]) -> Example:
    """``example`` with every reference token's text passed through ``change``."""
    ref = example.reference
    words = [recase(t.text, change) for t in ref]
    data = example.to_dict()
    data["doc_annotation"]["entities"] = _doc_to_biluo_tags_with_partial(ref)
    data["token_annotation"]["ORTH"] = words
    doc = nlp.make_doc("".join(w + t.whitespace_ for w, t in zip(words, ref)))
    return example.from_dict(doc, data)


def case_variants_augmenter(nlp, example: Example, *, lower: float, upper: float,
                            title: float) -> Iterator[Example]:
    r = random.random()
    for casing, level in (("lower", lower), ("upper", upper), ("title", title)):
        if r < level:
            yield case_variant(nlp, example, CASINGS[casing])
            return
        r -= level
    yield example


@registry.augmenters("kg.case_variants.v1")
def create_case_variants_augmenter(lower: float = 0.0, upper: float = 0.0,
                                   title: float = 0.0):
    if lower + upper + title > 1:
        raise ValueError("kg.case_variants.v1: lower + upper + title must be <= 1")
    return partial(case_variants_augmenter, lower=lower, upper=upper, title=title)
