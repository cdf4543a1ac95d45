"""`/sparql`: the SPARQL 1.1 Protocol, read-only, bounded, and an editor page.

GET with `query=`, POST form-encoded, POST `application/sparql-query`: one handler.
Updates are refused with 403 (`update=`, `application/sparql-update`, or an update
operation as the query), SERVICE with 400, a query both in the URL and the body with
400, another Content-Type with 415, and a body over `MAX_BODY` with 413. Results go
by content negotiation (or `?format=`): SPARQL JSON, XML, CSV, TSV for SELECT and
ASK; Turtle, N-Triples, JSON-LD, RDF/XML for CONSTRUCT and DESCRIBE; HTML (the
editor with the results as a table) for browsers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool

from ctgraph.namespaces import PREFIXES, SD, W3C_FORMATS
from ctgraph.queries.library import QueryError
from ctgraph.web.app import Web, WebError, web
from ctgraph.web.negotiate import NotAcceptable, by_name, choose
from ctgraph.web.render import (
    boolean_json,
    cell,
    iris_in,
    rdf,
    sparql_csv,
    sparql_json,
    sparql_tsv,
    sparql_xml,
)
from ctgraph.web.runner import Outcome, QueryRefused, QueryTimeout

router = APIRouter(include_in_schema=False)

MAX_BODY = 1_000_000
#: rows the editor page shows; the files hold all rows up to the row cap
PAGE_ROWS = 1000
RESULT_OFFERS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/html",
]
GRAPH_OFFERS = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "text/html",
]
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
STARTER = PROLOGUE + (
    "\nSELECT ?class (COUNT(?s) AS ?instances) WHERE {\n  ?s a ?class .\n}\n"
    "GROUP BY ?class\nORDER BY DESC(?instances)\n"
)


def refuse_update() -> WebError:
    return WebError(
        403, "Read-only endpoint", "this endpoint is read-only: updates are refused"
    )


async def protocol_request(request: Request) -> dict[str, list[str]]:
    """The protocol parameters, from the URL and the body, checked."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if "update" in params:
        raise refuse_update()
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        declared = request.headers.get("content-length", "0")
        if declared.isdigit() and int(declared) > MAX_BODY:
            raise WebError(
                413, "Request too large", f"the body is over {MAX_BODY} bytes"
            )
        body = await request.body()
        if len(body) > MAX_BODY:
            raise WebError(
                413, "Request too large", f"the body is over {MAX_BODY} bytes"
            )
        if kind == "application/sparql-update":
            raise refuse_update()
        if kind == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                raise refuse_update()
            if "query" in form and "query" in params:
                raise WebError(
                    400, "Bad request", "the query is both in the URL and in the body"
                )
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif kind == "application/sparql-query":
            if "query" in params:
                raise WebError(
                    400, "Bad request", "the query is both in the URL and in the body"
                )
            params["query"] = [body.decode("utf-8", "replace")]
        else:
            raise WebError(
                415,
                "Unsupported media type",
                "POST a query as application/sparql-query or as "
                "application/x-www-form-urlencoded with a 'query' field, not "
                f"{kind or 'no Content-Type'}",
            )
    if len(params.get("query", [])) > 1:
        raise WebError(400, "Bad request", "parameter 'query' is given more than once")
    return params


def media_for(request: Request, form: str, params: dict[str, list[str]]) -> str:
    offers = RESULT_OFFERS if form in ("SELECT", "ASK") else GRAPH_OFFERS
    try:
        fmt = (params.get("format") or [""])[0]
        if fmt:
            return by_name(fmt, offers)
        return choose(request.headers.get("accept"), offers)
    except NotAcceptable as exc:
        raise WebError(406, "Not acceptable", str(exc)) from None


@router.api_route("/sparql", methods=["GET", "POST"])
async def endpoint(request: Request) -> Response:
    params = await protocol_request(request)
    return await run_in_threadpool(respond, request, web(request), params)


