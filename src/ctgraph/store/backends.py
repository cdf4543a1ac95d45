"""Where the graph lives for querying: one interface, several engines.

Embedded Oxigraph is the default (fast, in memory or on disk); rdflib's SPARQL engine
stays selectable to cross-check results. Every engine sees the union of all named
graphs as its default graph, and the named graphs themselves for `GRAPH ?g` provenance.
Results come back as rdflib terms, whatever the engine, so they compare equal.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, overload

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

if TYPE_CHECKING:
    import pandas

ENGINES = ("oxigraph", "rdflib")
XSD_STRING = str(XSD.string)
#: variable name -> one term, or several (one VALUES row each)
Bindings = Mapping[str, Node | Sequence[Node]]


@dataclass
class ResultTable:
    """A SELECT result: column names and rows of rdflib terms (None = unbound)."""

    columns: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)

    #: rows a notebook shows (`_repr_html_`); the table itself keeps them all
    HTML_ROWS = 50

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    # --- for notebooks and scripts: a table reads like a list of rows ------------

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    @overload
    def __getitem__(self, key: str) -> list[Node | None]: ...
    @overload
    def __getitem__(self, key: int) -> tuple[Node | None, ...]: ...
    def __getitem__(self, key: str | int) -> Any:
        """A column's values by its name, or a row by its position."""
        if isinstance(key, str):
            if key not in self.columns:
                raise KeyError(
                    f"no column {key!r}; the columns are {', '.join(self.columns)}"
                )
            index = self.columns.index(key)
            return [row[index] for row in self.rows]
        return self.rows[key]

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter: every value escaped, the first rows only."""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{'' if v is None else html.escape(str(v))}</td>" for v in row
            )
            + "</tr>"
            for row in self.rows[: self.HTML_ROWS]
        )
        more = len(self.rows) - self.HTML_ROWS
        note = f"<p>{more} more rows</p>" if more > 0 else ""
        size = f"<p>{len(self.rows)} row{'' if len(self.rows) == 1 else 's'}</p>"
        return (
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"{note}{size}"
        )

    def to_pandas(self) -> pandas.DataFrame:
        """A DataFrame with Python values: IRIs as strings, literals as their
        Python value (numbers, dates, text), unbound as None.
        pandas is optional: `pip install 'ctgraph[pandas]'`."""
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "ResultTable.to_pandas needs pandas, an optional dependency: "
                "pip install 'ctgraph[pandas]'"
            ) from None
        return pandas.DataFrame(
            [[python_value(v) for v in row] for row in self.rows],
            columns=self.columns,
        )


def python_value(term: Node | None) -> Any:
    """A result term as a Python value: IRIs as strings, literals as their value."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


class Backend(Protocol):
    """What every engine offers the query layer."""

    name: str

    def select(self, query: str, bindings: Bindings | None = None) -> ResultTable: ...

    def __len__(self) -> int: ...


WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
#: one lexical token of SPARQL that is not syntax: a string, an IRI, a comment
SPARQL_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
)


def blank_tokens(text: str) -> str:
    """The query with comments, strings and IRIs blanked: what is left is syntax."""
    return SPARQL_TOKENS.sub(lambda m: " " * len(m.group(0)), text)


def bind_values(query: str, bindings: Bindings | None) -> str:
    """Bind variables: a required parameter (`?_name`) given one value is written
    in place of its variable, any other by a VALUES block at the top of the WHERE
    clause.

    Values are written as N-Triples terms (escaped by rdflib), never as raw text,
    so a value cannot change the query's shape; the same text works on every
    engine and on a remote endpoint. A term in place lets the engine start from
    it: Oxigraph joins a top-level VALUES block with a UNION or a subquery only
    after evaluating that whole. A variable given several values gets one row per
    value (the query then answers for any of them).
    """
    if not bindings:
        return query
    terms = {
        name: [value] if isinstance(value, Node) else list(value)
        for name, value in bindings.items()
    }
    inline = {
        name: values[0].n3()
        for name, values in terms.items()
        if len(values) == 1 and name.startswith("_") and not name.startswith("__")
    }
    if inline:
        query = substitute(query, inline)
    blocks = [
        f"VALUES ?{name} {{ " + " ".join(t.n3() for t in terms[name]) + " }"
        for name in sorted(terms)
        if name not in inline
    ]
    if not blocks:
        return query
    match = WHERE.search(query)
    if match is None:
        raise ValueError("query has no WHERE { ... } clause to bind parameters in")
    block = " " + " ".join(blocks) + " "
    return query[: match.end()] + block + query[match.end() :]


