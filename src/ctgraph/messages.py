"""What the tool says to people: secrets redacted, outside text literal and short.

Every message that quotes a URL, a value from the user, a file or a server goes
through these helpers, so no credential reaches a terminal or log, no markup or
escape code in data changes what the terminal shows, and a huge value cannot flood
the screen.
"""

from __future__ import annotations

import re
import urllib.parse

from rich.markup import escape

LIMIT = 200
SECRET_PARAMS = re.compile(
    r"(key|token|secret|pass|pwd|auth|session|sig|credential)", re.IGNORECASE
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def redact_url(url: str) -> str:
    """A URL as messages show it: no user info or fragment, secret-looking query
    parameters replaced (a token passed as a URL parameter must not reach a log)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<unreadable URL>"
    if ":" in host:
        host = f"[{host}]"
    if port is not None:
        host = f"{host}:{port}"
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, "REDACTED" if SECRET_PARAMS.search(k) else v) for k, v in query]
    return urllib.parse.urlunsplit(
        (parts.scheme, host, parts.path, urllib.parse.urlencode(kept), "")
    )


def shorten(text: str, limit: int = LIMIT) -> str:
    """At most `limit` characters, with how much was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def printable(text: str) -> str:
    """Text from outside made safe for a terminal: control characters (escape codes
    among them) shown as escapes, so data cannot move the cursor, recolour or retitle
    the terminal. For plain output; `literal` for output through rich."""
    return CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode(), text)


def literal(text: str, limit: int | None = LIMIT) -> str:
    """Text from outside made safe to print through rich: control characters shown as
    escapes, markup escaped, cut to `limit` characters (None keeps it whole)."""
    text = printable(text)
    if limit is not None:
        text = shorten(text, limit)
    return escape(text)
