"""Build: articles on disk -> the graph in the store.

    read -> language -> nlp.pipe (once per language, in batches) -> extract -> resolve
         -> rdf.article_graph -> store.replace_article        (one article at a time)

Each article is stored in its own transaction as soon as it is done, so a failure or a
Ctrl-C keeps the articles already stored, and never half of one. An article whose text and
extractor version are already in the store is skipped. Every problem with an input becomes
a (path, reason) rejection in the BuildReport; the rest of the run goes on.

The stages are looked up lazily (`default_stages`) and can be replaced by passing
`stages=Stages(...)`, which is how the tests run the build logic without a trained model.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.articles import DEFAULT_MAX_CHARS, SUPPORTED_LANGS, Article, Rejection, read_paths
from kg.config import KgError, extractor_version as current_extractor_version
from kg.store import SOURCE_ID, Store, StoreError, article_graph_iri


@dataclass
class Stages:
    """The pipeline stages a build calls (see the fixed interfaces in the team brief)."""

    detect_language: Callable[[str], str]
    load: Callable[[str], object]  # lang -> spacy.Language
    extract: Callable[[object, Article], object]  # (doc, article) -> ArticleFacts
    resolve: Callable[[Article, object], object]  # (article, facts) -> Resolved
    article_graph: Callable[[Article, object, str], object]  # -> rdflib.Graph
    ontology: Callable[[], object] | None = None  # -> rdflib.Graph of biz.ttl


def default_stages() -> Stages:
    """The real stages: kg.nlp, kg.extract, kg.resolve, kg.rdf (imported on first build,
    so `import kg.build` stays cheap)."""
    try:
        from kg.extract import extract
        from kg.nlp import detect_language, load
        from kg.rdf import article_graph, ontology_graph
        from kg.resolve import resolve
    except ImportError as e:
        raise KgError(f"the extraction pipeline is not installed completely ({e})") from None
    return Stages(detect_language, load, extract, resolve, article_graph, ontology_graph)


@dataclass
class BuildReport:
    """What a build did. `facts` counts stored facts by kind (entities, relations,
    investments, positions); `relations` by predicate."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def stored(self) -> int:
        return len(self.added) + len(self.replaced)

    def count(self, facts_or_resolved) -> None:
        resolved = facts_or_resolved
        facts = getattr(resolved, "facts", resolved)
        entities = getattr(resolved, "entities", None)
        if entities is not None:
            self.facts["entities"] += len(entities)
        self.facts["relations"] += len(facts.relations)
        self.facts["investments"] += len(facts.investments)
        self.facts["positions"] += len(facts.positions)
        self.relations.update(r.predicate for r in facts.relations)

    def summary(self) -> list[str]:
        """The end-of-build summary, one line each."""
        lines = [f"articles: {len(self.added)} added, {len(self.replaced)} replaced, "
                 f"{len(self.unchanged)} unchanged, {len(self.rejected)} rejected"]
        if self.stored:
            kinds = ", ".join(f"{n} {k}" for k, n in self.facts.items())
            lines.append(f"facts: {kinds}")
            if self.relations:
                lines.append("relations: " + ", ".join(f"{p} {n}" for p, n in sorted(self.relations.items())))
        return lines


def build(paths, store: Store, lang: str = "auto", progress: bool = True, *,
          stages: Stages | None = None, extractor_version: str | None = None,
          batch_size: int = 8, max_chars: int = DEFAULT_MAX_CHARS) -> BuildReport:
    """Read `paths` (files, folders, globs), extract each article and store its graph.

    lang: "auto" (each article's own `lang` when it has one, else detected), or "it"/"en"
    to force one language for all. max_chars: longer articles are rejected (memory and
    time grow with one article's length). Returns a BuildReport; interrupted builds (Ctrl-C)
    return one too, with `interrupted=True` and every stored article complete.
    """
    if lang not in ("auto",) + SUPPORTED_LANGS:
        raise KgError(f"unknown language {lang!r} (choose auto, {', '.join(SUPPORTED_LANGS)})")
    stages = stages or default_stages()
    version = extractor_version or current_extractor_version()
    report = BuildReport()
    if max_chars < 1:
        raise KgError(f"--max-chars must be a positive number of characters, not {max_chars}")
    read = read_paths(paths, max_chars=max_chars)
    report.rejected += read.rejected
    report.warnings += [f"{where}: {message}" for where, message in read.warnings]
    try:
        _load_ontology(store, stages, report)
        todo = _triage(read.articles, store, lang, stages, version, report)
        with _ProgressBar(len(todo), progress) as advance:
            by_lang: dict[str, list[Article]] = {}
            for a in todo:
                by_lang.setdefault(a.lang, []).append(a)
            for code, articles in sorted(by_lang.items()):
                _build_language(code, articles, store, stages, version, report, batch_size, advance)
    except KeyboardInterrupt:
        report.interrupted = True
    return report


def _load_ontology(store: Store, stages: Stages, report: BuildReport) -> None:
    if stages.ontology is None:
        return
    try:
        store.load_ontology(stages.ontology())
    except (OSError, KgError, ValueError) as e:
        report.warnings.append(f"ontology not loaded ({e}); queries cannot use rdfs:subClassOf")


