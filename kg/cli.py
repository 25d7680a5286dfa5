"""The `kg` command line: a thin face over the library.

Each command parses its options, makes one call into kg's Python API and prints the
result. Library errors (kg.config.KgError) and option errors become one line on stderr and
a non-zero exit, never a traceback (see KgGroup). Options that several commands share are
defined once below (`store_option`, `format_option`) so they are spelled the same
everywhere.

Adding a command: write a function decorated with `@main.command()` in its own section,
with a docstring that has an `Example:` block (a test checks every command has one).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kg.config import DEFAULT_STORE, STORE_ENV, KgError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class KgGroup(click.Group):
    """A click Group that turns library errors and option errors into one line."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            name = f"kg {e.ctx.command.name}" if e.ctx and e.ctx.command and e.ctx.command is not self else "kg"
            raise click.ClickException(f"{e.format_message()} (see '{name} --help')") from None
        except KgError as e:
            raise click.ClickException(str(e)) from None
        except BrokenPipeError:
            # `kg ... | head`: the reader went away; stop quietly, like other Unix tools
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError, AttributeError):
                pass
            sys.exit(141)
        except OSError as e:
            where = f": {e.filename}" if getattr(e, "filename", None) else ""
            raise click.ClickException(f"{e.strerror or e}{where}") from None
        except KeyboardInterrupt:
            # Ctrl-C before a command's own handling starts (while kg and spaCy import):
            # exit 130 like any interrupted Unix tool, not click's "Aborted!" and 1
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(name="kg", cls=KgGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="kg", message="kg %(version)s")
def main():
    """kg: business news in, a queryable RDF knowledge graph out.

    \b
    Example:
      kg build seeds/                     # read articles, extract facts, store the graph
      kg query queries/companies_platforms.rq   # answer a SPARQL query file
      kg export --format turtle -o kg.ttl

    The graph lives in a store folder: --store PATH, else $KG_STORE, else ./.kg/store.
    """


# --- shared options ------------------------------------------------------------------------
def store_option(f):
    """--store PATH (env KG_STORE, default ./.kg/store)."""
    return click.option(
        "--store", "store_location", envvar=STORE_ENV, metavar="PATH", show_envvar=True,
        help=f"Store folder (or the http(s) URL of a SPARQL 1.1 endpoint). "
             f"Default: ${STORE_ENV}, else ./{DEFAULT_STORE} in the working directory.",
    )(f)


def _choose_pipelines(ctx, param, values):
    """--spacy-model LANG=PIPELINE: which spaCy pipeline kg.nlp.load uses for LANG."""
    import kg.nlp

    for value in values:
        lang, sep, name = value.partition("=")
        if not sep or lang not in kg.nlp.LANGS or not name:
            raise click.BadParameter(f"{value!r}: write LANG=PIPELINE, LANG one of "
                                     f"{', '.join(kg.nlp.LANGS)}, e.g. en=en_core_web_sm")
        kg.nlp.use_pipeline(lang, name)
    return values


def spacy_model_option(f):
    return click.option(
        "--spacy-model", "spacy_models", multiple=True, metavar="LANG=PIPELINE",
        callback=_choose_pipelines, expose_value=False,
        help="Use this installed spaCy pipeline (package name or folder) for LANG instead "
             "of kg's own; repeatable, e.g. --spacy-model en=en_core_web_sm.")(f)


def format_option(choices, default, help="Output format."):
    return click.option("--format", "-f", "fmt", type=click.Choice(choices, case_sensitive=False),
                        default=default, show_default=True, help=help)


def allow_service_option(f):
    return click.option(
        "--allow-service", is_flag=True,
        help="Let the query use SERVICE (a federated query: kg then makes network requests "
             "to the endpoints it names). Refused by default: kg runs offline.")(f)


def _open(store_location, read_only=False, create=True):
    from kg.store import open_store

    return open_store(store_location, read_only=read_only, create=create)


