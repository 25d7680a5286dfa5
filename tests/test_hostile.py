"""Hostile input (issue 13, input side): each bad file or line is one clear line on stderr,
the good articles of the same run are stored, and nothing prints a traceback.

Most tests run the build on the fake stages of conftest.py; the last one runs the real
pipeline, as a separate `kg` process, on a folder mixing every bad case with good articles.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.articles import read_file, read_paths
from kg.build import build

GOOD = "AcmeCo gestisce Shopz, la piattaforma. BetaCo vende su Shopz.\n"


def ids(store):
    return sorted(a["id"] for a in store.articles())


def sources(store):
    rows = store.query("SELECT ?s WHERE { GRAPH ?g { ?a <https://w3id.org/kg/biz#source> ?s } }")
    return sorted(r["s"].value for r in rows)


# --- 1. lone surrogate in a JSONL text ---------------------------------------------------------
def test_lone_surrogate_in_jsonl_rejects_that_line_only(tmp_path, store, fake_stages):
    f = tmp_path / "feed.jsonl"
    f.write_text('{"id": "bad", "text": "x \\ud800 y AcmeCo"}\n'
                 '{"id": "good", "text": "EtaCo operates Bazar and the app."}\n', encoding="utf-8")
    report = build([f], store, stages=fake_stages, progress=False)
    assert ids(store) == ["good"]
    [(where, why)] = report.rejected
    assert where.endswith("feed.jsonl:1") and "lone surrogate" in why and "\\ud800" in why


# --- 2. a file name that is not UTF-8 ----------------------------------------------------------
def test_non_utf8_file_name_is_one_rejection(tmp_path, store, fake_stages):
    d = tmp_path / "news"
    d.mkdir()
    try:
        (Path(os.fsdecode(bytes(d) + b"/bad\xffname.txt"))).write_text(GOOD.replace("Acme", "Zeta"))
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take non-UTF-8 names")
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    report = build([d], store, stages=fake_stages, progress=False)
    assert ids(store) == ["good"]
    [(where, why)] = report.rejected
    assert where.endswith("bad\\xffname.txt") and "not valid UTF-8" in why
    where.encode("utf-8")  # printable


# --- 3. unreadable file and unreadable subfolder -----------------------------------------------
def _make_unreadable(paths, monkeypatch):
    """chmod 000; root reads through that, so for root the refusal is simulated."""
    for p in paths:
        p.chmod(0)
    if os.geteuid() != 0:
        return
    denied = {str(p) for p in paths}
    real_read, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(self):
        if str(self) in denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def scandir(path="."):
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_file_and_folder_are_one_line_each(tmp_path, store, fake_stages, monkeypatch):
    d = tmp_path / "news"
    (d / "locked_dir").mkdir(parents=True)
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "locked.txt").write_text(GOOD.replace("Acme", "Zeta"), encoding="utf-8")
    (d / "locked_dir" / "inner.txt").write_text(GOOD.replace("Acme", "Kappa"), encoding="utf-8")
    _make_unreadable([d / "locked.txt", d / "locked_dir"], monkeypatch)
    try:
        report = build([d], store, stages=fake_stages, progress=False)
    finally:
        (d / "locked_dir").chmod(0o755)
    assert ids(store) == ["good"]
    why = dict(report.rejected)
    assert len(report.rejected) == 2
    assert "cannot read file (Permission denied)" in why[str(d / "locked.txt")]
    assert "cannot read folder (Permission denied)" in why[str(d / "locked_dir")]


# --- 5. size cap ---------------------------------------------------------------------------------
def test_max_chars_rejects_long_files_before_and_after_reading(tmp_path, store, fake_stages):
    d = tmp_path / "news"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "huge.txt").write_text("AcmeCo word. " * 1000, encoding="utf-8")  # 13,000 bytes
    (d / "long.txt").write_text("AcmeCo è lì. " * 30, encoding="utf-8")  # 390 chars, 450 bytes
    (d / "feed.jsonl").write_text(json.dumps({"id": "jlong", "text": "EtaCo a. " * 50}) + "\n"
                                  + json.dumps({"id": "jok", "text": "EtaCo operates Bazar."}) + "\n")
    report = build([d], store, stages=fake_stages, progress=False, max_chars=300)
    assert ids(store) == ["good", "jok"]
    why = {Path(p).name: r for p, r in report.rejected}
    assert set(why) == {"huge.txt", "long.txt", "feed.jsonl:1"}
    assert why["huge.txt"].startswith("too long: 13,000 bytes")
    assert why["long.txt"].startswith("too long: 389 characters, more than --max-chars 300")


def test_max_chars_option_and_default(tmp_path, cli, use_fake_stages):
    from kg.articles import DEFAULT_MAX_CHARS

    assert 50_000 <= DEFAULT_MAX_CHARS < 1_000_000  # below spaCy's own limit (E088)
    f = tmp_path / "a.txt"
    f.write_text(GOOD, encoding="utf-8")
    r = cli("build", f, "--max-chars", 20)
    assert r.exit_code == 1 and "more than --max-chars 20" in r.stderr
    r = cli("build", f, "--max-chars", 0)
    assert r.exit_code != 0 and "--max-chars" in r.stderr and len(r.stderr.splitlines()) == 1


def test_text_over_the_pipeline_limit_is_one_kg_line(tmp_path, store, fake_stages):
    """spaCy's E088 (a paragraph of advice) never reaches the user: kg says it first."""
    load = fake_stages.load

    def small_load(lang):
        nlp = load(lang)
        nlp.max_length = 100
        return nlp

    fake_stages.load = small_load
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD.replace("AcmeCo", "ZetaCo") * 3, encoding="utf-8")
    report = build([tmp_path / "a.txt", tmp_path / "b.txt"], store, stages=fake_stages,
                   progress=False, max_chars=10_000)
    assert ids(store) == ["a"]
    [(where, why)] = report.rejected
    assert where.endswith("b.txt") and "too long for the it language pipeline" in why
    assert "E088" not in why