def _triage(articles: Iterable[Article], store: Store, lang: str, stages: Stages,
            version: str, report: BuildReport) -> list[Article]:
    """Give each article its language; drop the unchanged, the unsupported and the
    duplicates (same text under two ids in this run or in the store)."""
    todo: list[Article] = []
    seen_hash: dict[str, str] = {}
    for a in articles:
        where = a.source or a.id
        code = lang if lang != "auto" else a.lang
        if code is None:
            try:
                code = stages.detect_language(a.text)
            except Exception as e:  # noqa: BLE001 - a detector bug must not stop the build
                report.rejected.append((where, f"language detection failed ({type(e).__name__}: {e})"))
                continue
        if code not in SUPPORTED_LANGS:
            report.rejected.append((where, f"unsupported language {code!r} (kg reads: {', '.join(SUPPORTED_LANGS)})"))
            continue
        a = dataclasses.replace(a, lang=code)
        if a.hash in seen_hash:
            report.rejected.append((where, f"same text as article {seen_hash[a.hash]!r} of this run"))
            continue
        seen_hash[a.hash] = a.id
        if store.has_current(a, version):
            report.unchanged.append(a.id)
            continue
        other = _other_owner(store, a)
        if other:
            report.rejected.append((where, f"same text already stored as article {other!r}"))
            continue
        todo.append(a)
    return todo


def _other_owner(store: Store, a: Article) -> str | None:
    """The id of another article stored with exactly this text, if any."""
    g = article_graph_iri(a.hash)
    if not store.has_graph(g) or g in store.graphs_of(a.id):
        return None
    rows = store.query(f"SELECT ?sid WHERE {{ GRAPH <{g}> {{ ?a <{SOURCE_ID}> ?sid }} }}")
    ids = [r["sid"].value for r in rows]
    return ids[0] if ids else None


def _build_language(code: str, articles: list[Article], store: Store, stages: Stages,
                    version: str, report: BuildReport, batch_size: int, advance) -> None:
    try:
        nlp = stages.load(code)
    except Exception as e:  # noqa: BLE001 - the other language's articles can still be built
        reason = str(e) if isinstance(e, KgError) else f"cannot load the {code} pipeline ({type(e).__name__}: {e})"
        for a in articles:
            report.rejected.append((a.source or a.id, reason))
            advance()
        return
    report.languages[code] += len(articles)
    for start in range(0, len(articles), batch_size):
        batch = articles[start:start + batch_size]
        for article, doc, error in _parse_batch(nlp, batch, batch_size):
            if error is None:
                _store_one(article, doc, store, stages, version, report)
            else:
                report.rejected.append((article.source or article.id, error))
            advance()


# spaCy's parser and NER need about 1 GB of temporary memory per 100,000 characters of one
# text: a longer article is parsed in pieces of at most this many characters, cut at
# paragraph breaks, and the pieces joined into one Doc over the whole text.
CHUNK_CHARS = 20_000


def _parse_batch(nlp, batch: list[Article], batch_size: int):
    """(article, doc, None) per article via nlp.pipe; when the batch fails, each article
    is parsed alone so one bad text does not take its neighbours down. Long articles are
    parsed in chunks (_parse_long)."""
    limit = getattr(nlp, "max_length", None)
    short = []
    for a in batch:
        if len(a.text) > CHUNK_CHARS and hasattr(nlp, "vocab"):
            yield _parse_long(nlp, a)
        elif isinstance(limit, int) and len(a.text) > limit:
            # spaCy refuses it with a paragraph of advice (E088): say it in kg's words
            yield a, None, (f"too long for the {a.lang} language pipeline: {len(a.text):,} "
                            f"characters, it reads at most {limit:,}")
        else:
            short.append(a)
    batch = short
    if not batch:
        return
    try:
        docs = list(nlp.pipe(((a.text, a) for a in batch), as_tuples=True, batch_size=batch_size))
    except Exception:  # noqa: BLE001
        docs = None
    if docs is not None:
        for doc, article in docs:
            yield article, doc, None
        return
    for a in batch:
        try:
            yield a, nlp(a.text), None
        except Exception as e:  # noqa: BLE001
            yield a, None, f"language processing failed ({type(e).__name__}: {e})"


def chunks(text: str, size: int | None = None):
    """Consecutive slices of text (joined, they are text) of at most size characters, each
    cut after a paragraph break in its second half when there is one, else after a line
    break, a sentence end or a space."""
    size = size or CHUNK_CHARS
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, start + size // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        yield text[start:end]
        start = end


def _parse_long(nlp, a: Article):
    """(article, doc, error): a long article parsed chunk by chunk, so memory is bounded by
    the chunk size, not the article's; the Doc joins the chunks' Docs, so every token's
    character offset still points into a.text."""
    from spacy.tokens import Doc

    try:
        doc = Doc.from_docs(list(nlp.pipe(chunks(a.text), batch_size=1)), ensure_whitespace=False)
    except Exception as e:  # noqa: BLE001
        return a, None, f"language processing failed ({type(e).__name__}: {e})"
    if doc.text != a.text:  # never expected: offsets would be wrong, so do not store it
        return a, None, "language processing failed (the parsed pieces do not join into the text)"
    return a, doc, None


def _store_one(article: Article, doc, store: Store, stages: Stages, version: str,
               report: BuildReport) -> None:
    where = article.source or article.id
    try:
        facts = stages.extract(doc, article)
        resolved = stages.resolve(article, facts)
        graph = stages.article_graph(article, resolved, version)
    except Exception as e:  # noqa: BLE001 - one article's failure must not stop the build
        report.rejected.append((where, f"extraction failed ({type(e).__name__}: {e})"))
        return
    try:
        status = store.replace_article(article, graph)
    except StoreError as e:
        report.rejected.append((where, str(e)))
        return
    (report.added if status == "added" else report.replaced).append(article.id)
    report.count(resolved)


class _ProgressBar:
    """A rich progress bar on stderr when asked for and there is more than one article;
    yields the `advance()` callable either way."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self._progress = total, enabled and total > 1, None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        if not console.is_terminal:  # a pipe or a log file: no bar, no stray newlines
            return lambda: None
        self._progress = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), console=console, transient=True)
        self._progress.start()
        task = self._progress.add_task("build", total=self.total)
        return lambda: self._progress.advance(task)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()
        return False