def _echo_out(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


# --- build ---------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
@click.option("--lang", type=click.Choice(["auto", "it", "en"]), default="auto", show_default=True,
              help="Language of the articles; auto detects it per article (a JSONL `lang` wins).")
@spacy_model_option
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Show a progress bar (on stderr) when building several articles.")
@click.option("--max-chars", type=click.IntRange(min=1), default=None, metavar="N",
              help="Reject articles longer than N characters (default 200,000: memory and "
                   "time grow with one article's length).")
def build(paths, store_location, lang, progress, max_chars):
    """Read articles and store their knowledge graph.

    PATH is a file, a folder (read recursively) or a glob of .txt, .md, .html and .jsonl
    files. Changed articles replace their old graph; unchanged ones are skipped. Problems
    are listed one per line on stderr; the good articles are stored anyway (exit 1).

    \b
    Example:
      kg build seeds/
      kg build 'news/**/*.html' --lang it --store /data/kg
      kg build news/ --spacy-model en=en_core_web_sm
    """
    from kg.articles import DEFAULT_MAX_CHARS, shown
    from kg.build import build as run_build

    with _open(store_location) as store:
        report = run_build(list(paths), store, lang=lang, progress=progress,
                           max_chars=max_chars or DEFAULT_MAX_CHARS)
    for line in report.summary():
        click.echo(line)

    def one_line(text: str) -> str:  # one problem, one line, printable whatever the input
        return shown(" ".join(str(text).split()))

    for warning in report.warnings:
        click.echo(one_line(f"warning: {warning}"), err=True)
    for path, reason in report.rejected:
        click.echo(one_line(f"rejected: {path}: {reason}"), err=True)
    if report.interrupted:
        click.echo(f"interrupted: {report.stored} articles stored complete, the others untouched", err=True)
        sys.exit(130)
    if report.rejected:
        sys.exit(1)


# --- query ---------------------------------------------------------------------------------
@main.command()
@click.argument("query")
@store_option
@format_option(["table", "csv", "tsv", "json", "turtle"], "table",
               help="Output format (turtle only for CONSTRUCT).")
@allow_service_option
def query(query, store_location, fmt, allow_service):
    """Answer a SPARQL query: a .rq file or inline text.

    The default graph is the union of all articles and the ontology; the prefixes biz:,
    rdf:, rdfs:, skos:, prov:, xsd:, kgid: and others are predeclared. SELECT prints rows,
    ASK true/false, CONSTRUCT triples.

    \b
    Example:
      kg query queries/investments.rq --format csv
      kg query 'SELECT ?c ?name WHERE { ?c a biz:Company ; rdfs:label ?name }'
    """
    from kg.query import format_result, run_query

    with _open(store_location, read_only=True) as store:
        result = run_query(store, query, allow_service=allow_service)
    _echo_out(format_result(result, fmt.lower(), width=_width()))


def _width() -> int | None:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return None


# --- export --------------------------------------------------------------------------------
@main.command()
@store_option
@format_option(["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf", "csv"], None,
               help="RDF format, or graphml/gexf/csv: the entity graph for Gephi, Neo4j, "
                    "spreadsheets (provenance as edge attributes). Default: from the -o file's "
                    "extension (.ttl .trig .nq .nt .jsonld .graphml .gexf .csv), else turtle.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of stdout.")
@click.option("--article", "article_id", metavar="ID", help="Export only this article (id or hash).")
@click.option("--ontology/--no-ontology", default=False, show_default=True,
              help="Include the ontology graph in a whole-store export.")
def export(store_location, fmt, output, article_id, ontology):
    """Export the graph as RDF (sorted, byte-stable output).

    Turtle and N-Triples merge all article graphs; TriG, N-Quads and JSON-LD keep one
    named graph per article.

    \b
    Example:
      kg export --format turtle -o kg.ttl
      kg export --format trig --article 00_it_alibaba_tmall_seed
      kg export --format graphml -o kg.graphml   # entity graph for Gephi
      kg export --format csv -o kg.csv           # kg.csv (edges) + kg_nodes.csv
    """
    fmt = (fmt or _format_from_extension(output)).lower()
    if fmt in ("graphml", "gexf", "csv"):
        return _export_entity_graph(store_location, fmt, output, article_id)
    with _open(store_location, read_only=True) as store:
        graph = store.find_article(article_id)[0] if article_id is not None else None
        data = store.dump(fmt.lower(), graph, include_ontology=ontology)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from kg.export import write_atomic

    write_atomic(output, data)  # the old file or the whole new one, never a truncated mix
    click.echo(f"wrote {output} ({len(data)} bytes, {fmt.lower()})", err=True)


def _format_from_extension(output: Path | None) -> str:
    from kg.export import EXTENSIONS

    by_ext = {ext: name for name, ext in EXTENSIONS.items()}
    by_ext.update({".json": "jsonld", ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv"})
    return by_ext.get(output.suffix.lower(), "turtle") if output is not None else "turtle"


def _export_entity_graph(store_location, fmt, output, article_id):
    """`kg export --format graphml|gexf|csv` (VIZ): the networkx entity graph, flattened."""
    from kg.graph_export import export_graph
    from kg.network import entity_graph

    with _open(store_location, read_only=True) as store:
        graph = entity_graph(store, article=article_id)
    written = export_graph(graph, fmt, output)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(written)
        sys.stdout.buffer.flush()
        return
    names = ", ".join(str(p) for p in written)
    click.echo(f"wrote {names} ({graph.number_of_nodes()} entities, "
               f"{graph.number_of_edges()} links, {fmt})", err=True)


# --- validate ------------------------------------------------------------------------------
@main.command()
@store_option
def validate(store_location):
    """Check the graph against the SHACL shapes (ontology/shapes.ttl).

    Lists every violation (node, property, message); exits 1 when there is any.

    \b
    Example:
      kg validate --store .kg/store
    """
    from kg.validate import validate_store

    with _open(store_location, read_only=True) as store:
        report = validate_store(store)
    from kg.query import compact

    for r in report.results:
        path = f" {compact(r.path)}" if r.path else ""
        value = f" (value: {compact(r.value)})" if r.value else ""
        click.echo(f"{r.severity}: {compact(r.focus)}{path}: {r.message}{value}")
    n = len(report.violations)
    if n:
        click.echo(f"{n} SHACL violation{'s' if n != 1 else ''} in {report.triples} triples", err=True)
        sys.exit(1)
    click.echo(f"conforms: {report.triples} triples checked against ontology/shapes.ttl")


# --- stats ---------------------------------------------------------------------------------
@main.command()
@store_option
@format_option(["table", "csv", "json"], "table")
@click.option("--network", "network", is_flag=True,
              help="Network analytics of the entity graph instead: degree, betweenness, PageRank, "
                   "connected components, Louvain communities.")
@click.option("--top", type=click.IntRange(1), default=15, show_default=True,
              help="With --network: how many entities the table shows (csv/json list all).")
def stats(store_location, fmt, network, top):
    """Count articles, triples, entities by class and triples by predicate.

    \b
    Example:
      kg stats
      kg stats --format json
      kg stats --network --top 10       # most central entities, components, communities
      kg stats --network --format csv > centrality.csv
    """
    if network:
        return _network_stats(store_location, fmt.lower(), top)
    from kg.query import store_stats

    with _open(store_location, read_only=True) as store:
        data = store_stats(store)
    _print_stats(data, fmt.lower())


def _print_stats(data: dict, fmt: str) -> None:
    import json

    from kg.query import QueryResult, format_result, render_table

    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = [("total", k, v) for k, v in data["totals"].items()]
    rows += [("class", k, v) for k, v in data["classes"].items()]
    rows += [("predicate", k, v) for k, v in data["predicates"].items()]
    if fmt == "csv":
        _echo_out(format_result(QueryResult("select", ["kind", "name", "count"], rows), "csv"))
        return
    t = data["totals"]
    click.echo(f"{t['articles']} articles, {t['triples']} triples, {t['entities']} entities")
    _echo_out(render_table(["class", "count"], list(data["classes"].items()), width=_width()))
    _echo_out(render_table(["predicate", "count"], list(data["predicates"].items()), width=_width()))


def _network_stats(store_location, fmt, top):
    """`kg stats --network` (VIZ): centrality table, components and communities."""
    import json

    from kg.network import entity_graph, network_stats
    from kg.query import QueryResult, format_result, render_table

    with _open(store_location, read_only=True) as store:
        result = network_stats(entity_graph(store))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    columns = list(result.columns)
    if fmt == "csv":
        rows = [tuple(r[c] for c in columns) for r in result.rows]
        _echo_out(format_result(QueryResult("select", columns, rows), "csv"))
        return
    click.echo(f"{result.nodes} entities, {result.edges} links, {len(result.components)} connected "
               f"components, {len(result.communities)} communities")
    rows = [tuple(f"{r[c]:.4f}" if isinstance(r[c], float) else r[c] for c in columns)
            for r in result.top(top)]
    _echo_out(render_table(columns, rows, width=_width(), title="Most central entities"))
    groups = [(i, len(c), ", ".join(c[:8]) + (", ..." if len(c) > 8 else ""))
              for i, c in enumerate(result.communities[:top], 1)]
    _echo_out(render_table(["community", "size", "members"], groups, width=_width(),
                           title="Communities (Louvain)"))
    sizes = ", ".join(str(len(c)) for c in result.components[:top])
    click.echo(f"connected components by size: {sizes}" + (", ..." if len(result.components) > top else ""))


# --- viz -----------------------------------------------------------------------------------
@main.command()
@store_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default="graph.html", show_default=True,
              help="graph.html (interactive, works offline), or graph.png / graph.svg (static).")
@click.option("--focus", metavar="NAME", help="Draw only this entity's neighbourhood (name or alias).")
@click.option("--depth", type=click.IntRange(0, 10), default=1, show_default=True,
              help="With --focus: how many hops around the entity.")
@click.option("--query", "query_file", metavar="FILE.rq",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Draw the result of a CONSTRUCT, or of a SELECT binding ?s ?p ?o.")
@click.option("--article", "article_id", metavar="ID", help="Draw one article (id or hash).")
@click.option("--title", help="Title shown on the page or picture.")
@allow_service_option
def viz(store_location, output, focus, depth, query_file, article_id, title, allow_service):
    """Draw the company graph: an offline HTML page, or a PNG/SVG picture.

    Nodes are coloured and shaped by type and sized by degree; links are labelled by
    predicate and styled by kind (ownership, trade, investment, people, place); hover for
    aliases and the evidence sentence; search, legend filters. Very large graphs: draw a
    neighbourhood with --focus.

    \b
    Example:
      kg viz -o graph.html
      kg viz --focus "Acme Corp" --depth 2 -o acme.html
      kg viz --query ownership.rq -o ownership.svg     # a CONSTRUCT query
      kg viz --article 00_it_alibaba_tmall_seed -o seed.png
    """
    from kg import network
    from kg import viz as draw

    if query_file is not None and article_id is not None:
        raise click.UsageError("--query and --article cannot be combined")
    ctx = click.get_current_context()
    if focus is None and ctx.get_parameter_source("depth") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--depth needs --focus NAME")
    if output.suffix.lower() not in (".html", ".htm", ".png", ".svg"):
        raise click.UsageError(f"-o {output.name}: use a .html, .png or .svg file")
    with _open(store_location, read_only=True) as store:
        if query_file is not None:
            graph = network.query_graph(store, query_file, allow_service=allow_service)
        else:
            graph = network.entity_graph(store, article=article_id)
    if focus:
        graph = network.focus(graph, focus, depth)
    if title is None:
        title = "kg: " + (f"around {graph.nodes[graph.graph['focus']]['label']}" if focus
                          else f"query {query_file.name}" if query_file is not None
                          else f"article {article_id}" if article_id else "company graph")
    draw.write(graph, output, title=title)
    click.echo(f"wrote {output} ({graph.number_of_nodes()} entities, {graph.number_of_edges()} links)",
               err=True)


# --- articles ------------------------------------------------------------------------------
@main.command()
@store_option
@format_option(["table", "csv", "json"], "table")
def articles(store_location, fmt):
    """List the stored articles: id, title, language, facts.

    \b
    Example:
      kg articles
      kg articles --format csv > articles.csv
    """
    from kg.query import QueryResult, format_result

    with _open(store_location, read_only=True) as store:
        items = store.articles()
    columns = ["id", "title", "lang", "date", "facts", "hash"]
    rows = [tuple(a.get(c) for c in columns) for a in items]
    _echo_out(format_result(QueryResult("select", columns, rows), fmt.lower(), width=_width()))


# --- remove --------------------------------------------------------------------------------
@main.command()
@click.argument("article_id", metavar="ID")
@store_option
def remove(article_id, store_location):
    """Remove an article (by id or content hash) and all its facts.

    \b
    Example:
      kg remove 00_it_alibaba_tmall_seed
    """
    with _open(store_location, create=False) as store:
        dropped = store.remove_article(article_id)
    click.echo(f"removed {article_id} ({len(dropped)} graph{'s' if len(dropped) != 1 else ''})")


# --- evaluate (owner: EVAL) ----------------------------------------------------------------
@main.command()
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.argument("articles_dir", type=click.Path(path_type=Path))
@click.option("--store", "store_location", metavar="PATH",
              help="Build into (and score) this store folder. Default: a throwaway in-memory store.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Score only facts whose evidence confidence is at least this. Default: 0.0, the graph as built (kg.evaluate.DEFAULT_MIN_CONFIDENCE).")
@click.option("--lang", type=click.Choice(["auto", "it", "en"]), default="auto", show_default=True,
              help="Language of the articles; auto detects it per article.")
@spacy_model_option
@click.option("--errors", "show_errors", is_flag=True,
              help="Also list every false positive and false negative per article (table format).")
@format_option(["table", "json"], "table")
def evaluate(gold_dir, articles_dir, store_location, min_confidence, lang, show_errors, fmt):
    """Score the graph against gold annotations: precision, recall and F1.

    Builds every article ARTICLES_DIR/<stem>.txt that has a gold file GOLD_DIR/<stem>.json
    (format: ../shared/dev-eval/README.md), reads the graph back and prints P/R/F1 for
    entities (typed and untyped), each relation predicate, roles and investments, per
    language and overall. The scoring rules are in kg/evaluate.py.

    \b
    Example:
      kg evaluate ../shared/dev-eval/gold ../shared/dev-eval/articles
      kg evaluate gold/ articles/ --format json --min-confidence 0.7
    """
    from kg import evaluate as ev

    kwargs = {"lang": lang, "progress": False}
    if min_confidence is not None:
        kwargs["min_confidence"] = min_confidence
    if store_location:
        with _open(store_location) as store:
            report = ev.evaluate(gold_dir, articles_dir, store=store, **kwargs)
    else:
        report = ev.evaluate(gold_dir, articles_dir, **kwargs)
    if fmt.lower() == "json":
        import json

        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        ev.render(report, errors=show_errors)

if __name__ == "__main__":  # pragma: no cover
    main()
