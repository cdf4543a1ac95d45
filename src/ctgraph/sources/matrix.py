"""Ingest the CTITF Matrix of UN Counter-Terrorism Projects and Activities.

The matrix closes Annex II of the Secretary-General's 2018 report. Its PDF extraction
gives one tab-separated line per row (Serial, Project title/duration/entities, Status,
Main activities, Geographical scope); page breaks repeat the column header and push the
rest of a row onto lines that start with a tab. The functions below are pure (text in,
records out) so that each step can be tested on a few lines written in that layout;
:func:`ingest` wires them to the files.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry

from ctgraph.sources.symbols import Mention, YearTable, find_symbols, sc_year_table

SOURCE_ID = "sg-report-2018"
FIRST_YEAR, LAST_YEAR = 1945, 2099  # years a project of the UN era can give
ANNEX = "Annex II"
MATRIX_TITLE = "CTITF Matrix of UN Counter-Terrorism Projects and Activities"

PILLAR_IDS = {"I": "i", "II": "ii", "III": "iii", "IV": "iv"}
PILLAR_NUMBERS = {"I": 1, "II": 2, "III": 3, "IV": 4}

PROJECT_COLUMNS = (
    "id,kind,title,serial,pillars,status,status_text,start,end,duration_text,"
    "implementers,partners,donors,countries,regions,scope,scope_text,resolutions,"
    "budget,currency,part_of,launched,description,source,locator"
).split(",")
ENTITY_COLUMNS = (
    "id,acronym,name,name_zh,type,parent,compact_status,alt_labels,source,locator"
).split(",")
REGION_COLUMNS = ["id", "name", "countries", "source", "locator"]
RESOLUTION_COLUMNS = ["symbol", "title", "adopted", "source", "locator"]
COUNT_COLUMNS = ["pillar", "stated_in", "count", "source", "locator"]

# The report's status words, aligned with IATI ActivityStatus (1..6).
STATUS_MAP = {
    "in development": "pipeline",
    "planned": "pipeline",
    "pipeline": "pipeline",
    "ongoing": "implementation",
    "finalisation": "finalisation",
    "completed": "closed",
    "closed": "closed",
    "cancelled": "cancelled",
    "suspended": "suspended",
}
SCOPE_RANK = {"national": 1, "multi-national": 2, "regional": 3, "global": 4}

_HEADER_RE = re.compile(r"^Serial\tProject Title")
_PILLAR_RE = re.compile(
    r"^Pillar (IV|I{1,3}) of the UN Global Counter-Terrorism Strategy"
)
_STATED_RE = re.compile(r"^(\d+) projects\s*$")
_ROW_RE = re.compile(r"^(\d+)\t")
_ANNEX_RE = re.compile(r"^Annex [IVX]+\b")
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_ACRONYM_RE = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9]+(?:-[A-Z0-9]+)*$")
_LIST_SEP_RE = re.compile(r"(?:,\s*and\s+|,\s*|\s+and\s+)(?:the\s+)?$", re.IGNORECASE)
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_POINT_RE = re.compile(
    r"^(?:(?P<day>\d{1,2})\s*)?(?:(?P<month>[A-Za-z]+)\.?\s*)?(?P<year>\d{4})?$"
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RawRow:
    """One matrix row with its cells as the lines gave them (page breaks merged)."""

    pillar: str  # roman numeral as printed: "I" .. "IV"
    serial: int
    cells: tuple[
        tuple[str, ...], ...
    ]  # title, status, activities, scope; parts per line
    first_line: int
    last_line: int

    def cell(self, index: int) -> str:
        """The cell's text with its line parts joined by one space."""
        return normalise_space(" ".join(self.cells[index]))

    @property
    def locator(self) -> str:
        lines = (
            f"line {self.first_line}"
            if self.first_line == self.last_line
            else f"lines {self.first_line}-{self.last_line}"
        )
        return f"{ANNEX} matrix, Pillar {self.pillar}, serial {self.serial}, {lines}"


@dataclass(frozen=True)
class StatedCount:
    """A number of projects the report states (pillar "all" = all pillars)."""

    pillar: str
    stated_in: str  # "narrative" | "pillar-header"
    count: int
    line: int


@dataclass(frozen=True)
class Duration:
    start: str
    end: str
    text: str


