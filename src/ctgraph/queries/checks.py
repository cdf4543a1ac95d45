"""Quality checks as queries: `queries/checks/*-violation.rq` must return no rows.

Each check is a stored query (same header as the query library) that selects the
records breaking one rule SHACL cannot say well, such as a membership dated after the
report stating it. The build runs every check after SHACL validation and fails,
naming the check and the offending rows, when any returns a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from ctgraph.queries.library import CHECK_DIR, StoredQuery, load_queries
from ctgraph.queries.results import compact
from ctgraph.store.backends import Backend, OxigraphBackend, ResultTable

SUFFIX = "-violation"
#: offending rows shown per failed check
SHOWN = 10


@dataclass(frozen=True)
class CheckFailure:
    """A check that returned rows: the rule broken and the records breaking it."""

    check: StoredQuery
    result: ResultTable

    def to_text(self) -> str:
        rows = self.result.rows
        lines = [f"{self.check.name} ({len(rows)} row(s)): {self.check.summary}"]
        for row in rows[:SHOWN]:
            cells = (
                f"{c}={compact(v)}"
                for c, v in zip(self.result.columns, row, strict=True)
                if v is not None
            )
            lines.append("  - " + ", ".join(cells))
        if len(rows) > SHOWN:
            lines.append(f"  ... and {len(rows) - SHOWN} more")
        return "\n".join(lines)


def load_checks(folder: Path = CHECK_DIR) -> dict[str, StoredQuery]:
    """Every `*-violation.rq` check; any other file there is a mistake worth saying."""
    checks = load_queries(folder)
    misnamed = [name for name in checks if not name.endswith(SUFFIX)]
    if misnamed:
        raise ValueError(
            f"{folder}: check files are named <rule>{SUFFIX}.rq; rename "
            + ", ".join(f"{name}.rq" for name in misnamed)
        )
    for check in checks.values():
        if check.parameters:
            raise ValueError(f"{check.path}: a check takes no parameters")
    return checks


def run_checks(
    backend: Backend, checks: dict[str, StoredQuery] | None = None
) -> list[CheckFailure]:
    """The checks that return rows on this graph (none on good data)."""
    failures = []
    for check in (load_checks() if checks is None else checks).values():
        result = backend.select(check.text)
        if result.rows:
            failures.append(CheckFailure(check, result))
    return failures


def check_dataset(dataset: Dataset) -> list[CheckFailure]:
    """Run every check on a dataset, loaded into an in-memory Oxigraph store."""
    return run_checks(OxigraphBackend.from_dataset(dataset))
