"""Resolution mentions in the source reports, each with the line it stands on.

`ctgraph ingest mentions` scans the report texts once and writes the table
`data/mentions/mentions.csv` (symbol, text, source, locator), which is reviewed and
committed like any other table; the build reads that table and never the texts. The
line number is the locator (`line N`, as `grep -n` counts). Years are kept as each
line states them; `complete_years` fills missing Security Council years from what the
reports state elsewhere, never from outside knowledge.
"""

from __future__ import annotations

import csv
import errno
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ctgraph.exports import atomic_write
from ctgraph.paths import SOURCES_ENV
from ctgraph.sources.symbols import Symbol, find_symbols, sc_year_table

#: the mentions table's columns, in the order the ingest writes them
COLUMNS = ("symbol", "text", "source", "locator")
TABLE = "mentions.csv"
HINT = f"give the folder of report texts, or set {SOURCES_ENV}"


@dataclass(frozen=True)
class ReportMention:
    """One citation of a resolution in a report."""

    report: str  # the report's file name, as in data/core/sources.csv
    line: int  # 1-based
    symbol: Symbol
    text: str  # the citation as written


def scan_text(report: str, text: str) -> list[ReportMention]:
    # Split on "\n" only, as grep counts lines; a citation never spans two lines.
    return [
        ReportMention(report, number, mention.symbol, mention.text)
        for number, line in enumerate(text.split("\n"), start=1)
        for mention in find_symbols(line)
    ]


def scan_report(path: Path | str) -> list[ReportMention]:
    """Every resolution the report at `path` cites, in reading order."""
    path = Path(path)
    return scan_text(path.name, path.read_text(encoding="utf-8"))


def report_files(folder: Path | str) -> list[Path]:
    """The report texts in `folder`, in file-name order."""
    folder = Path(folder)
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no report texts (*.txt) in {folder}")
    return files


def scan_folder(folder: Path | str) -> dict[str, list[ReportMention]]:
    """Mentions per report file name, for every report text in `folder`."""
    return {path.name: scan_report(path) for path in report_files(folder)}


def scan_sources(
    files: Mapping[str, str], folder: Path | str
) -> dict[str, list[ReportMention]]:
    """Mentions per source id, for the reports `files` maps (source id -> file name).

    Every listed report is needed: a missing folder or file raises FileNotFoundError
    with the path in `filename` and, in `strerror`, what is missing.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(
            errno.ENOENT, f"report texts folder not found; {HINT}", str(folder)
        )
    found = {}
    for source, name in files.items():
        path = folder / name
        if not path.is_file():
            problem = f"report of source {source!r} not found; {HINT}"
            raise FileNotFoundError(errno.ENOENT, problem, str(path))
        found[source] = scan_report(path)
    return found


def mention_table(mentions: Mapping[str, list[ReportMention]]) -> bytes:
    """The mentions as the `mentions` table: by source id, then in reading order.

    The same mentions always give the same bytes (UTF-8, "\\n" line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for source in sorted(mentions):
        for m in mentions[source]:
            writer.writerow((m.symbol.canonical, m.text, source, f"line {m.line}"))
    return buffer.getvalue().encode("utf-8")


def ingest(folder: Path | str, sources: Mapping[str, str], out_dir: Path) -> Path:
    """Scan the reports `sources` lists (source id -> file name) in `folder` and
    write `out_dir/mentions.csv` atomically; return its path."""
    table = mention_table(scan_sources(sources, folder))
    target = out_dir / TABLE
    atomic_write(target, table)
    return target


def complete_years(mentions: Iterable[ReportMention]) -> list[ReportMention]:
    """The mentions with Security Council years filled in where the same reports
    state the number's year elsewhere without contradiction."""
    mentions = list(mentions)
    table = sc_year_table(m.symbol for m in mentions)
    return [replace(m, symbol=table.complete(m.symbol)) for m in mentions]


def distinct_resolutions(mentions: Iterable[ReportMention]) -> set[tuple]:
    """The resolutions cited, one per resolution however its year was written."""
    return {m.symbol.key for m in mentions}
