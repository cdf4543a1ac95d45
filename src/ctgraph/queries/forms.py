"""Any SPARQL query a user types: the ctgraph prefixes predeclared, the four query
forms told apart, and a syntax error shown as the line and column it is at.

The prefixes are written in front of the query's first line, so every engine (and a
remote endpoint) sees the same text and a line number in an error stays the
user's; only a column on line 1 moves, and is moved back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ctgraph.namespaces import PREFIXES

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: forms whose answer is RDF, written in an export format
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*|)\s*:", re.IGNORECASE)
WHERE_AT = re.compile(
    r"(?:line\s+|at\s+)(\d+):(\d+)|line:?\s*(\d+),?\s*col(?:umn)?:?\s*(\d+)"
)
#: a prefixed name with a slash, as ctgraph's tables print IRIs (id:entity/unodc)
SLASHED = re.compile(r"([A-Za-z][\w.-]*):([\w.-]+)/(\S*?)(?=[\s;,.)}]|$)")


@dataclass(frozen=True)
class Prepared:
    """A query with the ctgraph prefixes it did not declare written before it."""

    original: str
    text: str
    offset: int  # characters added in front of line 1


def with_prefixes(text: str) -> Prepared:
    """The query with `PREFIX` lines for every ctgraph prefix it does not declare
    itself (its own declarations win)."""
    own = {m.group(1) for m in DECLARED.finditer(strip_strings(text))}
    prologue = "".join(
        f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items() if p not in own
    )
    return Prepared(text, prologue + text, len(prologue))


def strip_strings(text: str) -> str:
    """The query with comments and string contents blanked, for keyword scans."""
    text = re.sub(r"(\"\"\"|''')(?:.|\n)*?\1", '""', text)
    text = re.sub(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", '""', text)
    return re.sub(r"#[^\n]*", "", text)


def syntax_position(message: str) -> tuple[int, int] | None:
    """(line, column), both from 1, in an engine's syntax-error message."""
    found = WHERE_AT.search(message)
    if found is None:
        return None
    numbers = [int(n) for n in found.groups() if n is not None]
    return numbers[0], numbers[1]


def explain(prepared: Prepared, line: int, column: int, reason: str = "") -> str:
    """`syntax error at line L, column C` with the line and a caret under the
    column, in the user's own text."""
    if line == 1:
        column = max(1, column - prepared.offset)
    lines = prepared.original.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * (column - 1) + "^"
    head = f"syntax error at line {line}, column {column}"
    if reason:
        head += f": {reason}"
    return f"{head}\n  {shown}\n  {caret}"


def reason_of(message: str, prepared: Prepared, line: int, column: int) -> str:
    """A short reason: an unknown prefix named, a short expected list kept, a long
    one (ranges of characters) dropped."""
    if "Prefix not found" in message or "unknown prefix" in message.lower():
        lines = prepared.original.splitlines()
        if line == 1:
            column -= prepared.offset
        if 0 < line <= len(lines):
            before = lines[line - 1][: max(0, column - 1)]
            name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
            if name and name.group(1):
                return f"unknown prefix '{name.group(1)}:' (declare it with PREFIX)"
            # the engine may point past the name: look at the whole line
            names = re.findall(r"(?<![\w<])([A-Za-z][\w.-]*):", lines[line - 1])
            unknown = [n for n in names if n not in PREFIXES]
            if unknown:
                return f"unknown prefix '{unknown[0]}:' (declare it with PREFIX)"
        return "unknown prefix (declare it with PREFIX)"
    lines = prepared.original.splitlines()
    if 0 < line <= len(lines):
        for found in SLASHED.finditer(lines[line - 1]):
            prefix, head, tail = found.groups()
            if prefix in PREFIXES:
                iri = f"{PREFIXES[prefix]}{head}/{tail}"
                return (
                    f"a prefixed name cannot hold '/': write <{iri}> "
                    f"or {prefix}:{head}\\/{tail}"
                )
    expected = re.search(r"expected (.*)", message, re.DOTALL)
    if expected:
        text = " ".join(expected.group(1).split())
        if len(text) <= 60 and "\\u" not in text:
            return f"expected {text}"
    return ""


def syntax_message(prepared: Prepared, message: str) -> str | None:
    """The user-facing text for an engine's syntax error, or None when the message
    names no position (then it is not a syntax error this module can place)."""
    position = syntax_position(message)
    if position is None:
        unknown = re.search(r"Unknown namespace prefix\s*:\s*([\w.-]+)", message)
        if unknown:
            return f"unknown prefix '{unknown.group(1)}:' (declare it with PREFIX)"
        return None
    line, column = position
    reason = reason_of(message, prepared, line, column)
    unknown = re.match(r"unknown prefix '([\w.-]+):'", reason)
    lines = prepared.original.splitlines()
    if unknown and 0 < line <= len(lines):
        # point at the prefixed name itself, not where the parser gave up
        at = re.search(rf"(?<![\w<]){re.escape(unknown.group(1))}:", lines[line - 1])
        if at:
            column = at.start() + 1 + (prepared.offset if line == 1 else 0)
    return explain(prepared, line, column, reason)
