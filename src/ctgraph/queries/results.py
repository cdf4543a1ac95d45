"""Write query results for people and for programs.

`table` and `md` shorten IRIs to prefixed names (`id:entity/unodc`) for reading;
`csv` and `tsv` give plain values (full IRIs, literals' text), as SPARQL 1.1 CSV does;
`json` is the SPARQL 1.1 Query Results JSON format, so any SPARQL client reads it.
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ctgraph.messages import literal
from ctgraph.namespaces import PREFIXES
from ctgraph.store.backends import ResultTable

FORMATS = ("table", "csv", "tsv", "json", "md")

#: longest namespace first, so `id:` does not shadow a longer match
_NAMESPACES = sorted(
    ((prefix, str(ns)) for prefix, ns in PREFIXES.items()),
    key=lambda item: -len(item[1]),
)


def compact(term: Node | None) -> str:
    """A term as people read it: a prefixed name where one fits, else its text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in _NAMESPACES:
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns) :]}"
        return f"<{text}>"
    return str(term)


def plain(term: Node | None) -> str:
    return "" if term is None else str(term)


def json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"cannot write {term!r} as a SPARQL JSON term")


def to_json(table: ResultTable) -> str:
    """SPARQL 1.1 Query Results JSON: unbound variables are left out of a row."""
    bindings = [
        {
            c: json_term(v)
            for c, v in zip(table.columns, row, strict=True)
            if v is not None
        }
        for row in table.rows
    ]
    document = {"head": {"vars": table.columns}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_delimited(table: ResultTable, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([plain(v) for v in row])
    return buffer.getvalue()


def to_markdown(table: ResultTable) -> str:
    def cell(term: Node | None) -> str:
        return compact(term).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(table.columns) + " |",
        "|" + "---|" * len(table.columns),
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.rows]
    return "\n".join(lines) + "\n"


def to_rich(table: ResultTable, title: str | None = None) -> Table:
    """A table for the terminal; every value shown literally (no markup, no escape
    codes), since values come from data files or a server."""
    out = Table(
        title=literal(title, None) if title is not None else None, show_lines=False
    )
    for column in table.columns:
        out.add_column(literal(column, None), overflow="fold")
    for row in table.rows:
        out.add_row(*(literal(compact(v), None) for v in row))
    out.caption = f"{len(table.rows)} row(s)"
    return out


#: a label column is named after the column it labels: `entity` and `entityLabel`
LABEL_SUFFIX = "Label"
#: narrowest a folded column may become before a table turns into records
MIN_FOLDED = 20


def with_labels(table: ResultTable) -> ResultTable:
    """One column per thing for reading: where `x` has a label column `xLabel`, `x`
    shows the label (the IRI where there is none) and `xLabel` goes; csv, tsv and json
    keep both, for programs."""
    labelled = {
        c: table.columns.index(c + LABEL_SUFFIX)
        for c in table.columns
        if c + LABEL_SUFFIX in table.columns
    }
    if not labelled:
        return table
    keep = [
        i
        for i, c in enumerate(table.columns)
        if not (c.endswith(LABEL_SUFFIX) and c[: -len(LABEL_SUFFIX)] in labelled)
    ]
    rows = []
    for row in table.rows:
        shown = list(row)
        for column, label_at in labelled.items():
            at = table.columns.index(column)
            if row[label_at] is not None and str(row[label_at]):
                shown[at] = row[label_at]
        rows.append(tuple(shown[i] for i in keep))
    return ResultTable([table.columns[i] for i in keep], rows)


def fits(table: ResultTable, width: int) -> bool:
    """Whether a grid reads well in `width` columns: every column whole, or all but
    the widest whole and the widest still at least MIN_FOLDED wide (rich folds it)."""
    if not table.columns:
        return True
    widths = [
        max([len(column)] + [len(compact(row[i])) for row in table.rows])
        for i, column in enumerate(table.columns)
    ]
    frame = 3 * len(widths) + 1
    if sum(widths) + frame <= width:
        return True
    widest = max(widths)
    return sum(widths) - widest + min(widest, MIN_FOLDED) + frame <= width


def to_records(table: ResultTable, title: str | None = None) -> Group:
    """Each row as `column  value` lines, for results too wide to read as a grid
    (psql's expanded display); unbound values are left out."""
    parts: list[RenderableType] = []
    if title is not None:
        parts.append(Text(literal(title, None), style="bold"))
    name_width = max((len(c) for c in table.columns), default=0)
    for number, row in enumerate(table.rows, start=1):
        parts.append(Rule(f"{number} of {len(table.rows)}", align="left"))
        record = Table.grid(padding=(0, 2))
        record.add_column(style="bold", width=name_width, no_wrap=True)
        record.add_column(overflow="fold")
        for column, value in zip(table.columns, row, strict=True):
            if value is not None and str(value):
                record.add_row(literal(column, None), literal(compact(value), None))
        parts.append(record)
    parts.append(Text(f"{len(table.rows)} row(s)"))
    return Group(*parts)


def for_terminal(table: ResultTable, title: str | None, width: int) -> RenderableType:
    """What `--format table` prints: labels in place of IRIs, a grid where it fits
    `width`, else one record per row, so nothing is cut into slivers at 80 columns."""
    shown = with_labels(table)
    if fits(shown, width):
        return to_rich(shown, title)
    return to_records(shown, title)


def render(table: ResultTable, fmt: str) -> str:
    """Any text format; `table` is drawn by the caller with rich."""
    if fmt == "json":
        return to_json(table)
    if fmt == "csv":
        return to_delimited(table, ",")
    if fmt == "tsv":
        return to_delimited(table, "\t")
    if fmt == "md":
        return to_markdown(table)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
