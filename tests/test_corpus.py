"""The annotated business-news corpus (corpus/): every gold file follows the annotation rules,
the split is the one the manifest fixes, and there is enough of it (issue: 120 Italian and
180 English articles, at least 35 dev articles per language, a second annotation pass on dev)."""
import json
from collections import Counter
from pathlib import Path

import pytest

from kg.gold_check import check_file, check_gold

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLD = sorted(CORPUS.glob("*/gold/*.json")) + sorted(CORPUS.glob("dev/pass_*/*.json"))
MANIFEST = [json.loads(line) for line in (CORPUS / "manifest.jsonl").read_text().splitlines() if line]


@pytest.mark.parametrize("path", GOLD, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_gold_file_follows_the_rules(path):
    assert check_file(path) == []


def test_the_checker_catches_what_the_rules_forbid():
    text = "Acme ha comprato Beta per 5 milioni di euro."
    good = {"entities": [{"name": "Acme", "type": "Company", "aliases": []},
                         {"name": "Beta", "type": "Company", "aliases": []}],
            "relations": [{"subject": "Acme", "predicate": "acquires", "object": "Beta",
                           "evidence": "Acme ha comprato Beta"}],
            "investments": [{"investor": "Acme", "target": "Beta", "amount": 5000000,
                             "currency": "EUR", "period": None, "kind": "acquisition",
                             "evidence": "Acme ha comprato Beta per 5 milioni di euro"}]}
    assert check_gold(good, text) == []
    bad = json.loads(json.dumps(good))
    bad["entities"][1]["name"] = "Beta Spa"  # not verbatim
    bad["entities"][0]["type"] = "Firm"  # not a type of the rules
    bad["relations"][0]["predicate"] = "buys"  # not a predicate of the rules
    bad["relations"][0]["status"] = "rumoured"
    bad["investments"][0]["evidence"] = "Acme bought Beta"
    bad["investments"][0]["currency"] = "euro"
    problems = " | ".join(check_gold(bad, text))
    # malformed values are reported, not raised
    odd = json.loads(json.dumps(good))
    odd["relations"][0]["subject"] = ["Acme"]
    odd["entities"][0]["type"] = {"x": 1}
    assert any("subject is not a declared" in p for p in check_gold(odd, text))
    for needle in ("not verbatim in the article: 'Beta Spa'", "type 'Firm'", "predicate not one",
                   "object is not a declared entity", "status 'rumoured'",
                   "not verbatim in the article: 'Acme bought Beta'", "ISO 4217"):
        assert needle in problems


def test_split_sizes_and_languages():
    golds = {p.stem: p.parent.parent.name for p in CORPUS.glob("*/gold/*.json")}
    langs = Counter((split, stem.split("_")[1]) for stem, split in golds.items())
    assert langs["dev", "it"] >= 35 and langs["dev", "en"] >= 35
    assert langs["dev", "it"] + langs["train", "it"] >= 120
    assert langs["dev", "en"] + langs["train", "en"] >= 180
    # every gold file has its article, and the manifest places it in the same split
    where = {r["stem"]: r["split"] for r in MANIFEST}
    for stem, split in golds.items():
        assert (CORPUS / split / "articles" / f"{stem}.txt").is_file()
        assert where[stem] == split


def test_dev_was_annotated_twice():
    dev = {p.stem for p in (CORPUS / "dev" / "gold").glob("*.json")}
    for pass_ in ("pass_a", "pass_b"):
        assert {p.stem for p in (CORPUS / "dev" / pass_).glob("*.json")} == dev


def test_manifest_names_source_licence_and_translation():
    for r in MANIFEST:
        assert r["licence"] and r["attribution"] and r["source"]["repository"]
        assert r["split"] in ("train", "dev") and isinstance(r["translation"], bool)
    # the Italian MEANTIME articles are translations (their English originals are not in the corpus)
    assert sum(r["translation"] for r in MANIFEST) > 0


def test_split_is_reproducible():
    from training.corpus_split import split
    records = [{"file": f"{r['lang']}/{r['stem'].split('_', 2)[0]}_{r['stem'].split('_', 2)[2]}.txt",
                "lang": r["lang"]} for r in MANIFEST]
    assert split(records) == {r["stem"]: r["split"] for r in MANIFEST}