# --- 8. one bad byte in a UTF-8 file -------------------------------------------------------------
def test_one_bad_byte_in_utf8_file_is_utf8_with_a_warning(tmp_path, store, fake_stages):
    f = tmp_path / "it.txt"
    f.write_bytes("AcmeCo, società di Milano, gestisce Shopz ".encode() + b"\xff" + " più città.".encode())
    result = read_file(f)
    [a] = result.articles
    assert "società" in a.text and "città" in a.text and "\ufffd" in a.text
    [(where, warning)] = result.warnings
    assert where == str(f) and "not valid UTF-8 in 1 place" in warning
    report = build([f], store, stages=fake_stages, progress=False)
    assert report.added == ["it"] and len(report.warnings) == 1


def test_cp1252_file_is_still_cp1252():
    from kg.articles import decode_text

    assert decode_text("Città è più".encode("cp1252")) == ("Città è più", None)


# --- 9. invalid dates -----------------------------------------------------------------------------
def test_invalid_date_is_dropped_with_a_warning(tmp_path, store, fake_stages):
    (tmp_path / "a.md").write_text("---\ndate: 2023-13-45\n---\n" + GOOD, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"id": "j1", "text": "EtaCo operates Bazar.", "date": "2023-02-30T10:00:00Z"}) + "\n"
        + json.dumps({"id": "j2", "text": "ThetaCo operates Mercato.", "date": "2024-02-29"}) + "\n")
    result = read_paths([tmp_path])
    dates = {a.id: a.date for a in result.articles}
    assert dates == {"a": None, "j1": None, "j2": "2024-02-29"}
    assert sorted(Path(w).name + ": " + m for w, m in result.warnings) == [
        "a.md: invalid date '2023-13-45' dropped", "feed.jsonl:1: invalid date '2023-02-30' dropped"]
    report = build([tmp_path], store, stages=fake_stages, progress=False)
    assert report.rejected == [] and len(report.warnings) == 2
    rows = store.query("SELECT ?d WHERE { GRAPH ?g { ?a <https://w3id.org/kg/biz#date> ?d } }")
    assert [r["d"].value for r in rows] == ["2024-02-29"]


# --- small ones ----------------------------------------------------------------------------------
def test_jsonl_ids_blank_and_non_string(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join(json.dumps(o) for o in [
        {"id": "   ", "text": "EtaCo operates Bazar."},
        {"id": True, "text": "ThetaCo operates Mercato."},
        {"id": 42, "text": "IotaCo operates Souk."},
        {"id": "ok", "text": "KappaCo operates Agora.", "title": False},
    ]) + "\n")
    result = read_file(f)
    assert [a.id for a in result.articles] == ["feed-1", "42"]
    assert [(Path(p).name, r) for p, r in result.rejected] == [
        ("feed.jsonl:2", "field 'id' must be a string"), ("feed.jsonl:4", "field 'title' must be a string")]


def test_random_bytes_and_non_letters_are_not_articles(tmp_path):
    import random

    rng = random.Random(13)
    noise = bytes(rng.choice([b for b in range(1, 256)]) for _ in range(3000))
    (tmp_path / "noise.txt").write_bytes(noise)
    (tmp_path / "numbers.txt").write_text("12,5 13,7 %% 99 -- 1.234 5.678 +++ 42 ** 7 " * 20)
    (tmp_path / "table.txt").write_text("Revenue rose to 1,234.5 million euros in 2023 from 1,100.2 in 2022.")
    result = read_paths([tmp_path])
    assert [a.id for a in result.articles] == ["table"]
    why = {Path(p).name: r for p, r in result.rejected}
    assert "control characters" in why["noise.txt"] and "letters" in why["numbers.txt"]


