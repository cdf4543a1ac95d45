"""The raw report texts, for the tests that read them.

They are found as the ingest commands find them: `CTGRAPH_SOURCES`, else
`../shared/seeds` beside the repository. The build never needs them; without them
the tests that read them skip, all with the one reason below.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ctgraph.paths import DATA_DIR, sources_dir

REPORTS_DIR = sources_dir() or Path("report-texts-not-found")
HAVE_REPORTS = REPORTS_DIR.is_dir() and any(REPORTS_DIR.glob("*.txt"))
SKIP_REASON = "report texts not found: set CTGRAPH_SOURCES"
needs_reports = pytest.mark.skipif(not HAVE_REPORTS, reason=SKIP_REASON)


def report_files() -> dict[str, str]:
    """Source id -> report file name, from data/core/sources.csv (no texts needed)."""
    with (DATA_DIR / "core" / "sources.csv").open(encoding="utf-8") as handle:
        return {row["id"]: row["file"] for row in csv.DictReader(handle)}


#: the report files in file-name order, known from the data alone
REPORT_NAMES = sorted(report_files().values())
