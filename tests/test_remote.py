"""The remote backend against a real Oxigraph server: same rows as embedded, and
every fault reported in words that say what happened and where."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, XSD
from servers import OxigraphServer, free_port
from stubs import NO_ROWS, SPARQL_JSON, Quiet
from typer.testing import CliRunner

from ctgraph.cli import app
from ctgraph.messages import redact_url
from ctgraph.namespaces import CTG, graph_iri
from ctgraph.queries.library import CHECK_DIR, KnowledgeGraph, load_queries
from ctgraph.store.backends import OxigraphBackend, ResultTable, from_ox
from ctgraph.store.remote import (
    DEFAULT_GRAPH,
    ENV_PASSWORD,
    ENV_TOKEN,
    ENV_USER,
    MANIFEST,
    Credentials,
    EndpointError,
    RemoteBackend,
    check_url,
    derive_urls,
    from_json,
    to_table,
)

#: queries that exercise what the stored queries rely on: the union default graph,
#: GRAPH ?g provenance, aggregates, OPTIONAL, language tags and typed literals
QUERIES = {
    "types": "SELECT ?s ?type WHERE { ?s a ?type }",
    "labels": "SELECT ?s ?label WHERE { ?s <" + str(RDFS.label) + "> ?label }",
    "per-graph": (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ),
    "joins-across-graphs": (
        "SELECT ?graph ?title WHERE { ?graph ?derived ?report . "
        "?report ?t ?title . FILTER(isLiteral(?title)) "
        "FILTER EXISTS { GRAPH ?graph { ?s ?p ?o } } }"
    ),
    "optional": (
        "SELECT ?s ?acronym WHERE { ?s a <" + str(CTG.WorkingGroup) + "> "
        "OPTIONAL { ?s <" + str(CTG.acronym) + "> ?acronym } }"
    ),
    "datatypes": (
        "SELECT DISTINCT ?datatype ?lang WHERE { ?s ?p ?o FILTER(isLiteral(?o)) "
        "BIND(LANG(?o) AS ?lang) BIND(IF(?lang = '', DATATYPE(?o), <"
        + str(RDF.langString)
        + ">) AS ?datatype) }"
    ),
    "everything": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
}


def same_rows(left: ResultTable, right: ResultTable) -> bool:
    """Same columns, same rows as a multiset (order is the engines' own)."""
    return left.columns == right.columns and Counter(left.rows) == Counter(right.rows)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_remote_rows_equal_embedded(
    name: str, oxigraph: OxigraphServer, embedded: OxigraphBackend
) -> None:
    remote = oxigraph.backend().select(QUERIES[name])
    local = embedded.select(QUERIES[name])
    assert local.rows, f"query {name} proves nothing on an empty result"
    assert same_rows(remote, local)


def test_bindings_bind_the_same_way_remotely(
    oxigraph: OxigraphServer, embedded: OxigraphBackend
) -> None:
    query = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    bindings = {"g": graph_iri("sg-report-2018")}
    remote = oxigraph.backend().select(query, bindings)
    local = embedded.select(query, bindings)
    assert local.rows
    assert same_rows(remote, local)


def test_named_graphs_are_the_builds_not_the_publications(
    oxigraph: OxigraphServer, embedded: OxigraphBackend
) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    remote = {row[0] for row in oxigraph.backend().select(query).rows}
    assert remote == {row[0] for row in embedded.select(query).rows}
    assert DEFAULT_GRAPH not in remote and MANIFEST not in remote


def test_remote_counts_the_quads_embedded_holds(
    oxigraph: OxigraphServer, embedded: OxigraphBackend
) -> None:
    assert len(oxigraph.backend()) == len(embedded) > 0


def test_server_union_mode_needs_no_manifest(
    start_oxigraph: Callable[..., OxigraphServer],
    built_trig: Path,
    embedded: OxigraphBackend,
) -> None:
    """A server whose default graph already is the union (here Oxigraph with
    --union-default-graph, loaded by other means) answers queries sent as they are."""
    server = start_oxigraph("--union-default-graph")
    request = urllib.request.Request(
        server.store_url, data=built_trig.read_bytes(), method="POST"
    )
    request.add_header("Content-Type", "application/trig")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201, 204)
    remote = server.backend(server_union=True).select(QUERIES["types"])
    assert same_rows(remote, embedded.select(QUERIES["types"]))
    with pytest.raises(EndpointError, match="holds no ctgraph publication"):
        server.backend().select(QUERIES["types"])


def test_json_terms_convert_as_the_embedded_engine_converts() -> None:
    cases = [
        ({"type": "literal", "value": "x"}, ox.Literal("x")),
        (
            {"type": "literal", "value": "x", "xml:lang": "en"},
            ox.Literal("x", language="en"),
        ),
        (
            {"type": "typed-literal", "value": "3", "datatype": str(XSD.integer)},
            ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer))),
        ),
        ({"type": "uri", "value": "urn:x"}, ox.NamedNode("urn:x")),
    ]
    for json_term, ox_term in cases:
        assert from_json(json_term) == from_ox(ox_term)
    with pytest.raises(EndpointError, match="invalid term"):
        from_json({"type": "uri", "value": "not an iri"})


