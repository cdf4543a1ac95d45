"""The `ctgraph` command line: build, validate, export and inspect the graph."""

from __future__ import annotations

import json
import logging
import math
import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from ctgraph import paths
from ctgraph.exports import FORMATS, atomic_write, serialise
from ctgraph.messages import literal, printable, redact_url
from ctgraph.queries.forms import FORMS
from ctgraph.queries.library import (
    KnowledgeGraph,
    ParameterError,
    QueryError,
    QueryLimitError,
    StoredQuery,
    load_queries,
    query_form,
)
from ctgraph.queries.results import FORMATS as RESULT_FORMATS
from ctgraph.queries.results import for_terminal, render
from ctgraph.store.backends import ResultTable
from ctgraph.store.worker import DEFAULT_TIMEOUT

if TYPE_CHECKING:  # imported where used: `ctgraph query` needs none of them
    from rdflib import Dataset, Graph

    from ctgraph import build as pipeline
    from ctgraph import links
    from ctgraph.store.remote import RemoteBackend

app = typer.Typer(
    rich_markup_mode="markdown",
    add_completion=False,
    no_args_is_help=True,
    help="ctgraph: the UN Global Counter-Terrorism Coordination Compact "
    "as a knowledge graph.",
)
# no emoji codes: a name such as urn:x:one is printed as it is, not as urn❌one
out = Console(emoji=False)
err = Console(stderr=True, emoji=False)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(
        f"[bold red]error:[/] {literal(message, None)}", highlight=False, soft_wrap=True
    )
    return typer.Exit(code)


def version_callback(value: bool) -> None:
    if value:
        from ctgraph import __version__

        out.print(f"ctgraph {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Build, validate, query and export the Compact knowledge graph."""
    # rdflib logs a traceback for a literal it cannot convert (a 5000-digit
    # integer); the literal keeps its text, so the log only frightens
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


DataOpt = Annotated[Path, typer.Option("--data", help="Folder of source tables.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder for build outputs.")]


ValidatorOpt = Annotated[
    str,
    typer.Option(
        "--validator",
        help="fast (shapes compiled to SPARQL on Oxigraph) or pyshacl; "
        "both report the same violations.",
    ),
]


def input_errors() -> tuple[type[Exception], ...]:
    """What bad input raises while the graph is built: imported only when one is
    being caught, so commands that build nothing do not import the builder."""
    from ctgraph.sources.tables import SourceError
    from ctgraph.validation.shacl import InputError

    return (SourceError, InputError)


def check_validator(validator: str) -> None:
    from ctgraph.validation.shacl import VALIDATORS

    if validator not in VALIDATORS:
        raise fail(f"--validator must be one of {', '.join(VALIDATORS)}")


def assemble(data: Path) -> tuple[Dataset, Graph]:
    """The graph from data/ without validation; bad input is a clear exit 2."""
    from ctgraph import build as pipeline

    try:
        return pipeline.assemble(data)
    except input_errors() as exc:
        raise fail(str(exc)) from None


def run_build(
    data: Path, out_dir: Path, write: bool = True, validator: str = "fast"
) -> pipeline.BuildResult:
    from ctgraph import build as pipeline

    check_validator(validator)
    try:
        return pipeline.build(data, out_dir, write=write, validator=validator)
    except input_errors() as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(os_problem(exc, out_dir)) from None


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output folder that cannot be one before the work is done."""
    for place in (out_dir, *out_dir.parents):
        if place.exists():
            if not place.is_dir():
                raise fail(f"{place} is a file, not a folder")
            return


def os_problem(exc: OSError, path: Path) -> str:
    """An OSError as one line naming the path: `PATH: not a directory`."""
    where = exc.filename if exc.filename is not None else path
    if isinstance(exc, FileExistsError) and Path(where).is_file():
        return f"{where} is a file, not a folder"
    return f"cannot write {where}: {(exc.strerror or str(exc)).lower()}"


def check_out_file(path: Path) -> None:
    """Refuse an output file that cannot be written, before the work is done."""
    if path.is_dir():
        raise fail(f"{path} is a folder: give a file name to write to")
    check_out_dir(path.parent)


def write_file(path: Path, payload: bytes) -> None:
    """Write atomically; a failure is one line naming the path, exit 2."""
    try:
        atomic_write(path, payload)
    except OSError as exc:
        raise fail(os_problem(exc, path)) from None


def build(
    data: DataOpt = paths.DATA_DIR,
    out_dir: OutOpt = paths.BUILD_DIR,
    report_format: Annotated[
        str, typer.Option("--format", help="Violation report: text or json.")
    ] = "text",
    validator: ValidatorOpt = "fast",
) -> None:
    """Build the graph from data/, validate it, and write build/ when it conforms."""
    check_out_dir(out_dir)
    result = run_build(data, out_dir, validator=validator)
    table = Table(title="ctgraph build", show_header=True)
    table.add_column("class")
    table.add_column("instances", justify="right")
    for cls, n in sorted(result.class_counts().items()):
        if not cls.startswith(
            ("owl:", "skos:Concept", "org:Role", "skos:ConceptScheme")
        ):
            table.add_row(literal(cls, None), str(n))
    out.print(table)
    named = sum(1 for _ in result.dataset.graphs())
    out.print(
        f"triples: {result.triples}  named graphs: {named}  "
        f"violations: {len(result.report.violations)}  "
        f"time: {result.seconds:.2f} s  validator: {result.report.validator}"
    )
    for link_report in result.links:
        out.print(f"links {literal(link_report.summary())}", highlight=False)
    if not result.report.conforms:
        text = (
            result.report.to_json()
            if report_format == "json"
            else result.report.to_text()
        )
        err.print(printable(text), highlight=False, soft_wrap=True, markup=False)
        err.print("build/ left unchanged: fix the data and build again.")
        raise typer.Exit(1)
    if result.failed_checks:
        err.print(
            f"{len(result.failed_checks)} check(s) in queries/checks/ found violations:"
        )
        for failure in result.failed_checks:
            err.print(
                printable(failure.to_text()),
                highlight=False,
                soft_wrap=True,
                markup=False,
            )
        err.print("build/ left unchanged: fix the data and build again.")
        raise typer.Exit(1)
    for path in result.written:
        out.print(f"wrote {literal(str(path), None)}", highlight=False)


def validate_cmd(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="RDF files to validate (default: build the graph from data/)."
        ),
    ] = None,
    report_format: Annotated[
        str, typer.Option("--format", help="Report format: text or json.")
    ] = "text",
    data: DataOpt = paths.DATA_DIR,
    validator: ValidatorOpt = "fast",
) -> None:
    """Validate RDF files (or the graph built from data/): exit 0 conforms, 1
    violations, 2 input or runtime error."""
    if report_format not in ("text", "json"):
        raise fail(f"--format must be text or json, not {report_format!r}")
    if files:
        from rdflib import Graph

        from ctgraph.validation.shacl import InputError, parse_rdf, validate

        graph = Graph()
        try:
            for path in files:
                parse_rdf(path, graph)
        except InputError as exc:
            raise fail(str(exc)) from None
        check_validator(validator)
        report = validate(graph, validator=validator)
    else:
        report = run_build(
            data, paths.BUILD_DIR, write=False, validator=validator
        ).report
    text = report.to_json() if report_format == "json" else report.to_text()
    print(text if report_format == "json" else printable(text))
    raise typer.Exit(0 if report.conforms else 1)


def export(
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="One of: " + ", ".join([*FORMATS, "xlsx"])),
    ] = "ttl",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write to this file (default: standard output)."
        ),
    ] = None,
    data: DataOpt = paths.DATA_DIR,
) -> None:
    """Export the graph as Turtle, N-Triples, JSON-LD (compacted, with the ctgraph
    prefixes as its context), RDF/XML, TriG or N-Quads, or with
    `--format xlsx -o FILE` as a workbook: a sheet per kind of record (entities,
    roles, resolutions, projects, events, funding, observations) with names,
    dates and each row's source, and a README sheet."""
    if fmt == "xlsx":
        if output is None:
            raise fail("--format xlsx writes a file: give -o FILE.xlsx")
        from ctgraph.spreadsheets import export_workbook
        from ctgraph.store.backends import OxigraphBackend

        check_out_file(output)
        dataset, _ = assemble(data)
        try:
            payload = export_workbook(
                KnowledgeGraph(OxigraphBackend.from_dataset(dataset))
            )
        except QueryError as exc:
            raise fail(str(exc)) from None
        write_file(output, payload)
        err.print(f"wrote {literal(str(output), None)} ({len(payload)} bytes)")
        return
    if fmt not in FORMATS:
        raise fail(
            f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)} or xlsx"
        )
    if output is not None:
        check_out_file(output)
    dataset, merged = assemble(data)
    graph: Graph | Dataset = dataset if fmt in ("trig", "nq") else merged
    payload = serialise(graph, fmt)
    if output is None:
        sys.stdout.buffer.write(payload)
    else:
        try:
            atomic_write(output, payload)
        except OSError as exc:
            raise fail(os_problem(exc, output)) from None
        err.print(f"wrote {literal(str(output), None)} ({len(payload)} bytes)")