def respond(request: Request, state: Web, params: dict[str, list[str]]) -> Response:
    """Everything after reading the request; runs on a worker thread."""
    text = (params.get("query") or [""])[0]
    if not text.strip():
        if "example" in params:
            return editor(request, state, example_text(state, params["example"][0]))
        try:
            media = choose(request.headers.get("accept"), ["text/html", "text/turtle"])
        except NotAcceptable:
            media = "text/turtle"
        if media == "text/html" and request.method == "GET":
            return editor(request, state, STARTER)
        return Response(
            service_description(str(request.url).split("?")[0]),
            media_type="text/turtle",
        )
    try:
        outcome = state.runner.run(
            text,
            default_graphs=[URIRef(g) for g in params.get("default-graph-uri", [])],
            named_graphs=[URIRef(g) for g in params.get("named-graph-uri", [])],
        )
    except QueryRefused as exc:
        if wants_page(request, params):
            return editor(request, state, text, error=str(exc), status=exc.status)
        raise WebError(exc.status, "Query refused", str(exc)) from None
    except QueryTimeout as exc:
        if wants_page(request, params):
            return editor(request, state, text, error=str(exc), status=503)
        raise WebError(503, "Query took too long", str(exc)) from None
    except QueryError as exc:
        if wants_page(request, params):
            return editor(request, state, text, error=str(exc), status=400)
        raise WebError(400, "Query failed", str(exc)) from None
    media = media_for(request, outcome.form, params)
    if media == "text/html":
        return editor(request, state, text, outcome=outcome)
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers["X-Result-Truncated"] = str(state.runner.limits.row_cap)
    return Response(answer(outcome, media), media_type=media, headers=headers)


def wants_page(request: Request, params: dict[str, list[str]]) -> bool:
    fmt = (params.get("format") or [""])[0]
    if fmt:
        return fmt == "html"
    try:
        return choose(request.headers.get("accept"), RESULT_OFFERS) == "text/html"
    except NotAcceptable:
        return False


def answer(outcome: Outcome, media: str) -> str:
    if outcome.form == "ASK":
        if media == "application/sparql-results+json":
            return boolean_json(bool(outcome.boolean))
        if media == "application/sparql-results+xml":
            return sparql_xml(None, bool(outcome.boolean))
        return ("true" if outcome.boolean else "false") + "\n"
    if outcome.table is not None:
        table = outcome.table
        return {
            "application/sparql-results+json": sparql_json,
            "application/sparql-results+xml": lambda t: sparql_xml(t),
            "text/csv": sparql_csv,
            "text/tab-separated-values": sparql_tsv,
        }[media](table)
    return rdf(((s, p, o, None) for s, p, o in outcome.triples), media)


def example_text(state: Web, name: str) -> str:
    try:
        stored = state.kg.stored(name)
    except QueryError:
        raise WebError(
            404, "No such query", f"there is no stored query {name!r}"
        ) from None
    return f"# {stored.name}: {stored.summary}\n" + stored.text


def editor(
    request: Request,
    state: Web,
    text: str,
    *,
    outcome: Outcome | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {"text": text, "outcome": outcome, "error": error}
    if outcome is not None and outcome.table is not None:
        shown = outcome.table.rows[:PAGE_ROWS]
        labels = state.describer.labels(iris_in(shown))
        context["columns"] = outcome.table.columns
        context["rows"] = [[cell(v, labels) for v in row] for row in shown]
        context["hidden"] = len(outcome.table.rows) - len(shown)
    elif outcome is not None and outcome.form in ("CONSTRUCT", "DESCRIBE"):
        shown = outcome.triples[:PAGE_ROWS]
        labels = state.describer.labels(iris_in(shown))
        context["columns"] = ["subject", "predicate", "object"]
        context["rows"] = [[cell(v, labels) for v in t] for t in shown]
        context["hidden"] = len(outcome.triples) - len(shown)
    if outcome is not None:
        formats = (
            ["json", "xml", "csv", "tsv"]
            if outcome.form in ("SELECT", "ASK")
            else ["ttl", "nt", "jsonld"]
        )
        context["downloads"] = [
            (f, "/sparql?" + urlencode({"query": text, "format": f})) for f in formats
        ]
        context["permalink"] = "/sparql?" + urlencode({"query": text})
    context["examples"] = sorted(state.kg.queries)
    context["limits"] = state.runner.limits
    return state.page(
        request, "sparql.html", status=status, title="SPARQL editor", **context
    )


def service_description(url: str) -> str:
    """SPARQL 1.1 Service Description: what this endpoint offers (no updates)."""
    graph = Graph()
    graph.bind("sd", SD)
    service = URIRef(url + "#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(url)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
    ):
        graph.add((service, SD.resultFormat, W3C_FORMATS[name]))
    graph.add((service, SD.defaultDataset, URIRef(url + "#dataset")))
    graph.add((URIRef(url + "#dataset"), RDF.type, SD.Dataset))
    return graph.serialize(format="turtle")
