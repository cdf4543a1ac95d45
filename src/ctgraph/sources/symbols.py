"""UN resolution symbols: one normaliser for every way the reports cite them.

The reports cite the same resolution as "S/RES/2396 (2017)", "SCR [2396 \\(2017\\)](#)",
"resolution 2396 (2017)" or "第 2396(2017)号决议", and list several at once
("resolutions 1373, 1540 and 1624"). Everything else in the project keys resolutions
on the `Symbol` made here, so that each resolution becomes one node whatever its
spelling. Other UN documents ("A/70/674", "A/72/761-S/2018/86") are recognised
separately so they are never read as resolutions.

No library parses UN symbols, so the grammar is written out below as named regular
expressions, one per form.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from ctgraph.namespaces import undocs_url

Body = Literal["SC", "GA", "HRC", "PRST"]
BODIES: tuple[Body, ...] = ("SC", "GA", "HRC", "PRST")

FIRST_YEAR = 1946  # the first Security Council and General Assembly resolutions
LAST_YEAR = 2099


class SymbolError(ValueError):
    """Text that does not name exactly one resolution or presidential statement."""


@dataclass(frozen=True)
class Symbol:
    """One resolution (or Security Council presidential statement).

    `year` is the Security Council adoption year or the presidential statement's
    year; `session` is the General Assembly or Human Rights Council session. A
    Security Council resolution's year may be unknown: its number alone identifies it.
    """

    body: Body
    number: int
    year: int | None = None
    session: int | None = None

    def __post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise SymbolError(f"invalid {self.body} symbol: {problem}")

    def _problem(self) -> str | None:
        if self.body not in BODIES:
            return f"body must be one of {', '.join(BODIES)}"
        if self.number < 1:
            return f"number {self.number} is not positive"
        if self.year is not None and not FIRST_YEAR <= self.year <= LAST_YEAR:
            return f"year {self.year} is outside {FIRST_YEAR}-{LAST_YEAR}"
        if self.body in ("GA", "HRC"):
            if self.session is None or self.session < 1:
                return "a session number is required"
            if self.year is not None:
                return "the symbol carries a session, not a year"
        elif self.session is not None:
            return "the symbol carries a year, not a session"
        if self.body == "PRST" and self.year is None:
            return "a presidential statement needs its year"
        return None

    @property
    def canonical(self) -> str:
        """The symbol as the UN writes it: "S/RES/2396 (2017)", "A/RES/71/291"."""
        if self.body == "SC":
            year = f" ({self.year})" if self.year is not None else ""
            return f"S/RES/{self.number}{year}"
        if self.body == "GA":
            return f"A/RES/{self.session}/{self.number}"
        if self.body == "HRC":
            return f"A/HRC/RES/{self.session}/{self.number}"
        return f"S/PRST/{self.year}/{self.number}"

    @property
    def slug(self) -> str:
        """Lower-case id for IRIs and data tables: "s-res-2396-2017"."""
        return re.sub(r"[^a-z0-9]+", "-", self.canonical.lower()).strip("-")

    @property
    def undocs_url(self) -> str:
        """The document's page: undocs.org takes the symbol without spaces."""
        return str(undocs_url(self.canonical.replace(" ", "")))

    @property
    def key(self) -> tuple[str, int, int | None]:
        """What identifies the resolution: a Security Council number needs no year."""
        if self.body == "SC":
            return ("SC", self.number, None)
        if self.body == "PRST":
            return ("PRST", self.number, self.year)
        return (self.body, self.number, self.session)

    def with_year(self, year: int | None) -> Symbol:
        return replace(self, year=year)

    def __str__(self) -> str:
        return self.canonical


@dataclass(frozen=True)
class Mention:
    """A resolution named in free text: `text == source[start:end]`."""

    symbol: Symbol
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class DocumentMention:
    """A UN document that is not a resolution, such as a report or a letter.

    A joint symbol ("A/72/761-S/2018/86": one document issued to two organs) is kept
    whole in `symbol`; `parts` splits it.
    """

    symbol: str
    text: str
    start: int
    end: int

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.symbol.split("-"))


# --- grammar ---

