"""The `ctgraph` command line: build, validate, export and inspect the graph."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Dataset, Graph
from rich.console import Console
from rich.table import Table

from ctgraph import build as pipeline
from ctgraph.exports import FORMATS, atomic_write, serialise
from ctgraph.quality import quality
from ctgraph.sources import SourceError
from ctgraph.validation import VALIDATORS, InputError, parse_rdf, validate

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="ctgraph: the UN Global Counter-Terrorism Coordination Compact "
    "as a knowledge graph.",
)
out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"ctgraph {version('ctgraph')}")
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


def check_validator(validator: str) -> None:
    if validator not in VALIDATORS:
        raise fail(f"--validator must be one of {', '.join(VALIDATORS)}")


def run_build(
    data: Path, out_dir: Path, write: bool = True, validator: str = "fast"
) -> pipeline.BuildResult:
    check_validator(validator)
    try:
        return pipeline.build(data, out_dir, write=write, validator=validator)
    except (SourceError, InputError) as exc:
        raise fail(str(exc)) from None


@app.command()
def build(
    data: DataOpt = pipeline.DATA_DIR,
    out_dir: OutOpt = pipeline.BUILD_DIR,
    report_format: Annotated[
        str, typer.Option("--format", help="Violation report: text or json.")
    ] = "text",
    validator: ValidatorOpt = "fast",
) -> None:
    """Build the graph from data/, validate it, and write build/ when it conforms."""
    result = run_build(data, out_dir, validator=validator)
    table = Table(title="ctgraph build", show_header=True)
    table.add_column("class")
    table.add_column("instances", justify="right")
    for cls, n in sorted(pipeline.class_counts(result.merged).items()):
        if not cls.startswith(
            ("owl:", "skos:Concept", "org:Role", "skos:ConceptScheme")
        ):
            table.add_row(cls, str(n))
    out.print(table)
    named = sum(1 for _ in result.dataset.graphs())
    out.print(
        f"triples: {result.triples}  named graphs: {named}  "
        f"violations: {len(result.report.violations)}  "
        f"time: {result.seconds:.2f} s  validator: {result.report.validator}"
    )
    if not result.report.conforms:
        text = (
            result.report.to_json()
            if report_format == "json"
            else result.report.to_text()
        )
        err.print(text, highlight=False, soft_wrap=True, markup=False)
        err.print("build/ left unchanged: fix the data and build again.")
        raise typer.Exit(1)
    for path in result.written:
        out.print(f"wrote {path}")


@app.command(name="validate")
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
    data: DataOpt = pipeline.DATA_DIR,
    validator: ValidatorOpt = "fast",
) -> None:
    """Validate RDF files (or the graph built from data/): exit 0 conforms, 1
    violations, 2 input or runtime error."""
    if report_format not in ("text", "json"):
        raise fail(f"--format must be text or json, not {report_format!r}")
    if files:
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
            data, pipeline.BUILD_DIR, write=False, validator=validator
        ).report
    text = report.to_json() if report_format == "json" else report.to_text()
    print(text)
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="One of: " + ", ".join(FORMATS))
    ] = "ttl",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write to this file (default: standard output)."
        ),
    ] = None,
    data: DataOpt = pipeline.DATA_DIR,
) -> None:
    """Export the graph as Turtle, N-Triples, JSON-LD, TriG or N-Quads."""
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    try:
        dataset, merged = pipeline.assemble(data)
    except (SourceError, InputError) as exc:
        raise fail(str(exc)) from None
    graph: Graph | Dataset = dataset if fmt in ("trig", "nq") else merged
    payload = serialise(graph, fmt)
    if output is None:
        sys.stdout.buffer.write(payload)
    else:
        atomic_write(output, payload)
        err.print(f"wrote {output} ({len(payload)} bytes)")


@app.command()
def stats(
    data: DataOpt = pipeline.DATA_DIR,
    show_quality: Annotated[
        bool, typer.Option("--quality", help="Also list data-quality findings.")
    ] = False,
) -> None:
    """Count what the graph holds: per class and per source report."""
    try:
        dataset, merged = pipeline.assemble(data)
    except (SourceError, InputError) as exc:
        raise fail(str(exc)) from None
    table = Table(title="instances per class")
    table.add_column("class")
    table.add_column("instances", justify="right")
    for cls, n in sorted(pipeline.class_counts(merged).items()):
        table.add_row(cls, str(n))
    out.print(table)
    graphs = Table(title="triples per named graph")
    graphs.add_column("graph")
    graphs.add_column("triples", justify="right")
    for g in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(g):
            graphs.add_row(str(g.identifier), str(len(g)))
    out.print(graphs)
    out.print(f"triples (merged): {len(merged)}")
    if show_quality:
        findings = quality(merged)
        report = Table(title=f"data quality: {len(findings)} finding(s)")
        for column in ("kind", "subject", "detail", "sources"):
            report.add_column(column)
        for f in findings:
            report.add_row(f.kind, f.subject, f.detail, f.sources)
        out.print(report)


ingest_app = typer.Typer(
    no_args_is_help=True, help="Turn a source report's tables into data/ tables."
)
app.add_typer(ingest_app, name="ingest")


@ingest_app.command("matrix")
def ingest_matrix(
    path: Annotated[
        Path, typer.Argument(help="Text of the Secretary-General's 2018 report.")
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the matrix tables.")
    ] = pipeline.DATA_DIR / "matrix",
    aliases: Annotated[
        Path, typer.Option("--aliases", help="Folder of the matrix alias tables.")
    ] = pipeline.DATA_DIR / "matrix" / "aliases",
    core: Annotated[
        Path,
        typer.Option("--core", help="Entities table whose ids and names to reuse."),
    ] = pipeline.DATA_DIR / "core" / "entities.csv",
) -> None:
    """Ingest the CTITF project matrix (Annex II): exit 0 when every token resolved,
    1 when some did not (they are listed), 2 on a missing file."""
    from ctgraph.matrix import ENTITY_ALIASES, ingest

    for required in (path, aliases / ENTITY_ALIASES, core):
        if not required.is_file():
            raise fail(f"{required}: no such file")
    try:
        report = ingest(path, out_dir, aliases_dir=aliases, core_entities=core)
    except (OSError, KeyError, ValueError) as exc:
        raise fail(f"cannot ingest {path}: {exc}") from None
    print(report.format())
    raise typer.Exit(0 if report.ok else 1)


def main() -> None:
    app()