def test_source_is_a_normalised_relative_path(tmp_path, store, fake_stages, monkeypatch):
    (tmp_path / "c200").mkdir()
    (tmp_path / "c200" / "a.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    build(["./c200"], store, stages=fake_stages, progress=False)
    assert sources(store) == ["c200/a.txt"]
    for typed in ("c200", str(tmp_path / "c200"), "c200/../c200/"):
        assert read_paths([typed]).articles[0].source == "c200/a.txt"


def test_ctrl_c_before_the_build_starts_exits_130(tmp_path, cli, monkeypatch):
    import kg.cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.cli, "_open", interrupted)
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    r = cli("build", tmp_path / "a.txt")
    assert r.exit_code == 130 and "Aborted" not in r.output


# --- every bad case in one folder, real pipeline, real process -----------------------------------
def _hostile_folder(d: Path) -> tuple[dict[str, str], list[str]]:
    """Good articles beside every bad input; returns {good id: text start} and the names of
    the bad files (or JSONL lines) that must each be one stderr line."""
    d.mkdir()
    good = {
        "good_en": "Acme Widgets, a company based in Boston, acquired Beta Tools for 20 million dollars.",
        "good_it": "La società Gamma Spa, con sede a Milano, ha acquisito Delta Srl per 5 milioni di euro.",
        "good_line": "Orion Labs, based in London, invested 5 million euros in Vega Systems.",
        "good_badbyte": "Sirio Spa, società di Torino, ha comprato ",
        "good_baddate": "Kepler Corp, based in Denver, bought Nova Ltd for 3 million dollars.",
    }
    for name in ("good_en", "good_it"):
        (d / f"{name}.txt").write_text(good[name] + "\n", encoding="utf-8")
    (d / "good_badbyte.txt").write_bytes(good["good_badbyte"].encode() + b"\xff" + " Lira Srl.\n".encode())
    (d / "good_baddate.md").write_text(f"---\ndate: 2023-13-45\n---\n{good['good_baddate']}\n", encoding="utf-8")
    lines = [{"id": "bad_surrogate", "text": "Pluto Corp \ud800 bought Eris Ltd."},
             {"id": "good_line", "text": good["good_line"]},
             {"id": True, "text": "Ceres Corp bought Haumea Ltd."}]
    (d / "feed.jsonl").write_text("\n".join(json.dumps(o) for o in lines) + "\n", encoding="utf-8")
    (Path(os.fsdecode(bytes(d) + b"/bad\xffname.txt"))).write_text("Titan Corp bought Rhea Ltd.\n")
    (d / "bad_locked.txt").write_text("Triton Corp bought Nereid Ltd.\n")
    (d / "bad_locked_dir").mkdir()
    (d / "bad_locked_dir" / "inner.txt").write_text("Io Corp bought Europa Ltd.\n")
    (d / "bad_long.txt").write_text("Callisto Corp bought Ganymede Ltd. " * 200)  # 7,000 chars
    (d / "bad_random.txt").write_bytes(bytes((i * 97 + 13) % 255 + 1 for i in range(2000)))
    for p in (d / "bad_locked.txt", d / "bad_locked_dir"):
        p.chmod(0)
    bad = ["feed.jsonl:1", "feed.jsonl:3", "bad\\xffname.txt", "bad_locked.txt", "bad_locked_dir",
           "bad_long.txt", "bad_random.txt"]
    return good, bad


@pytest.mark.model
def test_hostile_folder_real_pipeline(tmp_path):
    kg = shutil.which("kg", path=str(Path(sys.executable).parent)) or "kg"
    # root reads through chmod 000 (CAP_DAC_OVERRIDE): drop those capabilities for the build
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    d = tmp_path / "news"
    good, bad = _hostile_folder(d)
    store = tmp_path / "store"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    try:
        r = subprocess.run(prefix + [kg, "build", str(d), "--store", str(store), "--max-chars", "5000",
                                     "--no-progress"], capture_output=True, env=env, timeout=300)
    finally:
        (d / "bad_locked_dir").chmod(0o755)
        (d / "bad_locked.txt").chmod(0o644)
    out, err = r.stdout.decode(), r.stderr.decode()
    assert r.returncode == 1, err
    assert "Traceback" not in out + err
    rejected = [line for line in err.splitlines() if line.startswith("rejected: ")]
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(err.splitlines()) == len(rejected) + len(warnings), err
    assert len(rejected) == len(bad), err
    for name in bad:
        assert sum(f"/{name}: " in line for line in rejected) == 1, (name, err)
    assert len(warnings) == 2 and any("invalid date" in w for w in warnings) \
        and any("not valid UTF-8" in w for w in warnings), err

    r = subprocess.run([kg, "articles", "-f", "json", "--store", str(store)], capture_output=True,
                       env=env, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr.decode()
    stored = json.loads(r.stdout)
    assert sorted(a["id"] for a in stored) == sorted(good)
    assert next(a for a in stored if a["id"] == "good_baddate")["date"] in (None, "")


# --- 5. long articles are parsed in chunks ---------------------------------------------------------
def test_chunks_join_into_the_text_and_cut_at_paragraphs():
    from kg.build import chunks

    text = "\n\n".join(f"Paragraph {i} says AcmeCo sells. " * (i % 4 + 1) for i in range(40))
    pieces = list(chunks(text, 300))
    assert "".join(pieces) == text and len(pieces) > 5
    assert all(len(p) <= 300 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])
    # no paragraph break, no space: still cut, still whole
    assert "".join(chunks("x" * 1000, 300)) == "x" * 1000


