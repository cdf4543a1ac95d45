"""Stub HTTP servers for the faults a real SPARQL server will not produce on demand
(a slow answer, a 503 page, a web page where an endpoint was expected, a redirect):
one quiet handler base and one quiet server, shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SPARQL_JSON = "application/sparql-results+json"
NO_ROWS = b'{"head":{"vars":[]},"results":{"bindings":[]}}'


class Quiet(BaseHTTPRequestHandler):
    """A stub handler that keeps the test output clean and answers in one call."""

    def log_message(self, *args: object) -> None:
        pass

    def answer(
        self,
        status: int,
        body: bytes,
        kind: str = "text/plain",
        reason: str | None = None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.send_response(status, reason)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    """A stub server that does not print a traceback when a client gives up."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass
