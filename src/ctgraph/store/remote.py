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
shows them. Every request goes through `RemoteBackend._request`, the one place that
attaches them.
"""

from __future__ import annotations

import base64
import http.client
import json
import math
import os
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from ctgraph.messages import redact_url, shorten
from ctgraph.namespaces import mint
from ctgraph.store import transport
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


#: characters a request line cannot carry as they are
UNSENDABLE = re.compile(r"[^\x21-\x7e]")
#: RFC 6750's b64token: what a Bearer header can carry
TOKEN = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")


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
            if not TOKEN.match(token):
                raise EndpointError(
                    f"{ENV_TOKEN} holds characters a bearer token cannot have "
                    "(letters, digits and -._~+/= only)"
                )
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


def url_problem(url: str, credentials_hint: str | None = None) -> str | None:
    """Why a request cannot go to `url` (None: it can), in words that do not repeat
    the URL: a URL that is no http(s) URL, that a request line cannot carry, or
    that holds credentials."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - a ValueError means a port out of range
    except ValueError as exc:
        return f"not a usable URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    if UNSENDABLE.search(url):
        return (
            "the URL holds spaces, control or non-ASCII characters: percent-encode them"
        )
    if parts.username is not None or parts.password is not None:
        hint = credentials_hint or (
            f"set {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}) instead"
        )
        return (
            "the URL holds credentials, which would end up in shell history and "
            f"logs: {hint}"
        )
    return None


def check_url(url: str) -> str:
    """Refuse URLs a request cannot go to, and credentials written into a URL."""
    problem = url_problem(url)
    if problem is not None:
        raise EndpointError(f"{shorten(redact_url(url)) or '(empty URL)'}: {problem}")
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


def encodable(text: str) -> bool:
    """Whether text can go into a request (UTF-8; a stray surrogate from an argument
    in another encoding cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeError:
        return False
    return True


def graph_name(text: str) -> URIRef:
    """A graph name given by a person: an absolute IRI that can go between <>."""
    if not IRI.match(text) or not encodable(text):
        raise EndpointError(
            f"a graph name must be an absolute IRI, not {shorten(text)!r}"
        )
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
            f"the server returned an invalid term {shorten(str(term))}: {exc}"
        ) from None
    raise EndpointError(
        f"unsupported term type {shorten(repr(kind))} in the server's results"
    )


def to_table(results: Mapping) -> ResultTable:
    """SPARQL 1.1 JSON results as a ResultTable, in the server's column order."""
    if "boolean" in results:
        raise EndpointError("select() runs SELECT queries; this was an ASK query")
    try:
        columns = [str(c) for c in results["head"].get("vars", [])]
        rows = [
            tuple(from_json(binding.get(c)) for c in columns)
            for binding in results["results"]["bindings"]
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        raise EndpointError(
            "the server's answer is not well-formed SPARQL JSON results "
            f"({type(exc).__name__}: {shorten(str(exc))})"
        ) from None
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


def answer_error(url: str, response: transport.Response) -> EndpointError:
    """An HTTP error status, with the server's own explanation."""
    phrase = http.client.responses.get(response.status, "error")
    return EndpointError(
        f"{shorten(redact_url(url))} answered HTTP {response.status} {phrase}"
        f"{UNAUTHORIZED_HINT if response.status == 401 else ''}: "
        f"{server_message(response.body)}",
        response.status,
    )


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
        max_bytes: int = transport.DEFAULT_MAX_BYTES,
    ) -> None:
        if not (math.isfinite(timeout) and timeout > 0):
            raise EndpointError(f"the timeout must be a positive number, not {timeout}")
        self.query_url = check_url(query_url)
        derived_update, derived_store = derive_urls(query_url)
        self.update_url = check_url(update_url or derived_update)
        chosen_store = store_url or derived_store
        self.store_url = check_url(chosen_store) if chosen_store else None
        self.timeout = float(timeout)
        self.credentials = credentials if credentials is not None else Credentials()
        self.server_union = server_union
        self.max_bytes = max_bytes
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
                    f"{shorten(redact_url(self.query_url))} holds no ctgraph "
                    f"publication (no "
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
        try:
            return {URIRef(g): int(n) for g, n in rows if None not in (g, n)}
        except ValueError:
            raise EndpointError(
                f"{shorten(redact_url(self.query_url))} counted triples with "
                "something that is not a number"
            ) from None

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
        """POST a query (SPARQL 1.1 Protocol, URL-encoded); the JSON results, or an
        EndpointError."""
        form = [("query", query)]
        form += [("default-graph-uri", str(g)) for g in default_graphs]
        form += [("named-graph-uri", str(g)) for g in named_graphs]
        try:
            body = urllib.parse.urlencode(form).encode("ascii")
        except UnicodeError:
            raise EndpointError(
                "the query holds characters that are not valid Unicode (a file or "
                "argument in another encoding?): save it as UTF-8"
            ) from None
        response = self._request(
            "POST",
            self.query_url,
            body,
            "application/x-www-form-urlencoded",
            accept=SPARQL_JSON,
        )
        try:
            data = json.loads(response.body)
            data["head"]  # noqa: B018 - a KeyError means "not SPARQL results"
            data.get("results", {}).get("bindings", [])
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise EndpointError(
                f"{shorten(redact_url(self.query_url))} did not answer with SPARQL "
                "JSON results "
                f"(Content-Type {response.content_type or 'none'}): is it a SPARQL "
                f"query endpoint? It said: {server_message(response.body)}"
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
                f"no Graph Store URL known for {shorten(redact_url(self.query_url))}: "
                "pass "
                "--store-url (see docs/scaling-out.md for each server's URL)"
            )
        self._send("PUT", graph_url(self.store_url, graph), ntriples, N_TRIPLES)

    def _send(self, method: str, url: str, body: bytes, content_type: str) -> None:
        self._request(method, url, body, content_type)

    def _request(
        self,
        method: str,
        url: str,
        body: bytes,
        content_type: str,
        accept: str | None = None,
    ) -> transport.Response:
        """One request with the credentials, under the transport's policy (same
        origin only, total deadline, size cap); an HTTP error status raises."""
        headers = {"Content-Type": content_type}
        if accept:
            headers["Accept"] = accept
        if self.credentials.header:
            headers["Authorization"] = self.credentials.header
        elif self.credentials.digest:
            answer = self._answer_digest(method, url)
            if answer:
                headers["Authorization"] = answer
        try:
            response = transport.request(
                method,
                url,
                body=body,
                headers=headers,
                timeout=self.timeout,
                max_bytes=self.max_bytes,
            )
        except transport.TransportError as exc:
            raise EndpointError(str(exc)) from None
        if response.status >= 300:
            raise answer_error(url, response)
        return response

    def _answer_digest(self, method: str, url: str) -> str | None:
        """The Digest answer for one request, to a challenge fetched with a bodyless
        HEAD, so the request (and its body) goes out once: a server refusing an
        unauthenticated upload closes the connection before reading it. None when
        the URL asks for no Digest."""
        assert self.credentials.digest is not None
        try:
            probe = transport.request(
                "HEAD", url, timeout=self.timeout, max_bytes=self.max_bytes
            )
        except transport.TransportError as exc:
            raise EndpointError(str(exc)) from None
        challenge = parse_challenge(probe.headers.get("WWW-Authenticate", ""))
        if probe.status != 401 or challenge is None:
            return None  # the request itself will say what is wrong, if anything
        user, password = self.credentials.digest
        try:
            return authorization(method, url, user, password, challenge)
        except ValueError as exc:
            raise EndpointError(f"{shorten(redact_url(url))}: {exc}") from None
