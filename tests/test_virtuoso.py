"""OpenLink Virtuoso, a second SPARQL server family beside Oxigraph: the built graph
published through its Digest-protected Graph Store endpoint, and every stored query
and check giving the same rows there as on the embedded store (RDF terms compared,
never text). Skipped, with one reason, where Virtuoso is not installed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from servers import VIRTUOSO_MISSING, PublishedVirtuoso, virtuoso_binary
from test_remote import QUERIES, STORED, same_rows
from typer.testing import CliRunner

from ctgraph.cli import app
from ctgraph.queries.library import CHECK_DIR, KnowledgeGraph, load_queries
from ctgraph.store.backends import OxigraphBackend
from ctgraph.store.publish import publish
from ctgraph.store.remote import (
    DEFAULT_GRAPH,
    ENV_AUTH,
    ENV_PASSWORD,
    ENV_USER,
    MANIFEST,
    EndpointError,
)

pytestmark = pytest.mark.skipif(virtuoso_binary() is None, reason=VIRTUOSO_MISSING)

LIBRARY = load_queries()
CHECKS = load_queries(CHECK_DIR)


def test_the_graph_is_published_whole(
    virtuoso: PublishedVirtuoso, embedded: OxigraphBackend
) -> None:
    backend = virtuoso.server.backend()
    live = backend.publication()
    assert DEFAULT_GRAPH in live.graphs and len(live.graphs) >= 5
    sizes = backend.graph_sizes(live.graphs)
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    local = {g: int(n) for g, n in embedded.select(query).rows}
    assert {g: n for g, n in sizes.items() if g != DEFAULT_GRAPH} == local


#: all but "everything", which takes Virtuoso 10-20 s for what the per-graph counts
#: and the stored queries below already show
PROBES = sorted(set(QUERIES) - {"everything"})


@pytest.mark.parametrize("name", PROBES)
def test_virtuoso_rows_equal_embedded(
    name: str, virtuoso: PublishedVirtuoso, embedded: OxigraphBackend
) -> None:
    remote = virtuoso.server.backend().select(QUERIES[name])
    local = embedded.select(QUERIES[name])
    assert local.rows, f"query {name} proves nothing on an empty result"
    assert same_rows(remote, local)


def test_named_graphs_are_the_builds_on_virtuoso(
    virtuoso: PublishedVirtuoso, embedded: OxigraphBackend
) -> None:
    """Virtuoso keeps system graphs of its own; a query sees the build's only."""
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    remote = {row[0] for row in virtuoso.server.backend().select(query).rows}
    assert remote == {row[0] for row in embedded.select(query).rows}
    assert MANIFEST not in remote


@pytest.mark.parametrize(("name", "shelf"), STORED)
def test_every_stored_query_gives_the_same_rows_on_virtuoso(
    name: str, shelf: str, virtuoso: PublishedVirtuoso, embedded: OxigraphBackend
) -> None:
    """Each stored query and check with its example parameters: the same columns
    and rows, as a multiset, as the embedded store (and so as the Oxigraph server,
    which test_remote holds to the same rows)."""
    queries = LIBRARY if shelf == "library" else CHECKS
    params = dict(queries[name].example)
    local = KnowledgeGraph(embedded, queries).query(name, **params)
    remote = KnowledgeGraph(virtuoso.server.backend(), queries).query(name, **params)
    assert same_rows(remote, local)


def test_cli_query_on_virtuoso_prints_what_the_embedded_graph_prints(
    virtuoso: PublishedVirtuoso, built_trig: Path
) -> None:
    """JSON results compare as terms: Virtuoso's own CSV writes `/` in IRIs as `\\/`,
    ctgraph's output is the same whichever server answered."""
    args = ["query", "working-group-leadership", "--format", "json"]
    local = CliRunner().invoke(app, [*args, "--store", str(built_trig)])
    remote = CliRunner().invoke(
        app, [*args, "--endpoint", virtuoso.server.query_url, "--timeout", "60"]
    )
    assert local.exit_code == remote.exit_code == 0, remote.output
    rows = [json.loads(r.stdout)["results"]["bindings"] for r in (local, remote)]
    assert rows[0]
    local_rows, remote_rows = (
        Counter(json.dumps(b, sort_keys=True) for b in r) for r in rows
    )
    assert remote_rows == local_rows


