"""Links from the graph's resolutions to external datasets.

Links are derived, never curated: each dataset's links go to a named graph of their
own (`id/graph/links-<name>`), described in the default graph with where they came
from (dataset, DOI, licence, creator, retrieval time, match method). So a link can
never overwrite a curated fact, and a dataset's links are replaced as a whole.

A dataset row counts for a resolution when it names the same resolution
(`Symbol.key`) through the project's one symbol normaliser, however it spells it.
Rows that cannot be read are skipped with a reason; resolutions with no row are
"unmatched", those with conflicting rows "ambiguous": neither is an error. Input that
cannot be linked at all (a missing column, a malformed file, an endpoint that does
not answer) raises `LinkError` before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import io
import json
import math
import os
import re
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ctgraph.messages import redact_url, shorten
from ctgraph.namespaces import CTG, ELI, PAV, PREFIXES, doi_iri, links_graph
from ctgraph.sources.symbols import BODIES, Symbol, SymbolError, parse_symbol
from ctgraph.sources.tables import CsvError, SourceError, csv_rows
from ctgraph.store import transport
from ctgraph.store.remote import IRI, url_problem

DEFAULT_TIMEOUT = 60.0
METHODS = ("exact-number", "exact-symbol")
BODY_NAMES: dict[str, str] = {
    "SC": "Security Council resolutions",
    "GA": "General Assembly resolutions",
    "HRC": "Human Rights Council resolutions",
    "PRST": "presidential statements",
}


class LinkError(SourceError):
    """Input that cannot be linked; says what failed and where. Nothing is written."""


# --- what a dataset offers and what matching found ---------------------------------


@dataclass(frozen=True)
class Candidate:
    """One row or item of a dataset: the resolution it names and its address."""

    symbol: Symbol
    target: URIRef
    where: str  # "line 12", "item 3" or the item's IRI


@dataclass(frozen=True)
class Skipped:
    """A row or item that names no resolution or no usable address."""

    where: str
    reason: str


@dataclass(frozen=True)
class Outcome:
    """What matching found for one resolution of the graph."""

    symbol: str
    resolution: str
    target: str | None
    reason: str


@dataclass
class LinkReport:
    dataset: str
    scope: tuple[str, ...]
    rows: int
    matched: list[Outcome] = field(default_factory=list)
    unmatched: list[Outcome] = field(default_factory=list)
    ambiguous: list[Outcome] = field(default_factory=list)
    out_of_scope: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def resolutions(self) -> int:
        return (
            len(self.matched)
            + len(self.unmatched)
            + len(self.ambiguous)
            + len(self.out_of_scope)
        )

    def summary(self) -> str:
        return (
            f"{self.dataset}: {len(self.matched)} linked, "
            f"{len(self.unmatched)} unmatched, {len(self.ambiguous)} ambiguous, "
            f"{len(self.out_of_scope)} out of scope"
        )

    def to_text(self) -> str:
        scope = ", ".join(BODY_NAMES[b] for b in self.scope) or "nothing"
        lines = [
            f"{self.dataset}: {self.resolutions} resolutions in the graph; "
            f"the dataset covers {scope}",
            f"  matched       {len(self.matched):>5}",
            f"  unmatched     {len(self.unmatched):>5}",
            f"  ambiguous     {len(self.ambiguous):>5}",
            f"  out of scope  {len(self.out_of_scope):>5}",
            f"  rows skipped  {len(self.skipped):>5} of {self.rows}",
        ]
        for title, items in (
            ("unmatched", self.unmatched),
            ("ambiguous", self.ambiguous),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  {o.symbol}: {o.reason}" for o in items)
        if self.skipped:
            lines.append("rows skipped:")
            lines.extend(f"  {s.where}: {s.reason}" for s in self.skipped)
        return "\n".join(lines)

    def to_json(self) -> str:
        """JSON with every control character escaped (C1 ones too, which JSON
        allows raw), so printing it cannot drive the terminal."""
        text = json.dumps(asdict(self), indent=2, ensure_ascii=False)
        return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def resolutions_in(graph: Graph | Dataset) -> list[tuple[URIRef, Symbol]]:
    """Every resolution of the graph (what carries an eli:id_local), by symbol."""
    graphs = graph.graphs() if isinstance(graph, Dataset) else [graph]
    found: dict[URIRef, Symbol] = {}
    for g in graphs:
        for subject, symbol in g.subject_objects(ELI.id_local):
            try:
                found[URIRef(subject)] = parse_symbol(str(symbol))
            except SymbolError:
                continue  # not a resolution symbol; the shapes report it
    return sorted(found.items(), key=lambda item: item[1].slug)


def match(
    resolutions: Iterable[tuple[URIRef, Symbol]],
    candidates: Iterable[Candidate],
    *,
    dataset: str,
    rows: int,
    skipped: Iterable[Skipped] = (),
    scope: Iterable[str] | None = None,
) -> LinkReport:
    """Pair each resolution with the dataset rows that name it.

    `scope` is what the dataset covers (bodies: "SC", "GA", ...); by default every
    body that some row names. Resolutions outside it are not "unmatched".
    """
    by_key: dict[tuple, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_key[candidate.symbol.key].append(candidate)
    if scope is None:
        scope = {key[0] for key in by_key}
    covered = tuple(b for b in BODIES if b in set(scope))
    report = LinkReport(dataset, covered, rows, skipped=list(skipped))
    for iri, symbol in resolutions:
        name = symbol.canonical
        if symbol.body not in covered:
            report.out_of_scope.append(name)
            continue
        found = by_key.get(symbol.key, [])
        targets = sorted({c.target for c in found})
        other_years = sorted(
            {
                c.symbol.canonical
                for c in found
                if symbol.year and c.symbol.year and c.symbol.year != symbol.year
            }
        )
        if not found:
            report.unmatched.append(Outcome(name, str(iri), None, f"not in {dataset}"))
        elif len(targets) > 1:
            places = "; ".join(
                sorted(
                    str(c.target)
                    if c.where == str(c.target)
                    else f"{c.target} ({c.where})"
                    for c in found
                )
            )
            report.ambiguous.append(
                Outcome(name, str(iri), None, f"{len(targets)} targets: {places}")
            )
        elif other_years:
            where = ", ".join(c.where for c in found)
            report.ambiguous.append(
                Outcome(
                    name,
                    str(iri),
                    str(targets[0]),
                    f"{dataset} writes {', '.join(other_years)} ({where})",
                )
            )
        else:
            where = ", ".join(c.where for c in found)
            report.matched.append(Outcome(name, str(iri), str(targets[0]), where))
    return report


# --- tables: CSV or JSON -------------------------------------------------------------


Row = tuple[str, Mapping[str, Any]]  # where, values


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """The columns and rows of a CSV file or a JSON array of objects."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise LinkError(path, None, "expected a .csv or .json file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LinkError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise LinkError(path, None, f"not UTF-8 ({exc})") from None
    except OSError as exc:
        raise LinkError(path, None, f"cannot read: {exc.strerror}") from None
    return _read_json(path, text) if suffix == ".json" else _read_csv(path, text)


