"""Faults injected on the network side: redirects to another host, servers that
trickle, answers too big to hold, a server that dies during a publication's switch,
secrets and markup in what the user types or the server sends.

Fake servers are `http.server` on loopback threads; 127.0.0.2 stands in for
"another host" (all of 127/8 is loopback). Where the real thing matters (what a
server holds after a failed switch) a real Oxigraph server runs behind a proxy that
can die on cue.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import RDFS
from servers import OxigraphServer, free_port
from stubs import Quiet
from typer.testing import CliRunner

from ctgraph import links
from ctgraph.cli import app
from ctgraph.links import LinkError, query_endpoint
from ctgraph.namespaces import graph_iri, mint
from ctgraph.store import publish as publishing
from ctgraph.store.remote import (
    ENV_PASSWORD,
    ENV_TOKEN,
    ENV_USER,
    Credentials,
    EndpointError,
    RemoteBackend,
)

USER, PASSWORD, TOKEN = "alice", "pw-Zq81x", "tok-Zq81x-secret"
BASIC = {ENV_USER: USER, ENV_PASSWORD: PASSWORD}
SECRETS = (PASSWORD, TOKEN, "YWxpY2U6cHctWnE4MXg=")  # the last: base64 of user:pw
SELECT = "SELECT ?x WHERE { ?x ?p ?o }"


def results(rows: list[dict[str, dict[str, str]]], columns: list[str]) -> bytes:
    return json.dumps(
        {"head": {"vars": columns}, "results": {"bindings": rows}}
    ).encode()


@pytest.fixture
def serve(http_stub: Callable[..., str]) -> Callable[..., str]:
    """Serve a handler on a loopback address (127.0.0.1 unless `host`)."""
    return http_stub


def collector() -> type[Quiet]:
    """The other host: records every request it gets and answers like a SPARQL
    server, so a client that followed a redirect would print its answer."""

    class Collector(Quiet):
        seen: list[tuple[str, dict[str, str]]] = []

        def record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.seen.append((self.command, dict(self.headers)))
            row = {"x": {"type": "literal", "value": "OTHER HOST ANSWER"}}
            self.answer(200, results([row], ["x"]), "application/sparql-results+json")

        do_GET = do_POST = do_PUT = record  # noqa: N815

    return Collector


def redirector(target: str, code: int = 302) -> type[Quiet]:
    """Answers every request with a redirect to `target` + the request's path."""

    class Redirector(Quiet):
        def redirect(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(code)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_PUT = redirect  # noqa: N815

    return Redirector


@pytest.fixture
def small_trig(tmp_path: Path) -> Path:
    """A built graph of three small named graphs, as `ctgraph build` writes it: a
    publication's faults do not depend on its size, and this one uploads fast."""
    store = ox.Store()
    for number, report in enumerate(("report-a", "report-b", "report-c"), start=1):
        graph = ox.NamedNode(str(graph_iri(report)))
        for n in range(number * 3):
            subject = ox.NamedNode(str(mint("entity", f"{report}-{n}")))
            label = ox.Literal(f"{report} {n}", language="en")
            store.add(ox.Quad(subject, ox.NamedNode(str(RDFS.label)), label, graph))
    folder = tmp_path / "build"
    folder.mkdir()
    store.dump(str(folder / "ctgraph.trig"), format=ox.RdfFormat.TRIG)
    return folder / "ctgraph.trig"


def no_secret_in(text: str) -> bool:
    return not any(secret in text for secret in SECRETS)


# -- 1. credentials never follow a redirect to another host -----------------------


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_query_redirected_to_another_host_is_refused_and_sends_nothing(
    serve: Callable[..., str], code: int
) -> None:
    other = collector()
    elsewhere = serve(other, "127.0.0.2")
    named = serve(redirector(elsewhere, code))
    backend = RemoteBackend(
        named + "/query",
        credentials=Credentials.from_env(BASIC),
        server_union=True,
        timeout=5,
    )
    with pytest.raises(EndpointError) as caught:
        backend.select(SELECT)
    message = str(caught.value)
    assert named in message and elsewhere in message, message
    assert "never redirected" in message and no_secret_in(message)
    assert other.seen == []


def test_cli_sparql_server_union_never_prints_another_hosts_answer(
    serve: Callable[..., str],
) -> None:
    other = collector()
    elsewhere = serve(other, "127.0.0.2")
    named = serve(redirector(elsewhere, 302))
    args = ["sparql", SELECT, "--endpoint", named + "/query", "--server-union"]
    result = CliRunner().invoke(app, args, env={ENV_TOKEN: TOKEN})
    assert result.exit_code == 2, result.output
    assert "OTHER HOST ANSWER" not in result.output
    assert elsewhere in result.output and no_secret_in(result.output)
    assert other.seen == []


def test_a_get_follows_a_redirect_on_its_own_host_only(
    serve: Callable[..., str],
) -> None:
    """`link sparql` queries by GET: a move on the same server is followed, a move
    to another host is not."""

    class Moved(Quiet):
        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/old"):
                self.send_response(301)
                self.send_header("Location", "/sparql" + self.path[len("/old") :])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            row = {
                "item": {"type": "uri", "value": "http://example.org/item/1"},
                "symbol": {"type": "literal", "value": "S/RES/2396 (2017)"},
            }
            body = results([row], ["item", "symbol"])
            self.answer(200, body, "application/sparql-results+json")

    base = serve(Moved)
    found, skipped, rows = query_endpoint(base + "/old", "SELECT * {}", timeout=5)
    assert rows == 1 and len(found) == 1 and not skipped
    other = collector()
    elsewhere = serve(other, "127.0.0.2")
    with pytest.raises(LinkError) as caught:
        query_endpoint(serve(redirector(elsewhere)) + "/q", "SELECT * {}", timeout=5)
    assert "another host" in str(caught.value) and elsewhere in str(caught.value)
    assert other.seen == []


def test_a_graph_store_upload_is_never_redirected(
    serve: Callable[..., str],
    start_oxigraph: Callable[..., OxigraphServer],
    small_trig: Path,
) -> None:
    """publish sends its uploads by PUT: a redirect, even one the server means
    well, is an error, and the other host never sees the token."""
    server = start_oxigraph()
    other = collector()
    elsewhere = serve(other, "127.0.0.2")
    store = serve(redirector(elsewhere + "/store", 307)) + "/store"
    args = ["publish", "--endpoint", server.query_url, "--store-url", store]
    args += ["--out", str(small_trig.parent)]
    result = CliRunner().invoke(app, args, env={ENV_TOKEN: TOKEN})
    assert result.exit_code == 2, result.output
    assert "PUT request is never redirected" in result.output
    assert no_secret_in(result.output) and other.seen == []
    assert publishing.status(server.backend()).live is None


# -- 7. a total deadline and a size cap ----------------------------------------------


class Trickle(Quiet):
    """Sends a byte every 0.2 s: each socket wait is short, the whole is endless."""

    in_headers = False

    def drip(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        try:
            if self.in_headers:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" * 10:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            return

    do_GET = do_POST = drip  # noqa: N815


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
def test_a_trickling_server_is_given_up_on_at_the_deadline(
    serve: Callable[..., str], in_headers: bool
) -> None:
    handler = type("Dripping", (Trickle,), {"in_headers": in_headers})
    url = serve(handler) + "/query"
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"did not answer within 1 s"):
        RemoteBackend(url, timeout=1, server_union=True).select(SELECT)
    assert time.monotonic() - started < 2.5
    started = time.monotonic()
    with pytest.raises(LinkError, match=r"did not answer within 1 s"):
        query_endpoint(url, "SELECT * {}", timeout=1)
    assert time.monotonic() - started < 2.5


def test_cli_timeout_is_a_total_deadline(serve: Callable[..., str]) -> None:
    url = serve(Trickle) + "/query"
    started = time.monotonic()
    args = ["sparql", SELECT, "--endpoint", url, "--server-union", "--timeout", "1"]
    result = CliRunner().invoke(app, args)
    assert time.monotonic() - started < 3
    assert result.exit_code == 2 and "did not answer within 1 s" in result.output


class Huge(Quiet):
    """200 MB of answer: declared up front, or streamed with no length at all."""

    declare = True

    def flood(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if self.declare:
            self.send_header("Content-Length", str(200 * 1024 * 1024))
        else:
            self.close_connection = True
        self.end_headers()
        chunk = b" " * 65536
        try:
            for _ in range(200 * 16):
                self.wfile.write(chunk)
        except OSError:
            return

    do_GET = do_POST = flood  # noqa: N815


def test_a_huge_declared_answer_is_refused_before_it_is_read(
    serve: Callable[..., str],
) -> None:
    url = serve(Huge) + "/query"
    started = time.monotonic()
    result = CliRunner().invoke(
        app, ["sparql", SELECT, "--endpoint", url, "--server-union"]
    )
    assert result.exit_code == 2
    assert "larger than 128 MB" in result.output and "narrow the query" in result.output
    assert time.monotonic() - started < 3


def test_an_endless_answer_is_cut_at_the_cap(serve: Callable[..., str]) -> None:
    url = serve(type("Endless", (Huge,), {"declare": False})) + "/query"
    started = time.monotonic()
    backend = RemoteBackend(url, server_union=True, max_bytes=1024 * 1024)
    with pytest.raises(EndpointError, match="larger than 1 MB"):
        backend.select(SELECT)
    with pytest.raises(LinkError, match="larger than 1 MB"):
        query_endpoint(url, "SELECT * {}", timeout=5, max_bytes=1024 * 1024)
    assert time.monotonic() - started < 3


class CutShort(Quiet):
    """Promises 1000 bytes, sends 10 and hangs up."""

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b'{"head": {')
        self.close_connection = True


def test_an_answer_cut_short_is_named_as_such(serve: Callable[..., str]) -> None:
    backend = RemoteBackend(serve(CutShort) + "/query", server_union=True, timeout=5)
    with pytest.raises(EndpointError, match="cut off in the middle of the answer"):
        backend.select(SELECT)


MALFORMED = {
    "binding not an object": b'{"head":{"vars":["x"]},"results":{"bindings":[1]}}',
    "term without a type": (
        b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"value":"a"}}]}}'
    ),
    "IRI not a string": (
        b'{"head":{"vars":["x"]},"results":{"bindings":'
        b'[{"x":{"type":"uri","value":5}}]}}'
    ),
    "a list": b"[1, 2]",
    "head not an object": b'{"head": 1}',
    "nested 100,000 deep": b"[" * 100_000,
}


