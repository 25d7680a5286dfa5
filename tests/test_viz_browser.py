"""`kg viz` HTML in a real headless Chromium: what a user sees, not what the code wrote.

Chromium is driven through the DevTools protocol over `--remote-debugging-pipe` (file
descriptors 3 and 4, NUL-separated JSON), so no extra Python package is needed. The page
reports what vis-network actually drew in `#kg-status`; the tests compare it with the graph,
type into the search box, click legend filters, and save screenshots to tests/artifacts/.
Skipped when Debian's `chromium` is not installed (CI installs it: see .ci/run).
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import networkx as nx
import pytest

from kg import network, viz
from viz_graphs import load_store

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed (apt-get install chromium): "
                "browser tests of kg viz skipped", allow_module_level=True)

WAIT = 90.0  # generous upper bound on page settling; a hang fails instead of blocking CI


class Browser:
    """A headless Chromium page driven by CDP over a pipe."""

    def __init__(self, width: int = 1400, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()

        def child_fds() -> None:  # runs in the child: CDP pipe on fds 3 (in) and 4 (out)
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--no-default-browser-check", "--mute-audio",
             f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
             "--remote-debugging-pipe", "about:blank"],
            preexec_fn=child_fds, close_fds=False,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []  # CDP events seen while waiting for replies
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False, session=True)

    def call(self, method: str, session: bool = False, **params):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" not in self._buf:
                chunk = os.read(self._r, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buf += chunk
            raw, self._buf = self._buf.split(b"\0", 1)
            reply = json.loads(raw)
            if "method" in reply:
                self.events.append(reply)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def open(self, path: Path) -> None:
        self.call("Page.navigate", url=path.resolve().as_uri(), session=True)
        self.wait_for("document.readyState === 'complete'")

    def wait_for(self, condition: str):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            value = self.js(f"(function(){{try{{return {condition};}}catch(e){{return null;}}}})()")
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"page never reached: {condition}")

    def status(self) -> dict:
        return self.js("Object.assign({}, document.getElementById('kg-status').dataset)")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        data = self.call("Page.captureScreenshot", format="png", session=True)["data"]
        out = ARTIFACTS / name
        out.write_bytes(base64.b64decode(data))
        return out

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def G():
    from kg.store import OxigraphStore

    with OxigraphStore.in_memory() as s:
        load_store(s)
        return network.entity_graph(s)


@pytest.fixture(scope="module")
def page(G, tmp_path_factory):
    return viz.write(G, tmp_path_factory.mktemp("viz") / "graph.html", title="kg test graph")


def ready(browser: Browser) -> dict:
    browser.wait_for("document.getElementById('kg-status').dataset.state !== 'loading' && "
                     "document.getElementById('kg-status').dataset.state !== 'drawing'")
    return browser.status()


def test_every_node_and_edge_is_drawn_with_a_legend(browser, page, G):
    browser.open(page)
    status = ready(browser)
    assert status["state"] == "ready"
    assert int(status["nodes"]) == G.number_of_nodes() == 17
    assert int(status["edges"]) == G.number_of_edges() == 16
    # the layout settled and physics stopped (no page kept busy forever)
    assert browser.js("kgNetwork.physics.options.enabled") is False
    # vis-network placed every node on the canvas
    assert browser.js("Object.keys(kgNetwork.getPositions()).length") == G.number_of_nodes()
    assert browser.js("document.querySelector('#kg-graph canvas') !== null")
    legend_types = browser.js(
        "Array.from(document.querySelectorAll('#kg-legend-types [data-type]'))"
        ".map(e => e.getAttribute('data-type'))")
    assert legend_types == ["Company", "Platform", "Person", "Place", "Market", "Other"]
    legend_preds = browser.js(
        "Array.from(document.querySelectorAll('#kg-legend-predicates [data-predicate]'))"
        ".map(e => e.getAttribute('data-predicate'))")
    assert sorted(legend_preds) == sorted({d["predicate"] for _, _, d in G.edges(data=True)})
    assert browser.js("document.getElementById('kg-legend').offsetHeight") > 100  # visible
    shot = browser.screenshot("viz-graph.png")
    assert shot.stat().st_size > 20_000


def test_the_page_requests_nothing_but_itself(browser, page):
    """Offline for real: every request the browser makes is the file itself (or inline data)."""
    browser.call("Network.enable", session=True)
    browser.events.clear()
    browser.open(page)
    ready(browser)
    browser.js("1")  # drain pending events
    urls = [e["params"]["request"]["url"] for e in browser.events
            if e.get("method") == "Network.requestWillBeSent"]
    assert urls, "the navigation itself is a request"
    assert all(u.split(":", 1)[0] in ("file", "data", "about", "blob") for u in urls), urls
    browser.call("Network.disable", session=True)


def test_typing_in_the_search_box_finds_a_node(browser, page):
    browser.open(page)
    ready(browser)
    browser.js("document.getElementById('kg-search').focus()")
    browser.call("Input.insertText", text="sears", session=True)
    status = browser.status()
    assert status["searchHits"] == "2"  # Sears, Roebuck and Co; Sears Holdings
    assert status["searchFirst"] in ("Sears, Roebuck and Co", "Sears Holdings")
    assert browser.js("kgNetwork.getSelectedNodes().length") == 2
    assert "2 matches" in browser.js("document.getElementById('kg-search-result').textContent")
    browser.screenshot("viz-search.png")
    # an alias finds its entity
    browser.js("var s=document.getElementById('kg-search'); s.value=''; s.dispatchEvent(new Event('input'))")
    browser.call("Input.insertText", text="il gruppo di Hangzhou", session=True)
    assert browser.status()["searchFirst"] == "Alibaba Group Holding"
    browser.js("var s=document.getElementById('kg-search'); s.value=''; s.dispatchEvent(new Event('input'))")
    browser.call("Input.insertText", text="zzz", session=True)
    assert browser.status()["searchHits"] == "0"


def test_legend_filters_hide_a_type_and_a_predicate(browser, page, G):
    browser.open(page)
    ready(browser)
    people = [n for n, d in G.nodes(data=True) if d["type"] == "Person"]
    touching = {(u, v, k) for u, v, k in G.edges(keys=True) if u in people or v in people}
    browser.js("document.querySelector('#kg-legend-types input[data-type=Person]').click()")
    status = browser.status()
    assert int(status["nodes"]) == G.number_of_nodes() - len(people)
    assert int(status["edges"]) == G.number_of_edges() - len(touching)
    browser.js("document.querySelector('#kg-legend-types input[data-type=Person]').click()")
    sells = sum(1 for *_, k in G.edges(keys=True) if k == "sellsOn")
    browser.js("document.querySelector('#kg-legend-predicates input[data-predicate=sellsOn]').click()")
    status = browser.status()
    assert int(status["nodes"]) == G.number_of_nodes()
    assert int(status["edges"]) == G.number_of_edges() - sells
    browser.js("document.querySelector('#kg-legend-predicates input[data-predicate=sellsOn]').click()")
    lone = [n for n in G if G.degree(n) == 0]  # Sears Holdings
    browser.js("document.getElementById('kg-lone').click()")
    status = browser.status()
    assert int(status["nodes"]) == G.number_of_nodes() - len(lone) and len(lone) == 1
    assert int(status["edges"]) == G.number_of_edges()


def test_hover_shows_evidence_tooltip(browser, page):
    browser.open(page)
    ready(browser)
    # the tooltip element vis-network shows for the acquisition edge
    text = browser.js("""(function(){
        var e = kgNetwork.body.data.edges.get().filter(x => x.kgPredicate === 'acquires')[0];
        return e.title.textContent; })()""")
    assert "Kmart Holding Corp" in text and "11 bn USD" in text
    assert "Kmart Holding Corp said it will buy Sears, Roebuck and Co for $11 billion." in text
    assert "Kmart to buy Sears for US$11 billion" in text
    # and a real hover over a node pops it up
    x, y = browser.js("""(function(){
        var id = 'https://w3id.org/kg/id/company/alibaba';
        var p = kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id]);
        var r = document.getElementById('kg-graph').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; })()""")
    for dx in (0, 1, 2):
        browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=x + dx, y=y, session=True)
    shown = browser.wait_for("(function(){var t=document.querySelector('div.vis-tooltip');"
                             "return t && t.style.visibility === 'visible' && t.textContent;})()")
    assert "Alibaba Group Holding" in shown and "il gruppo di Hangzhou" in shown
    browser.screenshot("viz-tooltip.png")


def test_too_large_graph_shows_a_message_not_a_frozen_page(browser, tmp_path, monkeypatch):
    monkeypatch.setattr(viz, "MAX_DRAWN_NODES", 50)
    G = nx.MultiDiGraph()
    for i in range(60):
        G.add_node(f"n{i}", label=f"Company {i}", type="Company", aliases=[], articles=[])
    for i in range(59):
        G.add_edge(f"n{i}", f"n{i + 1}", key="partnersWith", predicate="partnersWith",
                   kind="trade", evidence=[], symmetric=True)
    page = viz.write(G, tmp_path / "big.html")
    browser.open(page)
    status = ready(browser)
    assert status["state"] == "too-large" and status["nodes"] == "0"
    message = browser.js("document.getElementById('kg-overlay').innerText")
    assert "--focus" in message and "60 entities" in message
    assert browser.js("getComputedStyle(document.getElementById('kg-overlay')).display") == "flex"
    browser.screenshot("viz-too-large.png")
    browser.js("document.getElementById('kg-draw-anyway').click()")
    status = ready(browser)
    assert status["state"] == "ready" and status["nodes"] == "60" and status["edges"] == "59"


@pytest.mark.model
def test_seed_article_end_to_end_in_the_browser(browser, cli, tmp_path):
    """kg build seeds/ then kg viz: the page draws exactly the graph the store holds."""
    from kg.store import open_store

    built = cli("build", Path(__file__).parents[1] / "seeds")
    assert built.exit_code == 0, built.output
    out = tmp_path / "seed.html"
    r = cli("viz", "-o", out)
    assert r.exit_code == 0, r.output
    with open_store(os.environ["KG_STORE"], read_only=True) as store:
        G = network.entity_graph(store)
    assert G.number_of_edges() > 5  # the seed states operates/sellsOn/worksFor links
    browser.open(out)
    status = ready(browser)
    assert (status["state"], int(status["nodes"]), int(status["edges"])) == (
        "ready", G.number_of_nodes(), G.number_of_edges())
    browser.js("document.getElementById('kg-search').focus()")
    browser.call("Input.insertText", text="Tmall", session=True)
    assert int(browser.status()["searchHits"]) >= 1
    browser.js("var s=document.getElementById('kg-search'); s.value=''; s.dispatchEvent(new Event('input'))")
    browser.screenshot("viz-seed.png")


def test_hundreds_of_nodes_settle_and_stay_readable(browser, tmp_path):
    """A 300-entity graph: the layout settles and stops, edge labels start hidden."""
    B = nx.barabasi_albert_graph(300, 2, seed=3)
    kinds = ["operates", "sellsOn", "acquires", "investsIn", "worksFor", "partnersWith"]
    G = nx.MultiDiGraph()
    for i in sorted(B):
        G.add_node(f"n{i:03d}", label=f"Entity {i}", type=("Company", "Platform", "Person")[i % 3],
                   aliases=[], articles=[])
    for j, (u, v) in enumerate(sorted(B.edges())):
        p = kinds[j % len(kinds)]
        G.add_edge(f"n{u:03d}", f"n{v:03d}", key=p, predicate=p,
                   kind=network.PREDICATE_KIND[p], evidence=[])
    page = viz.write(G, tmp_path / "big.html")
    browser.open(page)
    status = ready(browser)
    assert status["state"] == "ready"
    assert (int(status["nodes"]), int(status["edges"])) == (300, G.number_of_edges())
    assert browser.js("kgNetwork.physics.options.enabled") is False
    assert browser.js("document.getElementById('kg-edge-labels').checked") is False
    browser.screenshot("viz-300.png")
