"""Charts on the served pages: a stored query's declared chart, drawn inline as SVG
above its results, and the field's charts on the home page.

The rows come from the runner (the same bounded path as the results table); the
drawing (`ctgraph.charts.render`) then runs under the runner's time limit too.
matplotlib keeps its settings process-wide, so one chart is drawn at a time.
Inline SVGs share glyph and clip-path ids only where their definitions are equal
(matplotlib derives each id from a hash of what it defines), so several charts on
one page draw correctly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from markupsafe import Markup

from ctgraph.charts import ChartError, render, report_names
from ctgraph.queries.library import QueryError, StoredQuery
from ctgraph.store.backends import ResultTable
from ctgraph.web.app import Web

_DRAWING = threading.Lock()


@dataclass(frozen=True)
class Chart:
    """One chart as a page shows it: the query, the SVG markup or why there is none."""

    stored: StoredQuery
    svg: Markup | None
    note: str = ""


def inline(svg: bytes) -> Markup:
    """The `<svg>` element alone: the XML declaration and DOCTYPE cut off, so it can
    sit inside an HTML page. matplotlib escapes every text it writes."""
    text = svg.decode("utf-8")
    return Markup(text[text.index("<svg") :])


def draw(state: Web, stored: StoredQuery, table: ResultTable) -> Chart:
    """The chart `stored` declares, drawn from `table` under the time limit; a chart
    that cannot be drawn (no rows, too slow) becomes a note, never a failed page."""
    if "reports" not in state.cache:
        state.cache["reports"] = state.runner.bounded(lambda: report_names(state.kg))
    reports = state.cache["reports"]

    def work() -> bytes:
        with _DRAWING:
            return render(stored, table, "svg", reports)

    try:
        return Chart(stored, inline(state.runner.bounded(work)))
    except (ChartError, QueryError) as exc:
        return Chart(stored, None, f"no chart: {exc}")


def example_chart(state: Web, stored: StoredQuery) -> Chart:
    """The chart for the query's example parameters (what its form shows first),
    drawn once: the graph a server holds does not change while it runs."""
    from ctgraph.web.routers.queries import example_values, run_stored

    key = f"chart:{stored.name}"
    if key not in state.cache:
        try:
            table = run_stored(state, stored, example_values(stored)).table
        except QueryError as exc:  # a timeout is a QueryError too
            return Chart(stored, None, f"no chart: {exc}")
        assert table is not None
        state.cache[key] = draw(state, stored, table)
    return state.cache[key]


def charted(state: Web) -> list[StoredQuery]:
    """The stored queries that declare a chart, by name."""
    return sorted(
        (q for q in state.kg.queries.values() if q.chart is not None),
        key=lambda q: q.name,
    )