def substitute(query: str, terms: Mapping[str, str]) -> str:
    """The query with each variable named in `terms` (outside strings, IRIs and
    comments) replaced by its N-Triples term."""
    pattern = re.compile(
        r"[?$](" + "|".join(re.escape(name) for name in terms) + r")(?![A-Za-z0-9_])"
    )
    parts, last = [], 0
    for match in pattern.finditer(blank_tokens(query)):
        parts += [query[last : match.start()], terms[match.group(1)]]
        last = match.end()
    return "".join(parts) + query[last:]


def to_ox(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


def ox_converter() -> Callable[[Node], ox.NamedNode | ox.Literal | ox.BlankNode]:
    """`to_ox` remembering its answers: a graph repeats its terms many times."""
    cache: dict[Node, ox.NamedNode | ox.Literal | ox.BlankNode] = {}

    def convert(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_ox(term)
        return found

    return convert


@lru_cache(maxsize=1 << 16)
def from_ox(term: object) -> Node | None:
    """The rdflib term for an Oxigraph one. Remembered: results repeat their terms
    (labels, pillars, entities), and making an rdflib term costs more than the
    engine's own work on a large result."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)  # a simple literal, as rdflib returns it
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected result term {term!r}")


class OxigraphBackend:
    """Embedded Oxigraph: in memory, or persistent at `path`."""

    name = "oxigraph"

    def __init__(self, path: Path | None = None) -> None:
        self.store = ox.Store(str(path)) if path else ox.Store()

    @classmethod
    def wrap(cls, store: ox.Store) -> OxigraphBackend:
        """A backend over a store already open (read-only, for one)."""
        backend = cls.__new__(cls)
        backend.store = store
        return backend

    @classmethod
    def from_trig(cls, trig: Path, path: Path | None = None) -> OxigraphBackend:
        backend = cls(path)
        backend.store.clear()
        backend.store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        return backend

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> OxigraphBackend:
        """The dataset's graphs as they are, its default graph as the default."""
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        backend, convert = cls(), ox_converter()
        quads = []
        for g in dataset.graphs():
            name = g.identifier
            label = (
                ox.DefaultGraph() if name == DATASET_DEFAULT_GRAPH_ID else convert(name)
            )
            quads.extend(
                ox.Quad(convert(s), convert(p), convert(o), label)  # type: ignore[arg-type]
                for s, p, o in g
            )
        backend.store.bulk_extend(quads)
        return backend

    def select(
        self, query: str, bindings: Bindings | None = None, limit: int | None = None
    ) -> ResultTable:
        """The rows of a SELECT query; at most `limit` of them when given."""
        result = self.store.query(
            bind_values(query, bindings), use_default_graph_as_union=True
        )
        columns = [v.value for v in result.variables]
        # a solution iterates its values in the order of the variables, about
        # twice as fast as looking each one up by name on a large result
        rows = [tuple(map(from_ox, solution)) for solution in islice(result, limit)]
        return ResultTable(columns, rows)

    def ask(self, query: str) -> bool:
        return bool(self.store.query(query, use_default_graph_as_union=True))

    def construct(self, query: str) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE query, as an rdflib graph."""
        result = self.store.query(query, use_default_graph_as_union=True)
        graph = Graph()
        for triple in result:
            graph.add(
                (
                    from_ox(triple.subject),
                    from_ox(triple.predicate),
                    from_ox(triple.object),
                )
            )
        return graph

    def __len__(self) -> int:
        return len(self.store)


class RdflibBackend:
    """rdflib's in-memory Dataset and SPARQL engine: slower, independent."""

    name = "rdflib"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = Dataset(default_union=True)
        for g in dataset.graphs():
            target = self.dataset.graph(g.identifier)
            for triple in g:
                target.add(triple)

    @classmethod
    def from_trig(cls, trig: Path) -> RdflibBackend:
        ds = Dataset()
        ds.parse(trig, format="trig")
        return cls(ds)

    def select(
        self, query: str, bindings: Bindings | None = None, limit: int | None = None
    ) -> ResultTable:
        """The rows of a SELECT query; at most `limit` of them when given."""
        result = self.dataset.query(bind_values(query, bindings))
        columns = [str(v) for v in result.vars or []]
        rows = [tuple(row[c] for c in columns) for row in islice(result, limit)]
        return ResultTable(columns, rows)

    def ask(self, query: str) -> bool:
        return bool(self.dataset.query(query).askAnswer)

    def construct(self, query: str) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE query, as an rdflib graph."""
        graph = Graph()
        for triple in self.dataset.query(query).graph or ():
            graph.add(triple)
        return graph

    def __len__(self) -> int:
        return sum(len(g) for g in self.dataset.graphs())