def stats(
    data: DataOpt = paths.DATA_DIR,
    show_quality: Annotated[
        bool,
        typer.Option(
            "--quality",
            help="Also list data-quality findings: every discrepancy the graph "
            "records, with its sources on each side, and records without dates.",
        ),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="table (default), or csv / json for the quality findings alone "
            "(with --quality).",
        ),
    ] = "table",
) -> None:
    """Count what the graph holds: per class and per source report."""
    from rdflib import Literal

    from ctgraph import build as pipeline
    from ctgraph.validation.quality import FORMATS as QUALITY_FORMATS
    from ctgraph.validation.quality import quality
    from ctgraph.validation.quality import render as render_quality

    if fmt not in QUALITY_FORMATS:
        raise fail(
            f"--format {literal(fmt)}: expected one of {', '.join(QUALITY_FORMATS)}"
        )
    if fmt != "table" and not show_quality:
        raise fail(f"--format {fmt} lists the quality findings: add --quality")
    dataset, merged = assemble(data)
    if fmt != "table":
        text = render_quality(quality(merged), fmt)
        # JSON escapes control characters itself; CSV shows them as escapes
        sys.stdout.write(text if fmt == "json" else printable(text))
        if fmt == "json":
            sys.stdout.write("\n")
        return
    table = Table(title="instances per class")
    table.add_column("class")
    table.add_column("instances", justify="right")
    for cls, n in sorted(pipeline.class_counts(merged).items()):
        table.add_row(literal(cls, None), str(n))
    out.print(table)
    graphs = Table(title="triples per named graph")
    graphs.add_column("graph")
    graphs.add_column("triples", justify="right")
    for g in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(g):
            graphs.add_row(literal(str(g.identifier), None), str(len(g)))
    out.print(graphs)
    out.print(f"triples (merged): {len(merged)}")
    if show_quality:
        findings = quality(merged)
        report = ResultTable(
            ["kind", "subject", "detail", "sources"],
            [
                tuple(Literal(v) for v in (f.kind, f.subject, f.detail, f.sources))
                for f in findings
            ],
        )
        title = f"data quality: {len(findings)} finding(s)"
        out.print(for_terminal(report, title, out.width))


