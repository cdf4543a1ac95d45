"""Resolution mentions in the source reports, each with the line it stands on.

The graph links each report to the resolutions it cites; the line number is the
locator (`line N`, as `grep -n` counts). Years are kept as each line states them;
`complete_years` fills missing Security Council years from what the reports state
elsewhere, never from outside knowledge.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ctgraph.paths import shared_dir
from ctgraph.sources.symbols import Symbol, find_symbols, sc_year_table

SEEDS_ENV = "CTGRAPH_SEEDS"


def seeds_dir() -> Path:
    """The folder of source reports: $CTGRAPH_SEEDS, else ../shared/seeds."""
    return shared_dir("seeds", SEEDS_ENV)


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


def report_files(folder: Path | str | None = None) -> list[Path]:
    """The report texts in the seeds folder, in file-name order."""
    folder = Path(folder) if folder is not None else seeds_dir()
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no report texts (*.txt) in {folder}")
    return files


def scan_seeds(folder: Path | str | None = None) -> dict[str, list[ReportMention]]:
    """Mentions per report file name, for every report in the seeds folder."""
    return {path.name: scan_report(path) for path in report_files(folder)}


def scan_sources(
    files: Mapping[str, str], folder: Path | str | None = None
) -> dict[str, list[ReportMention]]:
    """Mentions per source id, for the reports `files` maps (source id -> file name).

    The graph needs every listed report: a missing folder or file raises
    FileNotFoundError with the path in `filename` and, in `strerror`, what is
    missing and how to point elsewhere.
    """
    folder = Path(folder) if folder is not None else seeds_dir()
    hint = f"set {SEEDS_ENV} to the folder that holds the report texts"
    if not folder.is_dir():
        raise FileNotFoundError(
            errno.ENOENT, f"source reports folder not found; {hint}", str(folder)
        )
    found = {}
    for source, name in files.items():
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(
                errno.ENOENT,
                f"report of source {source!r} not found; {hint}",
                str(path),
            )
        found[source] = scan_report(path)
    return found


def complete_years(mentions: Iterable[ReportMention]) -> list[ReportMention]:
    """The mentions with Security Council years filled in where the same reports
    state the number's year elsewhere without contradiction."""
    mentions = list(mentions)
    table = sc_year_table(m.symbol for m in mentions)
    return [replace(m, symbol=table.complete(m.symbol)) for m in mentions]


def distinct_resolutions(mentions: Iterable[ReportMention]) -> set[tuple]:
    """The resolutions cited, one per resolution however its year was written."""
    return {m.symbol.key for m in mentions}
