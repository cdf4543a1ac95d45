"""/sparql per the SPARQL 1.1 Protocol: TestClient for each request shape and
refusal, and SPARQLWrapper against a real uvicorn on loopback, as a user's tool."""

from __future__ import annotations

import csv
import io
import urllib.error
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from webserver import running

from ctgraph.namespaces import mint
from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store.backends import OxigraphBackend
from ctgraph.web.app import WebConfig, create_app
from ctgraph.web.runner import Limits

PREFIX = "PREFIX ctg: <https://w3id.org/ctgraph/ontology#>\n"
COUNT = PREFIX + "SELECT (COUNT(?g) AS ?n) WHERE { ?g a ctg:WorkingGroup }"
GROUPS = PREFIX + "SELECT ?g WHERE { ?g a ctg:WorkingGroup } ORDER BY ?g"
SPARQL_JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def kg(embedded: OxigraphBackend) -> KnowledgeGraph:
    return KnowledgeGraph(embedded)


@pytest.fixture(scope="module")
def groups(kg: KnowledgeGraph) -> int:
    return int(kg.sparql(COUNT).rows[0][0])


@pytest.fixture
def client(kg: KnowledgeGraph) -> Iterator[TestClient]:
    app = create_app(kg, WebConfig(limits=Limits(row_cap=50)))
    with TestClient(app, raise_server_exceptions=False) as made:
        yield made


def count(answer) -> int:  # noqa: ANN001
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_three_ways_to_send_a_query(client: TestClient, groups: int) -> None:
    accept = {"accept": SPARQL_JSON}
    by_get = client.get("/sparql", params={"query": COUNT}, headers=accept)
    by_form = client.post("/sparql", data={"query": COUNT}, headers=accept)
    direct = client.post(
        "/sparql",
        content=COUNT.encode(),
        headers={**accept, "content-type": "application/sparql-query"},
    )
    for answer in (by_get, by_form, direct):
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith(SPARQL_JSON)
        assert count(answer) == groups


@pytest.mark.parametrize(
    ("accept", "media", "check"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "g\r\nhttps://w3id.org/ctgraph/id/working-group/"),
        ("text/tab-separated-values", "text/tab-separated-values", "?g\n<https://"),
        ("application/json", SPARQL_JSON, '"bindings"'),
        ("*/*", SPARQL_JSON, '"bindings"'),
    ],
)
def test_select_formats(
    client: TestClient, accept: str, media: str, check: str
) -> None:
    answer = client.get("/sparql", params={"query": GROUPS}, headers={"accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert check in answer.text


def test_construct_describe_ask(client: TestClient) -> None:
    unodc = mint("entity", "unodc")
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ):
        answer = client.get(
            "/sparql",
            params={"query": f"DESCRIBE <{unodc}>"},
            headers={"accept": accept},
        )
        assert answer.status_code == 200
        graph = Graph().parse(data=answer.text, format=fmt)
        assert (unodc, None, None) in graph
    ask = client.get(
        "/sparql",
        params={"query": f"ASK {{ <{unodc}> ?p ?o }}"},
        headers={"accept": SPARQL_JSON},
    )
    assert ask.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("request_kwargs", "status", "message"),
    [
        ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 403, "read-only"),
        (
            {
                "method": "POST",
                "content": b"INSERT DATA { <http://a> <http://b> <http://c> }",
                "headers": {"content-type": "application/sparql-update"},
            },
            403,
            "read-only",
        ),
        ({"method": "POST", "data": {"update": "CLEAR ALL"}}, 403, "read-only"),
        ({"method": "GET", "params": {"query": "DROP ALL"}}, 403, "read-only"),
        (
            {
                "method": "GET",
                "params": {"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"},
            },
            400,
            "SERVICE",
        ),
        (
            {"method": "GET", "params": {"query": "SELECT * WHERE { ?s"}},
            400,
            "could not run",
        ),
        (
            {
                "method": "POST",
                "params": {"query": "ASK {}"},
                "data": {"query": "ASK {}"},
            },
            400,
            "both in the URL and in the body",
        ),
        (
            {
                "method": "POST",
                "content": b"ASK {}",
                "headers": {"content-type": "text/plain"},
            },
            415,
            "application/sparql-query",
        ),
        (
            {
                "method": "GET",
                "params": {"query": "ASK {}"},
                "headers": {"accept": "image/png"},
            },
            406,
            "application/sparql-results+json",
        ),
    ],
)
def test_refusals(
    client: TestClient, request_kwargs: dict, status: int, message: str
) -> None:
    kwargs = dict(request_kwargs)
    kwargs.setdefault("headers", {"accept": SPARQL_JSON})
    answer = client.request(url="/sparql", **kwargs)
    assert answer.status_code == status
    assert message in answer.text and "Traceback" not in answer.text


