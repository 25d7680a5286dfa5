"""The bundled pipelines + extraction + resolution on the dev articles (slow: loads models).

Expectations come from the gold files of ../shared/dev-eval (names may appear in tests).
"""
import json
from pathlib import Path

from paths import SHARED

import pytest

DEV = SHARED / "dev-eval"
pytestmark = [pytest.mark.model,
              pytest.mark.skipif(not DEV.is_dir(), reason="no ../shared/dev-eval")]


def _run(stem):
    import kg.nlp
    from kg.articles import read_file
    from kg.extract import extract
    from kg.resolve import resolve

    art = read_file(DEV / "articles" / f"{stem}.txt").articles[0]
    lang = stem.split("_")[1]
    art = type(art)(**{**art.__dict__, "lang": lang})
    res = resolve(art, extract(kg.nlp.load(lang)(art.text), art))
    names = {e.key: {e.label, *e.aliases} for e in res.entities}
    return res, names


def _has(names, key, name):
    return name in names.get(key, ())


def test_seed_investment_is_exact():
    res, names = _run("00_it_alibaba_tmall_seed")
    gold = json.loads((DEV / "gold" / "00_it_alibaba_tmall_seed.json").read_text())["investments"][0]
    invs = [i for i in res.facts.investments if i.evidence.confidence >= 0.5]
    assert len(invs) == 1
    inv = invs[0]
    assert _has(names, res.entity_of[inv.investor], gold["investor"])
    assert (inv.amount.value, inv.amount.currency) == (gold["amount"], gold["currency"])
    assert inv.target_description == gold["target"]
    assert (inv.kind, inv.status, inv.period_text) == (gold["kind"], gold["status"], gold["period"])
    assert inv.period == "P3Y"
    assert [(e.value, e.currency) for e in inv.equivalents] == [(28_280_000_000, "USD")]


def test_seed_relations_from_gold_are_found():
    res, names = _run("00_it_alibaba_tmall_seed")
    gold = json.loads((DEV / "gold" / "00_it_alibaba_tmall_seed.json").read_text())["relations"]
    got = [(res.entity_of[r.subject], r.predicate, res.entity_of[r.object])
           for r in res.facts.relations if r.evidence.confidence >= 0.5]
    wanted = [g for g in gold if g["predicate"] != "hasRole"]
    found = [g for g in wanted if any(
        p == g["predicate"] and _has(names, s, g["subject"]) and _has(names, o, g["object"])
        for s, p, o in got)]
    correct = [t for t in got if any(
        t[1] == g["predicate"] and _has(names, t[0], g["subject"]) and _has(names, t[2], g["object"])
        for g in wanted)]
    recall, precision = len(found) / len(wanted), len(correct) / max(1, len(got))
    # a smoke test: the rules were once fitted to this article (0.9+); with the learned
    # layer, trained on the corpus and not on it, its scores drop to the level of unseen news
    assert recall >= 0.65 and precision >= 0.65, (recall, precision)


def test_english_acquisition_and_roles():
    res, names = _run("13_en_kmart_sears")
    acq = [(names[res.entity_of[r.subject]], names[res.entity_of[r.object]])
           for r in res.facts.relations if r.predicate == "acquires"]
    assert any("Kmart" in s and "Sears" in o for s, o in acq)
    invs = [i for i in res.facts.investments if i.amount]
    assert [(i.amount.value, i.amount.currency, i.kind) for i in invs] == [
        (11_500_000_000, "USD", "acquisition")]
    roles = {(p.role_title, p.status) for p in res.facts.positions
             if "Edward Lampert" in names[res.entity_of[p.holder]]}
    assert ("chairman", None) in roles