def _read_csv(path: Path, text: str) -> tuple[list[str], list[Row]]:
    rows: list[Row] = []
    try:
        header, lines = csv_rows(text)
        for line, row in lines:
            if len(row) != len(header):
                raise CsvError(
                    line,
                    f"malformed CSV: row has {len(row)} cells, "
                    f"header has {len(header)}",
                )
            rows.append((f"line {line}", dict(zip(header, row, strict=True))))
    except CsvError as exc:
        raise LinkError(path, exc.line, exc.message) from None
    return header, rows


def _read_json(path: Path, text: str) -> tuple[list[str], list[Row]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LinkError(
            path, exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except RecursionError:
        raise LinkError(path, None, "JSON nested too deeply to be a table") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise LinkError(path, None, "expected a JSON array of objects, one per row")
    columns = sorted({key for item in data for key in item})
    return columns, [(f"item {i}", item) for i, item in enumerate(data, start=1)]


#: characters an IRI may not hold (RFC 3987), spaces and control characters
NOT_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')


def _url(value: Any) -> URIRef | None:
    text = str(value).strip() if value is not None else ""
    if NOT_IRI.search(text):
        return None
    try:
        parsed = urlparse(text)
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return URIRef(text)
    return None


def table_candidates(
    path: Path,
    *,
    url_column: str,
    number_column: str | None = None,
    symbol_column: str | None = None,
) -> tuple[list[Candidate], list[Skipped], int]:
    """Read a table whose rows name a resolution (by Security Council number or by
    symbol) and an address; return candidates, skipped rows and the row count."""
    if (number_column is None) == (symbol_column is None):
        raise LinkError(path, None, "give exactly one of a number or a symbol column")
    columns, rows = read_rows(path)
    key_column = number_column or symbol_column
    missing = [c for c in (key_column, url_column) if c not in columns]
    if missing:
        raise LinkError(
            path,
            1 if path.suffix.lower() == ".csv" else None,
            f"no column {', '.join(repr(c) for c in missing)}; "
            f"columns: {', '.join(columns) or '(none)'}",
        )
    candidates, skipped = [], []
    for where, values in rows:
        raw = values.get(key_column)
        text = str(raw).strip() if raw is not None else ""
        target = _url(values.get(url_column))
        try:
            if number_column:
                if not text.isdigit():
                    raise SymbolError(
                        f"{shorten(text, 60)!r} is not a resolution number"
                    )
                symbol = Symbol("SC", int(text))
            else:
                symbol = parse_symbol(text)
        except SymbolError as exc:
            skipped.append(Skipped(where, f"{key_column}: {exc}"))
            continue
        if target is None:
            skipped.append(
                Skipped(
                    where,
                    f"{url_column}: {shorten(str(values.get(url_column)), 80)!r} "
                    "is not a URL",
                )
            )
            continue
        candidates.append(Candidate(symbol, target, where))
    return candidates, skipped, len(rows)


# --- SPARQL endpoints ----------------------------------------------------------------


def query_endpoint(
    endpoint: str,
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    item_var: str = "item",
    symbol_var: str = "symbol",
    max_bytes: int = transport.DEFAULT_MAX_BYTES,
) -> tuple[list[Candidate], list[Skipped], int]:
    """Ask a SPARQL endpoint for items and their symbols (SELECT ?item ?symbol).

    No credentials are sent: the endpoint is someone else's. The request goes
    through the project's one transport (no redirect to another host, a total
    deadline, a size cap)."""
    shown = shorten(redact_url(endpoint)) or "(empty URL)"
    problem = url_problem(endpoint, "an endpoint to link to takes no credentials")
    if problem is not None:
        raise LinkError(shown, None, problem)
    if not (math.isfinite(timeout) and timeout > 0):
        raise LinkError(shown, None, "the timeout must be a positive number of seconds")
    url = f"{endpoint}{'&' if '?' in endpoint else '?'}" + urllib.parse.urlencode(
        {"query": query}
    )
    try:
        response = transport.request(
            "GET",
            url,
            headers={
                "Accept": "application/sparql-results+json",
                "User-Agent": f"ctgraph/{version('ctgraph')}",
            },
            timeout=timeout,
            max_bytes=max_bytes,
        )
    except transport.TransportError as exc:
        raise LinkError(shown, None, exc.problem) from None
    if response.status >= 300:
        first = next(
            (
                line.strip()
                for line in response.body.decode("utf-8", "replace").splitlines()
                if line.strip()
            ),
            "",
        )
        phrase = http.client.responses.get(response.status, "error")
        said = f"HTTP {response.status} {phrase}"
        raise LinkError(shown, None, f"{said}: {shorten(first)}" if first else said)
    content_type = response.content_type
    if "json" not in content_type:
        raise LinkError(
            shown,
            None,
            f"answered {shorten(content_type) or 'with no content type'}, "
            "not SPARQL JSON results",
        )
    try:
        data = json.loads(response.body.decode("utf-8"))
        head, bindings = data["head"]["vars"], data["results"]["bindings"]
        if not isinstance(head, list) or not isinstance(bindings, list):
            raise TypeError("not lists")
    except (ValueError, KeyError, TypeError, RecursionError):
        raise LinkError(shown, None, "answer is not SPARQL JSON results") from None
    missing = [v for v in (item_var, symbol_var) if v not in head]
    if missing:
        returned = ", ".join("?" + str(v) for v in head)
        raise LinkError(
            shown,
            None,
            f"the query returns no ?{' or ?'.join(missing)} column "
            f"(it returns {shorten(returned) or 'nothing'})",
        )
    candidates, skipped = [], []
    for row in bindings:
        row = row if isinstance(row, dict) else {}
        item, symbol = row.get(item_var), row.get(symbol_var)
        item = item if isinstance(item, dict) else {}
        symbol = symbol if isinstance(symbol, dict) else {}
        where = str(item.get("value", "(no item)"))
        if item.get("type") != "uri" or not IRI.match(where):
            skipped.append(Skipped(where, f"?{item_var} is not an IRI"))
            continue
        try:
            parsed_symbol = parse_symbol(str(symbol.get("value", "")))
        except SymbolError as exc:
            skipped.append(Skipped(where, f"?{symbol_var}: {exc}"))
            continue
        candidates.append(Candidate(parsed_symbol, URIRef(where), where))
    return candidates, skipped, len(bindings)


# --- dataset descriptions (data/links/*.yaml) and the link graph ----------------------


@dataclass(frozen=True)
class LinkSource:
    """A dataset to link to: how to read it and how to credit it."""

    name: str
    kind: str  # "table" or "sparql"
    title: str
    method: str
    path: Path | None = None
    number_column: str | None = None
    symbol_column: str | None = None
    url_column: str | None = None
    endpoint: str | None = None
    query: str | None = None
    scope: tuple[str, ...] | None = None
    creator: str | None = None
    doi: str | None = None
    licence: str | None = None
    citation: str | None = None
    retrieved: str | None = None
    config: Path | None = None

    def __post_init__(self) -> None:
        check_dataset_name(self.name, self.config or "--dataset-name")

    @property
    def iri(self) -> URIRef:
        """The dataset itself: its DOI when it has one, else its address."""
        if self.doi:
            return doi_iri(self.doi)
        if self.endpoint:
            return URIRef(self.endpoint)
        assert self.path is not None
        return URIRef(self.path.resolve().as_uri())


#: a dataset name goes into a file name and an IRI: a slug, nothing else
DATASET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def check_dataset_name(name: str, where: Path | str) -> str:
    """Refuse a name that is not a slug: it becomes `links-<name>.trig` under the
    output folder and `id/graph/links-<name>`, so `/`, `..` or spaces could write
    outside the folder or break the IRI."""
    if not DATASET_NAME.match(name):
        raise LinkError(
            where,
            None,
            f"dataset name {shorten(name)!r} is not a slug: use lower-case letters, "
            "digits and hyphens (at most 64), e.g. cr-unsc",
        )
    return name


_CONFIG_KEYS = {
    "name",
    "kind",
    "title",
    "file",
    "number_column",
    "symbol_column",
    "url_column",
    "endpoint",
    "query",
    "scope",
    "creator",
    "doi",
    "licence",
    "citation",
    "retrieved",
}


def load_source(config: Path) -> LinkSource:
    """Read a dataset description (YAML): what to read, how to match, whom to credit.

    `file` and `query` are relative to the description itself: the tables the build
    links to are committed under `data/external/`.
    """
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LinkError(config, None, "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise LinkError(config, line, f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LinkError(config, None, "expected a mapping of keys to values")
    unknown = sorted(set(data) - _CONFIG_KEYS)
    if unknown:
        raise LinkError(
            config,
            None,
            f"unknown key(s) {', '.join(unknown)}; known: "
            + ", ".join(sorted(_CONFIG_KEYS)),
        )
    for key in ("name", "kind", "title"):
        if not data.get(key):
            raise LinkError(config, None, f"missing {key!r}")
    kind = data["kind"]
    if kind not in ("table", "sparql"):
        raise LinkError(config, None, f"kind {kind!r} is not 'table' or 'sparql'")
    text = {k: str(v) for k, v in data.items() if v is not None and k != "scope"}
    scope = data.get("scope")
    if scope is not None:
        scope = tuple(scope) if isinstance(scope, list) else (str(scope),)
        if not set(scope) <= set(BODIES):
            raise LinkError(config, None, f"scope must list bodies of {BODIES}")
    if kind == "table":
        if not data.get("file") or not data.get("url_column"):
            raise LinkError(config, None, "a table needs 'file' and 'url_column'")
        method = "exact-number" if data.get("number_column") else "exact-symbol"
        return LinkSource(
            name=text["name"],
            kind=kind,
            title=text["title"],
            method=method,
            path=Path(os.path.normpath(config.parent / text["file"])),
            number_column=text.get("number_column"),
            symbol_column=text.get("symbol_column"),
            url_column=text["url_column"],
            scope=scope,
            creator=text.get("creator"),
            doi=text.get("doi"),
            licence=text.get("licence"),
            citation=text.get("citation"),
            retrieved=text.get("retrieved"),
            config=config,
        )
    if not data.get("query"):
        raise LinkError(config, None, "a sparql source needs 'query' (a .rq file)")
    query_path = config.parent / text["query"]
    try:
        query = query_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LinkError(query_path, None, "query file not found") from None
    return LinkSource(
        name=text["name"],
        kind=kind,
        title=text["title"],
        method="exact-symbol",
        endpoint=text.get("endpoint"),
        query=query,
        scope=scope,
        creator=text.get("creator"),
        doi=text.get("doi"),
        licence=text.get("licence"),
        citation=text.get("citation"),
        config=config,
    )


def retrieved_time(source: LinkSource) -> Literal:
    """When the data was fetched: as configured, else the file's modification time
    (a table) or now (an endpoint)."""
    if source.retrieved:
        return Literal(source.retrieved, datatype=XSD.date)
    if source.path is not None:
        stamp = dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.UTC)
    else:
        stamp = dt.datetime.now(dt.UTC)
    return Literal(stamp.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def add_links(dataset: Dataset, source: LinkSource, report: LinkReport) -> URIRef:
    """Put the matched links in the dataset's link graph, described in the default
    graph. An existing graph of that name is replaced, so re-running is idempotent."""
    name = links_graph(source.name)
    dataset.remove_graph(name)
    g = dataset.graph(name)
    for outcome in report.matched:
        assert outcome.target is not None
        g.add((URIRef(outcome.resolution), SKOS.exactMatch, URIRef(outcome.target)))
    d = dataset.default_graph
    origin = source.iri
    d.add((name, RDF.type, PROV.Entity))
    read = f" ({source.path.name})" if source.path is not None else ""
    label = f"Links to {source.title}{read}, matched by {source.method}"
    d.add((name, RDFS.label, Literal(label, lang="en")))
    d.add((name, PROV.wasDerivedFrom, origin))
    d.add((name, CTG.matchMethod, Literal(source.method)))
    d.add((name, PAV.retrievedOn, retrieved_time(source)))
    d.add((origin, RDF.type, PROV.Entity))
    d.add((origin, RDF.type, DCAT.Dataset))
    d.add((origin, DCTERMS.title, Literal(source.title, lang="en")))
    if source.doi:
        d.add((origin, DCTERMS.identifier, Literal(source.doi)))
    if source.creator:
        d.add((origin, DCTERMS.creator, Literal(source.creator)))
    if source.citation:
        d.add((origin, DCTERMS.bibliographicCitation, Literal(source.citation)))
    if source.licence:
        for subject in (origin, name):
            d.add((subject, DCTERMS.license, URIRef(source.licence)))
    return name


def read_table_source(
    source: LinkSource,
) -> tuple[list[Candidate], list[Skipped], int]:
    """Read a table source's rows; a missing file names where it was looked for."""
    assert source.path is not None and source.url_column is not None
    if not source.path.is_file():
        described = f" (described in {source.config})" if source.config else ""
        raise LinkError(source.path, None, f"dataset file not found{described}")
    return table_candidates(
        source.path,
        url_column=source.url_column,
        number_column=source.number_column,
        symbol_column=source.symbol_column,
    )


def link_table(
    source: LinkSource,
    resolutions: list[tuple[URIRef, Symbol]],
    read: tuple[list[Candidate], list[Skipped], int] | None = None,
) -> LinkReport:
    """Match a table source (read now, unless `read` holds its rows already)."""
    candidates, skipped, rows = read or read_table_source(source)
    scope = source.scope or (("SC",) if source.number_column else None)
    return match(
        resolutions,
        candidates,
        dataset=source.name,
        rows=rows,
        skipped=skipped,
        scope=scope,
    )


def shipped_links(dataset: Dataset, links_dir: Path) -> list[LinkReport]:
    """The links the build ships: every table described in `links_dir` (*.yaml),
    each in its own named graph. Endpoints are never queried at build time."""
    sources = [load_source(path) for path in sorted(links_dir.glob("*.yaml"))]
    tables = [s for s in sources if s.kind == "table"]
    if not tables:
        return []
    resolutions = resolutions_in(dataset)
    reports = []
    for source in tables:
        report = link_table(source, resolutions)
        add_links(dataset, source, report)
        reports.append(report)
    return reports


def extract_rows(
    table: Path, column: str, keep: Iterable[str], columns: Iterable[str]
) -> bytes:
    """The rows of CSV `table` whose `column` is in `keep`, with only `columns`,
    ordered by that value (shorter first, so numbers sort as numbers): the part of a
    large external table the build uses.

    The same inputs always give the same bytes (UTF-8, "\\n" line ends); a value
    of `keep` that no row has is left out (the link report then names it unmatched).
    """
    header, rows = read_rows(table)
    columns = list(columns)
    missing = [c for c in (column, *columns) if c not in header]
    if missing:
        raise LinkError(table, 1, f"no column {', '.join(repr(c) for c in missing)}")
    by_value: dict[str, Mapping[str, Any]] = {}
    for where, values in rows:
        key = str(values[column]).strip()
        if key in by_value:
            raise LinkError(table, None, f"{column} {key!r} twice (second at {where})")
        by_value[key] = values
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for key in sorted(set(keep), key=lambda k: (len(k), k)):
        if key in by_value:
            writer.writerow([str(by_value[key][c]).strip() for c in columns])
    return buffer.getvalue().encode("utf-8")


def link_dataset(source: LinkSource, report: LinkReport) -> Dataset:
    """A dataset holding only one source's links, for writing to a file."""
    dataset = Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns)
    add_links(dataset, source, report)
    return dataset