def test_oversized_body_is_413(client: TestClient) -> None:
    answer = client.post(
        "/sparql",
        content=b"#" * 1_000_001,
        headers={"content-type": "application/sparql-query"},
    )
    assert answer.status_code == 413 and "over 1000000 bytes" in answer.text


def test_row_cap_marks_truncation(client: TestClient) -> None:
    answer = client.get(
        "/sparql",
        params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
        headers={"accept": SPARQL_JSON},
    )
    assert len(answer.json()["results"]["bindings"]) == 50
    assert answer.headers["x-result-truncated"] == "50"


def test_named_graphs_by_protocol(client: TestClient) -> None:
    graph = mint("graph", "compact-review-2024-01")
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://www.w3.org/ns/org#Membership> }"
    )
    everything = client.get(
        "/sparql", params={"query": query}, headers={"accept": SPARQL_JSON}
    )
    one = client.get(
        "/sparql",
        params={"query": query, "default-graph-uri": str(graph)},
        headers={"accept": SPARQL_JSON},
    )
    assert 0 < count(one) < count(everything)


def test_editor_page_and_service_description(client: TestClient) -> None:
    page = client.get("/sparql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "PREFIX ctg: &lt;https://w3id.org/ctgraph/ontology#&gt;" in page.text
    example = client.get("/sparql", params={"example": "working-group-leadership"})
    assert "SELECT DISTINCT ?group" in example.text
    shown = client.get(
        "/sparql", params={"query": GROUPS}, headers={"accept": "text/html"}
    )
    assert 'href="/id/working-group/compact-wg-3"' in shown.text
    assert "format=csv" in shown.text
    refused = client.get(
        "/sparql", params={"query": "CLEAR ALL"}, headers={"accept": "text/html"}
    )
    assert refused.status_code == 403 and "read-only" in refused.text
    described = client.get("/sparql", headers={"accept": "text/turtle"})
    service = Graph().parse(data=described.text, format="turtle")
    assert len(service) > 5 and "SPARQL11Query" in described.text


def test_cors_only_when_configured(kg: KnowledgeGraph) -> None:
    origin = {"origin": "https://dashboard.example", "accept": SPARQL_JSON}
    with TestClient(create_app(kg)) as closed:
        answer = closed.get("/sparql", params={"query": COUNT}, headers=origin)
        assert "access-control-allow-origin" not in answer.headers
    config = WebConfig(cors_origins=("https://dashboard.example",))
    with TestClient(create_app(kg, config)) as opened:
        answer = opened.get("/sparql", params={"query": COUNT}, headers=origin)
        assert (
            answer.headers["access-control-allow-origin"] == "https://dashboard.example"
        )


def test_sparqlwrapper_against_uvicorn(kg: KnowledgeGraph, groups: int) -> None:
    with running(create_app(kg)) as base:
        client = SPARQLWrapper(base + "/sparql")
        client.setQuery(COUNT)
        client.setReturnFormat(JSON)
        result = client.query().convert()
        assert int(result["results"]["bindings"][0]["n"]["value"]) == groups

        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setReturnFormat(XML)
        document = client.query().convert()  # a DOM of the XML results
        assert len(document.getElementsByTagName("result")) == 1

        client.setQuery(GROUPS)
        client.setReturnFormat(CSV)
        rows = list(csv.reader(io.StringIO(client.query().convert().decode())))
        assert rows[0] == ["g"] and len(rows) == groups + 1

        client.setQuery(f"CONSTRUCT WHERE {{ <{mint('entity', 'unodc')}> ?p ?o }}")
        client.setReturnFormat(TURTLE)
        graph = Graph().parse(data=client.query().convert(), format="turtle")
        assert len(graph) > 5

        client.setQuery("SELECT * WHERE { ?s")
        client.setReturnFormat(JSON)
        with pytest.raises(QueryBadFormed):
            client.query()

        client.setQuery("CLEAR ALL")
        with pytest.raises(urllib.error.HTTPError) as refused:
            client.query()
        assert refused.value.code == 403
        assert b"read-only" in refused.value.read()

        client.setQuery(COUNT)  # still answering after the refusals
        result = client.query().convert()
        assert int(result["results"]["bindings"][0]["n"]["value"]) == groups