link_app = typer.Typer(
    no_args_is_help=True,
    help="Link the graph's resolutions to external datasets: a table (CSV or "
    "JSON) or a SPARQL endpoint. Writes one named graph of links per dataset.",
)
app.add_typer(link_app, name="link")

LINKS_DIR = paths.DATA_DIR / "links"
LinksOutOpt = Annotated[
    Path, typer.Option("--out", help="Folder for the links file (TriG).")
]
FormatOpt = Annotated[str, typer.Option("--format", help="Link report: text or json.")]


def finish_links(
    source: links.LinkSource, report: links.LinkReport, out_dir: Path, fmt: str
) -> None:
    """Write the link graph (atomically) and print the link report."""
    from ctgraph import links

    target = out_dir / f"links-{source.name}.trig"
    atomic_write(target, serialise(links.link_dataset(source, report), "trig"))
    print(report.to_json() if fmt == "json" else printable(report.to_text()))
    err.print(
        f"wrote {literal(str(target), None)} ({len(report.matched)} links)",
        highlight=False,
    )


def graph_resolutions(data: Path) -> list:
    from ctgraph import links

    dataset, _ = assemble(data)
    return links.resolutions_in(dataset)


def link_csv(
    path: Annotated[
        Path | None,
        typer.Argument(help="CSV file, or JSON array of objects, to link to."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="Dataset description (YAML), e.g. data/links/cr-unsc.yaml."
        ),
    ] = None,
    number_column: Annotated[
        str | None,
        typer.Option(help="Column with the Security Council resolution number."),
    ] = None,
    symbol_column: Annotated[
        str | None,
        typer.Option(help="Column with the resolution symbol (any spelling)."),
    ] = None,
    url_column: Annotated[
        str | None, typer.Option(help="Column with the address to link to.")
    ] = None,
    dataset_name: Annotated[
        str, typer.Option(help="Short name: the graph is id/graph/links-<name>.")
    ] = "table",
    title: Annotated[str | None, typer.Option(help="The dataset's title.")] = None,
    doi: Annotated[str | None, typer.Option(help="The dataset's DOI.")] = None,
    licence: Annotated[
        str | None, typer.Option(help="The dataset's licence, as a URL.")
    ] = None,
    creator: Annotated[str | None, typer.Option(help="Whom to credit.")] = None,
    out_dir: LinksOutOpt = paths.BUILD_DIR / "links",
    data: DataOpt = paths.DATA_DIR,
    report_format: FormatOpt = "text",
) -> None:
    """Link resolutions to a table's rows (CSV or JSON), by number or symbol.

    Exit 0 (unmatched resolutions are reported, not errors); 2 on bad input, and
    then nothing is written.
    """
    from ctgraph import links

    if report_format not in ("text", "json"):
        raise fail(f"--format must be text or json, not {report_format!r}")
    try:
        if config is not None:
            source = links.load_source(config)
            if source.kind != "table":
                raise fail(f"{config}: describes a {source.kind} source, not a table")
        elif path is None:
            raise fail("give a file to link to, or --config")
        else:
            if not url_column:
                raise fail("--url-column is required")
            if (number_column is None) == (symbol_column is None):
                raise fail("give exactly one of --number-column or --symbol-column")
            source = links.LinkSource(
                name=dataset_name,
                kind="table",
                title=title or path.name,
                method="exact-number" if number_column else "exact-symbol",
                path=path,
                number_column=number_column,
                symbol_column=symbol_column,
                url_column=url_column,
                creator=creator,
                doi=doi,
                licence=licence,
            )
        if path is not None and config is not None:
            source = replace(source, path=path)
        rows = links.read_table_source(source)  # bad input fails before the build
    except links.LinkError as exc:
        raise fail(str(exc)) from None
    report = links.link_table(source, graph_resolutions(data), rows)
    finish_links(source, report, out_dir, report_format)


def link_sparql(
    endpoint: Annotated[
        str | None,
        typer.Option(help="SPARQL endpoint URL (default: the description's)."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            help="Seconds to wait for the endpoint's answer (default: 60).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path, typer.Option("--config", help="Dataset description (YAML).")
    ] = LINKS_DIR / "wikidata.yaml",
    out_dir: LinksOutOpt = paths.BUILD_DIR / "links",
    data: DataOpt = paths.DATA_DIR,
    report_format: FormatOpt = "text",
) -> None:
    """Link resolutions to the items a SPARQL endpoint gives for a stored query.

    The query returns ?item ?symbol. Exit 0 (unmatched resolutions are reported,
    not errors); 2 when the endpoint fails, and then nothing is written.
    """
    from ctgraph import links

    if timeout is None:
        timeout = links.DEFAULT_TIMEOUT
    if report_format not in ("text", "json"):
        raise fail(f"--format must be text or json, not {report_format!r}")
    try:
        source = links.load_source(config)
        if source.kind != "sparql":
            raise fail(f"{config}: describes a {source.kind} source, not sparql")
        if endpoint:
            source = replace(source, endpoint=endpoint)
        if not source.endpoint:
            raise fail(f"{config}: no endpoint; give --endpoint")
        assert source.query is not None
        candidates, skipped, rows = links.query_endpoint(
            source.endpoint, source.query, timeout=timeout
        )
    except links.LinkError as exc:
        raise fail(str(exc)) from None
    report = links.match(
        graph_resolutions(data),
        candidates,
        dataset=source.name,
        rows=rows,
        skipped=skipped,
        scope=source.scope,
    )
    finish_links(source, report, out_dir, report_format)


EndpointOpt = Annotated[
    str,
    typer.Option(
        "--endpoint",
        help="SPARQL query URL, e.g. http://localhost:7878/query. Credentials come "
        "from CTGRAPH_ENDPOINT_TOKEN or CTGRAPH_ENDPOINT_USER/_PASSWORD.",
    ),
]


def finite(value: float) -> float:
    """--timeout is a number of seconds: not inf or nan."""
    if not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number of seconds")
    return value


TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0.1,
        callback=finite,
        help="Seconds a query may take: on a server, any one request from connecting "
        "to the last byte; embedded, the whole query.",
    ),
]
AllowServiceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-service",
        metavar="HOST",
        help="Let an embedded query reach this host (SERVICE; FROM on rdflib); "
        "repeat for more. Without it a local query never touches the network.",
    ),
]

