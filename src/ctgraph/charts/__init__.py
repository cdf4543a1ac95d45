"""Charts of stored query results, drawn offline with matplotlib.

`render(stored, table, fmt, reports)` draws the chart a query's `#+ chart:` header
declares and returns SVG or PNG bytes; `chart_for(kg, name, ...)` runs the query
first (what the command line and the web pages call).
"""

from ctgraph.charts.render import ChartError, chart_for, render, report_names

__all__ = ["ChartError", "chart_for", "render", "report_names"]
