"""Which network addresses a query would make an embedded engine fetch.

A local query never touches the network unless the user allows a host: `SERVICE`
calls (both engines fetch them) and, on rdflib's engine, `FROM` / `FROM NAMED`
(which it downloads and parses; Oxigraph reads them as the store's own graphs) are
found before the query runs and refused unless their host is allowed. The scan reads
the query as the engines do (codepoint escapes, PREFIX and BASE declarations) and
fails closed: a target it cannot read, such as `SERVICE ?endpoint`, is refused.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from ctgraph.messages import redact_url, shorten

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: the keyword, not a variable (?service), a prefixed name (ex:service, from:x)
_KEYWORD = re.compile(r"(?<![\w?$:-])(SERVICE|FROM)(?![\w:-])", re.IGNORECASE)
_SILENT = re.compile(r"\s*(SILENT|NAMED)(?![\w:-])", re.IGNORECASE)
_IRI = re.compile(r"\s*<([^<>\"{}|^`\\\x00-\x20]*)>")
_PNAME = re.compile(r"\s*([A-Za-z][\w.-]*)?:([\w.:%-]*)")
_DECLARATION = re.compile(r"(?<![\w?$:-])(PREFIX|BASE)(?![\w:-])", re.IGNORECASE)
_PREFIX = re.compile(r"\s*([A-Za-z][\w.-]*)?:\s*<([^<>\"{}|^`\\\x00-\x20]*)>")

ALLOW_FLAG = "--allow-service"


class ReachError(ValueError):
    """A query that would reach the network, and the host was not allowed."""


@dataclass(frozen=True)
class Reach:
    """One place a query reaches: the clause and the IRI (None: unreadable)."""

    clause: str
    iri: str | None


def unescape(text: str) -> str:
    r"""The query with `\uXXXX` escapes decoded, as SPARQL parsers read it first."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def reaches(query: str, engine: str) -> list[Reach]:
    """Every SERVICE target (and, on rdflib, FROM source) the query names."""
    from ctgraph.queries.library import blank_tokens, strip_comments

    text = strip_comments(unescape(query))
    syntax = blank_tokens(text)  # same offsets; strings and IRIs blanked
    prefixes: dict[str, str] = {}
    base = ""
    for match in _DECLARATION.finditer(syntax):
        if match.group(1).upper() == "BASE":
            declared = _IRI.match(text, match.end())
            base = declared.group(1) if declared else base
            continue
        declared = _PREFIX.match(text, match.end())
        if declared:
            prefixes[declared.group(1) or ""] = declared.group(2)
    found: list[Reach] = []
    for match in _KEYWORD.finditer(syntax):
        clause = match.group(1).upper()
        if clause == "FROM" and engine != "rdflib":
            continue  # Oxigraph reads FROM as the names of the store's own graphs
        position = match.end()
        modifier = _SILENT.match(text, position)
        if modifier:
            clause += f" {modifier.group(1).upper()}"
            position = modifier.end()
        iri = _IRI.match(text, position)
        if iri:
            found.append(Reach(clause, urllib.parse.urljoin(base, iri.group(1))))
            continue
        name = _PNAME.match(text, position)
        if name and (name.group(1) or "") in prefixes:
            found.append(Reach(clause, prefixes[name.group(1) or ""] + name.group(2)))
            continue
        found.append(Reach(clause, None))
    return found


def host_allowed(iri: str, allowed: Iterable[str]) -> bool:
    """Whether the IRI's host (or host:port) is one the user allowed."""
    try:
        parts = urllib.parse.urlsplit(iri)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return False
    if not host or parts.scheme not in ("http", "https"):
        return False
    names = {a.strip().lower() for a in allowed}
    return host in names or (port is not None and f"{host}:{port}" in names)


def check_reach(query: str, engine: str, allowed: Iterable[str] = ()) -> None:
    """Raise ReachError naming the first address the query may not reach."""
    allowed = tuple(allowed)
    for reach in reaches(query, engine):
        if reach.iri is None:
            raise ReachError(
                f"the query's {reach.clause} names no fixed address, so it could "
                "reach any host: a local query does not touch the network; give the "
                f"address as an IRI and allow its host with {ALLOW_FLAG} HOST"
            )
        if not host_allowed(reach.iri, allowed):
            shown = shorten(redact_url(reach.iri), 200)
            try:
                host = urllib.parse.urlsplit(reach.iri).hostname or ""
            except ValueError:
                host = ""
            hint = f"{ALLOW_FLAG} {host}" if host else f"{ALLOW_FLAG} HOST"
            raise ReachError(
                f"the query reaches {shown} ({reach.clause}): a local query does not "
                f"touch the network unless you allow the host: {hint}"
            )
