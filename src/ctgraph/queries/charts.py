"""A stored query's default chart, as its `#+ chart:` header key declares it.

Like the `#defaultView` comment of the Wikidata Query Service, a query may say how
its result is best drawn: `#+ chart: {type: bar, x: pillarLabel, y: projects,
series: statusLabel}`. The spec is checked when the header is read, against the
columns the query's SELECT clause projects, so a typo in a column name or an
unknown chart type is an error naming the file and the line, not a blank picture
later. Drawing is the exports layer's job (`ctgraph.charts`); this module only
says what a valid spec is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: chart type -> (required column keys, optional column keys)
COLUMN_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bar": (("x", "y"), ("series", "total")),
    "line": (("x", "y"), ("series", "label")),
    "timeline": (("row", "at"), ("label", "series", "start", "end")),
    "network": (("source", "target"), ("weight", "sourceSize", "targetSize")),
}
#: chart type -> option key -> allowed values (None: any text)
OPTIONS: dict[str, dict[str, tuple[str, ...] | None]] = {
    "bar": {"mode": ("stacked", "grouped"), "orientation": ("vertical", "horizontal")},
    "line": {},
    "timeline": {},
    "network": {},
}
COMMON = {"type", "title", "note", "reports", "xlabel", "ylabel"}
CHART_TYPES = tuple(COLUMN_KEYS)


class ChartSpecError(ValueError):
    """A chart spec that cannot be drawn; `keys` locates the problem in the header."""

    def __init__(self, keys: tuple[str, ...], problem: str) -> None:
        self.keys = keys
        super().__init__(problem)


@dataclass(frozen=True)
class ChartSpec:
    """What to draw from a result: the chart type, which column plays which part
    (`columns`), and options (`mode`, `orientation`, `title`, `note`, and axis
    titles `xlabel`, `ylabel`: the value axis is `ylabel` even when horizontal).

    `reports` names the column holding each row's source report, for the caption;
    without it the caption names the reports the whole result was read from.
    """

    type: str
    columns: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)

    def column(self, key: str) -> str | None:
        return self.columns.get(key)

    def option(self, key: str, default: str) -> str:
        return self.options.get(key, default)


def parse_chart(raw: Any, projected: list[str] | None) -> ChartSpec:
    """Check a `chart:` header value against the query's projected columns.

    `projected` is None for `SELECT *`, whose columns are only known at run time.
    """
    if not isinstance(raw, dict):
        raise ChartSpecError(
            ("chart",), "'chart' must be a mapping: {type: bar, x: ..., y: ...}"
        )
    kind = raw.get("type")
    if kind not in COLUMN_KEYS:
        raise ChartSpecError(
            ("chart", "type"),
            f"chart type {kind!r} is not one of {', '.join(CHART_TYPES)}",
        )
    required, optional = COLUMN_KEYS[kind]
    allowed = set(required) | set(optional) | set(OPTIONS[kind]) | COMMON
    for key in raw:
        if key not in allowed:
            raise ChartSpecError(
                ("chart", str(key)),
                f"chart: unknown key {key!r} for a {kind} chart; known: "
                + ", ".join(sorted(allowed)),
            )
    if "reports" not in raw:
        raise ChartSpecError(
            ("chart",),
            "a chart names its sources: add 'reports:' (the column of report IRIs)",
        )
    for key in required:
        if key not in raw:
            raise ChartSpecError(
                ("chart",), f"a {kind} chart needs '{key}:' (a column name)"
            )
    columns: dict[str, str] = {}
    for key in (*required, *optional, "reports"):
        if key not in raw:
            continue
        name = raw[key]
        if not isinstance(name, str):
            raise ChartSpecError(("chart", key), f"chart: '{key}' names one column")
        if projected is not None and name not in projected:
            raise ChartSpecError(
                ("chart", key),
                f"chart: {key}: {name!r} is not a column of this query (its "
                f"columns: {', '.join(projected)})",
            )
        columns[key] = name
    options: dict[str, str] = {}
    free = {"title": None, "note": None, "xlabel": None, "ylabel": None}
    for key, choices in {**OPTIONS[kind], **free}.items():
        if key not in raw:
            continue
        value = raw[key]
        if not isinstance(value, str) or (choices and value not in choices):
            wanted = f"one of {', '.join(choices)}" if choices else "text"
            raise ChartSpecError(("chart", key), f"chart: '{key}' is {wanted}")
        options[key] = " ".join(value.split())
    return ChartSpec(kind, columns, options)


_SELECT = re.compile(r"\bSELECT\b(?:\s+(?:DISTINCT|REDUCED)\b)?", re.IGNORECASE)
_END = re.compile(r"\b(?:WHERE|FROM)\b|\{", re.IGNORECASE)
_AS = re.compile(r"\bAS\s+[?$]([A-Za-z0-9_]+)\s*\)\s*$", re.IGNORECASE)
_VAR = re.compile(r"[?$]([A-Za-z0-9_]+)")


def projected_columns(syntax: str) -> list[str] | None:
    """The columns of the outermost SELECT, from query text with comments, strings
    and IRIs blanked; None for `SELECT *`."""
    match = _SELECT.search(syntax)
    if match is None:
        return []
    end = _END.search(syntax, match.end())
    clause = syntax[match.end() : end.start() if end else len(syntax)]
    if clause.strip() == "*":
        return None
    columns: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(clause):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                alias = _AS.search(clause[start : index + 1])
                if alias:
                    columns.append(alias.group(1))
        elif depth == 0 and char in "?$":
            var = _VAR.match(clause, index)
            if var:
                columns.append(var.group(1))
    return columns
