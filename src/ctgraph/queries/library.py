"""Stored SPARQL queries with typed parameters, and the Python API to run them.

Each `queries/*.rq` file starts with a YAML header in `#+ ` comment lines, as grlc
reads them (`summary`, `description`, `tags`, `defaults`, `enumerate`), and names its
parameters in the query text: `?_name` is required, `?__name` optional, and a suffix
gives the type (`_iri`, `_integer`, `_number`, `_xsd_date`, `_xsd_gYear`, `_en`, ...).
Beyond grlc, a parameter may take several values (`params: {pillar: {list: true}}`),
an IRI parameter also takes a natural value (an acronym, a country name, a resolution
symbol), and a header that does not parse is an error naming the file and the line,
never silently ignored.

Values are checked against their declared type and bound as escaped RDF terms, in
place of their variables or in VALUES blocks (`ctgraph.store.bind_values`), never as
raw text, so no value can change a query's shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ctgraph.messages import shorten
from ctgraph.namespaces import PREFIXES
from ctgraph.paths import BUILD_DIR, QUERIES_DIR, TRIG
from ctgraph.queries.charts import (
    ChartSpec,
    ChartSpecError,
    parse_chart,
    projected_columns,
)
from ctgraph.queries.forms import GRAPH_FORMS, Prepared, syntax_message, with_prefixes
from ctgraph.queries.lookup import (
    KINDS,
    NAME_KINDS,
    Resolver,
    UnresolvedName,
    check_iri,
)
from ctgraph.queries.reach import ReachError, check_reach
from ctgraph.store.backends import (
    ENGINES,
    SPARQL_TOKENS,
    Backend,
    OxigraphBackend,
    RdflibBackend,
    ResultTable,
    blank_tokens,
)
from ctgraph.store.worker import (
    DEFAULT_TIMEOUT,
    QueryStopped,
    check_timeout,
    run_stoppable,
)

QUERY_DIR = QUERIES_DIR
CHECK_DIR = QUERY_DIR / "checks"
#: names that say "an RDF file": never taken for a new store folder to fill
RDF_FILE_SUFFIXES = (".trig", ".ttl", ".nt", ".nq", ".n3", ".jsonld", ".rdf", ".owl")

#: header keys, and what each says (shown when a header uses an unknown key)
HEADER_KEYS = {
    "summary": "one line: what the query answers",
    "description": "more about the query: its columns and caveats",
    "tags": "a list of words to group queries by",
    "defaults": "values for optional parameters that are not given",
    "enumerate": "the only values a parameter accepts",
    "params": "per parameter: description, list (takes several values), refers",
    "example": "parameter values that show the query at work",
    "pagination": "rows per page on the command line, for results that grow fast",
    "chart": "the default chart: {type: bar|line|timeline|network, x: column, ...}",
}
PARAM_KEYS = ("description", "list", "refers")

#: variable suffix -> value type; any other one- to three-letter suffix is a language
SUFFIX_TYPES = {
    "": "string",
    "literal": "string",
    "xsd_string": "string",
    "iri": "iri",
    "integer": "integer",
    "xsd_integer": "integer",
    "number": "decimal",
    "decimal": "decimal",
    "xsd_decimal": "decimal",
    "xsd_date": "date",
    "xsd_gYear": "year",
    "boolean": "boolean",
    "xsd_boolean": "boolean",
}
TYPE_HINTS = {
    "string": "text",
    "lang": "text",
    "iri": "an IRI or a name",
    "integer": "a whole number",
    "decimal": "a number",
    "date": "a date YYYY-MM-DD",
    "year": "a year YYYY",
    "boolean": "true or false",
}
PARAMETER = re.compile(r"[?$](__?)([A-Za-z0-9]+)(?:_([A-Za-z0-9_]+))?\b")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
INTEGER = re.compile(r"^[+-]?\d+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR = re.compile(r"^\d{4}$")
BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
#: the longest text a string parameter takes
MAX_TEXT = 500


class QueryError(ValueError):
    """Something wrong with a stored query or the values given to it."""


class HeaderError(QueryError):
    """A stored query's header that cannot be read, located to its line."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        self.path, self.line, self.problem = str(path), line, problem
        super().__init__(f"{path}, line {line}: {problem}")


class ParameterError(QueryError):
    """A missing, unknown or ill-typed parameter value."""


