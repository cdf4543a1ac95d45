"""Every HTTP request the tool makes, under one policy.

- Credentials go only to the origin (scheme, host, port) the user named: a redirect
  to another origin is refused with an error naming both, and a request that sends
  data (POST, PUT) is never redirected at all (urllib would turn a redirected POST
  into a GET and carry the Authorization header along).
- `timeout` is a total deadline for one request, from connecting to the last byte of
  the answer: a watchdog shuts the socket when it passes, so a server that trickles
  one byte at a time cannot hold the command.
- An answer longer than `max_bytes` is refused, as soon as it says so or grows past it.

Failures raise `TransportError` with a plain message; URLs in it are redacted.
"""

from __future__ import annotations

import functools
import http.client
import math
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message

from ctgraph.messages import redact_url, shorten

DEFAULT_MAX_BYTES = 128 * 1024 * 1024
CHUNK = 64 * 1024
MAX_REDIRECTS = 5


class TransportError(Exception):
    """A request that failed: where (redacted) and the problem, in plain words."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


class RedirectRefused(urllib.error.URLError):
    """A redirect the policy does not follow (raised from inside urllib)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Response:
    """A whole answer: status, headers and body."""

    status: int
    headers: Message
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: what credentials are bound to."""
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


@dataclass
class Deadline:
    """One request's time budget and the sockets to shut when it runs out."""

    seconds: float
    start: float = field(default_factory=time.monotonic)
    expired: bool = False
    _timers: list[threading.Timer] = field(default_factory=list)

    def remaining(self) -> float:
        left = self.seconds - (time.monotonic() - self.start)
        if left <= 0:
            self.expired = True
            raise TimeoutError("deadline passed")
        return left

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down when the deadline passes, whatever it is waiting for."""

        def expire() -> None:
            self.expired = True
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        timer = threading.Timer(self.remaining(), expire)
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


class _Watched:
    """Mixin for http.client connections: the socket is watched by the request's
    deadline as soon as it exists."""

    deadline: Deadline
    sock: socket.socket | None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        assert self.sock is not None
        self.deadline.watch(self.sock)


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


def _factory(cls: type, deadline: Deadline):  # noqa: ANN202 - a connection factory
    def make(*args: object, **kwargs: object) -> http.client.HTTPConnection:
        connection = cls(*args, **kwargs)
        connection.deadline = deadline
        return connection

    return make


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request):  # noqa: ANN201
        return self.do_open(_factory(_HTTPConnection, self.deadline), req)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context for the process (loading the system's certificates
    takes a fifth of a second)."""
    return ssl.create_default_context()


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__(context=tls_context())
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request):  # noqa: ANN201
        return self.do_open(
            _factory(_HTTPSConnection, self.deadline), req, context=self._context
        )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only for a request without a body, to the same origin."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(  # noqa: PLR0913 - urllib's signature
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Mapping[str, str],
        newurl: str,
    ) -> urllib.request.Request | None:
        old = req.full_url
        before, after = shorten(redact_url(old)), shorten(redact_url(newurl))
        if req.get_method() not in ("GET", "HEAD"):
            raise RedirectRefused(
                f"answered {code} {msg}, a redirect from {before} to "
                f"{after}: a {req.get_method()} request is never "
                "redirected (its data and credentials stay with the server named); "
                "give the final URL if you trust it"
            )
        if origin(newurl) != origin(old):
            raise RedirectRefused(
                f"redirected from {before} to another host, "
                f"{after}: not followed, so no credentials or query "
                "were sent there; give that URL if you trust it"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Response:
    """One HTTP request under the policy above. HTTP error statuses are returned as
    responses (the caller words them); everything else that fails raises."""
    where = shorten(redact_url(url))
    if not (math.isfinite(timeout) and timeout > 0):
        raise TransportError(where, f"the timeout must be positive, not {timeout}")
    deadline = Deadline(timeout)
    opener = urllib.request.build_opener(
        _HTTPHandler(deadline), _HTTPSHandler(deadline), _Redirects()
    )
    req = urllib.request.Request(url, data=body, method=method)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        try:
            response = opener.open(req, timeout=deadline.remaining())
        except urllib.error.HTTPError as exc:
            response = exc  # an answer all the same: read it under the same limits
        with response:
            status = response.status if response.status is not None else 0
            data = read_capped(response, deadline, max_bytes, where)
            return Response(status, response.headers, data, response.url)
    except RedirectRefused as exc:
        raise TransportError(where, exc.message) from None
    except TransportError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.expired or isinstance(exc, TimeoutError | socket.timeout):
            raise TransportError(
                where,
                f"did not answer within {timeout:g} s (the server is slow or stuck; "
                "--timeout bounds the whole request)",
            ) from None
        raise TransportError(where, failure(exc)) from None
    finally:
        deadline.cancel()


def read_capped(
    response: http.client.HTTPResponse | urllib.error.HTTPError,
    deadline: Deadline,
    max_bytes: int,
    where: str,
) -> bytes:
    """The body, chunk by chunk, refused once it is longer than `max_bytes`."""
    too_big = (
        f"the answer is larger than {megabytes(max_bytes)}, the most this command "
        "reads; narrow the query (LIMIT, filters)"
    )
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise TransportError(where, too_big)
    chunks: list[bytes] = []
    size = 0
    while True:
        deadline.remaining()
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else b""
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise TransportError(where, too_big)
        chunks.append(chunk)
    if deadline.expired:
        raise TimeoutError("deadline passed while reading")
    missing = getattr(response, "length", None)
    if missing:  # read1 takes an early close for the end of a declared length
        raise http.client.IncompleteRead(b"".join(chunks), missing)
    return b"".join(chunks)


def failure(exc: BaseException) -> str:
    """What went wrong before or while the server answered, in words."""
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running and listening on that port?)"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason})"
    if isinstance(reason, http.client.IncompleteRead):
        return (
            "the connection was cut off in the middle of the answer "
            f"({len(reason.partial)} bytes read, {reason.expected} missing)"
        )
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return (
            "the connection was cut off before the server answered "
            f"({type(reason).__name__}: {reason or 'closed'})"
        )
    if isinstance(reason, ValueError):
        return f"cannot send this request: {reason}"
    return f"cannot connect: {reason}"
