"""Publishing to a real Oxigraph server: what the server holds after success, after
a refused or cut-off upload, and after a failed switch."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
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
from ctgraph.store.publish import (
    PublishReport,
    Status,
    Upload,
    drop,
    drop_staging,
    plan,
    publish,
    staging_graphs,
    status,
    switch_outcome,
    switch_update,
)
from ctgraph.store.remote import (
    DEFAULT_GRAPH,
    MANIFEST,
    RESERVED,
    EndpointError,
    Publication,
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
    refuse switch updates, swallow the answer to a switch the server did, refuse
    drops, or send the server another client's update right after the switch."""

    target = ""
    cut_upload: int | None = None
    refuse_switch = False
    lose_switch_answer = False
    after_switch: str | None = None
    refuse_drop = False
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
        if body is not None and body.startswith(b"DROP") and self.refuse_drop:
            self.answer(503, b"drops disabled for maintenance")
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
        if switch and self.after_switch:
            other = urllib.request.Request(
                self.target + self.path,
                data=self.after_switch.encode(),
                headers={"Content-Type": "application/sparql-update"},
                method="POST",
            )
            urllib.request.urlopen(other, timeout=10).close()
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


# -- on a build of a few triples: the same logic, fast enough to run per mutant ----

EX = "https://example.org/"
G_ONE, G_TWO = URIRef(EX + "graphs/one"), URIRef(EX + "graphs/two")
SMALL_TRIG = f"""\
<{EX}s> <{EX}p> "in the default graph" .
<{G_ONE}> {{ <{EX}a> <{EX}p> "1" , "2" . }}
<{G_TWO}> {{ <{EX}b> <{EX}p> <{EX}a> . }}
"""


@pytest.fixture
def small_trig(tmp_path: Path) -> Path:
    """Two named graphs (two triples and one) and one triple in the default graph."""
    path = tmp_path / "small.trig"
    path.write_text(SMALL_TRIG, encoding="utf-8")
    return path


def write_trig(tmp_path: Path, text: str, name: str = "other.data") -> Path:
    """A TriG file under a name that does not say so: read as TriG all the same."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_gives_one_upload_per_graph_in_name_order(small_trig: Path) -> None:
    uploads = plan(small_trig, "tok")
    assert [(u.graph, u.staging, u.triples, u.state) for u in uploads] == [
        (G_ONE, staging_iri("tok", 1), 2, "not attempted"),
        (G_TWO, staging_iri("tok", 2), 1, "not attempted"),
        (DEFAULT_GRAPH, staging_iri("tok", 3), 1, "not attempted"),
    ]
    assert uploads[0].payload == (
        f'<{EX}a> <{EX}p> "1" .\n<{EX}a> <{EX}p> "2" .\n'.encode()
    )
    assert uploads[2].payload == f'<{EX}s> <{EX}p> "in the default graph" .\n'.encode()
    assert all(u.error is None and u.on_server is None for u in uploads)


def test_plan_into_one_graph_merges_everything(small_trig: Path) -> None:
    (upload,) = plan(small_trig, "tok", single_graph=G_TWO)
    assert (upload.graph, upload.staging, upload.triples) == (
        G_TWO,
        staging_iri("tok", 1),
        4,
    )
    assert upload.payload.count(b"\n") == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"<{RESERVED}x> {{ <{EX}a> <{EX}p> 1 . }}", "uses the reserved graph name"),
        (f"_:g {{ <{EX}a> <{EX}p> 1 . }}", "has a blank node as graph name"),
        ("", "holds no triples: nothing to publish"),
        ("<unclosed", "cannot read the built graph .*: Parser error at line 1"),
    ],
)
def test_plan_refuses_what_cannot_be_published(
    tmp_path: Path, text: str, message: str
) -> None:
    trig = write_trig(tmp_path, text)
    with pytest.raises(EndpointError, match=message) as caught:
        plan(trig, "tok")
    assert str(trig) in str(caught.value)


def test_plan_of_a_missing_file_says_build_again(tmp_path: Path) -> None:
    with pytest.raises(EndpointError, match="run `ctgraph build` again"):
        plan(tmp_path / "none.trig", "tok")


def test_switch_update_text() -> None:
    uploads = [
        Upload(G_ONE, staging_iri("t", 1), 2, b""),
        Upload(G_TWO, staging_iri("t", 2), 1, b""),
    ]
    when = dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC)
    text = switch_update(uploads, [URIRef(EX + "old")], "t", when)
    m, s = MANIFEST.n3(), "https://w3id.org/ctgraph/id/publication/staging/t/"
    assert text == (
        f"MOVE <{s}1> TO <{G_ONE}> ;\n"
        f"MOVE <{s}2> TO <{G_TWO}> ;\n"
        f"DROP SILENT GRAPH <{EX}old> ;\n"
        f"DROP SILENT GRAPH {m} ;\n"
        f"INSERT DATA {{ GRAPH {m} {{\n"
        f"  {m} <http://purl.org/dc/terms/hasPart> <{G_ONE}> .\n"
        f"  {m} <http://purl.org/dc/terms/hasPart> <{G_TWO}> .\n"
        f'  {m} <http://purl.org/dc/terms/identifier> "t" .\n'
        f'  {m} <http://purl.org/dc/terms/modified> "2026-01-02T03:04:05+00:00"'
        "^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
        "} }"
    )


def test_publishing_a_small_build_reports_each_graph(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path
) -> None:
    server = start_oxigraph()
    report = publish(server.backend(), small_trig, token="first")
    assert (report.ok, report.exit_code, report.switched) == (True, 0, True)
    assert (report.error, report.unknown, report.mismatch) == (None, False, False)
    assert report.lines() == [
        f"live           {G_ONE}  (2 triples, 2 on the server)",
        f"live           {G_TWO}  (1 triples, 1 on the server)",
        f"live           {DEFAULT_GRAPH}  (the build's default graph, 1 triples,"
        " 1 on the server)",
        "live: 3 graph(s) switched in one update",
    ]
    live = server.backend().read_manifest()
    assert live is not None and live.token == "first"
    assert live.graphs == tuple(sorted((G_ONE, G_TWO, DEFAULT_GRAPH)))
    assert set(server_quads(server)) == {G_ONE, G_TWO, DEFAULT_GRAPH, MANIFEST}
    assert report.before is None and report.cleaned == [] and report.removed == []


def test_publishing_a_small_build_again_names_what_is_there(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path
) -> None:
    server = start_oxigraph()
    assert publish(server.backend(), small_trig).ok
    report = publish(server.backend(), small_trig)
    assert (report.ok, report.exit_code, report.switched) == (False, 2, False)
    assert report.error == (
        "the server already holds 3 of these graphs "
        f"(<{G_ONE}>, <{G_TWO}>, <{DEFAULT_GRAPH}>); pass --replace to replace them"
    )
    assert report.lines() == [
        "nothing uploaded (3 graphs, 4 triples)",
        "not switched: the server still serves the previous publication, unchanged",
    ]


def test_a_graph_loaded_by_other_means_blocks_a_first_publication(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path
) -> None:
    server = start_oxigraph()
    server.backend().put_graph(G_TWO, b"<urn:a> <urn:b> <urn:c> .\n")
    report = publish(server.backend(), small_trig)
    assert report.error is not None and report.error.startswith(
        f"the server already holds 1 of these graphs (<{G_TWO}>)"
    )
    assert report.lines()[-1] == (
        "not switched: the server still serves no publication, unchanged"
    )


def test_replacing_drops_graphs_the_new_build_lacks_and_old_staging(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path, tmp_path: Path
) -> None:
    server = start_oxigraph()
    assert publish(server.backend(), small_trig).ok
    left = [staging_iri("old", 2), staging_iri("old", 1)]
    for graph in left:
        server.backend().put_graph(graph, b"<urn:a> <urn:b> <urn:c> .\n")
    smaller = write_trig(tmp_path, f'<{G_ONE}> {{ <{EX}a> <{EX}p> "3" . }}\n')
    report = publish(server.backend(), smaller, replace=True, token="second")
    assert report.ok, report.lines()
    assert report.cleaned == sorted(left)
    assert report.removed == [G_TWO, DEFAULT_GRAPH]
    assert report.lines() == [
        f"live           {G_ONE}  (1 triples, 1 on the server)",
        "dropped 2 staging graph(s) left by earlier runs",
        f"removed        {G_TWO}  (not in this build)",
        f"removed        {DEFAULT_GRAPH}  (not in this build)",
        "live: 1 graph(s) switched in one update",
    ]
    assert set(server_quads(server)) == {G_ONE, MANIFEST}


def test_a_refused_upload_drops_what_was_staged(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path, http_stub
) -> None:
    server = start_oxigraph()
    report = publish(proxied(http_stub, server, cut_upload=2), small_trig, token="t")
    assert [u.state for u in report.uploads] == ["staged", "failed", "not attempted"]
    failed = report.uploads[1]
    assert report.error == (
        f"upload of <{G_TWO}> failed, so nothing was switched: {failed.error}"
    )
    assert report.leftover == [] and report.exit_code == 2
    assert server_quads(server) == {}
    lines = report.lines()
    assert lines[1:3] == [
        f"failed         {G_TWO}  (1 triples)",
        f"    {failed.error}",
    ]
    assert (
        lines[-1] == "not switched: the server still serves no publication, unchanged"
    )


def test_staging_graphs_a_refused_drop_leaves_are_the_attempted_ones(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path, http_stub
) -> None:
    server = start_oxigraph()
    backend = proxied(http_stub, server, cut_upload=2, refuse_drop=True)
    report = publish(backend, small_trig, token="t")
    assert [u.state for u in report.uploads] == ["staged", "failed", "not attempted"]
    assert report.leftover == [staging_iri("t", 1), staging_iri("t", 2)]
    assert report.lines()[-2:] == [
        "left on the server (never queried; the next publish or "
        f"`ctgraph publish --drop-staging` drops it): {staging_iri('t', n)}"
        for n in (1, 2)
    ]
    assert set(server_quads(server)) == {staging_iri("t", 1)}


def test_a_refused_switch_drops_the_staging_graphs(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path, http_stub
) -> None:
    server = start_oxigraph()
    report = publish(proxied(http_stub, server, refuse_switch=True), small_trig)
    assert not report.switched and report.removed == [] and report.leftover == []
    assert report.error is not None and report.error.startswith(
        "the switch update failed, so nothing was switched: "
    )
    assert server_quads(server) == {}


def test_a_lost_switch_answer_on_a_small_build_counts_as_done(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path, http_stub
) -> None:
    server = start_oxigraph()
    report = publish(proxied(http_stub, server, lose_switch_answer=True), small_trig)
    assert report.ok and report.exit_code == 0
    assert [u.on_server for u in report.uploads] == [2, 1, 1]


def test_triples_another_client_deletes_after_the_switch_are_reported(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path, http_stub
) -> None:
    server = start_oxigraph()
    other = (
        f'DELETE DATA {{ GRAPH <{G_ONE}> {{ <{EX}a> <{EX}p> "1" }} }} ;\n'
        f"DROP GRAPH <{G_TWO}>"
    )
    report = publish(proxied(http_stub, server, after_switch=other), small_trig)
    assert (report.switched, report.mismatch) == (True, True)
    assert (report.ok, report.exit_code) == (False, 1)
    assert report.error == (
        "the server holds other triple counts than the build: "
        f"<{G_ONE}> 1/2, <{G_TWO}> 0/1"
    )
    assert [(u.state, u.on_server) for u in report.uploads] == [
        ("live", 1),
        ("live", 0),
        ("live", 1),
    ]
    assert report.lines() == [
        f"live           {G_ONE}  (2 triples, 1 on the server)",
        f"live           {G_TWO}  (1 triples, 0 on the server)",
        f"live           {DEFAULT_GRAPH}  (the build's default graph, 1 triples,"
        " 1 on the server)",
        "live: 3 graph(s) switched in one update",
    ]


def test_switch_outcome_reads_the_token_of_the_live_publication(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path
) -> None:
    server = start_oxigraph()
    assert switch_outcome(server.backend(), "mine", answered=True) is False
    assert publish(server.backend(), small_trig, token="mine").ok
    assert switch_outcome(server.backend(), "mine", answered=True) is True
    assert switch_outcome(server.backend(), "other", answered=False) is False


def test_switch_outcome_of_a_silent_server_is_unknown_after_waiting() -> None:
    backend = RemoteBackend(f"http://127.0.0.1:{free_port()}/query", timeout=1)
    started = time.monotonic()
    assert switch_outcome(backend, "t", answered=False, patience=0.6) is None
    assert 0.5 <= time.monotonic() - started < 5
    started = time.monotonic()
    assert switch_outcome(backend, "t", answered=True, patience=5) is None
    assert time.monotonic() - started < 0.8  # asked once, not again


def test_unknown_switch_and_mismatch_reports() -> None:
    uploads = [Upload(G_ONE, staging_iri("t", 1), 2, b"", state="staged")]
    unknown = PublishReport(uploads, None, unknown=True, error="lost")
    unknown.leftover = [staging_iri("t", 1)]
    assert unknown.exit_code == 2
    assert unknown.lines()[1:] == [
        "the switch may or may not have happened: the server stopped answering "
        "during it; re-run `ctgraph publish --status` once it answers (staging "
        "graphs left behind are dropped by the next publish)",
        "left on the server (never queried; the next publish or `ctgraph publish "
        f"--drop-staging` drops it): {staging_iri('t', 1)}",
    ]
    short = PublishReport(uploads, None, switched=True, mismatch=True, error="x")
    assert (short.ok, short.exit_code) == (False, 1)
    failed = PublishReport(uploads, None, switched=False, mismatch=True, error="x")
    assert failed.exit_code == 2


def test_drop_is_best_effort() -> None:
    dead = RemoteBackend(f"http://127.0.0.1:{free_port()}/query", timeout=1)
    assert drop(dead, []) == []
    assert drop(dead, [G_ONE]) == [G_ONE]


def test_status_of_an_empty_server_and_of_a_publication(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path
) -> None:
    server = start_oxigraph()
    empty = status(server.backend())
    assert empty.lines() == [
        "no ctgraph publication on this server",
        "no staging graphs",
    ]
    assert publish(server.backend(), small_trig, token="tok").ok
    server.backend().update(f"DROP GRAPH <{G_TWO}>")
    server.backend().put_graph(staging_iri("x", 1), b"<urn:a> <urn:b> <urn:c> .\n")
    found = status(server.backend())
    assert found.staging == [staging_iri("x", 1)]
    lines = found.lines()
    assert lines[0].startswith("live: publication tok, switched 20")
    assert "+00:00, " in lines[0]  # the switch is stamped in UTC
    assert lines[0].endswith(", 3 graph(s)")
    assert lines[1:] == [
        f"  {G_ONE}  (2 triples)",
        f"  {G_TWO}  (missing on the server)",
        f"  {DEFAULT_GRAPH}  (1 triples)",
        "1 staging graph(s) left by unfinished runs (never queried; "
        "`ctgraph publish --drop-staging` drops them):",
        f"  {staging_iri('x', 1)}",
    ]
    assert drop_staging(server.backend()) == [staging_iri("x", 1)]
    assert staging_graphs(server.backend()) == []


def test_status_of_a_manifest_without_token_or_time() -> None:
    live = Publication((G_ONE,))
    assert Status(live, {G_ONE: 0}, []).lines() == [
        "live: publication (no id), switched (time unknown), 1 graph(s)",
        f"  {G_ONE}  (0 triples)",
        "no staging graphs",
    ]


def test_a_small_build_into_one_graph(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path
) -> None:
    server = start_oxigraph()
    report = publish(server.backend(), small_trig, single_graph=G_TWO)
    assert report.ok and [(u.graph, u.triples) for u in report.uploads] == [(G_TWO, 4)]
    assert set(server_quads(server)) == {G_TWO, MANIFEST}


def test_a_build_of_other_graphs_is_refused_while_a_publication_is_live(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path, tmp_path: Path
) -> None:
    server = start_oxigraph()
    assert publish(server.backend(), small_trig).ok
    other = write_trig(tmp_path, f'<{EX}graphs/three> {{ <{EX}a> <{EX}p> "3" . }}\n')
    report = publish(server.backend(), other)
    assert not report.switched
    assert report.error is not None and report.error.startswith(
        "the server already holds 3 of these graphs"
    )
    assert set(server_quads(server)) == {G_ONE, G_TWO, DEFAULT_GRAPH, MANIFEST}


class AnswersLate(BaseHTTPRequestHandler):
    """Cuts the first requests off, then forwards to a real server."""

    target = ""
    cut = 2
    seen = 0

    def do_POST(self) -> None:  # noqa: N802
        type(self).seen += 1
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.seen <= self.cut:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        request = urllib.request.Request(self.target + self.path, data=body)
        for header in ("Content-Type", "Accept"):
            request.add_header(header, self.headers[header])
        with urllib.request.urlopen(request, timeout=10) as response:
            data = response.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_switch_outcome_asks_a_silent_server_again_until_it_answers(
    start_oxigraph: Callable[..., OxigraphServer], small_trig: Path, http_stub
) -> None:
    server = start_oxigraph()
    assert publish(server.backend(), small_trig, token="mine").ok
    late = http_stub(type("Late", (AnswersLate,), {"target": server.base}))
    backend = RemoteBackend(late + "/query", timeout=2)
    assert switch_outcome(backend, "mine", answered=False, patience=5) is True