# --- queries -------------------------------------------------------------------

ResultFormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="table, csv, tsv, json (SPARQL 1.1 Query Results JSON) or md; "
        "`ctgraph query` also writes xlsx (with -o).",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write to this file (written atomically)."),
]
EngineOpt = Annotated[
    str, typer.Option("--engine", help="Query engine: oxigraph (default) or rdflib.")
]
StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="An Oxigraph store folder (filled from build/ctgraph.trig on first use) "
        "or a TriG file. Default: build/ctgraph.trig (built first if missing), read "
        "through the store cached beside it.",
    ),
]
RemoteOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help="Run on this SPARQL server (query URL) instead of the embedded graph; "
        "see ctgraph publish.",
    ),
]
ServerUnionOpt = Annotated[
    bool,
    typer.Option(
        "--server-union",
        help="With --endpoint: send queries as they are, for a server whose default "
        "graph already is the union of the graphs (no ctgraph publication needed).",
    ),
]


def connect(
    endpoint: str,
    timeout: float,
    store_url: str | None = None,
    update_url: str | None = None,
    server_union: bool = False,
) -> RemoteBackend:
    """A remote backend from command-line options; errors as plain messages."""
    from ctgraph.store.remote import Credentials, EndpointError, RemoteBackend

    try:
        return RemoteBackend(
            endpoint,
            store_url=store_url,
            update_url=update_url,
            timeout=timeout,
            credentials=Credentials.from_env(),
            server_union=server_union,
        )
    except EndpointError as exc:
        raise fail(str(exc)) from None


def publish(
    endpoint: EndpointOpt,
    store_url: Annotated[
        str | None,
        typer.Option(
            "--store-url",
            help="Graph Store Protocol URL (default: derived from an Oxigraph-style "
            "…/query URL as …/store).",
        ),
    ] = None,
    update_url: Annotated[
        str | None,
        typer.Option(
            "--update-url",
            help="SPARQL Update URL (default: …/query becomes …/update; "
            "otherwise the endpoint itself).",
        ),
    ] = None,
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Put everything into this one named graph."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the graphs already on the server."),
    ] = False,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    out_dir: OutOpt = paths.BUILD_DIR,
    show_status: Annotated[
        bool,
        typer.Option(
            "--status",
            help="Show what is live and which staging graphs are left; change nothing.",
        ),
    ] = False,
    drop_leftovers: Annotated[
        bool,
        typer.Option(
            "--drop-staging",
            help="Drop the staging graphs failed runs left; publish nothing.",
        ),
    ] = False,
) -> None:
    """Upload the built graph (build/ctgraph.trig) to a SPARQL server: each source
    report's named graph separately, switched live in one update when all uploads
    succeeded, so the server never serves a half-new graph. Exit 0 published, 1 the
    server holds other counts than the build, 2 not published (or not known to be)."""
    from ctgraph.store import publish as publishing
    from ctgraph.store.remote import EndpointError, graph_name

    if show_status or drop_leftovers:
        backend = connect(endpoint, timeout, store_url, update_url)
        try:
            if drop_leftovers:
                dropped = publishing.drop_staging(backend)
                out.print(f"dropped {len(dropped)} staging graph(s)", highlight=False)
            lines = publishing.status(backend).lines()
        except EndpointError as exc:
            raise fail(str(exc)) from None
        for line in lines:
            out.print(printable(line), highlight=False, soft_wrap=True, markup=False)
        return
    trig = out_dir / paths.TRIG
    if not trig.is_file():
        raise fail(f"no built graph at {trig}: run `ctgraph build` first")
    backend = connect(endpoint, timeout, store_url, update_url)
    try:
        single = graph_name(graph) if graph is not None else None
        report = publishing.publish(backend, trig, replace=replace, single_graph=single)
    except EndpointError as exc:
        raise fail(str(exc)) from None
    for line in report.lines():
        out.print(printable(line), highlight=False, soft_wrap=True, markup=False)
    if not report.ok:
        raise fail(report.error or "publication failed", code=report.exit_code)


ingest_app = typer.Typer(
    no_args_is_help=True,
    help="Turn raw inputs (report texts, external datasets) into data/ tables. "
    "Only these commands read them; the build reads data/ alone.",
)
app.add_typer(ingest_app, name="ingest")


def ingest_matrix(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Text of the Secretary-General's 2018 report (default: its file, "
            f"as data/core/sources.csv names it, in ${paths.SOURCES_ENV}, else "
            "../shared/seeds)."
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the matrix tables.")
    ] = paths.DATA_DIR / "matrix",
    aliases: Annotated[
        Path, typer.Option("--aliases", help="Folder of the matrix alias tables.")
    ] = paths.DATA_DIR / "matrix" / "aliases",
    core: Annotated[
        Path,
        typer.Option("--core", help="Entities table whose ids and names to reuse."),
    ] = paths.DATA_DIR / "core" / "entities.csv",
) -> None:
    """Ingest the CTITF project matrix (Annex II): exit 0 when every token resolved,
    1 when some did not (they are listed), 2 on a missing file."""
    from ctgraph.sources.matrix import ENTITY_ALIASES, SOURCE_ID, MatrixError, ingest
    from ctgraph.sources.tables import SourceError, read_table

    if path is None:
        folder = input_folder(paths.sources_dir(), paths.SOURCES_ENV)
        try:
            files = {
                r.get("id"): r.get("file")
                for r in read_table(paths.DATA_DIR / "core" / "sources.csv")
            }
        except SourceError as exc:
            raise fail(str(exc)) from None
        path = folder / files.get(SOURCE_ID, f"{SOURCE_ID}.txt")
    for required in (path, aliases / ENTITY_ALIASES, core):
        if not required.is_file():
            raise fail(f"{required}: no such file")
    try:
        report = ingest(path, out_dir, aliases_dir=aliases, core_entities=core)
    except MatrixError as exc:
        raise fail(str(exc)) from None
    except (OSError, KeyError, ValueError) as exc:
        raise fail(f"cannot ingest {path}: {exc}") from None
    print(printable(report.format()))
    raise typer.Exit(0 if report.ok else 1)