class UnknownQuery(QueryError):
    """A query name the library does not have."""


class QueryLimitError(QueryError):
    """A query stopped at a limit: its time, its rows, or the network it may reach."""


def strip_comments(text: str) -> str:
    """The query with every `#` comment blanked, strings and IRIs left intact."""

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return " " * len(token) if token.startswith("#") else token

    return SPARQL_TOKENS.sub(blank, text)


@dataclass(frozen=True)
class Parameter:
    """One parameter of a stored query, as its variable and header declare it."""

    name: str
    variable: str
    type: str
    required: bool
    lang: str | None = None
    multiple: bool = False
    refers: str | None = None
    default: tuple[Any, ...] | None = None
    choices: tuple[str, ...] | None = None
    description: str = ""

    @property
    def hint(self) -> str:
        if self.type == "iri":
            return KINDS[self.refers or "any"].hint
        if self.type == "lang":
            return f"text (@{self.lang})"
        return TYPE_HINTS[self.type]

    def describe(self) -> str:
        """One line for people: name, type, whether required, list, default."""
        parts = [self.hint]
        parts.append("required" if self.required else "optional")
        if self.multiple:
            parts.append("several allowed")
        if self.choices:
            parts.append("one of " + ", ".join(self.choices))
        if self.default is not None:
            parts.append("default " + ", ".join(str(v) for v in self.default))
        return f"{self.name} ({'; '.join(parts)})"

    def check_value(self, value: Any) -> None:
        """Refuse an over-long value (quoting only its start) or one not allowed."""
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise ParameterError(
                f"parameter {self.name!r}: a value of {len(value)} characters is "
                f"longer than the {MAX_TEXT} a parameter takes "
                f"({shorten(value, 40)!r})"
            )
        self.check_choice(value)

    def check_choice(self, value: Any) -> None:
        if self.choices is not None and str(value) not in self.choices:
            raise ParameterError(
                f"parameter {self.name!r}: {value!r} is not one of "
                + ", ".join(self.choices)
            )

    def term(self, value: Any, resolver: Resolver | None) -> Node:
        """The RDF term for one value, or ParameterError saying what was expected."""
        self.check_value(value)
        try:
            return convert(self, value, resolver)
        except (UnresolvedName, ValueError) as exc:
            raise ParameterError(f"parameter {self.name!r}: {exc}") from None


def convert(param: Parameter, value: Any, resolver: Resolver | None) -> Node:
    """Check one value against the parameter's type and make it an RDF term."""
    kind = param.type
    if isinstance(value, Node):
        if kind == "iri" and isinstance(value, URIRef):
            return check_iri(str(value))
        if kind != "iri" and isinstance(value, Literal):
            return value
        raise ValueError(f"{value!r} is not {param.hint}")
    if isinstance(value, bool) and kind != "boolean":
        raise ValueError(f"{value!r} is not {param.hint}")
    if kind == "iri":
        if resolver is None:
            raise ValueError("IRI values need a graph to resolve names against")
        return resolver.resolve(param.refers or "any", str(value))
    if kind in ("string", "lang"):
        text = str(value)
        if len(text) > MAX_TEXT:
            raise ValueError(f"text longer than {MAX_TEXT} characters")
        return Literal(text, lang=param.lang) if kind == "lang" else Literal(text)
    if kind == "integer":
        if isinstance(value, int) or INTEGER.match(str(value).strip()):
            return Literal(int(str(value).strip()), datatype=XSD.integer)
        raise ValueError(f"{value!r} is not a whole number")
    if kind == "decimal":
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
        if not number.is_finite():
            raise ValueError(f"{value!r} is not a finite number")
        return Literal(number, datatype=XSD.decimal)
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return Literal(value.isoformat(), datatype=XSD.date)
        text = str(value).strip()
        if not DATE.match(text):
            raise ValueError(f"{value!r} is not a date YYYY-MM-DD")
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
        return Literal(text, datatype=XSD.date)
    if kind == "year":
        text = str(value).strip()
        if not YEAR.match(text):
            raise ValueError(f"{value!r} is not a year YYYY")
        return Literal(text, datatype=XSD.gYear)
    if kind == "boolean":
        text = str(value).strip().lower()
        if text not in BOOLEANS:
            raise ValueError(f"{value!r} is not true or false")
        return Literal(BOOLEANS[text], datatype=XSD.boolean)
    raise AssertionError(f"unknown parameter type {kind}")


