"""Stored queries as forms: `/queries/{name}` shows the form and, when run, the
results with labels and links; `.csv`, `.tsv`, `.json` and `.xlsx` alternates give
the same rows as files (CSV, TSV and JSON exactly as `ctgraph query` writes them).
The page's own URL, with the parameters, is the permalink."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ctgraph.queries.library import (
    ParameterError,
    QueryError,
    StoredQuery,
)
from ctgraph.queries.lookup import KINDS, PROLOGUE
from ctgraph.queries.results import render
from ctgraph.web.app import Web, WebError, web
from ctgraph.web.charts import draw, example_chart
from ctgraph.web.render import XLSX, cell, iris_in
from ctgraph.web.runner import Outcome, QueryTimeout

router = APIRouter(include_in_schema=False)

#: rows a results page shows; the files hold all rows up to the row cap
PAGE_ROWS = 1000
DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/sparql-results+json",
    "xlsx": XLSX,
}
#: parameter kinds small enough to offer as a list of choices
CHOICE_KINDS = ("group", "pillar", "status", "scope", "role", "report", "framework")
#: how an input field is drawn for each parameter type
INPUT_TYPES = {
    "date": "date",
    "integer": "number",
    "decimal": "number",
    "year": "number",
}
CHOICES_QUERY = PROLOGUE + "SELECT DISTINCT ?s ?label WHERE { %s }"


def stored_query(state: Web, name: str) -> StoredQuery:
    try:
        return state.kg.stored(name)
    except QueryError:
        raise WebError(
            404,
            "No such query",
            f"there is no stored query {name!r}; the home page lists them all",
        ) from None


def given_values(request: Request, stored: StoredQuery) -> dict[str, Any]:
    """The form's values by parameter: lists for list parameters, blanks dropped."""
    values: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name in ("run", "format"):
            continue
        stored.parameter(name)  # ParameterError naming the unknown parameter
        if value.strip():
            values.setdefault(name, []).append(value.strip())
    return {k: v if len(v) > 1 else v[0] for k, v in values.items()}


def run_stored(state: Web, stored: StoredQuery, given: dict[str, Any]) -> Outcome:
    """Check and resolve the values, then run the query, all under the limits."""
    bindings = state.runner.bounded(lambda: stored.bindings(given, state.kg.resolver))
    return state.runner.run(stored.text, bindings)


def execute(state: Web, stored: StoredQuery, request: Request) -> tuple[dict, Outcome]:
    """The given values and the outcome, or a WebError saying what was wrong."""
    try:
        given = given_values(request, stored)
        return given, run_stored(state, stored, given)
    except ParameterError as exc:
        raise WebError(400, "Bad parameter", str(exc)) from None
    except QueryTimeout as exc:
        raise WebError(503, "Query took too long", str(exc)) from None
    except QueryError as exc:
        raise WebError(502, "Query failed", str(exc)) from None


