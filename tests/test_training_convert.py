"""The converters from the shared data formats to spaCy Docs (training/convert.py)."""
from pathlib import Path

import pytest
from spacy.vocab import Vocab

from training import convert as C


def _ents(words, tags):
    docs = C.sentences_to_docs([(words, tags)], Vocab())
    return [(e.text, e.label_) for e in docs[0].ents]


def test_iob1_to_iob2_starts_entities():
    assert C.iob1_to_iob2(["I-ORG", "I-ORG", "O", "I-PER", "B-PER", "I-LOC"]) == [
        "B-ORG", "I-ORG", "O", "B-PER", "B-PER", "B-LOC"]


def test_misc_is_dropped_and_sequence_stays_valid():
    tags = [C.clean_tag(t) for t in ["B-MISC", "I-MISC", "B-ORG", "I-ORG", "I-PER"]]
    assert C.repair_iob2(tags) == ["O", "O", "B-ORG", "I-ORG", "B-PER"]


def test_read_formats(tmp_path: Path):
    (tmp_path / "kind.tsv").write_text("Mario\tB-PER\nRossi\tI-PER\na\tO\nRoma\tB-LOC\n\nFiat\tB-ORG\n")
    (tmp_path / "wn.tsv").write_text("0\tIl\tO\n1\tGiro\tB-MISC\n2\tdi\tI-MISC\n3\tItalia\tI-MISC\n4\tTorino\tB-LOC\n")
    (tmp_path / "uner.iob2").write_text("# sent_id = x\n# text = Bob at IBM\n1\tBob\tB-PER\t-\t-\n2\tat\tO\t-\t-\n3\tIBM\tB-ORG\t-\t-\n")
    (tmp_path / "sec.txt").write_text("-DOCSTART- -X- O O\n\nBank NNP - I-ORG\nof IN - I-ORG\nAmerica NNP - I-ORG\nand CC - O\nJohn NNP - I-PER\nEuro NNP - I-MISC\n")
    kind = C.read_kind(tmp_path / "kind.tsv")
    assert len(kind) == 2
    assert _ents(*kind[0]) == [("Mario Rossi", "PER"), ("Roma", "LOC")]
    assert _ents(*C.read_wikineural(tmp_path / "wn.tsv")[0]) == [("Torino", "LOC")]
    assert _ents(*C.read_uner(tmp_path / "uner.iob2")[0]) == [("Bob", "PER"), ("IBM", "ORG")]
    assert _ents(*C.read_iob1(tmp_path / "sec.txt")[0]) == [("Bank of America", "ORG"), ("John", "PER")]


GUM = """# sent_id = t-1
1\tThe\tthe\tDET\tDT\t_\t3\tdet\t_\tEntity=(1-organization-new-cf1-3-coref-Acme
2\tAcme\tAcme\tPROPN\tNNP\t_\t3\tcompound\t_\t_
3\tCorporation\tCorporation\tPROPN\tNNP\t_\t6\tnsubj\t_\tEntity=1)
4\tof\tof\tADP\tIN\t_\t5\tcase\t_\t_
5\tParis\tParis\tPROPN\tNNP\t_\t3\tnmod\t_\tEntity=(2-place-new-cf2-1-sgl)
6\thired\thire\tVERB\tVBD\t_\t0\troot\t_\t_
7\tthe\tthe\tDET\tDT\t_\t8\tdet\t_\tEntity=(3-person-new-cf3-2-sgl
8\tmanager\tmanager\tNOUN\tNN\t_\t6\tobj\t_\tEntity=3)
9\tJane\tJane\tPROPN\tNNP\t_\t6\tobj\t_\tEntity=(4-person-new-cf4-1-sgl
10\tDoe\tDoe\tPROPN\tNNP\t_\t9\tflat\t_\tEntity=4)
"""


def test_gum_named_mentions_only(tmp_path: Path):
    p = tmp_path / "gum.conllu"
    p.write_text(GUM + "\n")
    # "The Acme Corporation" has a PROPN head (determiner trimmed); "the manager" is a
    # common-noun mention, not a name
    assert _ents(*C.read_gum_entities(p)[0]) == [
        ("Acme Corporation", "ORG"), ("Paris", "LOC"), ("Jane Doe", "PER")]


def test_redocred_demonyms_not_loc(tmp_path: Path):
    import json

    doc = {"sents": [["Anna", "is", "a", "German", "engineer", "in", "Berlin", "."]],
           "vertexSet": [[{"type": "PER", "pos": [0, 1], "sent_id": 0, "name": "Anna"}],
                         [{"type": "LOC", "pos": [3, 4], "sent_id": 0, "name": "German"}],
                         [{"type": "LOC", "pos": [6, 7], "sent_id": 0, "name": "Berlin"}]],
           "labels": []}
    p = tmp_path / "rd.json"
    p.write_text(json.dumps([doc]))
    assert _ents(*C.read_redocred(p)[0]) == [("Anna", "PER"), ("Berlin", "LOC")]


def test_training_sentences_found_in_evaluation_articles_are_dropped(tmp_path):
    from training.convert import drop_eval_overlap

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Titolo\n\nLa Acme S.p.A. ha comprato l'intera rete di Beta, "
                                    "secondo quanto riferito ieri dai due gruppi.\n", encoding="utf-8")
    leaked = ("La Acme S.p.A. ha comprato l' intera rete di Beta , secondo quanto riferito ieri".split(),
              ["O"] * 15)
    other = ("La Gamma ha aperto due nuovi negozi a Torino nel corso del mese di marzo .".split(), ["O"] * 15)
    short = ("Lo ha detto ieri .".split(), ["O"] * 5)
    kept = drop_eval_overlap([leaked, other, short], [articles])
    assert kept == [other, short]
    assert drop_eval_overlap([leaked], [tmp_path / "missing"]) == [leaked]