def input_folder(found: Path | None, env: str) -> Path:
    """An ingest command's input folder, or a clear exit 2 naming how to give one."""
    if found is None or not found.is_dir():
        where = f"{found}: no such folder" if found is not None else "no folder given"
        raise fail(f"{where}; give the folder as an argument or set {env}")
    return found


def ingest_mentions(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help=f"Folder of the report texts (default: ${paths.SOURCES_ENV}, "
            "else ../shared/seeds beside the repository)."
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for mentions.csv.")
    ] = paths.DATA_DIR / "mentions",
    sources: Annotated[
        Path, typer.Option("--sources", help="The table naming each report's file.")
    ] = paths.DATA_DIR / "core" / "sources.csv",
) -> None:
    """Find every resolution each report cites, with its line: writes mentions.csv
    (symbol, text, source, locator). Exit 0, 2 on a missing folder or report."""
    from ctgraph.sources import mentions
    from ctgraph.sources.tables import SourceError, read_table

    reports = input_folder(paths.sources_dir(folder), paths.SOURCES_ENV)
    try:
        files = {r.get("id"): r.get("file") for r in read_table(sources)}
        target = mentions.ingest(reports, files, out_dir)
    except SourceError as exc:
        raise fail(str(exc)) from None
    except FileNotFoundError as exc:
        raise fail(f"{exc.filename}: {exc.strerror}") from None
    rows = target.read_text(encoding="utf-8").count("\n") - 1
    print(f"{len(files)} reports, {rows} mentions")
    err.print(f"wrote {target}", highlight=False)


def ingest_regions(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for m49_regions.csv.")
    ] = paths.DATA_DIR / "regions",
    aliases: Annotated[
        Path,
        typer.Option("--aliases", help="Folder holding m49_areas.csv (region -> M49)."),
    ] = paths.DATA_DIR / "regions" / "aliases",
) -> None:
    """Write the countries of each region UN M49 defines, from the data the
    country_converter package ships (pip install 'ctgraph[regions]'), to
    m49_regions.csv. Exit 0, 2 on bad input or a missing package."""
    from ctgraph.sources import regions
    from ctgraph.sources.tables import SourceError

    try:
        target, rows = regions.ingest(aliases, out_dir)
    except SourceError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write {out_dir}: {exc.strerror}") from None
    print(f"{rows} regions from M49 ({regions.package_version()})")
    err.print(f"wrote {target}", highlight=False)


CR_UNSC_TABLE = "UNSC_Record-Table_2722.csv"
CR_UNSC_COLUMNS = ("res_no", "url_record")


def ingest_cr_unsc(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help=f"Folder holding CR-UNSC's {CR_UNSC_TABLE} (default: "
            f"${paths.EXTERNAL_ENV}/cr-unsc, else ../shared/external/cr-unsc)."
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the copied rows.")
    ] = paths.DATA_DIR / "external" / "cr-unsc",
    data: DataOpt = paths.DATA_DIR,
) -> None:
    """Copy the rows of CR-UNSC's record table that the graph's Security Council
    resolutions need (res_no, url_record) to records.csv. Exit 0, 2 on bad input."""
    from ctgraph import links
    from ctgraph.graph.dataset import build_dataset
    from ctgraph.sources.tables import SourceError, read_all

    found = paths.external_dir(folder)
    if folder is None and found is not None:
        found = found / "cr-unsc"
    source = input_folder(found, paths.EXTERNAL_ENV)
    try:
        dataset = build_dataset(read_all(data))
        numbers = [
            str(symbol.number)
            for _, symbol in links.resolutions_in(dataset)
            if symbol.body == "SC"
        ]
        payload = links.extract_rows(
            source / CR_UNSC_TABLE, "res_no", numbers, CR_UNSC_COLUMNS
        )
    except SourceError as exc:
        raise fail(str(exc)) from None
    target = out_dir / "records.csv"
    atomic_write(target, payload)
    rows = payload.count(b"\n") - 1
    print(f"{len(set(numbers))} Security Council resolutions, {rows} rows copied")
    err.print(f"wrote {target}", highlight=False)


def library() -> dict[str, StoredQuery]:
    try:
        return load_queries()
    except QueryError as exc:
        raise fail(str(exc)) from None


def open_graph(
    engine: str,
    store: Path | None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    server_union: bool = False,
    queries: dict[str, StoredQuery] | None = None,
    allow_service: list[str] | None = None,
) -> KnowledgeGraph:
    """The embedded graph, or the graph on a SPARQL server with --endpoint."""
    if endpoint is not None:
        if engine != "oxigraph" or store is not None:
            raise fail("--endpoint runs on the server: leave out --engine and --store")
        backend = connect(endpoint, timeout, server_union=server_union)
        return KnowledgeGraph(backend, queries)
    try:
        return KnowledgeGraph.load(
            engine,
            store,
            queries=queries,
            timeout=timeout,
            allow_service=allow_service or (),
        )
    except QueryError as exc:
        raise fail(str(exc)) from None


