"""Query the graph on a SPARQL 1.1 server, and write graphs to it, over HTTP.

The embedded engines answer over the union of all named graphs; servers differ in what
their default graph is (Oxigraph needs `--union-default-graph`, Fuseki's TDB2 union
leaves out the stored default graph, GraphDB, Virtuoso and QLever use the union of
everything, including unrelated data). So this backend does not rely on any server
setting: it names the dataset in every request with the SPARQL 1.1 Protocol
parameters `default-graph-uri` (the graphs whose merge is the default graph) and
`named-graph-uri` (the graphs `GRAPH ?g` sees). The graph list comes from the
publication manifest that `ctgraph publish` writes and switches atomically with the
data, so a query never sees a half-published graph, a staging graph or another
project's data on a shared server.

Credentials come from the environment only (CTGRAPH_ENDPOINT_TOKEN, or
CTGRAPH_ENDPOINT_USER and CTGRAPH_ENDPOINT_PASSWORD, sent as HTTP Basic, or as HTTP
Digest in answer to the server's challenge when CTGRAPH_ENDPOINT_AUTH=digest, as
Virtuoso's `-auth` endpoints ask), never from a URL or an option, and no message
shows them. Every request goes through `RemoteBackend._open`, the one place that
attaches them.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from ctgraph.messages import redact_url
from ctgraph.namespaces import mint
from ctgraph.store.backends import Bindings, ResultTable, bind_values, from_ox
from ctgraph.store.digest import authorization, parse_challenge

ENV_USER = "CTGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "CTGRAPH_ENDPOINT_PASSWORD"
ENV_TOKEN = "CTGRAPH_ENDPOINT_TOKEN"
ENV_AUTH = "CTGRAPH_ENDPOINT_AUTH"
AUTH_SCHEMES = ("basic", "digest")
DEFAULT_TIMEOUT = 30.0

#: the graph that lists what the last publication put on the server
MANIFEST = mint("publication", "manifest")
#: where the built dataset's unnamed default graph (the graph catalogue) is stored:
#: protocol parameters can only name graphs by IRI, and Fuseki's union leaves the
#: stored default graph out
DEFAULT_GRAPH = mint("publication", "default-graph")
#: graph names under here belong to publishing, never to the built graph
RESERVED = str(mint("publication", ""))

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"
MAX_MESSAGE = 1500
UNAUTHORIZED_HINT = (
    f" (credentials missing or refused: check {ENV_USER} and {ENV_PASSWORD}, or "
    f"{ENV_TOKEN}; {ENV_AUTH}=digest for servers that ask for HTTP Digest)"
)


def staging_iri(token: str, number: int) -> URIRef:
    """A graph that holds one upload until the publication is switched live."""
    return mint("publication", "staging", token, str(number))


class EndpointError(Exception):
    """A SPARQL server could not be reached or refused a request, in plain words."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Credentials:
    """What to authenticate with, read from the environment: an Authorization header
    sent with every request (Bearer, Basic), or a user and password kept for answering
    a Digest challenge (the password never travels)."""

    header: str | None = field(default=None, repr=False)
    digest: tuple[str, str] | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        token, user = env.get(ENV_TOKEN), env.get(ENV_USER)
        password = env.get(ENV_PASSWORD)
        scheme = env.get(ENV_AUTH, "basic").strip().lower() or "basic"
        if scheme not in AUTH_SCHEMES:
            raise EndpointError(
                f"{ENV_AUTH} must be one of {', '.join(AUTH_SCHEMES)}, not {scheme!r}"
            )
        if token and (user or password):
            raise EndpointError(
                f"set either {ENV_TOKEN} or {ENV_USER} and {ENV_PASSWORD}, not both"
            )
        if token:
            if scheme == "digest":
                raise EndpointError(f"{ENV_AUTH}=digest needs {ENV_USER}, not a token")
            return cls(f"Bearer {token}")
        if user:
            if password is None:
                raise EndpointError(f"{ENV_USER} is set but {ENV_PASSWORD} is not")
            if scheme == "digest":
                return cls(digest=(user, password))
            pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            return cls(f"Basic {pair}")
        if password:
            raise EndpointError(f"{ENV_PASSWORD} is set but {ENV_USER} is not")
        return cls()


