"""`ctgraph query --format xlsx`: the workbook reopens with openpyxl holding the
same rows as `--format csv`, with typed cells, links, labels beside IRIs, formula-like
text kept as text, a sources sheet, and the same bytes twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from ctgraph import spreadsheets
from ctgraph.cli import app
from ctgraph.queries.library import KnowledgeGraph, load_queries
from ctgraph.spreadsheets import LABEL_SUFFIX, SHEET_DIR
from ctgraph.store.backends import ResultTable


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def plain(value: Any) -> str:
    """A cell read back as the CSV writes it (a date cell reads as a datetime)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def test_xlsx_rows_equal_csv_rows(real_trig: Path, tmp_path: Path) -> None:
    store = ["--store", str(real_trig)]
    name = "working-group-leadership"
    text = run("query", name, "--format", "csv", *store)
    assert text.exit_code == 0, text.output
    expected = list(csv.reader(io.StringIO(text.stdout)))
    target = tmp_path / "out.xlsx"
    done = run("query", name, "--format", "xlsx", "-o", str(target), *store)
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [name, "sources"]
    sheet = book[name]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    keep = [i for i, c in enumerate(header) if not c.endswith(LABEL_SUFFIX)]
    assert [header[i] for i in keep] == expected[0]
    got = [[plain(r[i]) for i in keep] for r in rows[1:]]
    assert got == expected[1:] and len(got) > 20
    # an IRI is a link, with its label beside it
    entity = header.index("entity")
    assert header[entity + 1] == "entity" + LABEL_SUFFIX
    assert sheet.cell(2, entity + 1).hyperlink.target == rows[1][entity]
    assert any(
        r[entity + 1] == "International Criminal Police Organization" for r in rows
    )
    sources = [r[0] for r in book["sources"].iter_rows(values_only=True)]
    assert "https://w3id.org/ctgraph/id/report/compact-review-2024-01" in sources
    again = tmp_path / "again.xlsx"
    run("query", name, "--format", "xlsx", "-o", str(again), *store)
    assert again.read_bytes() == target.read_bytes()


def test_xlsx_needs_an_output_file(real_trig: Path) -> None:
    done = run("query", "events", "--format", "xlsx", "--store", str(real_trig))
    assert done.exit_code == 2 and "-o FILE.xlsx" in done.output


def test_typed_cells_and_formula_text(tmp_path: Path) -> None:
    from rdflib.namespace import XSD  # here: pytest probes module globals

    iri = URIRef("https://w3id.org/ctgraph/id/entity/unodc")
    table = ResultTable(
        ["n", "amount", "day", "month", "text", "who"],
        [
            (
                Literal(38),
                Literal("92615.5", datatype=XSD.decimal),
                Literal("2024-02-15", datatype=XSD.date),
                Literal("2024-02", datatype=XSD.gYearMonth),
                Literal('=HYPERLINK("http://x")'),
                iri,
            )
        ],
    )
    data = spreadsheets.workbook([("t", table)], [("query", "t")], {}, {iri: "UNODC"})
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    sheet = openpyxl.load_workbook(path)["t"]
    n, amount, day, month, text, who, label = (c for c in sheet[2])
    assert n.value == 38 and amount.value == 92615.5
    assert day.value == dt.datetime(2024, 2, 15)  # openpyxl reads dates as datetimes
    assert month.value == "2024-02"  # a month is not a day: kept as text
    assert text.data_type == "s" and text.value.startswith("=HYPERLINK")
    assert who.hyperlink.target == str(iri) and label.value == "UNODC"


def test_export_workbook_one_sheet_per_class(
    kg: KnowledgeGraph, tmp_path: Path
) -> None:
    """`ctgraph export --format xlsx`: a README sheet, then a sheet per main class,
    each row with its source report and locator, the rows its sheet query gives."""
    target = tmp_path / "graph.xlsx"
    done = run("export", "--format", "xlsx", "-o", str(target))
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(target)
    expected = [
        "README", "entities", "roles", "resolutions", "projects", "events", "funding",
        "observations",
    ]  # fmt: skip
    assert book.sheetnames == expected
    readme = [r[0] for r in book["README"].iter_rows(values_only=True)]
    assert "projects" in readme
    assert "https://w3id.org/ctgraph/id/report/sg-report-2018" in readme
    for stem, stored in load_queries(SHEET_DIR).items():
        sheet = book[stem.split("-", 1)[1]]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = rows[0]
        assert {"source", "locator"} <= set(header)
        keep = [i for i, c in enumerate(header) if not c.endswith(LABEL_SUFFIX)]
        table = kg.sparql(stored.text)
        assert [header[i] for i in keep] == table.columns
        got = [[plain(r[i]) for i in keep] for r in rows[1:]]
        want = [["" if v is None else str(v) for v in row] for row in table.rows]
        assert got == want and got, stem
        assert all(r[header.index("source")] for r in rows[1:]), stem
