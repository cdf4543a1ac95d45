"""A page for every resource, and its description as RDF, on the same URL.

`/id/...` serves the graph's `https://w3id.org/ctgraph/id/...` IRIs and
`/ontology/{term}` the ontology's terms; `/ontology` as HTML is the ontology's
documentation (the page `ctgraph ontology docs` writes). `text/html` gives the
page; Turtle, N-Triples, JSON-LD, TriG and N-Quads give the resource's own triples
(with their named graphs where the format holds graphs). `.ttl`, `.nt`, `.jsonld`,
`.trig`, `.nq` or `?format=` pick one by link. Always 200 with `Vary: Accept`,
never a redirect.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import URIRef

from ctgraph.web.app import Web, WebError, web
from ctgraph.web.negotiate import NotAcceptable, by_name, choose
from ctgraph.web.render import EXTENSIONS, RDF_FORMATS, compact, iri_of_path, rdf
from ctgraph.web.runner import QueryError, QueryTimeout

router = APIRouter(include_in_schema=False)

OFFERS = ["text/html", *RDF_FORMATS]
SUFFIXES = {ext: media for media, ext in EXTENSIONS.items()}


def pick(request: Request, path: str) -> tuple[str, str]:
    """The resource path without any format extension, and the media type."""
    stem, dot, ext = path.rpartition(".")
    try:
        if dot and ext in SUFFIXES and "/" not in ext:
            return stem, SUFFIXES[ext]
        fmt = request.query_params.get("format")
        if fmt:
            return path, by_name(fmt, OFFERS)
        return path, choose(request.headers.get("accept"), OFFERS)
    except NotAcceptable as exc:
        raise WebError(406, "Not acceptable", str(exc)) from None


def serve(request: Request, path: str) -> Response:
    state = web(request)
    path, media = pick(request, path)
    iri = iri_of_path(path)
    try:
        if media == "text/html":
            return page(request, state, iri, path)
        quads = state.describer.quads(iri)
    except QueryTimeout as exc:
        raise WebError(503, "Took too long", str(exc)) from None
    except QueryError as exc:
        raise WebError(502, "Could not read the graph", str(exc)) from None
    if not quads:
        raise not_found(iri)
    body = rdf(quads, media)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def not_found(iri: URIRef) -> WebError:
    return WebError(404, "Unknown resource", f"the graph says nothing about <{iri}>")


def page(request: Request, state: Web, iri: URIRef, path: str) -> Response:
    description = state.describer.describe(iri)
    if description.empty:
        raise not_found(iri)
    alternates = [(EXTENSIONS[m], m, f"{path}.{EXTENSIONS[m]}") for m in EXTENSIONS]
    response = state.page(
        request,
        "resource.html",
        title=description.title,
        d=description,
        name=compact(iri),
        alternates=alternates,
    )
    response.headers["Vary"] = "Accept"
    return response


@router.get("/id/{path:path}")
def resource(request: Request, path: str) -> Response:
    return serve(request, f"/id/{path}")


@router.get("/ontology")
def ontology(request: Request) -> Response:
    """The ontology's documentation for people; its triples for programs."""
    if pick(request, "/ontology")[1] == "text/html":
        return HTMLResponse(ontology_documentation(), headers={"Vary": "Accept"})
    return serve(request, "/ontology")


@cache
def ontology_documentation() -> str:
    """Generated once per process: the same page `ctgraph ontology docs` writes."""
    from ctgraph.release.docs import render

    return render()


@router.get("/ontology.{ext}")
def ontology_as(request: Request, ext: str) -> Response:
    return serve(request, f"/ontology.{ext}")


@router.get("/ontology/{term}")
def ontology_term(request: Request, term: str) -> Response:
    return serve(request, f"/ontology/{term}")