@dataclass(frozen=True)
class TitleCell:
    title: str
    duration: Duration | None
    entity_tokens: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scope:
    scope: str
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    partners: tuple[str, ...]
    unresolved: tuple[str, ...]
    spellings: tuple[tuple[str, str], ...] = ()  # (token, partner entity)
    place_aliases: tuple[str, ...] = ()  # keys of the place alias rows used


@dataclass(frozen=True)
class Unresolved:
    kind: str  # entity | country-or-region | status | implementer | line
    token: str
    locator: str


@dataclass(frozen=True)
class EntityInfo:
    id: str
    acronym: str
    name: str
    type: str
    parent: str


@dataclass(frozen=True)
class Aliases:
    """What the ingester knows: token -> entity id, spelling -> place ids, names."""

    entities: Mapping[str, str]  # casefolded token -> entity id
    places: Mapping[str, tuple[str, ...]]  # casefolded spelling -> alpha-3 / region ids
    entity_info: Mapping[str, EntityInfo]
    region_names: Mapping[str, str]
    region_scopes: Mapping[str, str]
    entity_spellings: tuple[str, ...] = ()  # every known multi-word entity spelling
    place_spellings: tuple[str, ...] = ()


@dataclass
class Project:
    row: RawRow
    id: str
    title: str
    status: str
    status_text: str
    duration: Duration | None
    implementers: list[str]
    partners: list[str]
    countries: list[str]
    regions: list[str]
    scope: str
    scope_text: str
    resolutions: list[str]
    spellings: list[tuple[str, str]] = field(default_factory=list)  # (token, entity)
    place_aliases: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    """What an ingest found, and every token it could not resolve."""

    rows_per_pillar: dict[str, int]
    stated: list[StatedCount]
    status_counts: dict[str, int]
    entities: int
    countries: int
    regions: int
    unresolved: list[Unresolved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repeated_serials: dict[str, list[int]] = field(default_factory=dict)
    missing_serials: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.unresolved

    def format(self) -> str:
        """A plain-text summary for the command line."""
        out = ["Rows listed per pillar (stated in narrative / pillar header):"]
        for roman, pid in PILLAR_IDS.items():
            stated = {s.stated_in: s.count for s in self.stated if s.pillar == pid}
            gaps = [
                f"serial {', '.join(map(str, ns))} {what}"
                for what, ns in (
                    ("repeated", self.repeated_serials.get(pid)),
                    ("missing", self.missing_serials.get(pid)),
                )
                if ns
            ]
            out.append(
                f"  Pillar {roman}: {self.rows_per_pillar.get(pid, 0)} listed"
                f" ({stated.get('narrative', '-')}"
                f" / {stated.get('pillar-header', '-')})"
                + (f"; {'; '.join(gaps)}" if gaps else "")
            )
        total = [s.count for s in self.stated if s.pillar == "all"]
        out.append(
            f"  All: {sum(self.rows_per_pillar.values())} listed"
            f" ({total[0] if total else '-'} stated)"
        )
        out.append(
            "Status: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.status_counts.items()))
        )
        out.append(
            f"Entities: {self.entities}; countries: {self.countries};"
            f" regions: {self.regions}"
        )
        out.extend(f"Note: {n}" for n in self.notes)
        out.append(f"Unresolved tokens: {len(self.unresolved)}")
        out.extend(f"  {u.kind}: {u.token!r} ({u.locator})" for u in self.unresolved)
        return "\n".join(out)


# --------------------------------------------------------------------------- reading


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_matrix(
    lines: Sequence[str],
) -> tuple[list[RawRow], list[StatedCount], list[int]]:
    """Rows and pillar-header counts of the matrix; also lines it could not place.

    The matrix starts at its title line and ends at the next "Annex" heading. A line
    starting with a tab continues the row before it, cell by cell, whatever page
    headers and blank lines came in between.
    """
    start = next((i for i, ln in enumerate(lines) if ln.strip() == MATRIX_TITLE), None)
    if start is None:
        return [], [], []
    rows: list[RawRow] = []
    stated: list[StatedCount] = []
    stray: list[int] = []
    pillar = ""
    current: _OpenRow | None = None
    for index in range(start, len(lines)):
        number = index + 1
        line = lines[index].rstrip("\r\n")
        if _ANNEX_RE.match(line):
            break
        if not line.strip() or line.strip() == MATRIX_TITLE or _HEADER_RE.match(line):
            continue
        if line.startswith("\t") and current is not None:
            current.extend(line, number)
            continue
        if current is not None:
            rows.append(current.close())
            current = None
        if m := _PILLAR_RE.match(line):
            pillar = m[1]
        elif (m := _STATED_RE.match(line)) and pillar:
            stated.append(
                StatedCount(PILLAR_IDS[pillar], "pillar-header", int(m[1]), number)
            )
        elif (m := _ROW_RE.match(line)) and pillar:
            current = _OpenRow(pillar, int(m[1]), number)
            current.extend(line, number)
        else:
            stray.append(number)
    if current is not None:
        rows.append(current.close())
    return rows, stated, stray


@dataclass
class _OpenRow:
    """A row still collecting continuation lines."""

    pillar: str
    serial: int
    first: int
    last: int = 0
    cells: list[list[str]] = field(default_factory=lambda: [[], [], [], []])

    def extend(self, line: str, number: int) -> None:
        for cell, part in zip(self.cells, _pad(line.split("\t")[1:]), strict=True):
            if part.strip():
                cell.append(part.strip())
        self.last = number

    def close(self) -> RawRow:
        return RawRow(
            pillar=self.pillar,
            serial=self.serial,
            cells=tuple(tuple(c) for c in self.cells),
            first_line=self.first,
            last_line=self.last,
        )


def _pad(parts: list[str]) -> list[str]:
    """Exactly four cells: extra tabs are folded into the last cell."""
    parts = parts + [""] * (4 - len(parts))
    return parts[:3] + [" ".join(parts[3:])]


def narrative_counts(lines: Sequence[str]) -> list[StatedCount]:
    """The totals the text before the matrix states ("a total of 320 projects ...")."""
    found: list[StatedCount] = []
    for index, line in enumerate(lines):
        if "projects under Pillar" not in line:
            continue
        if m := re.search(r"total of (\d+) projects", line):
            found.append(StatedCount("all", "narrative", int(m[1]), index + 1))
        for m in re.finditer(r"(\d+) projects under Pillar (IV|I{1,3})\b", line):
            found.append(
                StatedCount(PILLAR_IDS[m[2]], "narrative", int(m[1]), index + 1)
            )
    return found


# --------------------------------------------------------------------------- durations


def _point(text: str) -> tuple[int | None, int | None, int | None] | None:
    m = _POINT_RE.match(text.strip().rstrip("."))
    if not m or not any(m.groupdict().values()):
        return None
    month = None
    if m["month"]:
        month = _MONTHS.get(m["month"].lower())
        if month is None:
            return None
    day = int(m["day"]) if m["day"] else None
    year = int(m["year"]) if m["year"] else None
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return None  # "(2178)" is a number, not a year of the matrix's era
    if day is not None and not 1 <= day <= 31:
        return None
    return year, month, day


def _fmt(year: int | None, month: int | None, day: int | None) -> str:
    """A point as ISO text; callers only pass points that have a year."""
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_duration(text: str) -> Duration | None:
    """Start and end of a duration as the matrix writes it, at the precision given.

    Returns None when the text is not a duration (an acronym in brackets, say).
    """
    raw = normalise_space(text)
    body = raw
    annual = re.match(r"^Annual event\.?\s*(.*)$", body, re.IGNORECASE)
    if annual:
        body = annual[1]
        if not body:
            return Duration("", "", raw)
    if m := re.match(r"^since\s+(.+)$", body, re.IGNORECASE):
        p = _point(m[1])
        if p is None or p[0] is None:
            return None
        return Duration(_fmt(*p), "", raw)
    if m := re.match(r"^(.+?)\s*[-–]\s*ongoing$", body, re.IGNORECASE):
        p = _point(m[1])
        if p is None or p[0] is None:
            return None
        return Duration(_fmt(*p), "", raw)
    if re.fullmatch(r"\d{4}(?:\s*(?:,|,?\s*and)\s*\d{4})+", body):
        years = sorted(int(y) for y in re.findall(r"\d{4}", body))
        return Duration(str(years[0]), str(years[-1]), raw)
    sides = re.split(r"\s*[–-]\s*", body)
    if len(sides) == 2:
        left, right = _point(sides[0]), _point(sides[1])
        if left is None or right is None or right[0] is None:
            return None
        year = left[0] if left[0] is not None else right[0]
        month = left[1]
        if month is None and left[2] is not None:  # "25-27 Sep. 2017"
            month = right[1]
        if left[2] is not None and month is None:
            return None
        return Duration(_fmt(year, month, left[2]), _fmt(*right), raw)
    if len(sides) == 1:
        p = _point(body)
        if p is None or p[0] is None:
            return None
        return Duration(_fmt(*p), _fmt(*p), raw)
    return None


# --------------------------------------------------------------------------- entities


def is_acronym(token: str) -> bool:
    return bool(_ACRONYM_RE.match(token))


def resolve_entity(token: str, aliases: Aliases) -> str | None:
    """Entity id for a token: alias table first, then known acronyms and names."""
    key = _key(token)
    if key in aliases.entities:
        return aliases.entities[key]
    for info in aliases.entity_info.values():
        if key in (_key(info.acronym), _key(info.name)) and key:
            return info.id
    return None


def _key(text: str) -> str:
    text = normalise_space(text.replace("’", "'"))
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return text.rstrip(".").casefold()


def split_list(text: str, known: Iterable[str]) -> list[str]:
    """Split "A, B and C" into items, keeping known spellings that contain "and"."""
    spellings = sorted({normalise_space(k) for k in known if k}, key=len, reverse=True)
    text = normalise_space(text)
    items: list[str] = []
    pos = 0
    sep = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+)", re.IGNORECASE)
    while pos < len(text):
        m = sep.match(text, pos)
        if m and m.end() > pos:
            pos = m.end()
            continue
        rest = text[pos:]
        for spelling in spellings:
            candidate = rest[: len(spelling)]
            after = rest[len(spelling) : len(spelling) + 1]
            if candidate.casefold() == spelling.casefold() and after in ("", ",", " "):
                tail = rest[len(spelling) :]
                if not tail.strip() or re.match(r"\s*(?:,|and\b)", tail, re.I):
                    items.append(candidate)
                    pos += len(spelling)
                    break
        else:
            m = re.search(r"\s*,\s*|\s+and\s+", rest, re.IGNORECASE)
            end = m.start() if m else len(rest)
            items.append(rest[:end].strip())
            pos += end
    return [i.rstrip(".").strip() for i in items if i.rstrip(".").strip()]