@dataclass(frozen=True)
class StoredQuery:
    """One `.rq` file: its header, its parameters and its SPARQL text."""

    name: str
    path: Path
    summary: str
    text: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    example: Mapping[str, Any] = field(default_factory=dict)
    #: rows per page by default (grlc's `pagination`), or None: every row
    pagination: int | None = None
    chart: ChartSpec | None = None

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        raise ParameterError(
            f"query {self.name!r} has no parameter {name!r}; {self.expects()}"
        )

    def expects(self) -> str:
        if not self.parameters:
            return "it takes no parameters"
        return "it takes: " + "; ".join(p.describe() for p in self.parameters)

    def bindings(
        self, values: Mapping[str, Any], resolver: Resolver | None
    ) -> dict[str, list[Node]]:
        """Check the given values and turn them into RDF terms, by variable.

        Without a resolver, only check them: IRI values are left out, unresolved.
        """
        for name in values:
            self.parameter(name)
        bound: dict[str, list[Node]] = {}
        missing = []
        for param in self.parameters:
            given = values.get(param.name)
            items = as_list(given)
            if not items:
                if param.required:
                    missing.append(param)
                    continue
                if param.default is None:
                    continue
                items = list(param.default)
            if len(items) > 1 and not param.multiple:
                raise ParameterError(
                    f"parameter {param.name!r} takes one value, not {len(items)}"
                )
            if param.type == "iri" and resolver is None:
                for item in items:  # checking only: names are resolved later
                    param.check_value(item)
                continue
            bound[param.variable] = [param.term(item, resolver) for item in items]
        if missing:
            raise ParameterError(
                f"query {self.name!r} needs "
                + ", ".join(repr(p.name) for p in missing)
                + f"; {self.expects()}"
            )
        return bound


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v for v in value if v is not None and v != ""]
    if value == "":
        return []
    return [value]


# --- parsing -------------------------------------------------------------------