def check_url(url: str) -> str:
    """Refuse URLs a request cannot go to, and credentials written into a URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"not an http(s) URL: {redact_url(url)!r}")
    if parts.username is not None or parts.password is not None:
        raise EndpointError(
            "the URL holds credentials, which would end up in shell history and "
            f"logs: set {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}) instead"
        )
    return url


def derive_urls(query_url: str) -> tuple[str, str | None]:
    """Update and Graph Store URLs for a query URL, where a layout is known.

    `.../query` is Oxigraph's layout (`/update`, `/store`) and Fuseki's query and
    update; any other URL is assumed to take updates itself (SPARQL 1.1 Protocol
    allows one URL for both), and the Graph Store URL must be given.
    """
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")
    if path.endswith("/query"):
        base = path[: -len("/query")]
        update = urllib.parse.urlunsplit(parts._replace(path=base + "/update"))
        store = urllib.parse.urlunsplit(parts._replace(path=base + "/store"))
        return update, store
    return query_url, None


IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


def graph_name(text: str) -> URIRef:
    """A graph name given by a person: an absolute IRI that can go between <>."""
    if not IRI.match(text):
        raise EndpointError(f"a graph name must be an absolute IRI, not {text!r}")
    if text.startswith(RESERVED):
        raise EndpointError(f"<{text}> is reserved for the publication's own graphs")
    return URIRef(text)


def graph_url(store_url: str, graph: URIRef) -> str:
    """The Graph Store Protocol's indirect identification: `?graph=<IRI>`."""
    separator = "&" if urllib.parse.urlsplit(store_url).query else "?"
    return f"{store_url}{separator}graph={urllib.parse.quote(str(graph), safe='')}"


def from_json(term: Mapping[str, str] | None) -> Node | None:
    """One SPARQL JSON result term as the rdflib term the embedded engines give.

    URIs and literals go through the embedded Oxigraph conversion (`from_ox`), so a
    remote row compares equal with an embedded one, whatever that conversion does
    with simple literals.
    """
    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "bnode":
        return BNode(value)
    try:
        if kind == "uri":
            return from_ox(ox.NamedNode(value))
        if kind in ("literal", "typed-literal"):  # typed-literal: SPARQL 1.0 JSON
            if "xml:lang" in term:
                return from_ox(ox.Literal(value, language=term["xml:lang"]))
            datatype = ox.NamedNode(term.get("datatype", str(XSD.string)))
            return from_ox(ox.Literal(value, datatype=datatype))
    except ValueError as exc:
        raise EndpointError(
            f"the server returned an invalid term {term}: {exc}"
        ) from None
    raise EndpointError(f"unsupported term type {kind!r} in the server's results")


def to_table(results: Mapping) -> ResultTable:
    """SPARQL 1.1 JSON results as a ResultTable, in the server's column order."""
    if "boolean" in results:
        raise EndpointError("select() runs SELECT queries; this was an ASK query")
    columns = list(results["head"].get("vars", []))
    rows = [
        tuple(from_json(binding.get(c)) for c in columns)
        for binding in results["results"]["bindings"]
    ]
    return ResultTable(columns, rows)