# Horizontal space only: a citation never runs across lines, and the matrix tables
# separate columns with tabs, so a row's serial number must not join the cell before.
_SP = r"[^\S\t\n\r\f\v]"
_YEAR = r"(?:19[4-9]\d|20\d\d)"
# "(2017)", also markdown-escaped "\(2017\)" and with no space before it.
_PAREN_YEAR = rf"{_SP}*\\?\({_SP}*(?P<year>{_YEAR}){_SP}*\\?\)"
# A markdown link around a citation: "[2133 \(2014\)](#)".
_LINK_OPEN = r"(?P<link>\[)?"
_LINK_CLOSE = r"(?(link)\]\([^)\s]*\))"

# One item of a citation: "2396 (2017)", "1373", "71/291", each maybe a markdown link.
_ITEM = re.compile(
    rf"""
    {_LINK_OPEN}
    (?:
        (?P<session>\d{{1,3}})/(?P<slashed>\d{{1,4}})   # session/number: GA or HRC
      | (?P<number>\d{{1,4}})(?:{_PAREN_YEAR})?          # Security Council number
    )
    {_LINK_CLOSE}
    (?![\d/])
    """,
    re.VERBOSE,
)

# Between items of a list: ", ", " and ", ", and ", "和", "、"; or bare space between
# two items that both carry a year ("2341 (2017) 2354 (2017)", as one footnote has).
_SEPARATOR = re.compile(rf"{_SP}*(?P<word>,{_SP}*and\b|,|\band\b|&|和|、|及|与)?{_SP}*")

# The words before an English citation, naming the organ when they can.
_CUE = re.compile(
    rf"""
    (?<![\w/-])
    (?:
        (?P<hrc>Human{_SP}+Rights{_SP}+Council|HRC){_SP}+[Rr]esolutions?
      | (?P<ga>General{_SP}+Assembly|UNGA|GA){_SP}+[Rr]esolutions?
      | (?P<sc>(?:(?:United{_SP}+Nations|UN){_SP}+)?Security{_SP}+Council|UNSC)
        {_SP}+[Rr]esolutions?
      | (?P<scr>(?:UN)?SCRs?)
      | [Rr]esolutions?
    )
    {_SP}+
    """,
    re.VERBOSE,
)

# Chinese: "第 70/291 号决议", "第2322(2016)和2396(2017)号决议"; organ stands before.
_ZH_OPEN = re.compile(rf"第{_SP}*")
_ZH_CLOSE = re.compile(rf"{_SP}*号决议")
_ZH_HRC = re.compile(r"人权理事会\S{0,2}$")

# Symbols written out in full.
_EXPLICIT = re.compile(
    rf"""
    {_LINK_OPEN}
    (?<![\w/])
    (?:
        S/RES/(?P<sc>\d{{1,4}})(?:{_PAREN_YEAR})?
      | A/RES/(?P<ga_session>\d{{1,3}})/(?P<ga>\d{{1,4}})
      | A/HRC/RES/(?P<hrc_session>\d{{1,3}})/(?P<hrc>\d{{1,4}})
      | S/PRST/(?P<prst_year>{_YEAR})/(?P<prst>\d{{1,4}})
    )
    {_LINK_CLOSE}
    (?![\w/])
    """,
    re.VERBOSE,
)

# A sanctions regime named by its resolutions: "the 1267/1989/2253 ISIL (Da'esh) and
# Al-Qaida Sanctions Regime", "the 1267 and 1988 sanctions regimes". A committee named
# by one number ("the 1540 Committee") is a body, not a citation, and is left out.
_REGIME = re.compile(
    rf"""
    (?<![\w/.\\(\[])
    (?P<numbers>
        \d{{3,4}}(?:/\d{{3,4}})+
      | \d{{3,4}}(?:(?:{_SP}*,{_SP}*|{_SP}+and{_SP}+)\d{{3,4}})*
    )
    (?={_SP}+(?:[^\s,.;]+{_SP}+){{0,5}}?[Ss]anctions\b)
    """,
    re.VERBOSE,
)
_REGIME_NUMBER = re.compile(r"\d{3,4}")

# Any other UN document: "A/70/674", "S/2017/249", "A/72/761-S/2018/86".
_DOC_PART = (
    r"[AES]/(?!RES/|PRST/|HRC/RES/)(?:[A-Z][A-Za-z0-9.]*/)*\d+(?:/\d+)*"
    r"(?:/[A-Za-z]+\.\d+)*"
)
_DOCUMENT = re.compile(
    rf"{_LINK_OPEN}(?<![\w/])(?P<symbol>{_DOC_PART}(?:-{_DOC_PART})*){_LINK_CLOSE}"
    r"(?![\w/])"
)


# --- scanning ---


