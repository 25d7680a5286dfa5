"""Hostile input on the store, query and output side (issue 13): odd article ids, federated
queries, read-only stores, ill-typed literals, page templates, failed writes. Every failure
is one line on stderr and a non-zero exit, never a traceback."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.usefixtures("use_fake_stages")

ODD_IDS = ["my article", "a>b", "c%zz", "d{e}", 'q"x', "back\\slash"]


def no_traceback(result):
    assert "Traceback" not in result.output
    assert "Error at" not in result.output


@pytest.fixture
def odd_store(cli, tmp_path):
    """A store built from files whose names are ids that are not valid in an IRI."""
    d = tmp_path / "odd"
    d.mkdir()
    for i, name in enumerate(ODD_IDS):
        (d / f"{name}.txt").write_text(f"AcmeCo operates Shopz{'z' * i} and the rest.\n", encoding="utf-8")
    r = cli("build", d)
    assert r.exit_code == 0, r.output
    return d


# --- item 4: ids are data, never query text --------------------------------------------------
@pytest.mark.parametrize("article_id", ODD_IDS)
def test_odd_article_id_export_and_remove(cli, odd_store, article_id):
    r = cli("export", "--format", "nquads", "--article", article_id)
    assert r.exit_code == 0, r.output
    no_traceback(r)
    assert f'"{article_id}"'.replace("\\", "\\\\").replace('"x', '\\"x') in r.stdout
    r = cli("export", "--format", "csv", "--article", article_id)
    assert r.exit_code == 0, r.output
    r = cli("remove", article_id)
    assert r.exit_code == 0, r.output
    no_traceback(r)
    r = cli("remove", article_id)
    assert r.exit_code == 1 and "no article" in r.stderr
    no_traceback(r)
    assert article_id not in cli("articles", "-f", "json").stdout.replace("\\\\", "\\").replace('\\"', '"')
