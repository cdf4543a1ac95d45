"""Read the curated CSV tables in `data/` into checked records.

Each table has a fixed set of columns (data/README.md); a row that does not fit is a
`SourceError` naming the file, the line and the problem, so an analyst editing a
spreadsheet can find and fix it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

FACT = ("source", "locator")

#: table name -> (required columns, optional columns). Fact tables end with FACT.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sources": (
        ("id", "file", "title", "date", "publisher", "language"),
        ("symbol",),
    ),
    "entities": (
        ("id", "name", "type", *FACT),
        ("acronym", "name_zh", "parent", "compact_status", "alt_labels"),
    ),
    "working_groups": (
        ("id", "name", "kind", "parent", *FACT),
        ("number", "pillars"),
    ),
    "memberships": (
        ("organisation", "member", "role", "as_of", *FACT),
        ("start", "end"),
    ),
    "people": (("id", "name", *FACT), ()),
    "posts": (("id", "title", "organisation", *FACT), ()),
    "post_holders": (("person", "post", "as_of", *FACT), ("start", "end")),
    "resolutions": (("symbol", *FACT), ("title", "adopted")),
    "resolution_acts": (("resolution", "act", "entity", *FACT), ("date",)),
    "instruments": (("id", "title", "year", *FACT), ()),
    "pillars": (("id", "notation", "label", *FACT), ()),
    "regions": (("id", "name", *FACT), ("countries",)),
    "projects": (
        ("id", "kind", "title", *FACT),
        (
            "serial",
            "pillars",
            "status",
            "status_text",
            "start",
            "end",
            "duration_text",
            "implementers",
            "partners",
            "donors",
            "countries",
            "regions",
            "scope",
            "scope_text",
            "resolutions",
            "budget",
            "currency",
            "part_of",
            "launched",
            "description",
        ),
    ),
    "project_counts": (("pillar", "stated_in", "count", *FACT), ()),
    "events": (
        ("id", "title", "start", *FACT),
        (
            "end",
            "city",
            "country",
            "organisers",
            "partners",
            "participants",
            "programme",
        ),
    ),
    "contributions": (
        ("id", "kind", *FACT),
        (
            "donor",
            "recipient",
            "amount",
            "currency",
            "date",
            "rank",
            "donor_count",
            "description",
        ),
    ),
    "measures": (("id", "label", "definition"), ()),
    "observations": (
        ("id", "subject", "measure", "value", "date", *FACT),
        ("unit",),
    ),
    "functions": (("entity", "number", "label", *FACT), ()),
    "mentions": (("symbol", *FACT), ("text",)),
    "replacements": (("id", "replaces", "replaced_by", *FACT), ("date",)),
}

#: the tables a build cannot do without: the reports every fact cites, the entities,
#: the working groups and who holds which role in them (the Compact itself)
NEEDED = ("sources", "entities", "working_groups", "memberships")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class SourceError(ValueError):
    """A source file that cannot be read as the table it claims to be."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = str(path), line, problem
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Record:
    """One row of a table, with where it came from."""

    table: str
    path: str
    line: int
    values: dict[str, str] = field(hash=False)

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def items(self, column: str) -> list[str]:
        return [v.strip() for v in self.get(column).split(";") if v.strip()]

    def fail(self, problem: str) -> SourceError:
        return SourceError(self.path, self.line, problem)


@dataclass(frozen=True)
class PartialDate:
    """A date with the precision a report gives: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day
        if self.month:
            nxt = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text


def parse_date(text: str) -> PartialDate:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; reject impossible dates."""
    m = DATE.match(text.strip())
    if not m:
        raise ValueError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"date {text!r} is impossible ({exc})") from None
    return PartialDate(year, month, day)


class CsvError(ValueError):
    """A CSV that cannot be read, at the line where the trouble starts."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def csv_rows(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (cells stripped), and each non-blank row with the line it ends
    on; a broken quote is reported at the line where its row starts."""
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CsvError(1, "empty file: expected a header row") from None
    except csv.Error as exc:
        raise CsvError(1, f"malformed CSV: {exc}") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            start = reader.line_num + 1  # a quoted cell may run over several lines
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise CsvError(
                    start, f"malformed CSV in the row starting here: {exc}"
                ) from None
            if any(cell.strip() for cell in row):
                yield reader.line_num, row

    return header, rows()


def table_name(path: Path) -> str:
    return path.stem


def read_table(path: Path) -> list[Record]:
    """Read one CSV table, checking its header and the shape of every row."""
    name = table_name(path)
    if name not in TABLES:
        raise SourceError(
            path, None, f"unknown table {name!r}; known: " + ", ".join(sorted(TABLES))
        )
    required, optional = TABLES[name]
    try:
        # utf-8-sig: spreadsheets often save CSV with a byte-order mark
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(path, None, f"not UTF-8 ({exc})") from None
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        header, rows = csv_rows(text)
    except CsvError as exc:
        raise SourceError(path, exc.line, exc.message) from None
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    if missing:
        raise SourceError(path, 1, f"missing column(s) {', '.join(missing)}")
    if unknown:
        raise SourceError(
            path,
            1,
            f"unknown column(s) {', '.join(unknown)}; "
            f"table {name} takes {', '.join(required + optional)}",
        )
    records = []
    try:
        for line, row in rows:
            if len(row) != len(header):
                raise SourceError(
                    path,
                    line,
                    f"row has {len(row)} cells, header has "
                    f"{len(header)} ({', '.join(header)})",
                )
            values = dict(zip(header, row, strict=True))
            record = Record(name, str(path), line, values)
            for column in required:
                if not record.get(column):
                    raise record.fail(f"column {column!r} is empty")
            records.append(record)
    except CsvError as exc:
        raise SourceError(path, exc.line, exc.message) from None
    return records


def discover(data_dir: Path) -> Iterator[Path]:
    """Every table file below `data_dir`, in a stable order."""
    for path in sorted(data_dir.rglob("*.csv")):
        if {"aliases", "external"} & set(path.relative_to(data_dir).parts):
            continue  # alias tables feed the ingesters; external ones the links
        yield path


def read_all(data_dir: Path, needed: tuple[str, ...] = ()) -> dict[str, list[Record]]:
    """All records below `data_dir`, grouped by table; a `needed` table without
    rows is an error naming it (a build from an empty folder would silently replace
    the graph with the ontology alone)."""
    if not data_dir.is_dir():
        raise SourceError(data_dir, None, "data folder not found")
    tables: dict[str, list[Record]] = {name: [] for name in TABLES}
    for path in discover(data_dir):
        records = read_table(path)
        tables[table_name(path)].extend(records)
    missing = [name for name in needed if not tables[name]]
    if missing:
        raise SourceError(
            data_dir,
            None,
            "no rows for the table(s) "
            + ", ".join(f"{name} ({name}.csv)" for name in missing)
            + " in this folder or below it: a build needs them",
        )
    return tables
