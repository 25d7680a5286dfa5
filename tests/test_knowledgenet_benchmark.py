"""benchmarks/knowledgenet_relations.py scores kg's statements against KnowledgeNet-style
facts: a small fixture in its format, with invented names, and hand-counted expectations."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import knowledgenet_relations as kn  # noqa: E402

FACTS = [
    # found: "headquartered in" gives kg headquarteredIn(Zentrova Systems, Quellport)
    ("1", 0, "HEADQUARTERS", "Zentrova Systems Inc. is headquartered in Quellport.",
     "Zentrova Systems Inc.", "Quellport"),
    # a pronoun end is left out (kg resolves no pronouns)
    ("2", 0, "CEO", "He is the CEO of Brantwick Labs.",
     "Brantwick Labs", "He"),
    # found: "X is the CEO of Y" gives a CEO position
    ("3", 0, "CEO", "Mara Vellini is the chief executive officer of Osterlund Freight.",
     "Osterlund Freight", "Mara Vellini"),
]
NEGATIVE = [
    # checked for SUBSIDIARY_OF, no fact: any subsidiaryOf kg states here is a false hit
    ("4", 0, "SUBSIDIARY_OF", "Pellucid Dynamics is owned by Harrowgate Capital."),
]


def _fixture(tmp_path: Path) -> Path:
    d = tmp_path / "knowledgenet_en"
    d.mkdir()
    with (d / "knowledgenet_train_facts.jsonl").open("w") as f:
        for doc, start, rel, text, st, ot in FACTS:
            s0, o0 = text.index(st), text.index(ot)
            s1, o1 = s0 + len(st), o0 + len(ot)
            f.write(json.dumps({"fold": 4, "doc_id": doc, "passage_start": start,
                                "passage_end": start + len(text), "relation": rel, "passage": text,
                                "subject": {"text": st, "start": s0, "end": s1},
                                "object": {"text": ot, "start": o0, "end": o1}}) + "\n")
    with (d / "knowledgenet_train_negative_passages.jsonl").open("w") as f:
        for doc, start, rel, text in NEGATIVE:
            f.write(json.dumps({"fold": 4, "doc_id": doc, "passage_start": start,
                                "passage_end": start + len(text),
                                "annotated_property_without_fact": rel, "passage": text}) + "\n")
    return tmp_path


def test_scores_found_missed_and_false_facts(tmp_path):
    res = kn.evaluate(_fixture(tmp_path), errors=5)
    props = res["properties"]
    assert res["passages"] == 4
    assert (props["HEADQUARTERS"]["tp"], props["HEADQUARTERS"]["fn"]) == (1, 0)
    assert (props["CEO"]["tp"], props["CEO"]["fn"]) == (1, 0)  # the pronoun fact is not counted
    # "owned by" is a subsidiary cue, stated where the gold (made up here) has no such fact
    assert props["SUBSIDIARY_OF"]["fp"] == 1 and props["SUBSIDIARY_OF"]["tp"] == 0


def test_names_compare_without_suffix_article_or_possessive():
    assert kn.name_key("The Harrowgate Capital Group") == kn.name_key("Harrowgate Capital")
    assert kn.name_key("Osterlund Freight's") == kn.name_key("Osterlund Freight")
    assert kn.name_key("Zentrova Systems Inc.") == "zentrova systems"