def test_long_article_is_parsed_in_chunks_with_offsets_right(monkeypatch):
    import spacy

    import kg.build
    from kg.articles import Article

    monkeypatch.setattr(kg.build, "CHUNK_CHARS", 200)
    nlp = spacy.blank("en")
    seen = []
    pipe = nlp.pipe
    monkeypatch.setattr(nlp, "pipe", lambda texts, **kw: pipe(seen.append(t) or t for t in texts))
    text = "\n\n".join(f"AcmeCo bought BetaCo number {i}.\nIt said so." for i in range(30))
    a = Article(id="long", text=text, lang="en")
    [(article, doc, error)] = list(kg.build._parse_batch(nlp, [a], 8))
    assert error is None and len(seen) > 5
    assert doc.text == text
    assert all(text[t.idx:t.idx + len(t)] == t.text for t in doc)


@pytest.mark.model
def test_chunked_parse_finds_what_the_whole_parse_finds(monkeypatch):
    import kg.build
    from kg.articles import Article
    from kg.nlp import load

    nlp = load("en")
    text = "\n\n".join([
        "Acme Widgets, a company based in Boston, acquired Beta Tools for 20 million dollars.",
        "John Smith is the chief executive of Acme Widgets.",
        "Gamma Corp, based in London, invested 5 million euros in Delta Systems.",
        "Mary Jones, the CEO of Gamma Corp, said the deal would close in March."] * 3)
    whole = nlp(text)
    monkeypatch.setattr(kg.build, "CHUNK_CHARS", 300)
    [(_, doc, error)] = list(kg.build._parse_batch(nlp, [Article(id="x", text=text, lang="en")], 8))
    assert error is None
    spans = lambda d: [(e.start_char, e.end_char, e.label_) for e in d.ents]  # noqa: E731
    assert spans(doc) == spans(whole)
    assert [(s.start_char, s.end_char) for s in doc.sents][:3] == [(s.start_char, s.end_char) for s in whole.sents][:3]


def test_jsonl_is_read_line_by_line_and_a_huge_line_is_skipped_unread(tmp_path, monkeypatch):
    import builtins

    f = tmp_path / "feed.jsonl"
    huge = json.dumps({"id": "huge", "text": "EtaCo a. " * 20_000})  # 180,000 bytes
    f.write_bytes(codecs_bom() + "\n".join([
        json.dumps({"id": "one", "text": "EtaCo operates Bazar."}), huge,
        json.dumps({"id": "two", "text": "ThetaCo gestisce Mercato."})]).encode("utf-8")
        + b'\n{"id": "three", "text": "IotaCo vende in citt\xc3\xa0 \xe8 ok."}\n')
    reads = []
    real_open = builtins.open

    def spy_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if str(file) == str(f):
            real_readline = handle.readline
            handle = _Spy(handle, lambda size=-1: reads.append(size) or real_readline(size))
        return handle

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the whole file was read"))
    result = read_file(f, max_chars=1000)
    assert [a.id for a in result.articles] == ["one", "two", "three"]
    assert [(Path(p).name, r.split(":")[0]) for p, r in result.rejected] == [("feed.jsonl:2", "too long")]
    assert reads and all(0 < size <= 1 << 20 for size in reads)  # never one unbounded read
    [(where, warning)] = result.warnings  # line 4 is UTF-8 but for one byte
    assert where.endswith("feed.jsonl:4") and "not valid UTF-8" in warning
    assert result.articles[2].text == "IotaCo vende in città \ufffd ok."


def codecs_bom() -> bytes:
    import codecs

    return codecs.BOM_UTF8


class _Spy:
    def __init__(self, handle, readline):
        self._handle, self.readline = handle, readline

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


def test_source_when_the_working_folder_is_gone(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    [a] = read_paths([tmp_path / "a.txt"]).articles
    assert a.source == (tmp_path / "a.txt").as_posix()