def unwrap(exc: QueryError) -> str:
    """A server's failure in its own words, not as 'the engine refused the query'."""
    cause = exc.__cause__
    return str(cause) if isinstance(cause, endpoint_error()) else str(exc)


def endpoint_error() -> type[Exception]:
    """What a SPARQL server's failure raises; imported only when one is being
    caught or told apart, as an embedded query needs none of the client."""
    from ctgraph.store.remote import EndpointError

    return EndpointError


def emit(result: ResultTable, fmt: str, title: str | None = None) -> None:
    if fmt == "table":
        out.print(for_terminal(result, title, out.width))
    else:
        sys.stdout.write(render(result, fmt))


def check_format(fmt: str) -> None:
    if fmt not in RESULT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}")


def parse_params(pairs: list[str], stored: StoredQuery) -> dict[str, list[str]]:
    """`name=value` options, a name given twice meaning two values."""
    values: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            pair.encode("utf-8")
        except UnicodeEncodeError:  # an argument that was not UTF-8
            raise ParameterError(
                f"--param {name!r}: the value is not UTF-8 text"
            ) from None
        if not sep or not name.strip():
            raise ParameterError(
                f"--param takes name=value, not {pair!r}; {stored.expects()}"
            )
        values.setdefault(name.strip(), []).append(value)
    return values


def list_queries(
    name: Annotated[str | None, typer.Argument(help="Show this query in full.")] = None,
) -> None:
    """List the stored queries with their summaries and parameters."""
    queries = library()
    if name is not None:
        if name not in queries:
            raise fail(f"no stored query {name!r}; known: {', '.join(queries)}")
        stored = queries[name]
        out.print(
            f"[bold]{literal(stored.name, None)}[/]: {literal(stored.summary, None)}",
            highlight=False,
        )
        if stored.description:
            out.print(
                printable(stored.description.strip()), highlight=False, markup=False
            )
        for param in stored.parameters:
            line = f"  --param {param.describe()}"
            if param.description:
                line += f": {param.description}"
            out.print(printable(line), highlight=False, markup=False)
        if stored.example:
            # shell-quoted, so the example pastes into a shell as it is
            args = " ".join(
                f"--param {k}={shlex.quote(str(item))}"
                for k, v in stored.example.items()
                for item in (v if isinstance(v, list) else [v])
            )
            out.print(
                printable(f"example: ctgraph query {stored.name} {args}"),
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
        if stored.chart is not None:
            parts = ", ".join(f"{k}: {v}" for k, v in stored.chart.columns.items())
            line = f"chart: {stored.chart.type} ({parts}); ctgraph chart {stored.name}"
            out.print(printable(line + " -o FILE.svg"), highlight=False, markup=False)
        out.print(printable(f"file: {stored.path}"), highlight=False, markup=False)
        return
    table = Table(title=f"{len(queries)} stored queries (ctgraph queries NAME for one)")
    table.add_column("name", no_wrap=True)
    table.add_column("summary")
    table.add_column("parameters (* required)")
    for stored in queries.values():
        table.add_row(
            literal(stored.name, None),
            literal(stored.summary, None),
            literal(
                ", ".join(p.name + "*" * p.required for p in stored.parameters), None
            ),
        )
    out.print(table)


def query(
    name: Annotated[str, typer.Argument(help="A stored query (see ctgraph queries).")],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="name=value; repeat for more parameters, or for several values.",
        ),
    ] = None,
    fmt: ResultFormatOpt = "table",
    output: OutputOpt = None,
    engine: EngineOpt = "oxigraph",
    store: StoreOpt = None,
    endpoint: RemoteOpt = None,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    server_union: ServerUnionOpt = False,
    allow_service: AllowServiceOpt = None,
    limit: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Rows per page (default: the query's page size, if it has one; "
            "0: every row).",
        ),
    ] = None,
    offset: Annotated[
        int, typer.Option(min=0, help="Rows to skip before the page.")
    ] = 0,
) -> None:
    """Run a stored query: exit 0 with its rows, 2 on an unknown query or a
    missing or ill-typed parameter. `--format xlsx -o FILE` writes a workbook:
    typed cells, IRIs as links with their labels beside them, and a sheet
    naming the query, its parameters and the source reports."""
    queries = library()
    if name not in queries:
        raise fail(f"no stored query {name!r}; known: {', '.join(queries)}")
    if fmt == "xlsx":
        if output is None:
            raise fail("--format xlsx writes a file: give -o FILE.xlsx")
    else:
        check_format(fmt)
    if output is not None:
        check_out_file(output)
    stored = queries[name]
    try:
        values = parse_params(param or [], stored)
        given = {k: v if len(v) > 1 else v[0] for k, v in values.items()}
        stored.bindings(given, None)  # names, counts and types, before loading
        kg = open_graph(
            engine, store, endpoint, timeout, server_union, queries, allow_service
        )
        kg.queries = queries
        size = stored.pagination if limit is None else limit
        result, more = kg.query_page(name, size or None, offset, **given)
    except (ParameterError, QueryLimitError) as exc:
        raise fail(str(exc)) from None
    except endpoint_error() as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted: the query was stopped") from None
    except QueryError as exc:
        raise fail(unwrap(exc)) from None
    if fmt == "xlsx":
        assert output is not None
        from ctgraph.spreadsheets import query_workbook

        payload = query_workbook(kg, stored.name, values, result)
    elif fmt == "table" or output is None:
        emit(result, fmt, f"{stored.name}: {stored.summary}")
        more_rows(offset, len(result.rows), more)
        return
    else:
        payload = render(result, fmt).encode("utf-8")
    write_file(output, payload)
    err.print(f"wrote {literal(str(output), None)} ({len(result.rows)} rows)")
    more_rows(offset, len(result.rows), more)


