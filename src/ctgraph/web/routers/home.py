"""The home page (what the graph holds, the reports, the stored queries) and search."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from rdflib import Literal, URIRef

from ctgraph.namespaces import mint
from ctgraph.queries.lookup import PROLOGUE
from ctgraph.web.app import WebError, web
from ctgraph.web.charts import charted, example_chart
from ctgraph.web.render import cell

router = APIRouter(include_in_schema=False)

COUNTS = (
    PROLOGUE
    + """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class .
  FILTER(STRSTARTS(STR(?s), STR(id:)))
} GROUP BY ?class ORDER BY ?class"""
)
REPORTS = (
    PROLOGUE
    + """SELECT DISTINCT ?report ?title ?date ?publisher WHERE {
  ?report a ctg:SourceReport ; dcterms:title ?title .
  OPTIONAL { ?report dcterms:date ?date }
  OPTIONAL { ?report dcterms:publisher ?publisher }
} ORDER BY ?date"""
)
LICENCES = (
    PROLOGUE
    + """SELECT DISTINCT ?thing ?title ?licence WHERE {
  ?thing dcterms:license ?licence .
  OPTIONAL { ?thing dcterms:title|rdfs:label ?title }
}"""
)
SEARCH = (
    PROLOGUE
    + """SELECT ?s ?name ?rank WHERE {
  { ?s ctg:acronym|skos:notation|eli:id_local ?name . BIND(1 AS ?rank) }
  UNION { ?s rdfs:label|skos:prefLabel|dcterms:title ?name . BIND(2 AS ?rank) }
  UNION { ?s skos:altLabel ?name . BIND(3 AS ?rank) }
  FILTER(CONTAINS(LCASE(STR(?name)), ?key))
  FILTER(!STRSTARTS(STR(?s), STR(id:graph\\/)))
}"""
)
EXISTS = PROLOGUE + "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
#: longest search text accepted; most results listed
MAX_SEARCH = 200
MAX_HITS = 100


def overview(request: Request) -> dict[str, Any]:
    """Counts per class, reports and licences: read once, the graph is read-only."""
    state = web(request)
    if "overview" not in state.cache:
        runner = state.runner
        counts = runner.run(COUNTS).table.rows  # type: ignore[union-attr]
        reports = runner.run(REPORTS).table.rows  # type: ignore[union-attr]
        licences = runner.run(LICENCES).table.rows  # type: ignore[union-attr]
        labels = state.describer.labels(c for c, _ in counts)
        state.cache["overview"] = {
            "classes": [(cell(c, labels), int(n)) for c, n in counts],
            "reports": [
                (cell(r, {str(r): str(t)}), str(d or ""), str(p or ""))
                for r, t, d, p in reports
            ],
            "licences": [
                (cell(thing, {str(thing): str(t or "")}), cell(lic, {}))
                for thing, t, lic in licences
            ],
        }
    return state.cache["overview"]


def query_groups(request: Request) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for stored in web(request).kg.queries.values():
        for tag in stored.tags or ("other",):
            groups[tag].append(stored)
    return sorted(groups.items())


@router.get("/")
def home(request: Request) -> Response:
    state = web(request)
    return state.page(
        request,
        "home.html",
        title="ctgraph: the Counter-Terrorism Compact knowledge graph",
        overview=overview(request),
        groups=query_groups(request),
        config=state.config,
        total=sum(n for _, n in overview(request)["classes"]),
        charts=[example_chart(state, stored) for stored in charted(state)],
    )


def symbol_match(request: Request, text: str) -> URIRef | None:
    """A resolution the text names in any form the symbol normaliser reads."""
    from ctgraph.sources.symbols import SymbolError, parse_symbol

    try:
        symbol = parse_symbol(text)
    except (SymbolError, ValueError):
        return None
    iri = mint("resolution", symbol.slug)
    found = web(request).runner.run(EXISTS, {"s": [iri]}, isolate=False).table.rows  # type: ignore[union-attr]
    return iri if found else None


@router.get("/search")
def search(
    request: Request, q: Annotated[str, Query(max_length=MAX_SEARCH)] = ""
) -> Response:
    state = web(request)
    text = " ".join(q.split())
    if not text:
        raise WebError(
            400,
            "Nothing to search for",
            "parameter 'q': give a name, an acronym or a resolution symbol",
        )
    key = text.lower()
    rows = state.runner.run(SEARCH, {"key": [Literal(key)]}).table.rows  # type: ignore[union-attr]
    best: dict[str, tuple[int, int, str]] = {}
    for s, name, rank in rows:
        exact = 0 if str(name).lower() == key else 1
        score = (exact, int(rank), len(str(name)))
        if str(s) not in best or score < best[str(s)]:
            best[str(s)] = (*score[:2], str(name))  # type: ignore[assignment]
    order = sorted(best, key=lambda s: (best[s][0], best[s][1], best[s][2].lower()))
    symbol = symbol_match(request, text)
    if symbol is not None:
        order = [str(symbol)] + [s for s in order if s != str(symbol)]
    hits = [URIRef(s) for s in order[:MAX_HITS]]
    labels = state.describer.labels(hits)
    types = state.describer.types(hits)
    results = [
        (cell(h, labels), best.get(str(h), (0, 0, ""))[2], types.get(str(h), []))
        for h in hits
    ]
    return state.page(
        request,
        "search.html",
        title=f"Search: {text}",
        q=text,
        results=results,
        more=max(0, len(order) - MAX_HITS),
    )
