"""The one path every query of the web layer takes: a time limit and a row cap.

The web layer faces people it does not know, so no query may run unbounded. On the
embedded engines each query from a user (/sparql, a stored query) runs in a forked
worker process (`ctgraph.store.worker`) that is killed when the time limit passes, so
a runaway query costs nothing after its 503; the pages' own look-ups by one IRI run
in this process, waited on at most the time limit; a small pool of threads bounds
how many run at once. Rows are read lazily and
reading stops one row past the cap, so a huge result is never materialised. On a
remote endpoint the request waits at most the time limit (the server keeps its own).

Refusals happen before any engine sees the text: updates (the endpoint is
read-only), SERVICE (a public endpoint must not make requests on anyone's behalf)
and anything else that would reach the network (`ctgraph.queries.reach`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from ctgraph.queries.library import KnowledgeGraph, QueryError, blank_tokens
from ctgraph.queries.reach import ReachError, check_reach
from ctgraph.store.backends import (
    Bindings,
    OxigraphBackend,
    RdflibBackend,
    ResultTable,
    bind_values,
    from_ox,
)
from ctgraph.store.remote import EndpointError
from ctgraph.store.worker import QueryStopped, WorkerError, run_stoppable

T = TypeVar("T")
Triple = tuple[Node, Node, Node]

#: the keywords a SPARQL Update request starts with (after its prologue)
UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)\s*)*", re.IGNORECASE)
#: SERVICE as a keyword: not a variable (?service), nor part of a prefixed name
_SERVICE = re.compile(r"(?<![?$\w:.-])SERVICE(?![\w:.-])", re.IGNORECASE)


class QueryRefused(QueryError):
    """A query the web layer will not run (an update, SERVICE, a form it lacks)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class QueryTimeout(QueryError):
    """A query that did not finish within the time limit."""


@dataclass(frozen=True)
class Limits:
    """How long a query may take, how many rows it may return, how many run at once."""

    time_limit: float = 10.0
    row_cap: int = 10_000
    workers: int = 2


@dataclass
class Outcome:
    """What a query gave: rows (SELECT), a truth value (ASK) or triples."""

    form: str
    table: ResultTable | None = None
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False
    seconds: float = 0.0

    @property
    def size(self) -> int:
        if self.table is not None:
            return len(self.table.rows)
        return len(self.triples)


def query_form(text: str) -> str:
    """The query's form, from its first keyword after the prologue (IRIs, strings
    and comments blanked first, so a PREFIX IRI cannot confuse it)."""
    body = blank_tokens(text)
    rest = body[_PROLOGUE.match(body).end() :]
    word = re.match(r"[A-Za-z]+", rest)
    return word.group(0).upper() if word else ""


def check_query(text: str) -> str:
    """The form of a query the web layer runs, or QueryRefused saying why not."""
    form = query_form(text)
    if form in UPDATE_WORDS:
        raise QueryRefused(
            f"this endpoint is read-only: {form} is a SPARQL Update operation", 403
        )
    if form not in FORMS:
        raise QueryRefused(
            "not a SPARQL query: it must start (after PREFIX and BASE lines) with "
            "SELECT, ASK, CONSTRUCT or DESCRIBE"
        )
    if _SERVICE.search(blank_tokens(text)):
        raise QueryRefused(
            "SERVICE is not allowed here: this endpoint only queries its own graph"
        )
    return form