def _item_symbol(item: re.Match[str], organ: Body | None) -> Symbol | None:
    """The symbol an item names, or None when it cannot belong to the organ cited."""
    try:
        if item["session"]:
            if organ == "SC":
                return None
            body: Body = "HRC" if organ == "HRC" else "GA"
            return Symbol(body, int(item["slashed"]), session=int(item["session"]))
        if organ not in (None, "SC"):
            return None
        year = int(item["year"]) if item["year"] else None
        return Symbol("SC", int(item["number"]), year=year)
    except SymbolError:
        return None


def _items(
    text: str, pos: int, organ: Body | None
) -> list[tuple[re.Match[str], Symbol]]:
    """The list of items starting at `pos`: one item, then items after separators."""
    found: list[tuple[re.Match[str], Symbol]] = []
    while True:
        item = _ITEM.match(text, pos)
        if not item:
            break
        symbol = _item_symbol(item, organ)
        if symbol is None:
            break
        if found and not _joined(found[-1][0], item, text):
            break
        found.append((item, symbol))
        pos = _SEPARATOR.match(text, item.end()).end()
    return found


def _joined(previous: re.Match[str], item: re.Match[str], text: str) -> bool:
    """Whether two items are one list: a separator word, or bare space and years."""
    separator = _SEPARATOR.match(text, previous.end())
    if separator["word"]:
        return True
    spaced = separator.end() > previous.end()
    return spaced and bool(previous["year"]) and bool(item["year"])


def _organ(cue: re.Match[str]) -> Body | None:
    if cue["hrc"]:
        return "HRC"
    if cue["ga"]:
        return "GA"
    if cue["sc"] or cue["scr"]:
        return "SC"
    return None


def _spans(
    items: list[tuple[re.Match[str], Symbol]], start: int, end: int, text: str
) -> list[Mention]:
    """Mentions for a list: the cue goes with the first item, a closing word with
    the last, so the spans cover the citation without overlapping."""
    mentions = []
    for i, (item, symbol) in enumerate(items):
        left = start if i == 0 else item.start()
        right = end if i == len(items) - 1 else item.end()
        mentions.append(Mention(symbol, text[left:right], left, right))
    return mentions


def _english(text: str) -> Iterable[Mention]:
    for cue in _CUE.finditer(text):
        items = _items(text, cue.end(), _organ(cue))
        if items:
            yield from _spans(items, cue.start(), items[-1][0].end(), text)


def _chinese(text: str) -> Iterable[Mention]:
    for opening in _ZH_OPEN.finditer(text):
        organ: Body | None = "HRC" if _ZH_HRC.search(text, 0, opening.start()) else None
        items = _items(text, opening.end(), organ)
        if not items:
            continue
        closing = _ZH_CLOSE.match(text, items[-1][0].end())
        if closing:
            yield from _spans(items, opening.start(), closing.end(), text)


def _explicit_symbol(match: re.Match[str]) -> Symbol:
    if match["sc"]:
        year = int(match["year"]) if match["year"] else None
        return Symbol("SC", int(match["sc"]), year=year)
    if match["ga"]:
        return Symbol("GA", int(match["ga"]), session=int(match["ga_session"]))
    if match["hrc"]:
        return Symbol("HRC", int(match["hrc"]), session=int(match["hrc_session"]))
    return Symbol("PRST", int(match["prst"]), year=int(match["prst_year"]))


def _explicit(text: str) -> Iterable[Mention]:
    for match in _EXPLICIT.finditer(text):
        try:
            symbol = _explicit_symbol(match)
        except SymbolError:
            continue
        yield Mention(symbol, match.group(), match.start(), match.end())


def _regimes(text: str) -> Iterable[Mention]:
    for match in _REGIME.finditer(text):
        offset = match.start("numbers")
        for number in _REGIME_NUMBER.finditer(match["numbers"]):
            start, end = offset + number.start(), offset + number.end()
            yield Mention(
                Symbol("SC", int(number.group())), text[start:end], start, end
            )


def find_symbols(text: str) -> list[Mention]:
    """Every resolution and presidential statement `text` cites, in text order.

    Years are as the text states them at that place; a Security Council number
    cited without a year keeps `year=None` (see `sc_year_table` to fill it).
    """
    accepted: list[Mention] = []
    # Earlier finders win where spans overlap: a written-out symbol over a cue list,
    # a cue list over a sanctions-regime reading of the same digits.
    for finder in (_explicit, _english, _chinese, _regimes):
        for mention in finder(text):
            if not any(
                mention.start < other.end and other.start < mention.end
                for other in accepted
            ):
                accepted.append(mention)
    return sorted(accepted, key=lambda m: m.start)


