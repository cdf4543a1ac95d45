"""Publishing to a real Oxigraph server: what the server holds after success, after
a refused or cut-off upload, and after a failed switch."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.term import Node
from servers import OxigraphServer, free_port
from typer.testing import CliRunner

from ctgraph.cli import app
from ctgraph.namespaces import CTG, graph_iri, mint
from ctgraph.store.backends import OxigraphBackend, from_ox
from ctgraph.store.publish import Upload, publish, switch_update
from ctgraph.store.remote import (
    DEFAULT_GRAPH,
    MANIFEST,
    RESERVED,
    EndpointError,
    RemoteBackend,
    from_json,
    staging_iri,
)

Quads = dict[URIRef, Counter[tuple[Node | None, ...]]]
TYPES = "SELECT ?s ?type WHERE { ?s a ?type }"


def server_quads(server: OxigraphServer) -> Quads:
    """Every named graph on the server, as the server holds it (no dataset)."""
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = server.backend().raw_select(query)["results"]["bindings"]
    quads: Quads = {}
    for row in rows:
        triple = tuple(from_json(row[v]) for v in ("s", "p", "o"))
        quads.setdefault(URIRef(row["g"]["value"]), Counter())[triple] += 1
    return quads


def built_quads(trig: Path, single: URIRef | None = None) -> Quads:
    """What a publication of `trig` must put on the server, manifest aside."""
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    quads: Quads = {}
    for q in store:
        if single is not None:
            name = single
        elif isinstance(q.graph_name, ox.DefaultGraph):
            name = DEFAULT_GRAPH
        else:
            name = URIRef(q.graph_name.value)
        triple = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
        quads.setdefault(name, Counter())[triple] = 1
    return quads


def without_manifest(quads: Quads) -> Quads:
    return {g: t for g, t in quads.items() if g != MANIFEST}


@pytest.fixture
def second_build(built_trig: Path, tmp_path: Path) -> Path:
    """A later build: the reference graph gone, one fact more in another graph."""
    store = ox.Store()
    store.bulk_load(path=str(built_trig), format=ox.RdfFormat.TRIG)
    gone = ox.NamedNode(str(graph_iri("reference")))
    assert len(list(store.quads_for_pattern(None, None, None, gone))) > 0
    store.remove_graph(gone)
    store.add(
        ox.Quad(
            ox.NamedNode(str(mint("entity", "test-only"))),
            ox.NamedNode(str(CTG.acronym)),
            ox.Literal("TEST"),
            ox.NamedNode(str(graph_iri("sg-report-2018"))),
        )
    )
    path = tmp_path / "second.trig"
    store.dump(str(path), format=ox.RdfFormat.TRIG)
    return path


def test_publish_puts_each_graph_and_a_manifest(
    start_oxigraph: Callable[..., OxigraphServer], built_trig: Path
) -> None:
    server = start_oxigraph()
    report = publish(server.backend(), built_trig)
    assert report.ok, report.lines()
    held = server_quads(server)
    assert without_manifest(held) == built_quads(built_trig)
    assert report.uploads, "nothing was uploaded"
    assert all(u.on_server == u.triples for u in report.uploads)
    live = server.backend().publication()
    assert set(live.graphs) == set(built_quads(built_trig))
    assert not [g for g in held if str(g).startswith(RESERVED + "staging/")]


def test_publishing_again_without_replace_is_refused_and_changes_nothing(
    start_oxigraph: Callable[..., OxigraphServer], built_trig: Path
) -> None:
    server = start_oxigraph()
    assert publish(server.backend(), built_trig).ok
    before = server_quads(server)
    report = publish(server.backend(), built_trig)
    assert not report.ok and "pass --replace" in (report.error or "")
    assert server_quads(server) == before


def test_graphs_loaded_by_other_means_are_not_overwritten_without_replace(
    start_oxigraph: Callable[..., OxigraphServer], built_trig: Path
) -> None:
    server = start_oxigraph()
    target = graph_iri("sg-report-2018")
    server.backend().update(
        f"INSERT DATA {{ GRAPH {target.n3()} {{ <urn:a> <urn:b> <urn:c> }} }}"
    )
    report = publish(server.backend(), built_trig)
    assert not report.ok and str(target) in (report.error or "")
    assert set(server_quads(server)) == {target}


def test_replace_switches_to_exactly_the_new_build(
    start_oxigraph: Callable[..., OxigraphServer],
    built_trig: Path,
    second_build: Path,
) -> None:
    server = start_oxigraph()
    assert publish(server.backend(), built_trig).ok
    report = publish(server.backend(), second_build, replace=True)
    assert report.ok, report.lines()
    assert report.removed == [graph_iri("reference")]
    assert without_manifest(server_quads(server)) == built_quads(second_build)
    remote = server.backend().select(TYPES)
    local = OxigraphBackend.from_trig(second_build).select(TYPES)
    assert Counter(remote.rows) == Counter(local.rows)


def test_graphs_outside_the_manifest_are_never_queried(
    start_oxigraph: Callable[..., OxigraphServer],
    built_trig: Path,
    embedded: OxigraphBackend,
) -> None:
    """A staging graph (here left by hand) is on the server but not in queries."""
    server = start_oxigraph()
    assert publish(server.backend(), built_trig).ok
    stray = staging_iri("left-over", 1)
    server.backend().put_graph(
        stray, f"<urn:stray> {RDF.type.n3()} {CTG.WorkingGroup.n3()} .\n".encode()
    )
    assert stray in server_quads(server)
    assert Counter(server.backend().select(TYPES).rows) == Counter(
        embedded.select(TYPES).rows
    )


def test_one_graph_for_everything_with_graph_option(
    start_oxigraph: Callable[..., OxigraphServer],
    built_trig: Path,
    embedded: OxigraphBackend,
) -> None:
    server = start_oxigraph()
    single = URIRef("https://example.org/graphs/ctgraph")
    report = publish(server.backend(), built_trig, single_graph=single)
    assert report.ok, report.lines()
    assert without_manifest(server_quads(server)) == built_quads(built_trig, single)
    # one graph holds each triple once, where the embedded union repeats a triple
    # for every source graph that states it: the same rows, not the same counts
    assert set(server.backend().select(TYPES).rows) == set(embedded.select(TYPES).rows)


class Proxy(BaseHTTPRequestHandler):
    """Forwards requests to a real server, but can cut the n-th upload midway,
    refuse switch updates, or swallow the answer to a switch the server did."""

    target = ""
    cut_upload: int | None = None
    refuse_switch = False
    lose_switch_answer = False
    uploads = 0
    lock = threading.Lock()

    def forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if self.command == "PUT":
            with self.lock:
                type(self).uploads += 1
                number = type(self).uploads
            if number == self.cut_upload:
                self.rfile.read(length // 2)
                self.cut()
                return
        body = self.rfile.read(length) if length else None
        switch = body is not None and body.startswith(b"MOVE")
        if switch and self.refuse_switch:
            self.answer(503, b"update endpoint disabled for maintenance")
            return
        request = urllib.request.Request(
            self.target + self.path, data=body, method=self.command
        )
        for header in ("Content-Type", "Accept", "Authorization"):
            if self.headers.get(header):
                request.add_header(header, self.headers[header])
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, data = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, data = exc.code, exc.read()
        if switch and self.lose_switch_answer:
            self.cut()
            return
        self.answer(status, data)

    do_GET = do_POST = do_PUT = do_DELETE = forward  # noqa: N815

    def cut(self) -> None:
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def answer(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def proxied(http_stub, server: OxigraphServer, **behaviour: object) -> RemoteBackend:
    """A backend that queries the server directly but uploads and updates through
    a Proxy with the given behaviour."""
    handler = type("ConfiguredProxy", (Proxy,), {"target": server.base, **behaviour})
    base = http_stub(handler)
    return RemoteBackend(
        server.query_url, store_url=base + "/store", update_url=base + "/update"
    )


def test_an_upload_cut_off_midway_leaves_the_old_graph_whole(
    start_oxigraph: Callable[..., OxigraphServer],
    built_trig: Path,
    second_build: Path,
    http_stub,
) -> None:
    server = start_oxigraph(on_disk=True)
    assert publish(server.backend(), built_trig).ok
    before = server_quads(server)
    report = publish(proxied(http_stub, server, cut_upload=2), second_build, True)
    assert not report.ok and not report.switched
    states = [u.state for u in report.uploads]
    assert states[:2] == ["staged", "failed"]
    assert set(states[2:]) == {"not attempted"} and len(states) > 2
    failed = report.uploads[1]
    assert "cut off" in (failed.error or "") and str(failed.graph) in report.error
    text = "\n".join(report.lines())
    assert "not attempted" in text and "still serves the previous publication" in text
    assert report.leftover == []
    assert server_quads(server) == before


def test_a_refused_switch_leaves_the_old_graph_whole(
    start_oxigraph: Callable[..., OxigraphServer],
    built_trig: Path,
    second_build: Path,
    http_stub,
) -> None:
    server = start_oxigraph()
    assert publish(server.backend(), built_trig).ok
    before = server_quads(server)
    report = publish(proxied(http_stub, server, refuse_switch=True), second_build, True)
    assert not report.switched
    assert "HTTP 503" in (report.error or "") and "maintenance" in report.error
    assert report.uploads, "nothing was uploaded"
    assert all(u.state == "staged" for u in report.uploads)
    assert server_quads(server) == before


def test_a_switch_whose_answer_was_lost_is_recognised_as_done(
    start_oxigraph: Callable[..., OxigraphServer],
    built_trig: Path,
    second_build: Path,
    http_stub,
) -> None:
    server = start_oxigraph()
    assert publish(server.backend(), built_trig).ok
    backend = proxied(http_stub, server, lose_switch_answer=True)
    report = publish(backend, second_build, replace=True)
    assert report.ok, report.lines()
    assert without_manifest(server_quads(server)) == built_quads(second_build)


def test_the_server_applies_a_switch_wholly_or_not_at_all(
    start_oxigraph: Callable[..., OxigraphServer], built_trig: Path
) -> None:
    """What the staging design relies on: one update request is one transaction.
    The last MOVE names a staging graph that was never uploaded."""
    server = start_oxigraph(on_disk=True)
    assert publish(server.backend(), built_trig).ok
    before = server_quads(server)
    server.backend().put_graph(staging_iri("t", 1), b"<urn:a> <urn:b> <urn:c> .\n")
    uploads = [
        Upload(graph_iri("sg-report-2018"), staging_iri("t", 1), 1, b""),
        Upload(graph_iri("reference"), staging_iri("t", 2), 1, b""),
    ]
    update = switch_update(uploads, [], "t", dt.datetime.now(dt.UTC))
    with pytest.raises(EndpointError, match="HTTP 500"):
        server.backend().update(update)
    after = server_quads(server)
    assert after.pop(staging_iri("t", 1))
    assert after == before


def test_reserved_graph_names_cannot_be_published_into(built_trig: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "publish",
            "--endpoint",
            f"http://127.0.0.1:{free_port()}/query",
            "--graph",
            RESERVED + "manifest",
            "--out",
            str(built_trig.parent),
        ],
    )
    assert result.exit_code == 2 and "reserved" in result.output


def test_cli_publish_reports_each_graph(
    start_oxigraph: Callable[..., OxigraphServer], built_trig: Path
) -> None:
    server = start_oxigraph()
    args = ["publish", "--endpoint", server.query_url, "--out", str(built_trig.parent)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for graph in built_quads(built_trig):
        assert f"live           {graph}" in result.output
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "pass --replace" in again.output
    assert CliRunner().invoke(app, [*args, "--replace"]).exit_code == 0


def test_cli_publish_to_nothing_says_connection_refused(built_trig: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(
        app, ["publish", "--endpoint", url, "--out", str(built_trig.parent)]
    )
    assert result.exit_code == 2
    assert "connection refused" in result.output and url in result.output


def test_cli_publish_without_a_build_says_build_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["publish", "--endpoint", "http://127.0.0.1:1/query", "--out", str(tmp_path)],
    )
    assert result.exit_code == 2 and "ctgraph build" in result.output