def _entity_suffix(text: str, aliases: Aliases) -> tuple[int, str] | None:
    """The known entity spelling (or acronym) ending the text, and where it starts."""
    folded = text.casefold()
    for spelling in aliases.entity_spellings:
        if folded.endswith(spelling.casefold()):
            start = len(text) - len(spelling)
            if start == 0 or text[start - 1] in " ,(":
                return start, text[start:]
    word = text.rsplit(" ", 1)[-1].rsplit(",", 1)[-1]
    if word and is_acronym(word):
        return len(text) - len(word), word
    return None


def peel_entities(text: str, aliases: Aliases) -> tuple[str, list[str]]:
    """Take the entity list off the end of a title cell that has no duration."""
    rest = text.rstrip()
    tokens: list[str] = []
    while rest:
        found = _entity_suffix(rest, aliases)
        if found is None:
            break
        start, token = found
        tokens.insert(0, token)
        before = rest[:start]
        m = _LIST_SEP_RE.search(before)
        if m:
            rest = before[: m.start()]
            continue
        rest = before.rstrip()
        break
    return rest, tokens


def _valid_entity_list(tokens: list[str], aliases: Aliases) -> bool:
    return bool(tokens) and all(
        resolve_entity(t, aliases) is not None or is_acronym(t) for t in tokens
    )


