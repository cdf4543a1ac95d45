"""Real SPARQL servers for tests: `oxigraph serve` on a free loopback port."""

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

from ctgraph.store.remote import RemoteBackend

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