#: an empty answer with one column, `x`
X_NO_ROWS = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'


# -- faults ------------------------------------------------------------------


def test_connection_refused_says_so() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError) as caught:
        RemoteBackend(url, timeout=5).select("SELECT * WHERE { ?s ?p ?o }")
    message = str(caught.value)
    assert "connection refused" in message and url in message


class Slow(Quiet):
    """Answers correctly, but only after a delay longer than the client waits."""

    delay = 10.0
    release = threading.Event()

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.release.wait(self.delay)
        self.answer(200, NO_ROWS, SPARQL_JSON)


def test_a_server_slower_than_the_timeout_is_given_up_on(http_stub) -> None:
    backend = RemoteBackend(http_stub(Slow) + "/query", timeout=0.5)
    started = time.monotonic()
    try:
        with pytest.raises(EndpointError, match=r"did not answer within 0\.5 s"):
            backend.select("SELECT * WHERE { ?s ?p ?o }", None)
    finally:
        Slow.release.set()
    assert time.monotonic() - started < 5


def test_a_malformed_query_shows_the_servers_own_400_message(
    oxigraph: OxigraphServer,
) -> None:
    query = "SELECT * WHERE { ?s ?p }"
    direct = urllib.request.Request(
        oxigraph.query_url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as raw:
        urllib.request.urlopen(direct, timeout=10)
    servers_words = raw.value.read().decode().strip()
    assert servers_words
    with pytest.raises(EndpointError) as caught:
        oxigraph.backend().select(query)
    assert caught.value.status == 400
    assert "HTTP 400 Bad Request" in str(caught.value)
    assert servers_words in str(caught.value)


def test_a_failing_update_shows_the_servers_own_500_message(
    start_oxigraph: Callable[..., OxigraphServer],
) -> None:
    backend = start_oxigraph().backend()
    missing = URIRef("urn:ctgraph-test:missing")
    with pytest.raises(EndpointError) as caught:
        backend.update(f"MOVE {missing.n3()} TO <urn:ctgraph-test:target>")
    assert caught.value.status == 500
    assert str(missing) in str(caught.value)


class Unavailable(Quiet):
    """A server in maintenance: 503 with its reason in an HTML page."""

    def do_POST(self) -> None:  # noqa: N802
        body = b"<html><body><h1>503</h1><p>read-only until 02:00</p></body></html>"
        self.answer(503, body, "text/html", reason="Service Unavailable")


def test_a_5xx_answer_shows_the_servers_reason(http_stub) -> None:
    backend = RemoteBackend(http_stub(Unavailable) + "/query", server_union=True)
    with pytest.raises(EndpointError) as caught:
        backend.select("SELECT * WHERE { ?s ?p ?o }")
    assert caught.value.status == 503
    assert "HTTP 503 Service Unavailable" in str(caught.value)
    assert "read-only until 02:00" in str(caught.value)
    assert "<p>" not in str(caught.value)


class NotSparql(Quiet):
    """A web page where an endpoint was expected."""

    def do_POST(self) -> None:  # noqa: N802
        self.answer(
            200, b"<html><body>Welcome to the intranet</body></html>", "text/html"
        )


def test_an_answer_that_is_not_sparql_results_is_named(http_stub) -> None:
    backend = RemoteBackend(http_stub(NotSparql) + "/query", server_union=True)
    with pytest.raises(EndpointError, match="did not answer with SPARQL JSON"):
        backend.select("SELECT * WHERE { ?s ?p ?o }")


class EchoesGraphs(Quiet):
    """Answers like Virtuoso: one response header per graph of the dataset."""

    def do_POST(self) -> None:  # noqa: N802
        form = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        graphs = urllib.parse.parse_qs(form.decode())["default-graph-uri"]
        echoed = [("X-SPARQL-default-graph", graph) for graph in graphs]
        self.answer(200, X_NO_ROWS, SPARQL_JSON, headers=echoed)


def test_a_dataset_of_many_graphs_echoed_in_headers_is_read(http_stub) -> None:
    backend = RemoteBackend(http_stub(EchoesGraphs) + "/query")
    graphs = [URIRef(f"urn:graph:{n}") for n in range(300)]
    table = to_table(backend.raw_select("SELECT ?x WHERE { ?x ?p ?o }", graphs))
    assert table.columns == ["x"] and table.rows == []


class Guarded(Quiet):
    """Answers only requests that carry the expected bearer token."""

    token = "s3cret-token-value"
    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        header = self.headers.get("Authorization", "")
        self.seen.append(header)
        if header == f"Bearer {self.token}":
            self.answer(200, X_NO_ROWS, SPARQL_JSON)
        else:
            self.answer(401, b"invalid access token")


def test_credentials_from_the_environment_are_sent_and_never_shown(
    http_stub,
) -> None:
    url = http_stub(Guarded) + "/query"
    good = Credentials.from_env({ENV_TOKEN: Guarded.token})
    table = RemoteBackend(url, credentials=good, server_union=True).select(
        "SELECT ?x WHERE { ?x ?p ?o }"
    )
    assert table.columns == ["x"]
    assert Guarded.seen[-1] == f"Bearer {Guarded.token}"
    wrong = Credentials.from_env({ENV_USER: "ann", ENV_PASSWORD: "pa55word"})
    with pytest.raises(EndpointError) as caught:
        RemoteBackend(url, credentials=wrong, server_union=True).select(
            "SELECT ?x WHERE { ?x ?p ?o }"
        )
    assert caught.value.status == 401 and "invalid access token" in str(caught.value)
    assert Guarded.seen[-1].startswith("Basic ")
    for secret in ("pa55word", Guarded.token, Guarded.seen[-1]):
        assert secret not in str(caught.value)
        assert secret not in repr(wrong) + repr(good)


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({ENV_USER: "ann"}, f"{ENV_PASSWORD} is not"),
        ({ENV_PASSWORD: "x"}, f"{ENV_USER} is not"),
        ({ENV_TOKEN: "t", ENV_USER: "ann", ENV_PASSWORD: "x"}, "not both"),
    ],
)
def test_incomplete_credentials_are_refused(env: dict[str, str], problem: str) -> None:
    with pytest.raises(EndpointError, match=problem):
        Credentials.from_env(env)