def resolution_years(texts: Iterable[str]) -> YearTable:
    """Security Council years as the texts state them, for numbers cited bare."""
    return sc_year_table(m.symbol for text in texts for m in find_symbols(text))


def split_title(parts: Sequence[str], aliases: Aliases) -> TitleCell:
    """Title, duration and implementing-entity tokens of a title cell.

    The duration is the last bracket that parses as one and is followed only by an
    entity list. A year in brackets right after a resolution number is always that
    resolution's year (`_is_resolution_year`), never the duration.
    A page break sometimes prints the entity list at the end of the first line too;
    that copy is removed (and noted).
    """
    cell = _split_title_text(normalise_space(" ".join(parts)), aliases)
    if len(parts) > 1 and cell.entity_tokens:
        tail = ", ".join(cell.entity_tokens)
        fixed = list(parts)
        changed = False
        for i, part in enumerate(parts[:-1]):
            stripped = part.rstrip()
            if stripped.endswith(tail) and stripped[: -len(tail)].rstrip().endswith(
                ","
            ):
                fixed[i] = stripped[: -len(tail)].rstrip()
                changed = True
        if changed:
            again = _split_title_text(normalise_space(" ".join(fixed)), aliases)
            return TitleCell(
                again.title,
                again.duration,
                again.entity_tokens,
                (f"entity list {tail!r} repeated before a page break; removed",),
            )
    return cell