def parse_query(path: Path, text: str | None = None) -> StoredQuery:
    """Read one stored query, or raise HeaderError naming the file and line."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    header: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#+"):
            break
        if line != "#+" and not line.startswith("#+ "):
            raise HeaderError(
                path, number, "a header line starts with '#+ ' (hash, plus, space)"
            )
        if "\t" in line:
            raise HeaderError(
                path,
                number,
                "tab character in the header: indent YAML with spaces only",
            )
        header.append(line[3:])
    if not header:
        raise HeaderError(
            path, 1, "no header: a stored query starts with '#+ summary: ...' lines"
        )
    for number, line in enumerate(lines[len(header) :], start=len(header) + 1):
        if line.lstrip().startswith("#+"):
            raise HeaderError(
                path,
                number,
                "'#+' header line after the query has begun: keep the header in "
                "one block at the top",
            )
    body = "\n" * len(header) + "\n".join(lines[len(header) :])
    meta = Header(path, "\n".join(header))
    params = meta.parameters(find_parameters(path, body))
    query_text = strip_comments(body)
    if not query_text.strip():
        raise HeaderError(
            path, len(header) + 1, "no query after the header: only comments"
        )
    if params and not re.search(r"\bWHERE\s*\{", query_text, re.IGNORECASE):
        raise HeaderError(
            path,
            len(header) + 1,
            "a query with parameters needs a WHERE { ... } clause",
        )
    chart = None
    if "chart" in meta.data:
        try:
            chart = parse_chart(
                meta.data["chart"], projected_columns(blank_tokens(body))
            )
        except ChartSpecError as exc:
            raise meta.fail(exc.keys, str(exc)) from None
    return StoredQuery(
        name=path.stem,
        path=path,
        summary=meta.summary,
        text=query_text.strip("\n") + "\n",
        description=meta.get("description", ""),
        tags=tuple(meta.get("tags", ())),
        parameters=params,
        example=meta.example,
        pagination=pagination(meta, query_text),
        chart=chart,
    )


def pagination(meta: Header, query_text: str) -> int | None:
    """The header's rows per page; a paginated query leaves LIMIT and OFFSET to
    the pages."""
    size = meta.get("pagination", None)
    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise meta.fail(("pagination",), "'pagination' is a number of rows, 1 or more")
    if re.search(r"\b(LIMIT|OFFSET)\b", blank_tokens(query_text), re.IGNORECASE):
        raise meta.fail(
            ("pagination",), "a paginated query has no LIMIT or OFFSET of its own"
        )
    return size


@dataclass(frozen=True)
class Found:
    """A parameter as the query text names it."""

    name: str
    variable: str
    type: str
    lang: str | None
    required: bool
    line: int


def find_parameters(path: Path, body: str) -> list[Found]:
    """The `?_name_type` variables of a query body, in order of first use."""
    found: dict[str, Found] = {}
    text = blank_tokens(body)
    for match in PARAMETER.finditer(text):
        underscores, name, suffix = match.groups()
        suffix = suffix or ""
        line = text.count("\n", 0, match.start()) + 1
        if suffix in SUFFIX_TYPES:
            kind, lang = SUFFIX_TYPES[suffix], None
        elif LANGUAGE.match(suffix):
            kind, lang = "lang", suffix
        else:
            raise HeaderError(
                path,
                line,
                f"parameter ?{underscores}{name}_{suffix}: unknown type suffix "
                f"{suffix!r}; use one of "
                + ", ".join(s for s in SUFFIX_TYPES if s)
                + " or a language tag (en)",
            )
        variable = match.group(0)[1:]
        item = Found(name, variable, kind, lang, underscores == "_", line)
        known = found.get(name)
        if known is None:
            found[name] = item
        elif known.variable != variable:
            raise HeaderError(
                path,
                line,
                f"parameter {name!r} is written ?{known.variable} on line "
                f"{known.line} and ?{variable} here: one name, one type, "
                "one required-ness",
            )
    return list(found.values())


#: libyaml's safe loader where PyYAML has it: reading the 44 headers in Python
#: took most of `ctgraph query`'s time
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Header:
    """The YAML header of one query, with the line of every key for messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        try:
            self.node = yaml.compose(text, Loader=SAFE_LOADER)
            self.data = yaml.load(text, Loader=SAFE_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc)
            context = getattr(exc, "context", None)
            detail = f"{context}, {problem}" if context else problem
            raise HeaderError(
                path, line, f"header is not valid YAML: {detail}"
            ) from None
        if not isinstance(self.data, dict) or not isinstance(
            self.node, yaml.MappingNode
        ):
            raise HeaderError(
                path, 1, "the header must be YAML 'key: value' lines (a mapping)"
            )
        self.check_duplicates(self.node)
        for key, _ in self.node.value:
            if key.value not in HEADER_KEYS:
                raise HeaderError(
                    path,
                    key.start_mark.line + 1,
                    f"unknown header key {key.value!r}; known keys: "
                    + ", ".join(HEADER_KEYS),
                )
        summary = self.data.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            raise HeaderError(
                path,
                self.line("summary"),
                "the header needs 'summary:' with one line of text",
            )
        self.summary = " ".join(summary.split())
        if not isinstance(self.data.get("description", ""), str):
            raise HeaderError(
                path, self.line("description"), "'description' must be text"
            )
        tags = self.data.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise HeaderError(
                path, self.line("tags"), "'tags' must be a list of words: [a, b]"
            )
        self.example: dict[str, Any] = {}

    def get(self, key: str, default: Any) -> Any:
        value = self.data.get(key)
        return default if value is None else value

    def check_duplicates(self, node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if key.value in seen:
                    raise HeaderError(
                        self.path,
                        key.start_mark.line + 1,
                        f"key {key.value!r} appears twice",
                    )
                seen.add(key.value)
                self.check_duplicates(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self.check_duplicates(item)

    def line(self, *keys: str) -> int:
        """The header line of a key path (or of the deepest part of it found)."""
        node: yaml.Node = self.node
        line = 1
        for key in keys:
            child = None
            items = node.value if isinstance(node, yaml.SequenceNode) else [node]
            for item in items:
                if isinstance(item, yaml.ScalarNode) and item.value == key:
                    line, child = item.start_mark.line + 1, item
                elif isinstance(item, yaml.MappingNode):
                    for k, v in item.value:
                        if k.value == key:
                            line, child = k.start_mark.line + 1, v
                if child is not None:
                    break
            if child is None:
                return line
            node = child
        return line

    def fail(self, keys: tuple[str, ...], problem: str) -> HeaderError:
        return HeaderError(self.path, self.line(*keys), problem)

    def named_values(self, key: str, allow_bare: bool = False) -> dict[str, Any]:
        """`defaults`/`enumerate`/`example` as name -> value, grlc's list form too."""
        raw = self.data.get(key)
        if raw is None:
            return {}
        if isinstance(raw, dict):
            return dict(raw)
        if isinstance(raw, list):
            merged: dict[str, Any] = {}
            for item in raw:
                if isinstance(item, dict) and len(item) == 1:
                    merged.update(item)
                elif allow_bare and isinstance(item, str):
                    merged[item] = None
                else:
                    raise self.fail(
                        (key,),
                        f"'{key}' items must be 'name: value' pairs, not {item!r}",
                    )
            return merged
        raise self.fail((key,), f"'{key}' must be 'name: value' lines")

    def parameters(self, found: list[Found]) -> tuple[Parameter, ...]:
        """Combine the variables found in the query with what the header says."""
        names = {f.name for f in found}
        listing = ", ".join(sorted(names)) or "none"
        declared = self.data.get("params") or {}
        if not isinstance(declared, dict):
            raise self.fail(("params",), "'params' must map parameter names to text")
        sections = {
            "params": declared,
            "defaults": self.named_values("defaults"),
            "enumerate": self.named_values("enumerate", allow_bare=True),
            "example": self.named_values("example"),
        }
        for section, values in sections.items():
            for name in values:
                if name not in names:
                    raise self.fail(
                        (section, str(name)),
                        f"{section}: {name!r} is not a parameter of this query "
                        f"(its parameters: {listing})",
                    )
        params = []
        for f in found:
            spec = declared.get(f.name) or {}
            if isinstance(spec, str):
                spec = {"description": spec}
            if not isinstance(spec, dict):
                raise self.fail(("params", f.name), "expected text or a mapping")
            for key in spec:
                if key not in PARAM_KEYS:
                    raise self.fail(
                        ("params", f.name, key),
                        f"params: unknown key {key!r} for {f.name!r}; known: "
                        + ", ".join(PARAM_KEYS),
                    )
            multiple = spec.get("list", False)
            if not isinstance(multiple, bool):
                raise self.fail(("params", f.name, "list"), "'list' is true or false")
            refers = spec.get("refers")
            if refers is not None and (f.type != "iri" or refers not in KINDS):
                raise self.fail(
                    ("params", f.name, "refers"),
                    "'refers' is for IRI parameters and is one of " + ", ".join(KINDS),
                )
            if f.type == "iri" and refers is None:
                refers = NAME_KINDS.get(f.name, "any")
            param = Parameter(
                name=f.name,
                variable=f.variable,
                type=f.type,
                required=f.required,
                lang=f.lang,
                multiple=multiple,
                refers=refers,
                description=" ".join(str(spec.get("description", "")).split()),
            )
            choices = sections["enumerate"].get(f.name)
            if choices is not None:
                items = as_list(choices)
                if not items:
                    raise self.fail(
                        ("enumerate", f.name), "enumerate needs a list of values"
                    )
                # as text: a value is checked as str(value) against its choices
                choices = self.scalars(("enumerate", f.name), f.name, items)
                param = replace_param(param, choices=tuple(str(v) for v in choices))
            default = sections["defaults"].get(f.name)
            if default is not None:
                if f.required:
                    raise self.fail(
                        ("defaults", f.name),
                        f"{f.name!r} is required (?{f.variable}), so a default is "
                        f"never used: make it optional (?_{f.variable})",
                    )
                keys = ("defaults", f.name)
                param = replace_param(
                    param, default=self.scalars(keys, f.name, as_list(default))
                )
                self.check_values(("defaults", f.name), param, param.default)
            if f.name in sections["example"]:
                given = as_list(sections["example"][f.name])
                values = self.scalars(("example", f.name), f.name, given)
                self.check_values(("example", f.name), param, values)
                self.example[f.name] = list(values) if multiple else values[0]
            params.append(param)
        missing = [p.name for p in params if p.required and p.name not in self.example]
        if self.data.get("example") is not None and missing:
            raise self.fail(
                ("example",),
                "example lacks the required parameter(s) " + ", ".join(missing),
            )
        # the order the header's params list gives, then the order of first use
        order = list(declared)
        params.sort(
            key=lambda p: order.index(p.name) if p.name in order else len(order)
        )
        return tuple(params)

    def scalars(
        self, keys: tuple[str, ...], name: str, values: Iterable[Any]
    ) -> tuple[Any, ...]:
        """Header values as parameter values, or HeaderError at their line."""
        try:
            return tuple(scalar(v) for v in values)
        except ValueError as exc:
            raise self.fail(keys, f"{name}: {exc}") from None

    def check_values(
        self, keys: tuple[str, ...], param: Parameter, values: Iterable[Any] | None
    ) -> None:
        items = list(values or ())
        if len(items) > 1 and not param.multiple:
            raise self.fail(
                keys,
                f"{param.name!r} takes one value: add 'list: true' under params "
                "to allow several",
            )
        for value in items:
            if param.choices is not None and str(value) not in param.choices:
                raise self.fail(
                    keys, f"{value!r} is not one of {', '.join(param.choices)}"
                )
            if param.type != "iri":
                try:
                    convert(param, value, None)
                except ValueError as exc:
                    raise self.fail(keys, f"{param.name}: {exc}") from None


def replace_param(param: Parameter, **changes: Any) -> Parameter:
    return replace(param, **changes)


def scalar(value: Any) -> Any:
    """A header value as a parameter value (YAML reads 2024-06-01 as a date)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, int, float, str)):
        return value if not isinstance(value, float) else str(value)
    raise ValueError(f"{value!r} is not a single value")


def load_queries(folder: Path = QUERY_DIR) -> dict[str, StoredQuery]:
    """Every `*.rq` file directly in `folder`, by name (the file name's stem)."""
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        query = parse_query(path)
        queries[query.name] = query
    return queries


# --- the API -------------------------------------------------------------------


class KnowledgeGraph:
    """The graph on one engine, with the stored queries ready to run.

    >>> kg = KnowledgeGraph.load()
    >>> kg.query("working-group-leadership", date="2024-06-01").rows

    Embedded queries run in a worker process stopped after `timeout` seconds
    (None: no limit) or on Ctrl-C; `max_rows` refuses larger results; a SERVICE
    call (and on rdflib a FROM source) reaches only the hosts in `allow_service`.
    `isolated=False` runs them in this process, unbounded (to time the engine
    alone, as the benchmark does).
    """

    def __init__(
        self,
        backend: Backend,
        queries: Mapping[str, StoredQuery] | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_rows: int | None = None,
        allow_service: Iterable[str] = (),
        isolated: bool = True,
    ) -> None:
        self.backend = backend
        self.isolated = isolated
        self.queries = dict(load_queries() if queries is None else queries)
        self.resolver = Resolver(backend)
        try:
            self.timeout = check_timeout(timeout)
        except ValueError as exc:
            raise QueryError(str(exc)) from None
        if max_rows is not None and max_rows < 0:
            raise QueryError(f"max_rows is a number of rows, not {max_rows}")
        self.max_rows = max_rows
        self.allow_service = tuple(allow_service)

    @property
    def engine(self) -> str:
        return self.backend.name

    @classmethod
    def load(
        cls,
        engine: str = "oxigraph",
        store_path: Path | str | None = None,
        *,
        trig: Path | None = None,
        queries: Mapping[str, StoredQuery] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_rows: int | None = None,
        allow_service: Iterable[str] = (),
    ) -> KnowledgeGraph:
        """Open the graph: `store_path` is an Oxigraph store folder (filled from
        the TriG on first use, refilled when the TriG's content changes) or a TriG file;
        without one, build/ctgraph.trig is read, and built first if missing, through
        the store cached beside it (`ctgraph.store.folder.cached_store`)."""
        if engine not in ENGINES:
            raise QueryError(
                f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}"
            )
        store = Path(store_path) if store_path is not None else None
        if (
            store is not None
            and not store.exists()
            and store.suffix.lower() in RDF_FILE_SUFFIXES
        ):  # a mistyped file name, not a new store folder to fill from the build
            raise QueryError(f"{store}: no such file")
        if store is not None and store.is_file():
            if store.suffix.lower() != ".trig":
                raise QueryError(
                    f"{store} is a file, not a store folder or a .trig file"
                )
            trig, store = store, None
        default_trig = BUILD_DIR / TRIG
        trig = trig or default_trig
        limits = {
            "timeout": timeout,
            "max_rows": max_rows,
            "allow_service": allow_service,
        }
        if engine == "rdflib":
            if store is not None:
                raise QueryError(
                    "the rdflib engine reads a TriG file, not a store folder: "
                    f"{store} is not a file"
                )
            source = ensure_trig(trig, default_trig)
            return cls(read_trig(RdflibBackend.from_trig, source), queries, **limits)
        if store is not None:
            from ctgraph.store.folder import StoreError, open_store, recorded

            if not trig.exists() and recorded(store) is None:
                trig = ensure_trig(trig, default_trig)
            try:
                return cls(open_store(store, trig), queries, **limits)
            except StoreError as exc:
                raise QueryError(str(exc)) from None
        source = ensure_trig(trig, default_trig)
        if source == default_trig:  # the built graph: read through its cached store
            from ctgraph.store.folder import cached_store

            cached = cached_store(source)
            if cached is not None:
                return cls(cached, queries, **limits)
        return cls(read_trig(OxigraphBackend.from_trig, source), queries, **limits)

    def query(self, name: str, /, **params: Any) -> ResultTable:
        """Run a stored query by name with parameter values (lists for several)."""
        stored = self.stored(name)
        bindings = stored.bindings(params, self.resolver)
        return self.run(stored.text, bindings)

    def query_page(
        self, name: str, limit: int | None, offset: int = 0, /, **params: Any
    ) -> tuple[ResultTable, bool]:
        """One page of a stored query's rows (`limit` None: every row from
        `offset` on), and whether more rows follow it."""
        if (limit is not None and limit < 1) or offset < 0:
            raise QueryError(f"no page of {limit} rows from row {offset}")
        stored = self.stored(name)
        bindings = stored.bindings(params, self.resolver)
        modifiers = "" if limit is None else f"LIMIT {limit + 1} "
        modifiers += f"OFFSET {offset}" if offset else ""
        table = self.run(stored.text + modifiers + "\n", bindings)
        if limit is None or len(table.rows) <= limit:
            return table, False
        return ResultTable(table.columns, table.rows[:limit]), True

    def stored(self, name: str) -> StoredQuery:
        if name not in self.queries:
            raise UnknownQuery(
                f"no stored query {name!r}; known: " + ", ".join(sorted(self.queries))
            )
        return self.queries[name]

    def sparql(self, text: str) -> ResultTable:
        """Run any SELECT query on the graph; the ctgraph prefixes (`ctg:`, `id:`,
        ...) are predeclared."""
        prepared = with_prefixes(text)
        self.expect(prepared, ("SELECT",))
        return self.attempt(prepared, lambda q: self.run(q, None))

    def ask(self, text: str) -> bool:
        """Run an ASK query (ctgraph prefixes predeclared)."""
        prepared = with_prefixes(text)
        self.expect(prepared, ("ASK",))
        return self.attempt(prepared, self.graph_method("ask"))

    def construct(self, text: str) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query (ctgraph prefixes predeclared); the
        triples come back as an rdflib graph bound to the ctgraph prefixes."""
        prepared = with_prefixes(text)
        self.expect(prepared, GRAPH_FORMS)
        graph = self.attempt(prepared, self.graph_method("construct"))
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, replace=True)
        return graph

    def expect(self, prepared: Prepared, forms: tuple[str, ...]) -> None:
        form = query_form(prepared.original)
        if form not in forms:
            raise QueryError(
                f"expected a {' or '.join(forms)} query, not {form or 'this text'}"
            )

    def graph_method(self, name: str) -> Callable[[str], Any]:
        """The backend's `ask` or `construct`, under the same limits as SELECT:
        the network it may reach, and a worker stopped after the timeout."""
        method = getattr(self.backend, name, None)
        if method is None or self.engine not in ENGINES:
            raise QueryError(
                f"the {self.engine} engine answers SELECT queries only; ASK, "
                "CONSTRUCT and DESCRIBE run on the embedded engines"
            )

        def bounded(text: str) -> Any:
            try:
                check_reach(text, self.engine, self.allow_service)
            except ReachError as exc:
                raise QueryLimitError(str(exc)) from None
            try:
                if self.isolated:
                    return run_stoppable(lambda: method(text), self.timeout)
                return method(text)
            except QueryStopped as exc:
                raise QueryLimitError(str(exc)) from None

        return bounded

    def attempt(self, prepared: Prepared, run: Any) -> Any:
        """Run, turning an engine's syntax error into the line, column and text."""
        try:
            return run(prepared.text)
        except QueryError as exc:
            if self.engine == "remote":
                raise  # a server's error is shown in its own words
            cause = exc.__cause__ if exc.__cause__ is not None else exc
            placed = syntax_message(prepared, str(cause))
            if placed is None:
                raise
            raise QueryError(placed) from None
        except Exception as exc:  # engines raise their own syntax and runtime errors
            placed = syntax_message(prepared, str(exc))
            if placed is None:
                raise QueryError(
                    f"the {self.engine} engine refused the query: {exc}"
                ) from exc
            raise QueryError(placed) from None

    def run(self, text: str, bindings: Mapping[str, list[Node]] | None) -> ResultTable:
        form = query_form(text)
        if form != "SELECT":
            raise QueryError(f"only SELECT queries are supported, not {form or 'this'}")
        if self.engine not in ENGINES:  # a server: its own limits apply
            try:
                result = self.backend.select(text, bindings)
            except Exception as exc:  # noqa: BLE001 - the engine's own errors
                raise QueryError(
                    f"the {self.engine} engine refused the query: {exc}"
                ) from exc
            return self.capped(result)
        try:
            check_reach(text, self.engine, self.allow_service)
        except ReachError as exc:
            raise QueryLimitError(str(exc)) from None
        limit = None if self.max_rows is None else self.max_rows + 1
        select = self.backend.select
        try:
            if self.isolated:
                result = run_stoppable(
                    lambda: select(text, bindings, limit=limit),  # type: ignore[call-arg]
                    self.timeout,
                )
            else:
                result = select(text, bindings, limit=limit)  # type: ignore[call-arg]
        except QueryStopped as exc:
            raise QueryLimitError(str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - the engine's own, here or in the worker
            raise QueryError(
                f"the {self.engine} engine refused the query: {exc}"
            ) from exc
        return self.capped(result)

    def capped(self, result: ResultTable) -> ResultTable:
        """The result, or QueryLimitError when it has more rows than `max_rows`."""
        if self.max_rows is not None and len(result.rows) > self.max_rows:
            raise QueryLimitError(
                f"the result has more than {self.max_rows} rows (the limit): "
                "narrow the query or add LIMIT"
            )
        return result

    def resolve(self, kind: str, value: str) -> URIRef:
        """The IRI a natural value names (`kg.resolve("entity", "UNODC")`)."""
        if kind not in KINDS:
            raise QueryError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
        return self.resolver.resolve(kind, value)

    def dataframe(self, query: str | ResultTable, /, **params: Any) -> Any:
        """A stored query's result (or any ResultTable) as a pandas DataFrame of
        Python values (`ResultTable.to_pandas`; pandas is the `[pandas]` extra)."""
        table = query if isinstance(query, ResultTable) else self.query(query, **params)
        return table.to_pandas()


def read_trig(reader: Callable[[Path], Backend], trig: Path) -> Backend:
    """A backend read from a TriG file; a file that cannot be read is a QueryError."""
    try:
        return reader(trig)
    except (OSError, SyntaxError, ValueError) as exc:
        raise QueryError(f"cannot read {trig} as TriG: {shorten(str(exc))}") from None


def ensure_trig(trig: Path, default: Path) -> Path:
    """The TriG file to read; the default one is built when it is missing."""
    if trig.exists():
        return trig
    if trig != default:
        raise QueryError(f"{trig} not found")
    from ctgraph import build as pipeline
    from ctgraph.sources.tables import SourceError
    from ctgraph.validation.shacl import InputError

    try:
        result = pipeline.build()
    except (SourceError, InputError) as exc:
        raise QueryError(str(exc)) from None
    if not result.written:
        raise QueryError(
            "the graph could not be built (it does not pass validation): "
            "run `ctgraph build` to see why"
        )
    return trig


_PROLOGUE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.IGNORECASE
)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue."""
    body = strip_comments(text)
    rest = body[_PROLOGUE.match(body).end() :]
    word = re.match(r"[A-Za-z]+", rest)
    return word.group(0).upper() if word else None
