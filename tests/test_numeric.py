"""The kg_numeric component: rule MONEY/PERCENT/DATE entities on Docs built by hand."""
import spacy
from spacy.tokens import Span

import kg.nlp.numeric  # noqa: F401  (registers the factory)


def _nlp(lang):
    nlp = spacy.blank(lang)
    nlp.add_pipe("kg_numeric", config={"lang": lang})
    return nlp


def _ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_italian_money_percent_date():
    nlp = _nlp("it")
    doc = nlp("Venerdì 22 giugno 2007 il gruppo investirà nei prossimi tre anni 200 miliardi "
              "di yuan (28,28 miliardi di dollari) per il 49% del capitale.")
    ents = _ents(doc)
    assert ("200 miliardi di yuan", "MONEY") in ents
    assert ("28,28 miliardi di dollari", "MONEY") in ents
    assert ("49%", "PERCENT") in ents
    assert ("Venerdì 22 giugno 2007", "DATE") in ents
    assert ("nei prossimi tre anni", "DATE") in ents


def test_english_money_percent_date():
    nlp = _nlp("en")
    doc = nlp("Kmart said on Wednesday it will pay US$11 billion, up 22 percent, "
              "over the next three years. Shares may rise in May 2005.")
    ents = _ents(doc)
    assert ("US$11 billion", "MONEY") in ents
    assert ("22 percent", "PERCENT") in ents
    assert ("Wednesday", "DATE") in ents
    assert ("over the next three years", "DATE") in ents
    assert ("May 2005", "DATE") in ents
    assert not any(t == "may" for t, _ in ents)


def test_ner_entities_are_kept():
    nlp = spacy.blank("it")
    doc = nlp.make_doc("Borsa Italiana vale 1,63 miliardi di euro nel 2007")
    doc.ents = [Span(doc, 0, 2, label="ORG")]
    doc = nlp.add_pipe("kg_numeric", config={"lang": "it"})(doc)
    assert _ents(doc) == [("Borsa Italiana", "ORG"), ("1,63 miliardi di euro", "MONEY"),
                          ("2007", "DATE")]


def test_currency_qualifier_inside_money_gives_way():
    nlp = spacy.blank("it")
    doc = nlp.make_doc("un affare da 12.5 miliardi di dollari USA per Google")
    usa = [t.i for t in doc if t.text == "USA"][0]
    doc.ents = [Span(doc, usa, usa + 1, label="LOC"), Span(doc, len(doc) - 1, len(doc), "ORG")]
    doc = nlp.add_pipe("kg_numeric", config={"lang": "it"})(doc)
    assert _ents(doc) == [("12.5 miliardi di dollari USA", "MONEY"), ("Google", "ORG")]


def test_partial_overlap_keeps_the_ner_entity():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("May 2005 Holdings paid nothing")
    doc.ents = [Span(doc, 1, 3, label="ORG")]
    doc = nlp.add_pipe("kg_numeric", config={"lang": "en"})(doc)
    assert _ents(doc) == [("2005 Holdings", "ORG")]
