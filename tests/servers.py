"""Real SPARQL servers for tests, on free loopback ports: `oxigraph serve` (from
PyPI) and OpenLink Virtuoso's `virtuoso-t` (Debian's virtuoso-opensource)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from ctgraph.store.remote import (
    ENV_AUTH,
    ENV_PASSWORD,
    ENV_USER,
    Credentials,
    RemoteBackend,
)

STARTUP_SECONDS = 20.0


def oxigraph_binary() -> str:
    """The `oxigraph` server the test extra installs, next to this Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        pytest.fail("no `oxigraph` server binary: pip install -e '.[test]'")
    return found


def free_port() -> int:
    """A loopback port nothing listens on (right now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class OxigraphServer:
    """A running `oxigraph serve` process and its URLs."""

    process: subprocess.Popen[bytes]
    base: str

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    def backend(self, **options: object) -> RemoteBackend:
        return RemoteBackend(self.query_url, **options)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def launch(location: Path | None, *flags: str) -> OxigraphServer:
    """Start `oxigraph serve` on a free port and wait until it answers a query.

    On disk at `location`, or in memory when it is None (three times faster to
    write to, for tests that publish many times)."""
    port = free_port()
    where = ["--location", str(location)] if location is not None else []
    log = tempfile.TemporaryFile()  # not a pipe: a full pipe would stall the server
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", *where, "--bind", f"127.0.0.1:{port}", *flags],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = OxigraphServer(process, f"http://127.0.0.1:{port}")
    probe = server.query_url + "?query=ASK%7B%7D"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            log.seek(0)
            message = log.read().decode(errors="replace")
            pytest.fail(f"oxigraph serve exited with {process.returncode}: {message}")
        try:
            with urllib.request.urlopen(probe, timeout=1) as response:
                response.read()
            return server
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                server.stop()
                pytest.fail(f"oxigraph serve did not answer on port {port}")
            time.sleep(0.02)


# -- OpenLink Virtuoso -------------------------------------------------------------

VIRTUOSO_STARTUP_SECONDS = 180.0
#: the account a fresh Virtuoso database is created with
VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"
#: settings for a small throw-away database: loopback ports only, a result limit high
#: enough that no stored query is cut short (the packaged default is 10,000 rows)
VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def virtuoso_binary() -> str | None:
    """Debian's `virtuoso-t` (package virtuoso-opensource), or None."""
    return shutil.which("virtuoso-t")


@dataclass
class VirtuosoServer:
    """A running `virtuoso-t` process, its URLs and how long it took to start."""

    process: subprocess.Popen[bytes]
    base: str
    folder: Path
    startup_seconds: float

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def update_url(self) -> str:
        """SPARQL Update for authenticated users (HTTP Digest)."""
        return self.base + "/sparql-auth"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol for authenticated users (HTTP Digest)."""
        return self.base + "/sparql-graph-crud-auth"

    def credentials(self, password: str = VIRTUOSO_PASSWORD) -> Credentials:
        return Credentials.from_env(
            {ENV_USER: VIRTUOSO_USER, ENV_PASSWORD: password, ENV_AUTH: "digest"}
        )

    def backend(self, password: str = VIRTUOSO_PASSWORD, **options: object):
        return RemoteBackend(
            self.query_url,
            store_url=self.store_url,
            update_url=self.update_url,
            credentials=self.credentials(password),
            **options,  # type: ignore[arg-type]
        )

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop by its own pid: SIGTERM makes Virtuoso shut down cleanly."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class PublishedVirtuoso:
    """The session's Virtuoso server, and what publishing the built graph took."""

    server: VirtuosoServer
    publish_seconds: float


def launch_virtuoso(folder: Path) -> VirtuosoServer:
    """Start `virtuoso-t` in `folder` with a new database on free loopback ports and
    wait until its SPARQL endpoint answers (a new database takes tens of seconds to
    initialise: it is created once per session)."""
    binary = virtuoso_binary()
    if binary is None:
        pytest.skip(VIRTUOSO_MISSING)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port))
    log = (folder / "console.log").open("wb")
    started = time.monotonic()
    process = subprocess.Popen(
        [binary, "-f", "-c", ini.name],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = VirtuosoServer(process, f"http://127.0.0.1:{http_port}", folder, 0.0)
    probe = server.query_url + "?query=ASK%7B%7D"
    deadline = started + VIRTUOSO_STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            console = (folder / "console.log").read_text(errors="replace")
            pytest.fail(f"virtuoso-t exited with {process.returncode}: {console}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                response.read()
            server.startup_seconds = time.monotonic() - started
            return server
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                server.stop()
                pytest.fail(f"virtuoso-t did not answer on port {http_port}")
            time.sleep(0.1)


VIRTUOSO_MISSING = (
    "OpenLink Virtuoso is not installed (no `virtuoso-t` on PATH): "
    "apt-get install virtuoso-opensource, as .ci/run does"
)