def _split_title_text(text: str, aliases: Aliases) -> TitleCell:
    mentions = find_symbols(text)
    for m in reversed(list(_PAREN_RE.finditer(text))):
        duration = parse_duration(m[1])
        if duration is None:
            continue
        if any(_is_resolution_year(r, m) for r in mentions):
            continue  # "resolution 2309 (2016)": the resolution's year
        tail = text[m.end() :].strip().lstrip(".").strip()
        tokens = split_list(tail, aliases.entity_spellings)
        if _valid_entity_list(tokens, aliases):
            return TitleCell(_clean_title(text[: m.start()]), duration, tuple(tokens))
    title, tokens = peel_entities(text, aliases)
    return TitleCell(_clean_title(title), None, tuple(tokens))


def _is_resolution_year(mention: Mention, paren: re.Match[str]) -> bool:
    """Whether a bracketed year belongs to the resolution cited just before it.

    It always does, even when the matrix states that resolution with another year
    elsewhere ("resolution 2178 (2017) UNCCT" where 2178 is cited as 2178 (2014)):
    the title keeps the year as written, the project cites the resolution as
    resolved, and the build records the disagreement as a discrepancy. A year of
    a resolution is never read as the project's duration.
    """
    inside = mention.start <= paren.start() and paren.end() <= mention.end
    return inside and mention.symbol.year is not None


def _clean_title(text: str) -> str:
    text = normalise_space(text)
    return text[:-1].rstrip() if text.endswith(".") else text


# --------------------------------------------------------------------------- places


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-3 (lower case) for a country name pycountry knows."""
    key = _key(name)
    return _country_names().get(key)


@cache
def _country_names() -> dict[str, str]:
    """Every pycountry name, common name and official name -> alpha-3."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(_key(value), c.alpha_3.lower())
    return names


@cache
def _and_country_names() -> tuple[str, ...]:
    """pycountry names with "and" in them, which a list split must keep whole."""
    return tuple(
        getattr(c, attr)
        for c in pycountry.countries
        for attr in ("name", "common_name")
        if " and " in (getattr(c, attr, None) or "")
    )


def parse_scope(text: str, aliases: Aliases) -> Scope:
    """Countries, named regions, partner organisations and the scope of a scope cell.

    "Global", "National" and "Regional (X)" are scope words; every other item must
    resolve to a country (alias table, then pycountry names), a region, or an
    organisation (the matrix lists those whose members a project engaged).
    """
    scope_words: set[str] = set()
    items: list[str] = []
    clean = normalise_space(text.replace("’", "'")).rstrip(".")
    for inner in re.findall(r"\bRegional\s*\(([^()]*)\)", clean):
        scope_words.add("regional")
        items.append(inner)
    clean = re.sub(r"(?:,\s*|\s+)?(?:and\s+)?\bRegional\s*\([^()]*\)", "", clean)
    known = (*aliases.place_spellings, *_and_country_names())
    for item in split_list(clean, known):
        if item.casefold() in ("global", "regional", "national"):
            scope_words.add(item.casefold())
        else:
            items.append(item)
    countries: list[str] = []
    regions: list[str] = []
    partners: list[tuple[str, str]] = []
    unresolved: list[str] = []
    used: list[str] = []
    for item in items:
        key = _key(item)
        places = aliases.places.get(key)
        if places is not None:
            used.append(key)
        elif code := country_code(item):
            places = (code,)
        if places is not None:
            for place in places:
                bucket = regions if place in aliases.region_names else countries
                if place not in bucket:
                    bucket.append(place)
        elif (entity := resolve_entity(item, aliases)) is not None:
            partners.append((item, entity))
        else:
            unresolved.append(item)
    ranks = [SCOPE_RANK[w] for w in scope_words]
    ranks += [SCOPE_RANK[aliases.region_scopes.get(r) or "regional"] for r in regions]
    if countries:
        ranks.append(
            SCOPE_RANK["national" if len(countries) == 1 else "multi-national"]
        )
    if partners:
        ranks.append(SCOPE_RANK["multi-national"])
    by_rank = {v: k for k, v in SCOPE_RANK.items()}
    return Scope(
        scope=by_rank[max(ranks)] if ranks else "",
        countries=tuple(countries),
        regions=tuple(regions),
        partners=tuple(dict.fromkeys(e for _, e in partners)),
        unresolved=tuple(unresolved),
        spellings=tuple(partners),
        place_aliases=tuple(used),
    )