def more_rows(offset: int, shown: int, more: bool) -> None:
    """Say on standard error, when a page is not the last, how to get the next."""
    if more:
        err.print(
            f"more rows: these are rows {offset + 1}-{offset + shown}; "
            f"--offset {offset + shown} for the next page, --limit 0 for every row",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def chart(
    name: Annotated[str, typer.Argument(help="A stored query that declares a chart.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="FILE.svg or FILE.png.")
    ],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="name=value, as for `ctgraph query`."),
    ] = None,
    engine: EngineOpt = "oxigraph",
    store: StoreOpt = None,
    endpoint: RemoteOpt = None,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    server_union: ServerUnionOpt = False,
) -> None:
    """Draw the chart a stored query declares (`#+ chart:`) as SVG or PNG, the
    format from the file's suffix; the caption names the source reports."""
    from ctgraph.charts import ChartError, chart_for

    queries = library()
    if name not in queries:
        raise fail(f"no stored query {name!r}; known: {', '.join(queries)}")
    stored = queries[name]
    if stored.chart is None:
        with_charts = ", ".join(n for n, q in queries.items() if q.chart is not None)
        raise fail(f"query {name!r} declares no chart; these do: {with_charts}")
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise fail(f"-o must end in .svg or .png, not {output.name!r}")
    check_out_file(output)
    try:
        values = parse_params(param or [], stored)
        given = {k: v if len(v) > 1 else v[0] for k, v in values.items()}
        stored.bindings(given, None)
        kg = open_graph(engine, store, endpoint, timeout, server_union, queries)
        kg.queries = queries
        payload = chart_for(kg, name, fmt, **given)
    except (ParameterError, ChartError) as exc:
        raise fail(str(exc)) from None
    except endpoint_error() as exc:
        raise fail(str(exc)) from None
    except QueryError as exc:
        raise fail(unwrap(exc)) from None
    write_file(output, payload)
    err.print(f"wrote {literal(str(output), None)} ({len(payload)} bytes)")


def sparql(
    text: Annotated[
        str,
        typer.Argument(
            help="A SELECT, ASK, CONSTRUCT or DESCRIBE query, a file holding one, "
            "or - for stdin."
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="SELECT: table, csv, tsv, json or md (default table); ASK: text or "
            "json; CONSTRUCT and DESCRIBE: " + ", ".join(FORMATS) + " (default ttl).",
        ),
    ] = None,
    engine: EngineOpt = "oxigraph",
    store: StoreOpt = None,
    endpoint: RemoteOpt = None,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    server_union: ServerUnionOpt = False,
    allow_service: AllowServiceOpt = None,
) -> None:
    """Run any SPARQL query on the graph (the union of the reports' named graphs is
    the default graph; GRAPH ?g reaches each report's own). The ctgraph prefixes
    (ctg:, id:, org:, prov:, skos:, ...) are predeclared; a PREFIX line of the
    query's own wins."""
    text = read_query_text(text)
    form = query_form(text)
    if form not in FORMS:
        raise fail(
            f"not a SPARQL query: expected {', '.join(FORMS)} after the PREFIX "
            f"lines, found {literal(text.strip()[:40], None) or 'nothing'}"
        )
    allowed = {
        "SELECT": RESULT_FORMATS,
        "ASK": ("text", "json"),
    }.get(form, tuple(FORMATS))
    fmt = fmt or {"SELECT": "table", "ASK": "text"}.get(form, "ttl")
    if fmt not in allowed:
        raise fail(f"{form} results are written as {', '.join(allowed)}, not {fmt!r}")
    kg = open_graph(
        engine, store, endpoint, timeout, server_union, allow_service=allow_service
    )
    try:
        if form == "SELECT":
            emit(kg.sparql(text), fmt)
        elif form == "ASK":
            answer = kg.ask(text)
            if fmt == "json":
                print(json.dumps({"head": {}, "boolean": answer}))
            else:
                print("true" if answer else "false")
        else:
            sys.stdout.buffer.write(serialise(kg.construct(text), fmt))
    except QueryError as exc:
        raise fail(unwrap(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted: the query was stopped") from None
    except endpoint_error() as exc:
        raise fail(str(exc)) from None


ontology_app = typer.Typer(
    no_args_is_help=True,
    help="The ontology: its import modules, the OWL 2 DL check, its documentation.",
)
app.add_typer(ontology_app, name="ontology")


def ontology_imports(data: DataOpt = paths.DATA_DIR) -> None:
    """Regenerate ontology/imports/ (the terms used from each reused vocabulary)
    and ontology/catalog-v001.xml from the ontology and the data."""
    from ctgraph.release.imports import write_imports
    from ctgraph.validation.shacl import ONTOLOGY, load_ontology

    _, merged = assemble(data)
    for path in write_imports(load_ontology(), merged, ONTOLOGY.parent):
        err.print(f"wrote {path}")


def ontology_check() -> None:
    """Load the ontology offline in owlready2 and classify it with HermiT: exit 0
    consistent with no unsatisfiable class, 1 otherwise, 2 when it cannot run."""
    from ctgraph.release import reasoning

    try:
        report = reasoning.check()
    except (
        reasoning.ReasonerUnavailable,
        reasoning.ReasonerRefused,
        FileNotFoundError,
    ) as exc:
        raise fail(str(exc)) from None
    for line in report.lines():
        out.print(line, highlight=False)
    raise typer.Exit(0 if report.ok else 1)


def ontology_docs(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The HTML file to write.")
    ] = Path("docs/ontology/index.html"),
) -> None:
    """Write the ontology's HTML documentation (classes, properties, the shapes
    that constrain them, diagrams), one self-contained file."""
    from ctgraph.release.docs import render

    payload = render().encode("utf-8")
    atomic_write(output, payload)
    err.print(f"wrote {output} ({len(payload)} bytes)")


def release(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the release files.")
    ] = paths.BUILD_DIR / "release",
    data: DataOpt = paths.DATA_DIR,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint", help="The SPARQL endpoint serving the dataset, if any."
        ),
    ] = None,
) -> None:
    """Build and write a release: the graph in every export format, void.ttl (its
    VoID + DCAT description with each file's size), the ontology with its import
    modules (Turtle and RDF/XML) and the link sets as SSSOM. Exit 1 when the graph
    does not conform."""
    from ctgraph.release.package import write_release

    try:
        result = write_release(out_dir, data, endpoint)
    except input_errors() as exc:
        raise fail(str(exc)) from None
    if not result.ok:
        print(result.build.report.to_text())
        raise fail("the graph does not pass validation: nothing written", 1)
    for name, size in result.written.items():
        out.print(f"{size:>10,}  {out_dir / name}", highlight=False)


