"""Shared fixtures: the real graph is assembled once per test session; real SPARQL
servers run on loopback ports.

`oxigraph` is one Oxigraph server for the whole session with the built graph
published (read-only for tests), and `virtuoso` the same on OpenLink Virtuoso;
`start_oxigraph` starts a private server for a test that changes what a server
holds. `http_stub` serves a handler class on a thread, for faults a real server will
not produce on demand (slowness, a cut connection). Every server is stopped at
teardown: nothing is left running.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from servers import OxigraphServer, PublishedVirtuoso, launch, launch_virtuoso
from stubs import QuietServer

from ctgraph import build as pipeline
from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store.backends import OxigraphBackend

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: a folder `ctgraph build --out` wrote, read instead of building again: the mutation
#: runs of modules the build does not involve set it, as they start a session a mutant
PREBUILT_ENV = "CTGRAPH_TEST_PREBUILT"


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> pipeline.BuildResult:
    """The real data built and validated once, written to a temporary build folder."""
    out = tmp_path_factory.mktemp("build")
    return pipeline.build(pipeline.DATA_DIR, out)


@pytest.fixture(scope="session")
def built_trig(request: pytest.FixtureRequest) -> Path:
    """The TriG file of the real build, as `ctgraph publish` reads it (that of
    PREBUILT_ENV's folder when it is set)."""
    prebuilt = os.environ.get(PREBUILT_ENV)
    if prebuilt:
        trig = (Path(prebuilt) / pipeline.TRIG).resolve()
        assert trig.is_file(), f"{PREBUILT_ENV}={prebuilt}: no {pipeline.TRIG}"
        return trig
    real_build: pipeline.BuildResult = request.getfixturevalue("real_build")
    assert real_build.report.conforms, real_build.report.to_text()
    (trig,) = [p for p in real_build.written if p.name == pipeline.TRIG]
    return trig


@pytest.fixture(scope="session")
def embedded(built_trig: Path) -> OxigraphBackend:
    return OxigraphBackend.from_trig(built_trig)


@pytest.fixture(scope="session")
def oxigraph(
    tmp_path_factory: pytest.TempPathFactory, built_trig: Path
) -> Iterator[OxigraphServer]:
    """One server for the session, with the built graph published on it."""
    from ctgraph.store.publish import publish

    server = launch(tmp_path_factory.mktemp("oxigraph"))
    try:
        report = publish(server.backend(), built_trig)
        assert report.ok, "\n".join(report.lines())
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso(
    tmp_path_factory: pytest.TempPathFactory, built_trig: Path
) -> Iterator[PublishedVirtuoso]:
    """One Virtuoso server for the session (skipped where it is not installed), with
    the built graph published through its Digest-protected Graph Store endpoint."""
    from ctgraph.store.publish import publish

    server = launch_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        started = time.monotonic()
        report = publish(server.backend(), built_trig)
        assert report.ok, "\n".join(report.lines())
        yield PublishedVirtuoso(server, time.monotonic() - started)
    finally:
        server.stop()


@pytest.fixture
def start_oxigraph(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., OxigraphServer]]:
    """Start private servers (empty, in memory unless `on_disk`, with the given
    flags); all stopped after."""
    started: list[OxigraphServer] = []

    def start(*flags: str, on_disk: bool = False) -> OxigraphServer:
        location = tmp_path_factory.mktemp("oxigraph") if on_disk else None
        server = launch(location, *flags)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def http_stub() -> Iterator[Callable[..., str]]:
    """Serve a handler class on a loopback port (127.0.0.1 unless `host`); returns
    the base URL. Everything is shut at teardown."""
    servers: list[QuietServer] = []
    threads: list[threading.Thread] = []

    def serve(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> str:
        server = QuietServer((host, 0), handler)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        servers.append(server)
        threads.append(thread)
        return f"http://{host}:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
    for thread in threads:
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def real_trig(built_trig: Path) -> Path:
    """The TriG file of the real build, for the query library."""
    return built_trig


@pytest.fixture(scope="session")
def kg(real_trig: Path) -> KnowledgeGraph:
    """The real graph on the default engine, embedded Oxigraph."""
    return KnowledgeGraph.load("oxigraph", real_trig)


@pytest.fixture(scope="session")
def kg_rdflib(real_trig: Path) -> KnowledgeGraph:
    """The same graph on rdflib's engine, to cross-check every stored query."""
    return KnowledgeGraph.load("rdflib", real_trig)