@pytest.mark.parametrize("shape", sorted(MALFORMED))
def test_malformed_results_exit_2_without_a_traceback(
    serve: Callable[..., str], shape: str
) -> None:
    class Malformed(Quiet):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = MALFORMED[shape]
            self.answer(200, body, "application/sparql-results+json")

    url = serve(Malformed) + "/query"
    result = CliRunner().invoke(
        app, ["sparql", SELECT, "--endpoint", url, "--server-union"]
    )
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "SPARQL JSON" in result.output or "invalid term" in result.output


# -- 11. a server that dies during the switch ---------------------------------------


class Dying(Quiet):
    """A proxy for a real server that dies on cue around the switch update.

    `when`: "after" forwards the switch to the server and then dies (the switch
    happened), "before" dies instead of forwarding it (it did not). Dead, it cuts
    every connection, until `revive_after` seconds have passed (None: never, until
    `alive` is set)."""

    target = ""
    when = "after"
    revive_after: float | None = None
    died_at: float | None = None
    alive = threading.Event()

    def dead(self) -> bool:
        cls = type(self)
        if cls.died_at is None or cls.alive.is_set():
            return False
        if cls.revive_after is not None:
            return time.monotonic() - cls.died_at < cls.revive_after
        return True

    def cut(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.dead():
            self.cut()
            return
        switch = body is not None and body.startswith(b"MOVE")
        if switch and self.when == "before":
            type(self).died_at = time.monotonic()
            self.cut()
            return
        request = urllib.request.Request(
            self.target + self.path, data=body, method=self.command
        )
        for header in ("Content-Type", "Accept"):
            if self.headers.get(header):
                request.add_header(header, self.headers[header])
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, data = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, data = exc.code, exc.read()
        if switch:
            type(self).died_at = time.monotonic()
            self.cut()
            return
        self.answer(status, data, "application/sparql-results+json")

    do_GET = do_POST = do_PUT = do_DELETE = forward  # noqa: N815


def dying(serve: Callable[..., str], server: OxigraphServer, **how: object) -> str:
    """The proxy's query URL (an Oxigraph-style layout: /update and /store too)."""
    fields = {"target": server.base, "alive": threading.Event(), **how}
    return serve(type("DyingProxy", (Dying,), fields)) + "/query"


@pytest.fixture
def quick_recheck(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ask a silent server again for 1 s, not the default 10 s, to keep tests fast."""
    monkeypatch.setattr(publishing, "RECHECK_SECONDS", 1.0)


@pytest.mark.parametrize("when", ["after", "before"])
def test_a_server_dying_during_the_switch_is_reported_as_unknown(
    serve: Callable[..., str],
    start_oxigraph: Callable[..., OxigraphServer],
    small_trig: Path,
    quick_recheck: None,
    when: str,
) -> None:
    server = start_oxigraph()
    assert publishing.publish(server.backend(), small_trig).ok
    first = publishing.status(server.backend()).live
    assert first is not None
    url = dying(serve, server, when=when)
    args = ["publish", "--endpoint", url, "--replace", "--out", str(small_trig.parent)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "may or may not have happened" in result.output
    assert "ctgraph publish --status" in result.output
    assert "nothing was switched" not in result.output
    # the server is back: --status says which publication is live, and what is left
    state = publishing.status(server.backend())
    assert state.live is not None
    switched = state.live.token != first.token
    assert switched == (when == "after")
    if switched:  # MOVE emptied the staging graphs into the live ones
        assert state.staging == []
    else:  # the server never saw the switch: the uploads wait in staging
        assert len(state.staging) == len(first.graphs)
    status = CliRunner().invoke(
        app, ["publish", "--endpoint", server.query_url, "--status"]
    )
    assert status.exit_code == 0, status.output
    assert f"live: publication {state.live.token}" in status.output
    if not switched:
        assert f"{len(state.staging)} staging graph(s) left" in status.output


def test_a_switch_is_recognised_once_the_server_answers_again(
    serve: Callable[..., str],
    start_oxigraph: Callable[..., OxigraphServer],
    small_trig: Path,
    quick_recheck: None,
) -> None:
    server = start_oxigraph()
    url = dying(serve, server, when="after", revive_after=0.4)
    report = publishing.publish(RemoteBackend(url, timeout=5), small_trig)
    assert report.ok and not report.unknown, report.lines()
    live = publishing.status(server.backend()).live
    assert live is not None and len(live.graphs) == len(report.uploads)


def test_a_publication_exits_by_the_contract() -> None:
    def report(**state: object) -> publishing.PublishReport:
        return publishing.PublishReport([], None, **state)  # type: ignore[arg-type]

    assert report(switched=True).exit_code == 0
    counts = "the server holds other triple counts than the build"
    assert report(switched=True, mismatch=True, error=counts).exit_code == 1
    assert report(error="upload failed").exit_code == 2
    assert report(unknown=True, error="may or may not").exit_code == 2


def test_staging_graphs_left_by_failed_runs_are_listed_and_dropped(
    serve: Callable[..., str],
    start_oxigraph: Callable[..., OxigraphServer],
    small_trig: Path,
    quick_recheck: None,
) -> None:
    server = start_oxigraph()
    report = publishing.publish(
        RemoteBackend(dying(serve, server, when="before"), timeout=5), small_trig
    )
    assert report.unknown and report.leftover
    left = publishing.staging_graphs(server.backend())
    assert left and left == sorted(u.staging for u in report.uploads)
    base = ["publish", "--endpoint", server.query_url]
    listed = CliRunner().invoke(app, [*base, "--status"])
    assert listed.exit_code == 0 and f"{len(left)} staging graph(s)" in listed.output
    assert all(str(g) in listed.output for g in left)
    dropped = CliRunner().invoke(app, [*base, "--drop-staging"])
    assert dropped.exit_code == 0, dropped.output
    assert f"dropped {len(left)} staging graph(s)" in dropped.output
    assert "no staging graphs" in dropped.output
    assert publishing.staging_graphs(server.backend()) == []
    # and a publication after a failed run cleans up by itself
    publishing.publish(
        RemoteBackend(dying(serve, server, when="before"), timeout=5), small_trig
    )
    assert publishing.staging_graphs(server.backend())
    report = publishing.publish(server.backend(), small_trig)
    assert report.ok and len(report.cleaned) == len(report.uploads)
    assert any("left by earlier runs" in line for line in report.lines())
    assert publishing.staging_graphs(server.backend()) == []


# -- 3. secrets never reach a message -----------------------------------------------


def test_link_sparql_never_shows_userinfo_or_secret_parameters(tmp_path: Path) -> None:
    url = f"http://{USER}:{PASSWORD}@127.0.0.1:{free_port()}/sparql?apikey={TOKEN}"
    result = CliRunner().invoke(
        app, ["link", "sparql", "--endpoint", url, "--out", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "holds credentials" in result.output and "apikey=REDACTED" in result.output
    assert USER not in result.output and no_secret_in(result.output)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["query", "sparql"])
def test_a_secret_query_parameter_is_redacted_in_errors(command: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/query?access_token={TOKEN}"
    first = "source-reports" if command == "query" else SELECT
    result = CliRunner().invoke(app, [command, first, "--endpoint", url])
    assert result.exit_code == 2 and "connection refused" in result.output
    assert "access_token=REDACTED" in result.output and no_secret_in(result.output)


def test_a_redirect_target_is_redacted(serve: Callable[..., str]) -> None:
    elsewhere = serve(collector(), "127.0.0.2")
    named = serve(
        redirector(f"http://{USER}:{PASSWORD}@{elsewhere[7:]}/x?token={TOKEN}")
    )
    with pytest.raises(LinkError) as caught:
        query_endpoint(named, "SELECT * {}", timeout=5)
    assert "token=REDACTED" in str(caught.value) and no_secret_in(str(caught.value))


# -- 4. outside text is shown literally ---------------------------------------------

MARKUP = "[bold]B[/bold] [link=http://evil.example]click[/link] [/x]"
ESCAPES = "\x1b]0;retitled\x07\x1b[31mred\x9b2J"


class Hostile(Quiet):
    """A SPARQL server whose values carry rich markup and terminal escape codes."""

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        rows = [
            {"v": {"type": "literal", "value": MARKUP}},
            {"v": {"type": "literal", "value": ESCAPES}},
        ]
        self.answer(200, results(rows, ["v"]), "application/sparql-results+json")

    def do_GET(self) -> None:  # noqa: N802
        rows = [
            {
                "item": {"type": "uri", "value": "http://example.org/x"},
                "symbol": {"type": "literal", "value": ESCAPES + MARKUP},
            }
        ]
        body = results(rows, ["item", "symbol"])
        self.answer(200, body, "application/sparql-results+json")


def test_a_servers_values_are_shown_literally_in_a_table(
    serve: Callable[..., str],
) -> None:
    url = serve(Hostile) + "/query"
    args = ["sparql", "SELECT ?v {}", "--endpoint", url, "--server-union"]
    result = CliRunner().invoke(app, [*args, "--format", "table"])
    assert result.exit_code == 0, result.output
    flat = "".join(line.strip("│ ") for line in result.output.splitlines())
    assert "[bold]B[/bold]" in flat and "[link=http://evil.example]" in flat
    assert "\x1b" not in result.output and "\x9b" not in result.output
    assert "\\x1b]0;retitled" in flat


def test_a_link_report_shows_a_servers_text_literally(
    serve: Callable[..., str], tmp_path: Path
) -> None:
    url = serve(Hostile) + "/sparql"
    result = CliRunner().invoke(
        app, ["link", "sparql", "--endpoint", url, "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "rows skipped      1 of 1" in result.output
    assert "\x1b" not in result.output and "\x9b" not in result.output
    assert "\\x1b]0;retitled" in result.output
    found, skipped, rows = query_endpoint(url, "SELECT * {}", timeout=5)
    report = links.match([], found, dataset="hostile", rows=rows, skipped=skipped)
    text = report.to_json()
    assert "\x1b" not in text and "\x9b" not in text
    assert json.loads(text)["skipped"][0]["reason"] == skipped[0].reason


def test_a_parameter_with_markup_is_refused_literally() -> None:
    result = CliRunner().invoke(app, ["query", "events", "--param", "from=[/x]"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "'[/x]' is not a date" in result.output


# -- 5. a dataset name cannot leave --out -------------------------------------------


def test_a_dataset_name_with_a_path_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("number,url\n2396,http://example.org/r/2396\n", encoding="utf-8")
    out = tmp_path / "deep" / "er" / "out"
    result = CliRunner().invoke(
        app,
        ["link", "csv", str(table), "--number-column", "number", "--url-column", "url"]
        + ["--dataset-name", "x/../../../escape-target", "--out", str(out)],
    )
    assert result.exit_code == 2 and "is not a slug" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["t.csv"]


# -- 12. one exit-code contract, no traceback ---------------------------------------


def remote_commands(url: str, out: Path) -> dict[str, list[str]]:
    return {
        "publish": ["publish", "--endpoint", url, "--out", str(out)],
        "publish --status": ["publish", "--endpoint", url, "--status"],
        "query": ["query", "source-reports", "--endpoint", url],
        "query, a name looked up": ["query", "working-group-leadership", "--param"]
        + ["group=compact-wg-3", "--endpoint", url],
        "sparql": ["sparql", SELECT, "--endpoint", url],
        "link sparql": ["link", "sparql", "--endpoint", url, "--out", str(out / "l")],
    }


COMMANDS = list(remote_commands("u", Path("o")))


def test_the_remote_commands_were_collected() -> None:
    assert len(COMMANDS) == 6


@pytest.mark.parametrize("command", COMMANDS)
def test_a_refused_connection_exits_2_for_every_remote_command(
    command: str, small_trig: Path
) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    args = remote_commands(url, small_trig.parent)[command]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "connection refused" in result.output
    assert isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize(
    ("endpoint", "timeout", "expected"),
    [
        ("http://[::1/query", "5", "not a usable URL"),
        ("http://127.0.0.1:99999/query", "5", "not a usable URL"),
        ("http://127.0.0.1:1/qu ery", "5", "percent-encode"),
        ("http://127.0.0.1:1/query", "inf", "not a number of seconds"),
        # click 8.2 and later refuse nan by the option's range; click 8.1 (the
        # lowest a supported typer allows) leaves it to ctgraph's own check
        (
            "http://127.0.0.1:1/query",
            "nan",
            "greater than or equal to 0.1 | not a number of seconds",
        ),
        ("http://127.0.0.1:1/" + "q" * 130_000, "5", "more characters"),
    ],
)
def test_bad_endpoints_and_timeouts_exit_2_without_a_traceback(
    endpoint: str, timeout: str, expected: str
) -> None:
    result = CliRunner().invoke(
        app, ["sparql", SELECT, "--endpoint", endpoint, "--timeout", timeout]
    )
    assert result.exit_code == 2, result.output
    assert any(part in result.output for part in expected.split(" | ")), result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert len(result.output) < 2000


def test_a_corrupt_build_is_refused_before_the_server_is_asked(tmp_path: Path) -> None:
    (tmp_path / "ctgraph.trig").write_bytes(b'<a> <b> "unterminated .\n\xff')
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(
        app, ["publish", "--endpoint", url, "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "cannot read the built graph" in result.output
    assert isinstance(result.exception, SystemExit), result.exception


def test_a_token_that_cannot_be_a_header_is_refused() -> None:
    for token in ("a b", "tok\r\nX-Injected: 1", "tök"):
        with pytest.raises(EndpointError, match="cannot have"):
            Credentials.from_env({ENV_TOKEN: token})
