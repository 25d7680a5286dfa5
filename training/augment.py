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


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def case_variant(nlp, example: Example, change: Callable[[str], str]) -> Example:
    """``example`` with every reference token's text passed through ``change``."""
    ref = example.reference
    # upper() can change a word's length ("ß" -> "SS"): keep such words as they are
    words = [change(t.text) if len(change(t.text)) == len(t.text) else t.text for t in ref]
    data = example.to_dict()
    data["doc_annotation"]["entities"] = _doc_to_biluo_tags_with_partial(ref)
    data["token_annotation"]["ORTH"] = words
    doc = nlp.make_doc("".join(w + t.whitespace_ for w, t in zip(words, ref)))
    return example.from_dict(doc, data)


def case_variants_augmenter(nlp, example: Example, *, lower: float, upper: float,
                            title: float) -> Iterator[Example]:
    r = random.random()
    if r < lower:
        yield case_variant(nlp, example, str.lower)
    elif r < lower + upper:
        yield case_variant(nlp, example, str.upper)
    elif r < lower + upper + title:
        yield case_variant(nlp, example, _title)
    else:
        yield example


@registry.augmenters("kg.case_variants.v1")
def create_case_variants_augmenter(lower: float = 0.0, upper: float = 0.0,
                                   title: float = 0.0):
    if lower + upper + title > 1:
        raise ValueError("kg.case_variants.v1: lower + upper + title must be <= 1")
    return partial(case_variants_augmenter, lower=lower, upper=upper, title=title)