def choices(state: Web, kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a small kind of thing, read once from the graph."""
    key = f"choices:{kind}"
    if key not in state.cache:
        pattern = KINDS[kind].pattern + " OPTIONAL { ?s rdfs:label ?label }"
        rows = state.runner.run(CHOICES_QUERY % pattern, isolate=False).table.rows  # type: ignore[union-attr]
        found: dict[str, str] = {}
        for s, label in rows:
            slug = str(s).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if slug not in found or (label is not None and label.language == "en"):
                found[slug] = str(label) if label is not None else ""
        state.cache[key] = sorted(found.items())
    return state.cache[key]


def form_fields(
    state: Web, stored: StoredQuery, values: dict[str, Any]
) -> list[dict[str, Any]]:
    """What the template needs to draw one input per parameter."""
    fields = []
    for param in stored.parameters:
        given = values.get(param.name)
        items = [] if given is None else given if isinstance(given, list) else [given]
        items = [str(v) for v in items]
        options = list(param.choices or ())
        suggestions: list[tuple[str, str]] = []
        if param.type == "iri" and param.refers in CHOICE_KINDS and not options:
            suggestions = choices(state, param.refers)
        fields.append(
            {
                "param": param,
                "given": items,
                "input": INPUT_TYPES.get(param.type, "text"),
                "step": {"decimal": "any", "integer": "1", "year": "1"}.get(
                    param.type, ""
                ),
                "options": options,
                "boolean": param.type == "boolean",
                "suggestions": suggestions,
                # a list parameter gets one box per value and one spare
                "boxes": (items + [""]) if param.multiple else (items or [""])[:1],
            }
        )
    return fields


def example_values(stored: StoredQuery) -> dict[str, Any]:
    return {
        k: [str(x) for x in v] if isinstance(v, list) else str(v)
        for k, v in stored.example.items()
    }


def link(path: str, values: dict[str, Any], run: bool = False) -> str:
    """A GET URL carrying the parameter values: a permalink."""
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item)))
    if run:
        pairs.append(("run", "1"))
    return path + (f"?{urlencode(pairs)}" if pairs else "")


@router.get("/queries")
def list_page(request: Request) -> Response:
    from ctgraph.web.routers.home import query_groups

    state = web(request)
    return state.page(
        request, "queries.html", title="Stored queries", groups=query_groups(request)
    )


@router.get("/queries/{name}")
def query_page(request: Request, name: str) -> Response:
    state = web(request)
    base, dot, ext = name.partition(".")
    if dot:
        return download(request, state, base, ext)
    stored = stored_query(state, name)
    run = "run" in request.query_params
    if not run:
        values = example_values(stored)
        return form_page(
            request,
            stored,
            form_fields(state, stored, values),
            outcome=None,
            chart=example_chart(state, stored) if stored.chart else None,
        )
    try:
        given, outcome = execute(state, stored, request)
    except WebError as exc:
        if exc.status != 400:
            raise
        try:
            shown = {k: v for k, v in request.query_params.multi_items()}
            values = {
                k: request.query_params.getlist(k)
                for k in shown
                if k not in ("run", "format")
                and k in {p.name for p in stored.parameters}
            }
            fields = form_fields(state, stored, values)
        except ParameterError:
            fields = form_fields(state, stored, {})
        return form_page(
            request,
            stored,
            fields,
            heading="bad parameter",
            status=400,
            outcome=None,
            error=exc.message,
        )
    table = outcome.table
    assert table is not None
    shown_rows = table.rows[:PAGE_ROWS]
    labels = state.describer.labels(iris_in(shown_rows))
    rows = [[cell(v, labels) for v in row] for row in shown_rows]
    return form_page(
        request,
        stored,
        form_fields(state, stored, given),
        outcome=outcome,
        columns=table.columns,
        rows=rows,
        chart=draw(state, stored, table) if stored.chart and rows else None,
        hidden=len(table.rows) - len(shown_rows),
        permalink=link(f"/queries/{stored.name}", given, run=True),
        downloads=[
            (ext, link(f"/queries/{stored.name}.{ext}", given)) for ext in DOWNLOADS
        ],
        api=link(f"/api/queries/{stored.name}", given),
    )


def form_page(
    request: Request,
    stored: StoredQuery,
    fields: list[dict[str, Any]],
    heading: str | None = None,
    **shown: Any,
) -> Response:
    """A stored query's page: its form, and what a run gave (rows, an error)."""
    return web(request).page(
        request,
        "query.html",
        title=f"{stored.name}: {heading or stored.summary}",
        stored=stored,
        fields=fields,
        **shown,
    )


def download(request: Request, state: Web, name: str, ext: str) -> Response:
    if ext not in DOWNLOADS:
        raise WebError(
            404,
            "No such format",
            f"results are offered as {', '.join(DOWNLOADS)}, not {ext!r}",
        )
    stored = stored_query(state, name)
    _, outcome = execute(state, stored, request)
    table = outcome.table
    assert table is not None
    if ext == "xlsx":  # the CLI's workbook: labels, links and a sources sheet
        from ctgraph.spreadsheets import query_workbook

        given = given_values(request, stored)
        body: str | bytes = state.runner.bounded(
            lambda: query_workbook(state.kg, name, given, table)
        )
    else:
        body = render(table, ext)
    headers = {"Content-Disposition": f'attachment; filename="{name}.{ext}"'}
    if outcome.truncated:
        headers["X-Result-Truncated"] = str(state.runner.limits.row_cap)
    return Response(body, media_type=DOWNLOADS[ext], headers=headers)
