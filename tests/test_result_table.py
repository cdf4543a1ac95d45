"""`ResultTable` as notebooks use it: length, iteration, columns by name, an escaped
HTML display and a pandas DataFrame; and the notebook-style example in docs/ runs
on the real graph."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store.backends import ResultTable

ROOT = Path(__file__).resolve().parents[1]
ACME = URIRef("https://example.org/acme")


@pytest.fixture
def mixed() -> ResultTable:
    """Two rows of every kind of value: IRI, typed literals, text, unbound."""
    return ResultTable(
        ["thing", "amount", "date", "name"],
        [
            (ACME, Literal(Decimal("12.5")), Literal(dt.date(2024, 2, 1)),
             Literal("<b>Acme</b> & co")),
            (ACME, Literal(3), None, Literal("plain")),
        ],
    )  # fmt: skip


def test_length_iteration_and_indexing(mixed: ResultTable) -> None:
    assert len(mixed) == 2
    assert list(mixed) == mixed.rows
    assert mixed[1] == mixed.rows[1]
    assert mixed["name"] == [Literal("<b>Acme</b> & co"), Literal("plain")]
    assert mixed["date"][1] is None
    assert len(ResultTable(["x"])) == 0


def test_unknown_column_names_the_columns(mixed: ResultTable) -> None:
    with pytest.raises(KeyError, match="no column 'nope'; the columns are thing, "):
        mixed["nope"]


class Cells(HTMLParser):
    """The text of every header and data cell, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tags: set[str] = set()
        self._open = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        if tag in ("td", "th"):
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = self._open and tag not in ("td", "th")

    def handle_data(self, data: str) -> None:
        if self._open:
            self.cells[-1] += data


def test_html_display_escapes_values(mixed: ResultTable) -> None:
    shown = mixed._repr_html_()
    parsed = Cells()
    parsed.feed(shown)
    assert "b" not in parsed.tags  # the markup in a value stays text
    assert parsed.cells[:4] == ["thing", "amount", "date", "name"]
    assert "<b>Acme</b> & co" in parsed.cells
    assert parsed.cells[-2:] == ["", "plain"]  # unbound is an empty cell
    assert "2 rows" in shown


def test_html_display_shows_the_first_rows_only() -> None:
    big = ResultTable(["n"], [(Literal(i),) for i in range(ResultTable.HTML_ROWS + 7)])
    shown = big._repr_html_()
    assert shown.count("<tr>") == ResultTable.HTML_ROWS + 1  # and the header
    assert "7 more rows" in shown


def test_to_pandas_gives_python_values(mixed: ResultTable) -> None:
    pytest.importorskip("pandas")
    frame = mixed.to_pandas()
    assert list(frame.columns) == mixed.columns
    assert frame["thing"].tolist() == [str(ACME)] * 2
    assert frame["amount"].tolist() == [Decimal("12.5"), 3]
    assert frame["date"][0] == dt.date(2024, 2, 1) and frame["date"][1] is None
    assert frame["name"][0] == "<b>Acme</b> & co"


def test_to_pandas_without_pandas_says_how_to_get_it(
    mixed: ResultTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match=r"pip install 'ctgraph\[pandas\]'"):
        mixed.to_pandas()


def test_notebook_example_runs_on_the_real_graph(
    real_trig: Path, kg: KnowledgeGraph
) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "notebook.py"), str(real_trig)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    table = kg.query("projects-stated-and-listed")
    assert done.stdout.startswith(f"{len(table)} rows; columns: pillarLabel, ")
    first = [str(v) for v in table[0][:4]]
    assert str(first) in done.stdout
    assert "<table><thead><tr><th>pillarLabel</th>" in done.stdout
    frame = table.to_pandas().groupby("pillarLabel")[["projects"]].sum()
    assert frame.to_string() in done.stdout
