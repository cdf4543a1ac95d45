"""Query results as Excel workbooks that open with typed, linked cells.

Numbers are numbers and `xsd:date` values dates; an IRI keeps its full text (so
the sheet holds the same values as `--format csv`) as a hyperlink, with the
resource's English label in a column beside it; text that looks like a formula
(`=...`) is stored as text, never evaluated. A second sheet names the query, its
parameters and the source reports the rows cite. The file is deterministic: fixed
document dates and zip timestamps, so the same rows give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ctgraph.namespaces import RDFS, SKOS
from ctgraph.queries.library import QUERY_DIR, KnowledgeGraph, load_queries
from ctgraph.store.backends import Backend, ResultTable

#: one stored query per sheet of `ctgraph export --format xlsx`, in file-name order
SHEET_DIR = QUERY_DIR / "sheets"

#: a fixed moment for the document's created/modified dates and zip entries
EPOCH = dt.datetime(2000, 1, 1)
LABEL_SUFFIX = " (label)"
MAX_CELL = 32767


def labels(backend: Backend, iris: Sequence[URIRef]) -> dict[URIRef, str]:
    """English (or untagged) labels of the IRIs, one query for all."""
    if not iris:
        return {}
    query = f"""
        SELECT ?s ?label WHERE {{
          ?s <{RDFS.label}>|<{SKOS.prefLabel}> ?label .
          FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
        }} ORDER BY ?s DESC(LANG(?label)) ?label"""
    found: dict[URIRef, str] = {}
    result = backend.select(query, {"s": sorted(set(iris))})
    for subject, label in result.rows:
        if isinstance(subject, URIRef) and label is not None:
            found.setdefault(subject, str(label))
    return found


def cell_value(term: Node | None) -> Any:
    """A result term as a typed cell value."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype == XSD.date:
            value = term.toPython()
            if isinstance(value, dt.date):
                return value
        if term.datatype in (XSD.integer, XSD.int, XSD.long, XSD.decimal, XSD.double):
            value = term.toPython()
            if isinstance(value, Decimal):
                return int(value) if value == value.to_integral() else float(value)
            if isinstance(value, (int, float)):
                return value
        if term.datatype == XSD.boolean:
            return bool(term.toPython())
    return str(term)[:MAX_CELL]


def write_sheet(sheet: Any, table: ResultTable, names: Mapping[URIRef, str]) -> None:
    """Rows under a bold header; each IRI column followed by its labels."""
    labelled = [
        any(isinstance(row[i], URIRef) and row[i] in names for row in table.rows)
        for i in range(len(table.columns))
    ]
    header = []
    for column, has_labels in zip(table.columns, labelled, strict=True):
        header.append(column)
        if has_labels:
            header.append(column + LABEL_SUFFIX)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(table.rows, start=2):
        col = 1
        for term, has_labels in zip(row, labelled, strict=True):
            cell = sheet.cell(row=number, column=col, value=cell_value(term))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # '=...' stays text, never a formula
            if isinstance(term, URIRef):
                cell.hyperlink = str(term)
                cell.style = "Hyperlink"
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            col += 1
            if has_labels:
                label = names.get(term) if isinstance(term, URIRef) else None
                extra = sheet.cell(row=number, column=col, value=label)
                extra.data_type = "s" if label is not None else extra.data_type
                col += 1
    for index, name in enumerate(header, start=1):
        width = max(
            [
                len(name),
                *(
                    len(str(c.value or ""))
                    for c in sheet[get_column_letter(index)][1:200]
                ),
            ]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"


def workbook(
    sheets: Sequence[tuple[str, ResultTable]],
    about: Sequence[tuple[str, str]],
    reports: Mapping[str, tuple[str, str, str]],
    names: Mapping[URIRef, str],
    info_title: str = "sources",
) -> bytes:
    """A workbook: one sheet per (title, result), and a sheet `info_title` (first
    when it is README, else last) with the `about` lines and every report the
    results cite (title, date, file)."""
    book = Workbook()
    book.remove(book.active)
    info = book.create_sheet(info_title) if info_title == "README" else None
    cited: set[str] = set()
    for title, table in sheets:
        write_sheet(book.create_sheet(safe_title(title)), table, names)
        cited |= {str(v) for row in table.rows for v in row if str(v) in reports}
    if info is None:
        info = book.create_sheet(info_title)
    for key, value in about:
        info.append([key, value])
    info.append([])
    info.append(["report", "title", "date", "file"])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
    for iri in sorted(cited, key=lambda i: (reports[i][1], i)):
        title, date, file = reports[iri]
        info.append([iri, title, date, file])
    for row in info.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    info.column_dimensions["A"].width = 60
    info.column_dimensions["B"].width = 80
    book.properties.creator = "ctgraph"
    book.properties.created = EPOCH
    book.properties.modified = EPOCH
    raw = io.BytesIO()
    book.save(raw)
    return stable_zip(raw.getvalue())


def safe_title(title: str) -> str:
    """A sheet name Excel accepts: 31 characters, none of []:*?/\\."""
    for char in "[]:*?/\\":
        title = title.replace(char, "-")
    return title[:31] or "result"


def stable_zip(data: bytes) -> bytes:
    """The same archive with fixed entry timestamps (openpyxl stamps the time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            payload = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                payload = fixed_dates(payload)
            info = zipfile.ZipInfo(item.filename, date_time=EPOCH.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, payload)
    return out.getvalue()


def fixed_dates(core: bytes) -> bytes:
    """openpyxl writes the save time as 'modified' whatever the workbook says."""
    import re

    stamp = EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rb"\g<1>" + stamp + rb"\g<2>",
        core,
    )


def source_reports(kg: KnowledgeGraph) -> dict[str, tuple[str, str, str]]:
    """Every source report's title, date and file, by IRI."""
    return {
        str(r["report"]): (str(r["title"]), str(r["date"] or ""), str(r["file"] or ""))
        for r in kg.query("source-reports").dicts()
    }


def query_workbook(
    kg: KnowledgeGraph, name: str, values: Mapping[str, Any], result: ResultTable
) -> bytes:
    """One stored query's result, with labels and a sheet naming its sources."""
    stored = kg.stored(name)
    about = [
        ("query", stored.name),
        ("question", stored.summary),
        *(
            (f"parameter {k}", ", ".join(map(str, v if isinstance(v, list) else [v])))
            for k, v in sorted(values.items())
        ),
        ("rows", str(len(result.rows))),
    ]
    iris = [v for row in result.rows for v in row if isinstance(v, URIRef)]
    return workbook(
        [(stored.name, result)], about, source_reports(kg), labels(kg.backend, iris)
    )


def export_workbook(kg: KnowledgeGraph) -> bytes:
    """The whole graph for a spreadsheet: a sheet per main class (each from a
    query in queries/sheets/, with a source and locator column), and a README
    sheet saying what each sheet holds and which reports they come from."""
    sheets = []
    about = [
        ("workbook", "The Compact knowledge graph, one sheet per kind of record."),
        ("", "Each row names its source report and where in it (locator);"),
        ("", "each IRI column has the resource's English name beside it."),
        ("", ""),
    ]
    for stem, stored in load_queries(SHEET_DIR).items():
        title = stem.split("-", 1)[-1]
        table = kg.sparql(stored.text)
        sheets.append((title, table))
        about.append((title, f"{stored.summary} ({len(table.rows)} rows)"))
    iris = [
        v for _, t in sheets for row in t.rows for v in row if isinstance(v, URIRef)
    ]
    return workbook(
        sheets, about, source_reports(kg), labels(kg.backend, iris), "README"
    )