def read_query_text(text: str) -> str:
    """The query itself, from a file or standard input; unreadable text is exit 2."""
    try:
        if text == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        if len(text) < 4096 and Path(text).is_file():
            return Path(text).read_text(encoding="utf-8")
        text.encode("utf-8")  # an argument that is not UTF-8 holds surrogates
    except UnicodeError as exc:
        raise fail(f"the query is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise fail(f"cannot read {text}: {exc.strerror}") from None
    return text


def site(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write (replaced whole).")
    ],
    store: StoreOpt = None,
) -> None:
    """Write what `ctgraph serve` shows as a static site: every resource page with
    its .ttl and .jsonld, every stored query's page with its example results and
    chart, with relative links, for any static host."""
    import time

    from ctgraph.web.app import WebConfig, built_at
    from ctgraph.web.site import SiteError, build_site

    check_out_dir(output)  # a file in the way is named, not a temporary folder
    kg = open_graph("oxigraph", store, None, DEFAULT_TIMEOUT, False, library())
    trig = store if store is not None and store.is_file() else None
    config = WebConfig(built=built_at(trig or paths.BUILD_DIR / paths.TRIG))
    started = time.perf_counter()
    try:
        report = build_site(kg, output, config)
    except (SiteError, OSError) as exc:
        raise fail(f"site not written: {exc}") from None
    out.print(
        f"wrote {output}: {report.pages} pages, {report.files} files in "
        f"{time.perf_counter() - started:.0f} s",
        highlight=False,
    )


def check_listen(host: str, port: int) -> None:
    """Refuse an address the server cannot listen on, in the system's words: the
    server itself exits with a bare status code, its reason only in its log."""
    import socket

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise fail(f"cannot listen on {host}:{port}: {reason}") from None


def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on (loopback unless told otherwise)."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    store: StoreOpt = None,
    endpoint: RemoteOpt = None,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    server_union: ServerUnionOpt = False,
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", help="Seconds any one query may take."),
    ] = 10.0,
    row_cap: Annotated[
        int, typer.Option("--row-cap", help="Most rows (or triples) one query returns.")
    ] = 10_000,
    cors: Annotated[
        list[str] | None,
        typer.Option(
            "--cors",
            help="An origin allowed to call /sparql and /api from a browser "
            "(repeat for several; '*' for any). Default: none.",
        ),
    ] = None,
) -> None:
    """Serve the graph on the web: a page per resource, the stored queries as forms
    and a JSON API, and a read-only SPARQL endpoint at /sparql."""
    import uvicorn

    from ctgraph.web.app import WebConfig, built_at, create_app
    from ctgraph.web.runner import Limits

    if time_limit <= 0 or row_cap <= 0:
        raise fail("--time-limit and --row-cap must be positive")
    if not 0 <= port <= 65535:
        raise fail(f"--port must be 0-65535, not {port}")
    queries = library()
    kg = open_graph("oxigraph", store, endpoint, timeout, server_union, queries)
    built = None
    if endpoint is None:
        trig = store if store is not None and store.is_file() else None
        built = built_at(trig or paths.BUILD_DIR / paths.TRIG)
    config = WebConfig(
        limits=Limits(time_limit=time_limit, row_cap=row_cap),
        cors_origins=tuple(cors or ()),
        built=built,
        origin=f"SPARQL endpoint {redact_url(endpoint)}"
        if endpoint
        else "embedded Oxigraph store",
    )
    application = create_app(kg, config)
    check_listen(host, port)
    out.print(f"serving on http://{host}:{port}/ (Ctrl+C stops)", highlight=False)
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    except (OSError, SystemExit) as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc}") from None


# The commands, registered here rather than by decorator: mutation testing
# (scripts/mutation.py) mutates only undecorated functions, and these bodies are
# most of the module. `--help` lists them in this order.
app.command()(build)
app.command(name="validate")(validate_cmd)
app.command()(export)
app.command()(stats)
link_app.command("csv")(link_csv)
link_app.command("sparql")(link_sparql)
app.command()(publish)
ingest_app.command("matrix")(ingest_matrix)
ingest_app.command("mentions")(ingest_mentions)
ingest_app.command("regions")(ingest_regions)
ingest_app.command("cr-unsc")(ingest_cr_unsc)
app.command(name="queries")(list_queries)
app.command()(query)
app.command()(chart)
app.command()(sparql)
ontology_app.command("imports")(ontology_imports)
ontology_app.command("check")(ontology_check)
ontology_app.command("docs")(ontology_docs)
app.command()(release)
app.command()(site)
app.command()(serve)


def main() -> None:
    app()