def find_documents(text: str) -> list[DocumentMention]:
    """UN documents cited in `text` that are not resolutions (reports, letters)."""
    return [
        DocumentMention(m["symbol"], m.group(), m.start(), m.end())
        for m in _DOCUMENT.finditer(text)
    ]


_MARKDOWN_LINK = re.compile(r"^\[(?P<inner>.*)\]\([^)\s]*\)$")


def _clean(text: str) -> str:
    """Drop what is not part of a symbol: markdown links and escapes, extra space."""
    cleaned = " ".join(text.split())
    link = _MARKDOWN_LINK.match(cleaned)
    if link:
        cleaned = link["inner"]
    return cleaned.replace("\\(", "(").replace("\\)", ")").strip()


def parse_symbol(text: str) -> Symbol:
    """The one resolution `text` names: a symbol ("S/RES/2396 (2017)",
    "S/RES/2396(2017)", "a/res/71/291", "2396 (2017)") or a single citation
    ("resolution 2395 (2017)", "第 70/291 号决议").

    Raises `SymbolError` naming the text otherwise, and saying when the text is a
    UN document that is not a resolution.
    """
    cleaned = _clean(text)
    if not cleaned:
        raise SymbolError(f"{text!r} is empty, not a resolution symbol")
    explicit = _EXPLICIT.fullmatch(cleaned.upper())
    if explicit:
        try:
            return _explicit_symbol(explicit)
        except SymbolError as exc:
            raise SymbolError(f"{text!r}: {exc}") from None
    bare = _ITEM.fullmatch(cleaned)
    if bare and bare["year"]:  # "2396 (2017)": a Security Council number and year
        return Symbol("SC", int(bare["number"]), year=int(bare["year"]))
    mentions = find_symbols(cleaned)
    if len(mentions) == 1 and mentions[0].text == cleaned:
        return mentions[0].symbol
    if len(mentions) > 1:
        names = ", ".join(m.symbol.canonical for m in mentions)
        raise SymbolError(f"{text!r} names {len(mentions)} resolutions ({names})")
    documents = find_documents(cleaned)
    if len(documents) == 1 and documents[0].text == cleaned:
        raise SymbolError(f"{text!r} is a UN document symbol, not a resolution")
    raise SymbolError(
        f"{text!r} is not a resolution symbol; expected a form such as "
        "'S/RES/2396 (2017)', 'A/RES/71/291', 'A/HRC/RES/35/34' or 'S/PRST/2015/11'"
    )


# --- Security Council years ---


@dataclass(frozen=True)
class YearTable:
    """Security Council adoption years as the sources state them.

    `years` holds a year only where the sources leave no doubt; `conflicts` lists
    every number stated with more than one year, resolved or not.
    """

    years: Mapping[int, int]
    conflicts: Mapping[int, frozenset[int]]

    def complete(self, symbol: Symbol) -> Symbol:
        """The symbol with its stated year, when it lacks one and the year is known."""
        if symbol.body != "SC" or symbol.year is not None:
            return symbol
        year = self.years.get(symbol.number)
        return symbol.with_year(year) if year is not None else symbol


def sc_year_table(symbols: Iterable[Symbol]) -> YearTable:
    """Collect each Security Council number's stated years; never invent one.

    Where one number is stated with several years, a year survives only if it keeps
    the Council's numbering in order with the numbers stated with a single year
    (numbers grow with time). One survivor is the year; otherwise it stays unknown.
    """
    stated: dict[int, set[int]] = defaultdict(set)
    for symbol in symbols:
        if symbol.body == "SC" and symbol.year is not None:
            stated[symbol.number].add(symbol.year)
    single = {n: next(iter(ys)) for n, ys in stated.items() if len(ys) == 1}

    def in_order(number: int, year: int) -> bool:
        return all(
            not (other < number and other_year > year)
            and not (other > number and other_year < year)
            for other, other_year in single.items()
        )

    years = dict(single)
    conflicts = {}
    for number, ys in stated.items():
        if len(ys) > 1:
            conflicts[number] = frozenset(ys)
            kept = [y for y in ys if in_order(number, y)]
            if len(kept) == 1:
                years[number] = kept[0]
    return YearTable(years, conflicts)