class QueryRunner:
    """Runs queries on one graph under one set of limits, on its own worker pool."""

    def __init__(self, kg: KnowledgeGraph, limits: Limits) -> None:
        self.kg = kg
        self.limits = limits
        # worker processes for users' queries; threads for the pages' look-ups,
        # apart, so a page never queues behind a slow query
        self._pool = ThreadPoolExecutor(
            max_workers=limits.workers, thread_name_prefix="ctgraph-query"
        )
        self._local = ThreadPoolExecutor(
            max_workers=2 * limits.workers, thread_name_prefix="ctgraph-lookup"
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._local.shutdown(wait=False, cancel_futures=True)

    def run(
        self,
        text: str,
        bindings: Bindings | None = None,
        *,
        time_limit: float | None = None,
        row_cap: int | None = None,
        default_graphs: Sequence[URIRef] = (),
        named_graphs: Sequence[URIRef] = (),
        isolate: bool = True,
    ) -> Outcome:
        """Run one query, bounded: the one function every web query goes through.

        `isolate=False` is for the pages' own fixed-shape look-ups (one resource's
        facts, labels, search): they run in this process, where a fork per query
        (about 35 ms) would cost more than the query; the caller still waits at
        most the time limit. Text from users (/sparql, stored queries) is isolated.
        """
        form = check_query(text)
        backend = self.kg.backend
        embedded = isinstance(backend, (OxigraphBackend, RdflibBackend))
        if embedded:
            try:
                check_reach(text, backend.name)
            except ReachError as exc:
                raise QueryRefused(str(exc)) from None
        if (default_graphs or named_graphs) and not isinstance(
            backend, OxigraphBackend
        ):
            raise QueryRefused(
                "default-graph-uri and named-graph-uri are supported only on the "
                "embedded Oxigraph store"
            )
        if not embedded and form != "SELECT":
            raise QueryRefused(
                f"{form} queries are not passed on to the remote endpoint; this "
                "server runs SELECT queries there"
            )
        cap = self.limits.row_cap if row_cap is None else row_cap
        limit = self.limits.time_limit if time_limit is None else time_limit
        query = bind_values(text, bindings) if bindings else text
        started = time.perf_counter()

        def work() -> Outcome:
            return self._execute(form, query, cap, default_graphs, named_graphs)

        if embedded and isolate:
            outcome = self.stoppable(work, limit)
        else:
            outcome = self.bounded(work, limit)
        outcome.seconds = time.perf_counter() - started
        return outcome

    def stoppable(self, work: Callable[[], T], time_limit: float) -> T:
        """Work on an embedded engine in a worker process killed at the limit."""
        future = self._pool.submit(run_stoppable, work, time_limit)
        try:
            return future.result()
        except QueryStopped:
            raise QueryTimeout(
                f"the query ran longer than the time limit of {time_limit:g} s "
                "and was stopped"
            ) from None
        except WorkerError as exc:
            raise QueryError(str(exc)) from None

    def bounded(self, work: Callable[[], T], time_limit: float | None = None) -> T:
        """Work in this process (a name look-up, a remote request): the caller
        waits at most the time limit."""
        limit = self.limits.time_limit if time_limit is None else time_limit
        future = self._local.submit(work)
        try:
            return future.result(timeout=limit)
        except FutureTimeout:
            future.cancel()
            raise QueryTimeout(
                f"the query did not finish within the time limit of {limit:g} s"
            ) from None

    def _execute(
        self,
        form: str,
        query: str,
        cap: int,
        default_graphs: Sequence[URIRef],
        named_graphs: Sequence[URIRef],
    ) -> Outcome:
        backend = self.kg.backend
        try:
            if isinstance(backend, OxigraphBackend):
                return oxigraph_outcome(
                    backend, form, query, cap, default_graphs, named_graphs
                )
            if isinstance(backend, RdflibBackend):
                return rdflib_outcome(backend, form, query, cap)
            table = backend.select(query)
            return capped_table(form, table.columns, iter(table.rows), cap)
        except QueryError:
            raise
        except EndpointError as exc:
            raise QueryError(str(exc)) from exc
        except Exception as exc:  # the engines' own syntax and evaluation errors
            raise QueryError(f"the query could not run: {exc}") from exc


def first(items: Iterable[T], cap: int) -> tuple[list[T], bool]:
    """At most `cap` items, and whether there were more: one more is read, no
    further, so a large result is never drawn whole."""
    taken = list(islice(items, cap + 1))
    return taken[:cap], len(taken) > cap


def capped_table(
    form: str, columns: list[str], rows: Iterable[tuple], cap: int
) -> Outcome:
    taken, cut = first(rows, cap)
    return Outcome(form, ResultTable(columns, taken), truncated=cut)


def capped_triples(form: str, triples: Iterable[Triple], cap: int) -> Outcome:
    taken, cut = first(triples, cap)
    return Outcome(form, triples=taken, truncated=cut)


def oxigraph_outcome(
    backend: OxigraphBackend,
    form: str,
    query: str,
    cap: int,
    default_graphs: Sequence[URIRef],
    named_graphs: Sequence[URIRef],
) -> Outcome:
    options: dict[str, object] = {}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(str(g)) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(str(g)) for g in named_graphs]
    result = backend.store.query(query, **options)
    if isinstance(result, ox.QueryBoolean):
        return Outcome(form, boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = (tuple(from_ox(s[c]) for c in columns) for s in result)
        return capped_table(form, columns, rows, cap)
    triples = (
        (from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result
    )
    return capped_triples(form, triples, cap)  # type: ignore[arg-type]


def rdflib_outcome(backend: RdflibBackend, form: str, query: str, cap: int) -> Outcome:
    result = backend.dataset.query(query)
    if result.type == "ASK":
        return Outcome(form, boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        columns = [str(v) for v in result.vars or []]
        rows = (tuple(row[c] for c in columns) for row in result)
        return capped_table(form, columns, rows, cap)
    return capped_triples(form, iter(result.graph), cap)  # type: ignore[union-attr]