def test_no_credentials_means_no_header() -> None:
    assert Credentials.from_env({}).header is None


def test_credentials_in_a_url_are_refused_and_query_strings_not_shown() -> None:
    with pytest.raises(EndpointError, match=ENV_USER):
        check_url("https://ann:pa55word@example.org/sparql")
    with pytest.raises(EndpointError, match="not an http"):
        check_url("ftp://example.org/sparql")
    assert redact_url("https://example.org/sparql?access-token=abc") == (
        "https://example.org/sparql?access-token=REDACTED"
    )


def test_oxigraph_layout_is_derived_and_other_urls_update_themselves() -> None:
    assert derive_urls("http://h:7878/query") == (
        "http://h:7878/update",
        "http://h:7878/store",
    )
    assert derive_urls("https://h/repositories/ct") == (
        "https://h/repositories/ct",
        None,
    )


# -- the stored queries ------------------------------------------------------

LIBRARY = load_queries()
CHECKS = load_queries(CHECK_DIR)
STORED = [(q, "library") for q in LIBRARY] + [(q, "checks") for q in CHECKS]


def test_the_query_library_was_collected() -> None:
    assert len(LIBRARY) >= 20 and len(CHECKS) >= 5


@pytest.mark.parametrize(("name", "shelf"), STORED)
def test_every_stored_query_gives_the_same_rows_remotely(
    name: str, shelf: str, oxigraph: OxigraphServer, embedded: OxigraphBackend
) -> None:
    """Each stored query with its example parameters (names resolved by each side
    against its own graph): the same columns and rows, as a multiset."""
    queries = LIBRARY if shelf == "library" else CHECKS
    params = dict(queries[name].example)
    local = KnowledgeGraph(embedded, queries).query(name, **params)
    remote = KnowledgeGraph(oxigraph.backend(), queries).query(name, **params)
    assert same_rows(remote, local)


def test_most_stored_queries_have_rows_to_compare(embedded: OxigraphBackend) -> None:
    kg = KnowledgeGraph(embedded, LIBRARY)
    answered = [n for n, q in LIBRARY.items() if kg.query(n, **dict(q.example)).rows]
    assert len(answered) >= len(LIBRARY) * 3 // 4


def test_cli_query_on_the_server_prints_what_the_embedded_graph_prints(
    oxigraph: OxigraphServer, built_trig: Path
) -> None:
    name = "working-group-leadership"
    args = ["query", name, "--format", "json"]
    local = CliRunner().invoke(app, [*args, "--store", str(built_trig)])
    remote = CliRunner().invoke(app, [*args, "--endpoint", oxigraph.query_url])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    assert json.loads(local.stdout)["results"]["bindings"]


def test_cli_sparql_on_the_server_shows_the_servers_error(
    oxigraph: OxigraphServer,
) -> None:
    args = ["sparql", "SELECT * WHERE { ?s ?p }", "--endpoint", oxigraph.query_url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "HTTP 400 Bad Request" in result.output and "refused" not in result.output


def test_cli_query_to_nothing_says_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    args = ["query", "source-reports", "--endpoint", url, "--timeout", "5"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "connection refused" in result.output and url in result.output


def test_cli_endpoint_excludes_the_embedded_options(oxigraph: OxigraphServer) -> None:
    args = ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"]
    result = CliRunner().invoke(
        app, [*args, "--endpoint", oxigraph.query_url, "--engine", "rdflib"]
    )
    assert result.exit_code == 2 and "--endpoint runs on the server" in result.output
