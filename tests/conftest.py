"""Shared fixtures: temporary stores, a CLI runner bound to one, sample inputs, and small
fake pipeline stages (no trained model) for testing the build logic.

Other test modules may add fixtures here; keep each one small and documented.
"""
from __future__ import annotations

import re
from pathlib import Path

from paths import SHARED

import pytest

from kg.facts import ArticleFacts, Entity, Evidence, Mention, Relation, Resolved

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEV_EVAL = SHARED / "dev-eval"


# --- stores ------------------------------------------------------------------------------------
@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(store_path):
    """An empty on-disk Oxigraph store in tmp_path (closed after the test)."""
    from kg.store import OxigraphStore

    s = OxigraphStore(store_path)
    yield s
    s.close()


@pytest.fixture
def cli(store_path, monkeypatch):
    """Run `kg ...` in-process against the tmp store: cli("build", "x.txt") -> Result.
    KG_STORE points at the tmp store, so commands need no --store."""
    from click.testing import CliRunner

    from kg.cli import main

    monkeypatch.setenv("KG_STORE", str(store_path))
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


# --- fake pipeline -----------------------------------------------------------------------------
class FakeDoc:
    def __init__(self, text: str):
        self.text = text


class FakeNLP:
    """Stands in for spacy.Language: pipe(as_tuples=True) and __call__. Counts calls so
    tests can check a pipeline is loaded once per language and used in batches."""

    def __init__(self, lang: str, fail_on: str | None = None):
        self.lang, self.fail_on, self.pipe_calls, self.texts = lang, fail_on, 0, []

    def _doc(self, text: str) -> FakeDoc:
        if self.fail_on and self.fail_on in text:
            raise ValueError("fake nlp failure")
        self.texts.append(text)
        return FakeDoc(text)

    def pipe(self, items, as_tuples=False, batch_size=None):
        self.pipe_calls += 1
        items = list(items)
        return [(self._doc(t), ctx) for t, ctx in items] if as_tuples else [self._doc(t) for t in items]

    def __call__(self, text):
        return self._doc(text)


_NAME = re.compile(r"\b([A-Z][a-z]+Co)\b")  # toy "company" names: AcmeCo, BetaCo
_OPERATES = re.compile(r"\b([A-Z][a-z]+Co) (?:operates|gestisce) ([A-Z][a-z]+)\b")


def fake_extract(doc, article) -> ArticleFacts:
    """Toy extractor: every word ending in "Co" is a Company; "XCo operates Y" gives a
    Platform Y and an `operates` relation. Offsets are real offsets into article.text."""
    assert doc.text == article.text
    text = article.text
    facts = ArticleFacts()
    seen: dict[tuple[int, int], str] = {}

    def mention(start, end, kind):
        if (start, end) not in seen:
            mid = f"m{len(facts.mentions)}"
            facts.mentions.append(Mention(mid, text[start:end], start, end, kind))
            seen[(start, end)] = mid
        return seen[(start, end)]

    for m in _NAME.finditer(text):
        mention(m.start(1), m.end(1), "Company")
    for m in _OPERATES.finditer(text):
        s = mention(m.start(1), m.end(1), "Company")
        o = mention(m.start(2), m.end(2), "Platform")
        facts.relations.append(Relation(s, "operates", o, Evidence(m.group(0), m.start(), m.end(), 0.9, "fake")))
    return facts


def fake_resolve(article, facts) -> Resolved:
    entities: dict[str, Entity] = {}
    entity_of = {}
    for m in facts.mentions:
        key = f"{m.kind.lower()}/{m.text.lower()}"
        e = entities.setdefault(key, Entity(key, m.kind, m.text))
        e.mention_ids.append(m.id)
        entity_of[m.id] = key
    return Resolved(facts, list(entities.values()), entity_of)


def fake_detect(text: str) -> str:
    return "en" if re.search(r"\b(the|and|of)\b", text) else "it"


@pytest.fixture
def fake_stages():
    """Build stages with toy NLP/extract/resolve and the real kg.rdf mapping; `.nlps`
    holds the FakeNLP created per language."""
    from kg.build import Stages
    from kg.rdf import article_graph, ontology_graph

    nlps: dict[str, FakeNLP] = {}

    def load(lang):
        assert lang not in nlps, "a pipeline must be loaded once per language per build"
        nlps[lang] = FakeNLP(lang)
        return nlps[lang]

    stages = Stages(fake_detect, load, fake_extract, fake_resolve, article_graph, ontology_graph)
    stages.nlps = nlps
    return stages


@pytest.fixture
def use_fake_stages(fake_stages, monkeypatch):
    """Make `kg build` (and kg.build.build without stages=) use the fake stages."""
    import kg.build

    monkeypatch.setattr(kg.build, "default_stages", lambda: fake_stages)
    return fake_stages


# --- sample inputs -----------------------------------------------------------------------------
@pytest.fixture
def news_dir(tmp_path) -> Path:
    """A folder with one article per format (Italian and English), nested one level."""
    d = tmp_path / "news"
    (d / "sub").mkdir(parents=True)
    (d / "it_acme.txt").write_text(
        "AcmeCo compra BetaCo\n\nAcmeCo gestisce Shopz, la piattaforma. BetaCo vende su Shopz.\n",
        encoding="utf-8")
    (d / "sub" / "en_gamma.md").write_text(
        "# GammaCo expands\n\nThe company **GammaCo** operates Marketly and [DeltaCo](http://x) sells.\n",
        encoding="utf-8")
    (d / "en_page.html").write_text(
        "<html lang='en'><head><title>Site</title><script>var x = 'AcmeCo';</script></head><body>"
        "<nav>Home | DeltaCo menu</nav><article><h1>ZetaCo and the market</h1>"
        "<p>ZetaCo operates Tradia in the region.</p><aside>Related: OmegaCo</aside></article>"
        "<footer>(c) FooterCo</footer></body></html>", encoding="utf-8")
    (d / "feed.jsonl").write_text(
        '{"id": "j1", "title": "EtaCo news", "text": "EtaCo operates Bazar and the app.", "lang": "en", "date": "2024-05-01"}\n'
        '{"id": "j2", "text": "ThetaCo gestisce Mercato, dice il presidente.", "lang": "it"}\n',
        encoding="utf-8")
    (d / "notes.csv").write_text("ignored,file\n", encoding="utf-8")
    return d


# --- a SPARQL 1.1 endpoint for the SparqlEndpointStore tests -------------------------------------
@pytest.fixture
def sparql_endpoint():
    """A minimal SPARQL 1.1 Protocol server over an in-memory pyoxigraph store (union
    default graph), on a free localhost port: yields the query URL (…/query; updates …/update)."""
    import threading
    import urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import pyoxigraph as ox

    backend = ox.Store()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, code, ctype, body: bytes):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            try:
                with lock:
                    if self.path == "/update":
                        backend.update(form["update"][0])
                        return self._send(204, "text/plain", b"")
                    result = backend.query(form["query"][0], use_default_graph_as_union=True)
                    if isinstance(result, ox.QueryTriples):
                        body = ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES) or b""
                        return self._send(200, "application/n-triples", body)
                    return self._send(200, "application/sparql-results+json",
                                      result.serialize(format=ox.QueryResultsFormat.JSON))
            except SyntaxError as e:
                return self._send(400, "text/plain", str(e).encode())
            except Exception as e:  # noqa: BLE001
                return self._send(500, "text/plain", str(e).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/query"
    server.shutdown()
    server.server_close()