def server_message(body: bytes | str) -> str:
    """The server's own explanation, readable: tags dropped, blank runs squeezed."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if "<html" in text.lower() or "<body" in text.lower():
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text).strip()
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + " [...]"
    return text or "(no message)"


def describe_failure(url: str, exc: BaseException, timeout: float) -> EndpointError:
    """Turn whatever urllib or http.client raised into one message."""
    where = redact_url(url)
    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read()
        except OSError:
            body = b""
        hint = UNAUTHORIZED_HINT if exc.code == 401 else ""
        return EndpointError(
            f"{where} answered HTTP {exc.code} {exc.reason}{hint}: "
            f"{server_message(body)}",
            exc.code,
        )
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return EndpointError(
            f"{where} did not answer within {timeout:g} s "
            "(the server is slow or stuck; raise --timeout for long queries)"
        )
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(
            f"cannot reach {where}: connection refused "
            "(is the SPARQL server running and listening on that port?)"
        )
    if isinstance(reason, socket.gaierror):
        return EndpointError(f"cannot reach {where}: unknown host ({reason})")
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return EndpointError(
            f"the connection to {where} was cut off before the server answered "
            f"({type(reason).__name__}: {reason or 'closed'})"
        )
    return EndpointError(f"cannot talk to {where}: {reason}")


NETWORK_ERRORS = (OSError, http.client.HTTPException)
#: Virtuoso echoes every graph of a query's dataset as a response header
#: (X-SPARQL-default-graph, X-SPARQL-named-graph); with fifty graphs that is past
#: http.client's limit of 100 headers per response, which it refuses
MAX_RESPONSE_HEADERS = 10_000
http.client._MAXHEADERS = max(http.client._MAXHEADERS, MAX_RESPONSE_HEADERS)  # type: ignore[attr-defined]
OUTER_SELECT = re.compile(r"\bSELECT\s+(DISTINCT\b)?", re.IGNORECASE)


def selects_distinct(query: str) -> bool:
    """Whether the query's outermost SELECT (the first, comment lines aside) is
    DISTINCT."""
    text = "\n".join(
        line for line in query.splitlines() if not line.lstrip().startswith("#")
    )
    found = OUTER_SELECT.search(text)
    return found is not None and found.group(1) is not None


def without_repeats(table: ResultTable) -> ResultTable:
    """The rows of a DISTINCT query once each, in the server's order. Virtuoso 7.2
    repeats some rows of a DISTINCT query (seen with nested OPTIONALs and property
    paths); SELECT DISTINCT promises a set, so repeats are dropped here for every
    server alike."""
    return ResultTable(table.columns, list(dict.fromkeys(table.rows)))


@dataclass(frozen=True)
class Publication:
    """What the manifest on a server says is live: the graphs and their roles."""

    graphs: tuple[URIRef, ...]
    token: str | None = None
    modified: str | None = None

    @property
    def default_graphs(self) -> tuple[URIRef, ...]:
        """Graphs whose merge is the default graph: everything published."""
        return self.graphs

    @property
    def named_graphs(self) -> tuple[URIRef, ...]:
        """Graphs `GRAPH ?g` sees: as in the build, the catalogue is not one."""
        return tuple(g for g in self.graphs if g != DEFAULT_GRAPH)


class RemoteBackend:
    """A SPARQL 1.1 server: queries by the Protocol, uploads by the Graph Store
    Protocol, switches by SPARQL Update."""

    name = "remote"

    def __init__(
        self,
        query_url: str,
        store_url: str | None = None,
        update_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        credentials: Credentials | None = None,
        server_union: bool = False,
    ) -> None:
        if timeout <= 0:
            raise EndpointError(f"timeout must be positive, not {timeout:g}")
        self.query_url = check_url(query_url)
        derived_update, derived_store = derive_urls(query_url)
        self.update_url = check_url(update_url or derived_update)
        chosen_store = store_url or derived_store
        self.store_url = check_url(chosen_store) if chosen_store else None
        self.timeout = float(timeout)
        self.credentials = credentials if credentials is not None else Credentials()
        self.server_union = server_union
        self._publication: Publication | None = None

    def __repr__(self) -> str:
        return f"RemoteBackend({redact_url(self.query_url)!r})"

    # -- reading ---------------------------------------------------------------

    def select(self, query: str, bindings: Bindings | None = None) -> ResultTable:
        """Run a SELECT query over the published dataset (see the module notes)."""
        text = bind_values(query, bindings)
        if self.server_union:
            table = to_table(self.raw_select(text))
        else:
            live = self.publication()
            graphs = (live.default_graphs, live.named_graphs)
            table = to_table(self.raw_select(text, *graphs))
        return without_repeats(table) if selects_distinct(query) else table

    def publication(self, refresh: bool = False) -> Publication:
        """The live publication; an error that says what to do when there is none."""
        if self._publication is None or refresh:
            found = self.read_manifest()
            if found is None:
                raise EndpointError(
                    f"{redact_url(self.query_url)} holds no ctgraph publication (no "
                    f"manifest graph <{MANIFEST}>): run `ctgraph publish` first, or "
                    "pass --server-union if the server's default graph already is "
                    "the union of the graph's named graphs"
                )
            self._publication = found
        return self._publication

    def read_manifest(self) -> Publication | None:
        """The manifest's content, or None when nothing was published here."""
        m = MANIFEST.n3()
        query = (
            f"SELECT ?part ?token ?modified WHERE {{ GRAPH {m} {{ "
            f"{m} {DCTERMS.hasPart.n3()} ?part . "
            f"OPTIONAL {{ {m} {DCTERMS.identifier.n3()} ?token }} "
            f"OPTIONAL {{ {m} {DCTERMS.modified.n3()} ?modified }} }} }}"
        )
        rows = to_table(self.raw_select(query)).rows
        if not rows:
            return None
        graphs = tuple(sorted({URIRef(row[0]) for row in rows if row[0] is not None}))
        token = next((str(r[1]) for r in rows if r[1] is not None), None)
        modified = next((str(r[2]) for r in rows if r[2] is not None), None)
        return Publication(graphs, token, modified)

    def graph_sizes(self, graphs: Iterable[URIRef]) -> dict[URIRef, int]:
        """Triples per graph as the server holds them (graphs it lacks are left out)."""
        values = " ".join(g.n3() for g in graphs)
        if not values:
            return {}
        query = (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { "
            + values
            + " } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        rows = to_table(self.raw_select(query)).rows
        return {URIRef(g): int(n) for g, n in rows if g is not None and n is not None}

    def __len__(self) -> int:
        """Quads in the published graphs, like len() of the embedded store."""
        live = self.publication()
        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        rows = to_table(self.raw_select(query, (), live.graphs)).rows
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def raw_select(
        self,
        query: str,
        default_graphs: Iterable[URIRef] = (),
        named_graphs: Iterable[URIRef] = (),
    ) -> dict:
        """POST a query (SPARQL 1.1 Protocol); the JSON results, or an EndpointError."""
        form = [("query", query)]
        form += [("default-graph-uri", str(g)) for g in default_graphs]
        form += [("named-graph-uri", str(g)) for g in named_graphs]
        request = urllib.request.Request(
            self.query_url, data=urllib.parse.urlencode(form).encode("ascii")
        )
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Accept", SPARQL_JSON)
        content_type, body = self._open(request)
        try:
            data = json.loads(body)
            data["head"]  # noqa: B018 - a KeyError means "not SPARQL results"
        except (ValueError, KeyError, TypeError):
            raise EndpointError(
                f"{redact_url(self.query_url)} did not answer with SPARQL JSON results "
                f"(Content-Type {content_type or 'none'}): is it a SPARQL query "
                f"endpoint? It said: {server_message(body)}"
            ) from None
        return data

    # -- writing ---------------------------------------------------------------

    def update(self, text: str) -> None:
        """POST a SPARQL Update request (one request: one transaction on servers
        that have them)."""
        self._send("POST", self.update_url, text.encode("utf-8"), SPARQL_UPDATE)

    def put_graph(self, graph: URIRef, ntriples: bytes) -> None:
        """Replace one named graph by N-Triples through the Graph Store Protocol."""
        if self.store_url is None:
            raise EndpointError(
                f"no Graph Store URL known for {redact_url(self.query_url)}: pass "
                "--store-url (see docs/scaling-out.md for each server's URL)"
            )
        self._send("PUT", graph_url(self.store_url, graph), ntriples, N_TRIPLES)

    def _send(self, method: str, url: str, body: bytes, content_type: str) -> None:
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("Content-Type", content_type)
        self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[str, bytes]:
        """Send one request with the credentials: the answer's Content-Type and
        body, or an EndpointError. Every request to the server goes through here."""
        try:
            if self.credentials.header:
                request.add_unredirected_header(
                    "Authorization", self.credentials.header
                )
            elif self.credentials.digest:
                self._answer_digest(request)
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except NETWORK_ERRORS as exc:
            raise describe_failure(request.full_url, exc, self.timeout) from None

    def _answer_digest(self, request: urllib.request.Request) -> None:
        """Ask for the server's Digest challenge with a bodyless HEAD and attach the
        answer, so the request (and its body) goes out once: a server refusing an
        unauthenticated upload closes the connection before reading it."""
        assert self.credentials.digest is not None
        probe = urllib.request.Request(request.full_url, method="HEAD")
        try:
            urllib.request.urlopen(probe, timeout=self.timeout).close()
            return  # no challenge: the URL needs no credentials
        except urllib.error.HTTPError as exc:
            exc.close()
            challenge = parse_challenge(exc.headers.get("WWW-Authenticate", ""))
            if exc.code != 401 or challenge is None:
                return  # the request itself will say what is wrong
        user, password = self.credentials.digest
        method = request.get_method()
        try:
            answer = authorization(method, request.full_url, user, password, challenge)
        except ValueError as exc:
            raise EndpointError(f"{redact_url(request.full_url)}: {exc}") from None
        request.add_unredirected_header("Authorization", answer)