# ------------------------------------------------------------------------- resolutions


def resolutions_in(texts: Iterable[str], years: YearTable | None = None) -> list[str]:
    """Canonical symbols of the resolutions the texts name, in order of first mention.

    A Security Council number takes the year the matrix states for it without
    contradiction (`years`), whether it is cited bare or with another year.
    """
    found: list[str] = []
    for text in texts:
        for mention in find_symbols(text):
            symbol = mention.symbol
            if years and symbol.body == "SC" and symbol.number in years.years:
                # the resolution as resolved; the year as written stays in the text
                symbol = symbol.with_year(years.years[symbol.number])
            elif years:
                symbol = years.complete(symbol)
            if symbol.body == "PRST":
                continue
            if symbol.canonical not in found:
                found.append(symbol.canonical)
    return found


# --------------------------------------------------------------------------- projects


def serial_gaps(
    rows: Sequence[RawRow],
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Serials printed more than once, and serials skipped, per pillar."""
    repeated: dict[str, list[int]] = {}
    missing: dict[str, list[int]] = {}
    for roman, pid in PILLAR_IDS.items():
        serials = Counter(r.serial for r in rows if r.pillar == roman)
        if not serials:
            continue
        repeated[pid] = sorted(n for n, c in serials.items() if c > 1)
        missing[pid] = [n for n in range(1, max(serials) + 1) if n not in serials]
    return repeated, missing


def project_ids(rows: Sequence[RawRow]) -> list[str]:
    """`matrix-p1-012`; a serial printed again in the same pillar gets `-b`, `-c`..."""
    seen: Counter[tuple[str, int]] = Counter()
    ids = []
    for row in rows:
        key = (row.pillar, row.serial)
        n = seen[key]
        seen[key] += 1
        suffix = "" if n == 0 else "-" + chr(ord("a") + n)
        ids.append(f"matrix-p{PILLAR_NUMBERS[row.pillar]}-{row.serial:03d}{suffix}")
    return ids


def build_projects(
    rows: Sequence[RawRow], aliases: Aliases, years: YearTable | None = None
) -> tuple[list[Project], list[Unresolved], list[str]]:
    """Parse every row; collect what did not resolve instead of dropping it.

    `years` gives Security Council years for numbers cited bare (default: the years
    the matrix itself states); pass the whole report's to use all of its citations.
    """
    if years is None:
        years = resolution_years(r.cell(0) + " " + r.cell(2) for r in rows)
    projects: list[Project] = []
    unresolved: list[Unresolved] = []
    notes: list[str] = []
    for row, pid in zip(rows, project_ids(rows), strict=True):
        where = row.locator
        title = split_title(row.cells[0], aliases)
        notes.extend(f"{where}: {n}" for n in title.notes)
        implementers: list[str] = []
        spellings: list[tuple[str, str]] = []
        for token in title.entity_tokens:
            entity = resolve_entity(token, aliases)
            if entity is None:
                unresolved.append(Unresolved("entity", token, where))
                continue
            spellings.append((token, entity))
            if entity not in implementers:
                implementers.append(entity)
        if not title.entity_tokens:
            unresolved.append(Unresolved("implementer", row.cell(0), where))
        status_text = row.cell(1)
        status = STATUS_MAP.get(status_text.casefold(), "")
        if not status:
            unresolved.append(Unresolved("status", status_text, where))
        scope = parse_scope(row.cell(3), aliases)
        unresolved.extend(
            Unresolved("country-or-region", t, where) for t in scope.unresolved
        )
        if not scope.scope:
            unresolved.append(Unresolved("scope", row.cell(3), where))
        resolutions = resolutions_in([title.title, row.cell(2)], years)
        projects.append(
            Project(
                row=row,
                id=pid,
                title=title.title,
                status=status,
                status_text=status_text,
                duration=title.duration,
                implementers=implementers,
                partners=list(scope.partners),
                countries=list(scope.countries),
                regions=list(scope.regions),
                scope=scope.scope,
                scope_text=row.cell(3),
                resolutions=resolutions,
                spellings=spellings + list(scope.spellings),
                place_aliases=list(scope.place_aliases),
            )
        )
    return projects, unresolved, notes


def project_record(p: Project, source: str) -> dict[str, str]:
    d = p.duration
    return {
        "id": p.id,
        "kind": "project",
        "title": p.title,
        "serial": str(p.row.serial),
        "pillars": PILLAR_IDS[p.row.pillar],
        "status": p.status,
        "status_text": p.status_text,
        "start": d.start if d else "",
        "end": d.end if d else "",
        "duration_text": d.text if d else "",
        "implementers": ";".join(p.implementers),
        "partners": ";".join(p.partners),
        "donors": "",
        "countries": ";".join(p.countries),
        "regions": ";".join(p.regions),
        "scope": p.scope,
        "scope_text": p.scope_text,
        "resolutions": ";".join(p.resolutions),
        "budget": "",
        "currency": "",
        "part_of": "",
        "launched": "",
        "description": "",
        "source": source,
        "locator": p.row.locator,
    }


def unused_aliases(projects: Sequence[Project], aliases: Aliases) -> list[str]:
    """Alias rows no project needed: dead entries that would hide a typo."""
    tokens = {_key(t) for p in projects for t, _ in p.spellings}
    places = {k for p in projects for k in p.place_aliases}
    return [
        f"entity alias {k!r} unused" for k in aliases.entities if k not in tokens
    ] + [f"place alias {k!r} unused" for k in aliases.places if k not in places]


def entity_records(
    projects: Sequence[Project], aliases: Aliases, source: str
) -> tuple[list[dict[str, str]], list[Unresolved]]:
    """One row per entity the matrix names, with the spellings it uses."""
    first: dict[str, str] = {}
    spellings: dict[str, set[str]] = {}
    for p in projects:
        for token, entity in p.spellings:
            spellings.setdefault(entity, set()).add(normalise_space(token))
        for entity in p.implementers + p.partners:
            first.setdefault(entity, p.row.locator)
    records = []
    missing = []
    for entity in sorted(first):
        info = aliases.entity_info.get(entity)
        if info is None:
            missing.append(Unresolved("entity-name", entity, first[entity]))
            continue
        alt = sorted(
            s
            for s in spellings.get(entity, ())
            if s.casefold() not in (info.acronym.casefold(), info.name.casefold())
        )
        records.append(
            {
                "id": info.id,
                "acronym": info.acronym,
                "name": info.name,
                "name_zh": "",
                "type": info.type,
                "parent": info.parent,
                "compact_status": "",
                "alt_labels": ";".join(alt),
                "source": source,
                "locator": first[entity],
            }
        )
    return records, missing


def region_records(
    projects: Sequence[Project], aliases: Aliases, source: str
) -> list[dict[str, str]]:
    first: dict[str, str] = {}
    for p in projects:
        for region in p.regions:
            first.setdefault(region, p.row.locator)
    return [
        {
            "id": r,
            "name": aliases.region_names[r],
            "countries": "",
            "source": source,
            "locator": first[r],
        }
        for r in sorted(first)
    ]


def resolution_records(
    projects: Sequence[Project], source: str
) -> list[dict[str, str]]:
    """The resolutions the matrix cites, each with the first row citing it.

    The build only links a project to a resolution the data declares; declaring the
    cited ones here keeps the matrix tables complete on their own.
    """
    first: dict[str, str] = {}
    for p in projects:
        for symbol in p.resolutions:
            first.setdefault(symbol, p.row.locator)
    return [
        {"symbol": s, "title": "", "adopted": "", "source": source, "locator": where}
        for s, where in first.items()
    ]


def count_records(stated: Sequence[StatedCount], source: str) -> list[dict[str, str]]:
    return [
        {
            "pillar": s.pillar,
            "stated_in": s.stated_in,
            "count": str(s.count),
            "source": source,
            "locator": (
                f"line {s.line}"
                if s.stated_in == "narrative"
                else f"{ANNEX} matrix, Pillar {_roman(s.pillar)} header, line {s.line}"
            ),
        }
        for s in stated
    ]


def _roman(pillar: str) -> str:
    return {v: k for k, v in PILLAR_IDS.items()}[pillar]


# --------------------------------------------------------------------------- files


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ENTITY_ALIASES = "entity_aliases.csv"  # token,entity,note
PLACE_ALIASES = "place_aliases.csv"  # spelling,place (alpha-3 or region ids),note
ENTITY_NAMES = "entity_names.csv"  # id,acronym,name,type,parent
REGION_NAMES = "region_names.csv"  # id,name,countries,scope


def load_aliases(aliases_dir: Path, core_entities: Path | None = None) -> Aliases:
    """Alias tables and name registers; core entities keep their ids and names.

    The alias files are not named like data tables (entities.csv, ...) so that
    nothing that collects tables by file name mistakes them for one.
    """
    info: dict[str, EntityInfo] = {}
    if core_entities is not None and core_entities.exists():
        for r in _read_csv(core_entities):
            info[r["id"]] = EntityInfo(
                r["id"], r["acronym"], r["name"], r["type"], r["parent"]
            )
    for r in _read_csv(aliases_dir / ENTITY_NAMES):
        info.setdefault(
            r["id"],
            EntityInfo(r["id"], r["acronym"], r["name"], r["type"], r["parent"]),
        )
    entity_rows = _read_csv(aliases_dir / ENTITY_ALIASES)
    place_rows = _read_csv(aliases_dir / PLACE_ALIASES)
    regions = _read_csv(aliases_dir / REGION_NAMES)
    entity_spellings = {r["token"] for r in entity_rows}
    entity_spellings |= {i.name for i in info.values()}
    entity_spellings |= {i.acronym for i in info.values() if i.acronym}
    return Aliases(
        entities={_key(r["token"]): r["entity"] for r in entity_rows},
        places={
            _key(r["spelling"]): tuple(p for p in r["place"].split(";") if p)
            for r in place_rows
        },
        entity_info=info,
        region_names={r["id"]: r["name"] for r in regions},
        region_scopes={r["id"]: r["scope"] for r in regions if r["scope"]},
        entity_spellings=tuple(sorted(entity_spellings, key=lambda s: (-len(s), s))),
        place_spellings=tuple(
            sorted({r["spelling"] for r in place_rows}, key=lambda s: (-len(s), s))
        ),
    )


def _write_csv(
    path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


class MatrixError(ValueError):
    """The text holds no project matrix to ingest."""


def ingest(
    path: Path | str,
    out_dir: Path | str,
    *,
    aliases_dir: Path | str | None = None,
    core_entities: Path | str | None = None,
    source: str = SOURCE_ID,
) -> IngestReport:
    """Read the report text at `path`, write the matrix tables into `out_dir`.

    Alias tables are read from `aliases_dir` (default `out_dir/aliases`); entities
    already in `core_entities` (default `out_dir/../core/entities.csv`) keep their
    ids and names.
    """
    path, out_dir = Path(path), Path(out_dir)
    aliases_dir = Path(aliases_dir) if aliases_dir else out_dir / "aliases"
    core = (
        Path(core_entities)
        if core_entities
        else out_dir.parent / "core" / "entities.csv"
    )
    aliases = load_aliases(aliases_dir, core)
    lines = path.read_text(encoding="utf-8").splitlines()
    rows, header_counts, stray = read_matrix(lines)
    if not rows:  # another report, or a text cut short: keep the tables there are
        raise MatrixError(
            f"{path}: no project matrix found (no numbered row under a pillar "
            f"heading); nothing written to {out_dir}"
        )
    stated = narrative_counts(lines) + header_counts
    projects, unresolved, notes = build_projects(rows, aliases, resolution_years(lines))
    unresolved += [Unresolved("line", lines[n - 1].strip(), f"line {n}") for n in stray]
    notes += unused_aliases(projects, aliases)
    entities, missing = entity_records(projects, aliases, source)
    unresolved += missing
    regions = region_records(projects, aliases, source)
    _write_csv(
        out_dir / "projects.csv",
        PROJECT_COLUMNS,
        (project_record(p, source) for p in projects),
    )
    _write_csv(out_dir / "entities.csv", ENTITY_COLUMNS, entities)
    _write_csv(out_dir / "regions.csv", REGION_COLUMNS, regions)
    _write_csv(
        out_dir / "resolutions.csv",
        RESOLUTION_COLUMNS,
        resolution_records(projects, source),
    )
    _write_csv(
        out_dir / "project_counts.csv", COUNT_COLUMNS, count_records(stated, source)
    )
    per_pillar = Counter(PILLAR_IDS[p.row.pillar] for p in projects)
    repeated, missing_serials = serial_gaps(rows)
    return IngestReport(
        rows_per_pillar={pid: per_pillar.get(pid, 0) for pid in PILLAR_IDS.values()},
        stated=stated,
        status_counts=dict(Counter(p.status for p in projects)),
        entities=len(entities),
        countries=len({c for p in projects for c in p.countries}),
        regions=len(regions),
        unresolved=unresolved,
        notes=notes,
        repeated_serials=repeated,
        missing_serials=missing_serials,
    )