def test_a_wrong_password_is_refused_with_401_and_changes_nothing(
    virtuoso: PublishedVirtuoso, built_trig: Path
) -> None:
    server = virtuoso.server
    before = server.backend().publication(refresh=True)
    report = publish(server.backend(password="not-the-password"), built_trig, True)
    assert not report.ok and report.uploads[0].state == "failed"
    assert "HTTP 401" in (report.error or "") and ENV_PASSWORD in (report.error or "")
    assert "not-the-password" not in "\n".join(report.lines())
    assert server.backend().publication(refresh=True) == before


def test_cli_publish_with_a_wrong_password_exits_2(
    virtuoso: PublishedVirtuoso, built_trig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = virtuoso.server
    monkeypatch.setenv(ENV_USER, "dba")
    monkeypatch.setenv(ENV_PASSWORD, "not-the-password")
    monkeypatch.setenv(ENV_AUTH, "digest")
    args = ["publish", "--endpoint", server.query_url, "--replace"]
    args += ["--store-url", server.store_url, "--update-url", server.update_url]
    result = CliRunner().invoke(app, [*args, "--out", str(built_trig.parent)])
    assert result.exit_code == 2, result.output
    assert "HTTP 401 Unauthorized" in result.output
    assert "not-the-password" not in result.output


def test_basic_credentials_on_a_digest_endpoint_name_the_setting(
    virtuoso: PublishedVirtuoso,
) -> None:
    """Without CTGRAPH_ENDPOINT_AUTH=digest the password goes as Basic, which
    Virtuoso's -auth endpoints refuse: the message says which setting to change."""
    from ctgraph.store.remote import Credentials, RemoteBackend

    server = virtuoso.server
    basic = Credentials.from_env({ENV_USER: "dba", ENV_PASSWORD: "dba"})
    backend = RemoteBackend(
        server.query_url, update_url=server.update_url, credentials=basic
    )
    with pytest.raises(EndpointError) as caught:
        backend.update("DROP SILENT GRAPH <urn:ctgraph:nothing>")
    assert caught.value.status == 401 and f"{ENV_AUTH}=digest" in str(caught.value)


def test_republishing_with_replace_switches_on_virtuoso(
    virtuoso: PublishedVirtuoso, built_trig: Path, embedded: OxigraphBackend
) -> None:
    """A second publication (the same build) replaces the first in one switch; the
    server then answers as before, with a new token in the manifest."""
    server = virtuoso.server
    before = server.backend().publication(refresh=True)
    report = publish(server.backend(), built_trig, replace=True)
    assert report.ok, "\n".join(report.lines())
    after = server.backend().publication(refresh=True)
    assert after.graphs == before.graphs and after.token != before.token
    remote = server.backend().select(QUERIES["types"])
    assert same_rows(remote, embedded.select(QUERIES["types"]))


def test_link_sparql_links_the_same_items_on_virtuoso(
    virtuoso: PublishedVirtuoso, tmp_path: Path
) -> None:
    """`ctgraph link sparql` against Virtuoso finds what it finds on the Oxigraph
    server (test_links): the Wikidata-shaped sample, put in a graph of its own."""
    from rdflib import Dataset, Graph, URIRef
    from rdflib.namespace import SKOS
    from test_links import FIXTURE

    from ctgraph.namespaces import links_graph

    sample = Graph().parse(FIXTURE).serialize(format="nt", encoding="utf-8")
    virtuoso.server.backend().put_graph(URIRef("urn:ctgraph:test:sample"), sample)
    args = ["link", "sparql", "--endpoint", virtuoso.server.query_url]
    result = CliRunner().invoke(app, [*args, "--timeout", "60", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "ambiguous         2" in result.output
    written = Dataset().parse(tmp_path / "links-wikidata.trig", format="trig")
    links = written.graph(links_graph("wikidata"))
    item = URIRef("http://www.wikidata.org/entity/Qtest-2396")
    assert len(links) == 3 and (None, SKOS.exactMatch, item) in links
