"""The symbol normaliser: every citation form the reports use, and what it rejects."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctgraph.sources.symbols import (
    Symbol,
    SymbolError,
    find_documents,
    find_symbols,
    parse_symbol,
    sc_year_table,
)

SC_2396 = Symbol("SC", 2396, year=2017)


def canonicals(text: str) -> list[str]:
    return [m.symbol.canonical for m in find_symbols(text)]


# --- Symbol ---

FORMS = [
    # symbol, canonical, slug, undocs address
    (
        SC_2396,
        "S/RES/2396 (2017)",
        "s-res-2396-2017",
        "https://undocs.org/S/RES/2396(2017)",
    ),
    (Symbol("SC", 1373), "S/RES/1373", "s-res-1373", "https://undocs.org/S/RES/1373"),
    (
        Symbol("GA", 291, session=71),
        "A/RES/71/291",
        "a-res-71-291",
        "https://undocs.org/A/RES/71/291",
    ),
    (
        Symbol("HRC", 34, session=35),
        "A/HRC/RES/35/34",
        "a-hrc-res-35-34",
        "https://undocs.org/A/HRC/RES/35/34",
    ),
    (
        Symbol("PRST", 11, year=2015),
        "S/PRST/2015/11",
        "s-prst-2015-11",
        "https://undocs.org/S/PRST/2015/11",
    ),
]


@pytest.mark.parametrize(("symbol", "canonical", "slug", "url"), FORMS)
def test_symbol_forms(symbol: Symbol, canonical: str, slug: str, url: str) -> None:
    assert (symbol.canonical, symbol.slug, symbol.undocs_url) == (canonical, slug, url)
    assert str(symbol) == canonical
    assert parse_symbol(canonical) == symbol


@pytest.mark.parametrize(
    ("body", "number", "year", "session", "complaint"),
    [
        ("GA", 291, None, None, "session"),
        ("GA", 291, 2017, 71, "not a year"),
        ("SC", 2396, None, 72, "not a session"),
        ("PRST", 11, None, None, "needs its year"),
        ("SC", 0, None, None, "not positive"),
        ("SC", 12, 1900, None, "outside"),
        ("ECOSOC", 1, None, None, "body must be"),
    ],
)
def test_invalid_symbol_says_why(
    body: str, number: int, year: int | None, session: int | None, complaint: str
) -> None:
    with pytest.raises(SymbolError, match=complaint):
        Symbol(body, number, year=year, session=session)  # type: ignore[arg-type]


def test_security_council_year_does_not_change_identity() -> None:
    assert Symbol("SC", 2178, year=2014).key == Symbol("SC", 2178, year=2017).key
    assert Symbol("SC", 2178).key != Symbol("SC", 2179).key
    assert Symbol("GA", 291, session=71).key != Symbol("GA", 291, session=70).key


# --- parse_symbol ---


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("S/RES/2396 (2017)", "S/RES/2396 (2017)"),
        ("S/RES/2396(2017)", "S/RES/2396 (2017)"),
        ("  s/res/2396  (2017) ", "S/RES/2396 (2017)"),
        ("S/RES/1373", "S/RES/1373"),
        ("[A/RES/60/288](#)", "A/RES/60/288"),
        ("A/HRC/RES/35/34", "A/HRC/RES/35/34"),
        ("S/PRST/2015/11", "S/PRST/2015/11"),
        ("resolution 2395 (2017)", "S/RES/2395 (2017)"),
        ("[2133 \\(2014\\)](#)", "S/RES/2133 (2014)"),
        ("GA resolution 71/291", "A/RES/71/291"),
        ("第 70/291 号决议", "A/RES/70/291"),
    ],
)
def test_parse_near_canonical(text: str, canonical: str) -> None:
    assert parse_symbol(text).canonical == canonical


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("A/70/674", "UN document symbol, not a resolution"),
        ("A/72/761-S/2018/86", "UN document symbol, not a resolution"),
        ("resolutions 1373, 1540 and 1624", "names 3 resolutions"),
        ("the Global Counter-Terrorism Strategy", "not a resolution symbol"),
        ("S/RES/2396 (2017) and more", "not a resolution symbol"),
        ("", "empty"),
        ("A/RES/0/12", "not positive|session"),
    ],
)
def test_parse_symbol_errors_name_the_text(text: str, complaint: str) -> None:
    with pytest.raises(SymbolError, match=complaint) as raised:
        parse_symbol(text)
    assert repr(text) in str(raised.value)
    assert isinstance(raised.value, ValueError)


# --- find_symbols: one example of every form ---

EXAMPLES = [
    ("pursuant to Security Council resolution 2395 (2017).", ["S/RES/2395 (2017)"]),
    ("Expansion of CFT programming to meet SCR 2133 (2014)", ["S/RES/2133 (2014)"]),
    (
        "in accordance with **UNSCR 2178 (2014), 2396 (2017) and 2482 (2019)**",
        ["S/RES/2178 (2014)", "S/RES/2396 (2017)", "S/RES/2482 (2019)"],
    ),
    ("Security Council resolution 1540 (2004)", ["S/RES/1540 (2004)"]),
    ("UN Security Council Resolution 1540 (2004) Industry", ["S/RES/1540 (2004)"]),
    ("United Nations Security Council Resolution 1540 (2004)", ["S/RES/1540 (2004)"]),
    (
        "resolutions [1373 \\(2001\\)](#), [1456\\(2003\\)](#)",
        ["S/RES/1373 (2001)", "S/RES/1456 (2003)"],
    ),
    ("among others, SCR [2133 \\(2014\\)](#) which", ["S/RES/2133 (2014)"]),
    (
        "such as resolutions 1373, 1540 and 1624, have",
        ["S/RES/1373", "S/RES/1540", "S/RES/1624"],
    ),
    ("adoption of resolution 1267 and 1269 aimed", ["S/RES/1267", "S/RES/1269"]),
    (
        "updated the 1267/1989/2253 ISIL (Da'esh) and Al-Qaida Sanctions Regime.",
        ["S/RES/1267", "S/RES/1989", "S/RES/2253"],
    ),
    ("of the 1267 and 1988 sanctions regimes.", ["S/RES/1267", "S/RES/1988"]),
    (
        "resolutions 2341 (2017) 2354 (2017), 2368 (2017)",
        ["S/RES/2341 (2017)", "S/RES/2354 (2017)", "S/RES/2368 (2017)"],
    ),
    (
        "Resolutions 2199, 2253 and 2347 (since 2015)",
        ["S/RES/2199", "S/RES/2253", "S/RES/2347"],
    ),
    ("the report S/RES/2396(2017) says", ["S/RES/2396 (2017)"]),
    ("adopted resolution A/RES/71/291 on", ["A/RES/71/291"]),
    ("Strategy ([A/RES/60/288](#)) and", ["A/RES/60/288"]),
    ("Established through GA resolution 71/291 on 15 June 2017", ["A/RES/71/291"]),
    ("General Assembly resolution [70/148](#) require", ["A/RES/70/148"]),
    ("in its landmark resolution 73/305, which", ["A/RES/73/305"]),
    ("Human Rights Council resolution [35/34](#) and", ["A/HRC/RES/35/34"]),
    ("HRC resolution 35/34", ["A/HRC/RES/35/34"]),
    ("the statement (S/PRST/2015/11) called", ["S/PRST/2015/11"]),
    ("1. 大会第 70/291 号决议要求秘书长", ["A/RES/70/291"]),
    ("的能力的第71/291号决议。", ["A/RES/71/291"]),
    (
        "根据安全理事会第 2322(2016)和 2396(2017)号决议加大力度",
        ["S/RES/2322 (2016)", "S/RES/2396 (2017)"],
    ),
    ("安全理事会第2178(2014)号决议", ["S/RES/2178 (2014)"]),
    ("安全理事会第 [2322\\(2016\\)](#) 号决议重申", ["S/RES/2322 (2016)"]),
    ("安全理事会在第 2395(2017)号决议中", ["S/RES/2395 (2017)"]),
    ("人权理事会第 35/34 号决议", ["A/HRC/RES/35/34"]),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_find_symbols_examples(text: str, expected: list[str]) -> None:
    assert canonicals(text) == expected


def test_examples_cover_every_body() -> None:
    bodies = {parse_symbol(c).body for _, expected in EXAMPLES for c in expected}
    assert bodies == {"SC", "GA", "HRC", "PRST"}


def test_list_spans_partition_the_citation() -> None:
    text = "under UNSCR 2178 (2014), 2396 (2017) and 2482 (2019) today"
    mentions = find_symbols(text)
    assert [m.text for m in mentions] == [
        "UNSCR 2178 (2014)",
        "2396 (2017)",
        "2482 (2019)",
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_chinese_list_spans_take_the_closing_word_last() -> None:
    texts = [m.text for m in find_symbols("第 2322(2016)和 2396(2017)号决议")]
    assert texts == ["第 2322(2016)", "2396(2017)号决议"]


def test_no_year_is_invented() -> None:
    (mention,) = find_symbols(
        "the implementation of Security Council Resolution 1540 by"
    )
    assert mention.symbol == Symbol("SC", 1540)
    assert mention.symbol.year is None


# --- what is not a resolution ---

NOT_RESOLUTIONS = [
    "《防止暴力极端主义行动计划》(A/70/674)之后",
    "的能力的报告(A/71/858)所提建议",
    "联系(见 [A/72/761-S/2018/86](#))。",
    "(见 A/70/674 和 A/70/675)都强调",
    "the Plan of Action ([A/70/674-A/70/675](#)) emphasize",
    "the 1540 Committee adopted",  # a committee named by a number is a body
    "Conflict prevention and resolution\n12\tPreventing Violent Extremism",
    "Security Council resolutions (Annual event. 2016, 2017 and 2018)",
    "大会第七十二届会议高级别会议期间",
    "Sri Lanka (2017), Tunisia (2017)",
    "a total of 320 projects across the four pillars",
    "UNSC resolutions. Enhancing national capacity",
    "A/HRC/35/21",
]


@pytest.mark.parametrize("text", NOT_RESOLUTIONS)
def test_not_a_resolution(text: str) -> None:
    assert find_symbols(text) == []


@pytest.mark.parametrize(
    ("text", "documents"),
    [
        ("(A/70/674)", ["A/70/674"]),
        ("([A/71/858](#))", ["A/71/858"]),
        ("(见 [A/72/761-S/2018/86](#))", ["A/72/761-S/2018/86"]),
        ("(见 A/70/674 和 A/70/675)", ["A/70/674", "A/70/675"]),
        ("(S/2015/716)", ["S/2015/716"]),
        ("A/RES/71/291 and S/PRST/2015/11 and A/HRC/RES/35/34", []),
    ],
)
def test_find_documents(text: str, documents: list[str]) -> None:
    assert [d.symbol for d in find_documents(text)] == documents


def test_joint_document_symbol_has_parts() -> None:
    (document,) = find_documents("([A/72/761-S/2018/86](#))")
    assert document.parts == ("A/72/761", "S/2018/86")
    assert document.text == "[A/72/761-S/2018/86](#)"


# --- Security Council years stated elsewhere ---


def test_year_table_fills_only_stated_years() -> None:
    stated = [Symbol("SC", 1373, year=2001), Symbol("SC", 1540)]
    table = sc_year_table(stated)
    assert table.complete(Symbol("SC", 1373)) == Symbol("SC", 1373, year=2001)
    assert table.complete(Symbol("SC", 1540)) == Symbol("SC", 1540)
    assert table.complete(Symbol("GA", 291, session=71)) == Symbol(
        "GA", 291, session=71
    )


def test_year_table_drops_a_year_that_breaks_the_numbering() -> None:
    stated = [
        Symbol("SC", 2178, year=2014),
        Symbol("SC", 2178, year=2017),
        Symbol("SC", 2185, year=2014),
    ]
    table = sc_year_table(stated)
    assert table.conflicts == {2178: frozenset({2014, 2017})}
    assert table.years[2178] == 2014


def test_year_table_leaves_an_undecidable_conflict_open() -> None:
    stated = [
        Symbol("SC", 2185, year=2014),
        Symbol("SC", 2195, year=2014),
        Symbol("SC", 2195, year=2015),
        Symbol("SC", 2199, year=2015),
    ]
    table = sc_year_table(stated)
    assert 2195 in table.conflicts
    assert 2195 not in table.years
    assert table.complete(Symbol("SC", 2195)).year is None


# --- properties ---

years = st.integers(1946, 2099)
sc_symbols = st.builds(
    lambda n, y: Symbol("SC", n, year=y), st.integers(1, 2999), years
)
ga_symbols = st.builds(
    lambda n, s: Symbol("GA", n, session=s), st.integers(1, 999), st.integers(1, 99)
)
hrc_symbols = st.builds(
    lambda n, s: Symbol("HRC", n, session=s), st.integers(1, 99), st.integers(1, 60)
)
prst_symbols = st.builds(
    lambda n, y: Symbol("PRST", n, year=y), st.integers(1, 99), years
)
symbols = st.one_of(
    sc_symbols,
    sc_symbols.map(lambda s: s.with_year(None)),
    ga_symbols,
    hrc_symbols,
    prst_symbols,
)

SC_FORMS = [
    "resolution {n} ({y})",
    "resolutions {n} ({y})",
    "SCR {n} ({y})",
    "UNSCR {n} ({y})",
    "Security Council resolution {n}({y})",
    "UN Security Council Resolution {n} ({y})",
    "resolution [{n} \\({y}\\)](#)",
    "SCR [{n}\\({y}\\)](#)",
    "S/RES/{n} ({y})",
    "S/RES/{n}({y})",
    "第{n}({y})号决议",
    "安全理事会第 {n}({y}) 号决议",
    "安全理事会第 [{n}\\({y}\\)](#) 号决议",
]
GA_FORMS = [
    "A/RES/{s}/{n}",
    "[A/RES/{s}/{n}](#)",
    "GA resolution {s}/{n}",
    "General Assembly resolution {s}/{n}",
    "General Assembly resolution [{s}/{n}](#)",
    "resolution {s}/{n}",
    "第 {s}/{n} 号决议",
    "大会第{s}/{n}号决议",
]
HRC_FORMS = [
    "A/HRC/RES/{s}/{n}",
    "Human Rights Council resolution {s}/{n}",
    "HRC resolution [{s}/{n}](#)",
    "人权理事会第 {s}/{n} 号决议",
]

prose = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,;", max_size=30)


@st.composite
def citations(draw: st.DrawFn) -> tuple[Symbol, str]:
    """A symbol and one way a report could cite it."""
    symbol = draw(st.one_of(sc_symbols, ga_symbols, hrc_symbols, prst_symbols))
    forms = {"SC": SC_FORMS, "GA": GA_FORMS, "HRC": HRC_FORMS}.get(
        symbol.body, ["{canonical}"]
    )
    form = draw(st.sampled_from(forms))
    return symbol, form.format(
        n=symbol.number, y=symbol.year, s=symbol.session, canonical=symbol.canonical
    )


@given(symbols)
def test_canonical_round_trips(symbol: Symbol) -> None:
    assert parse_symbol(symbol.canonical) == symbol
    assert parse_symbol(urlsplit(symbol.undocs_url).path.lstrip("/")) == symbol
    assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)+", symbol.slug)


@given(citations(), prose, prose)
def test_every_citation_form_finds_the_symbol(
    citation: tuple[Symbol, str], before: str, after: str
) -> None:
    symbol, cited = citation
    text = f"{before} {cited} {after}"
    (mention,) = find_symbols(text)
    assert mention.symbol == symbol
    assert text[mention.start : mention.end] == mention.text
    assert mention.text.strip() in cited


@given(st.lists(sc_symbols, min_size=2, max_size=6), st.sampled_from([", ", " and "]))
def test_lists_find_every_item_in_order(listed: list[Symbol], separator: str) -> None:
    items = [f"{s.number} ({s.year})" for s in listed]
    text = "Security Council resolutions " + separator.join(items) + " require"
    assert [m.symbol for m in find_symbols(text)] == listed


@given(st.lists(sc_symbols, min_size=2, max_size=4))
def test_chinese_lists_find_every_item(listed: list[Symbol]) -> None:
    text = (
        "安全理事会第 " + "和".join(f"{s.number}({s.year})" for s in listed) + "号决议"
    )
    assert [m.symbol for m in find_symbols(text)] == listed


@given(ga_symbols)
def test_document_symbols_are_never_resolutions(symbol: Symbol) -> None:
    document = f"A/{symbol.session}/{symbol.number}"
    assert find_symbols(f"the report ({document}) and [{document}](#)") == []
    with pytest.raises(SymbolError, match="document"):
        parse_symbol(document)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Human Rights Council resolution 35/34", ["A/HRC/RES/35/34"]),
        # a number of the wrong form for the organ cited is no citation at all
        ("Security Council resolution 71/291 was cited", []),
        ("General Assembly resolution 2396 (2017)", []),
        # without an organ, each item's form says which organ it belongs to
        ("resolutions 2396 (2017) and 71/291", ["S/RES/2396 (2017)", "A/RES/71/291"]),
        # written-out symbols that no resolution can have (number 0) are skipped
        ("S/RES/0 (2017) and A/RES/71/0", []),
    ],
)
def test_an_item_is_read_in_the_organ_its_cue_names(
    text: str, found: list[str]
) -> None:
    assert canonicals(text) == found


# --- edges found by mutation testing ---

PROBLEMS = [
    (("UN", 1), {}, "invalid UN symbol: body must be one of SC, GA, HRC, PRST"),
    (("GA", 291), {}, "invalid GA symbol: a session number is required"),
    (
        ("GA", 291),
        {"session": 71, "year": 2017},
        "invalid GA symbol: the symbol carries a session, not a year",
    ),
    (
        ("SC", 2396),
        {"session": 71},
        "invalid SC symbol: the symbol carries a year, not a session",
    ),
    (("PRST", 11), {}, "invalid PRST symbol: a presidential statement needs its year"),
]


@pytest.mark.parametrize(("args", "options", "message"), PROBLEMS)
def test_an_impossible_symbol_says_what_is_wrong(args, options, message) -> None:
    assert len(PROBLEMS) == 5
    with pytest.raises(SymbolError) as raised:
        Symbol(*args, **options)
    assert str(raised.value) == message


def test_text_naming_two_resolutions_lists_them() -> None:
    text = "resolutions 2178 (2014) and 2396 (2017)"
    with pytest.raises(SymbolError) as raised:
        parse_symbol(text)
    assert str(raised.value) == (
        f"{text!r} names 2 resolutions (S/RES/2178 (2014), S/RES/2396 (2017))"
    )


def test_text_naming_nothing_shows_the_forms_expected() -> None:
    with pytest.raises(SymbolError) as raised:
        parse_symbol("hello")
    assert str(raised.value) == (
        "'hello' is not a resolution symbol; expected a form such as "
        "'S/RES/2396 (2017)', 'A/RES/71/291', 'A/HRC/RES/35/34' or 'S/PRST/2015/11'"
    )


def test_a_citation_inside_a_markdown_link_is_one_symbol() -> None:
    assert parse_symbol("[resolution 2395 (2017)](#)") == Symbol("SC", 2395, year=2017)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an item of another organ ends a Council list
        ("Security Council resolutions 2178 (2014) and 71/291", ["S/RES/2178 (2014)"]),
        # bare space joins two items only when both carry a year
        ("resolution 2178 (2014) 1373 was", ["S/RES/2178 (2014)"]),
        ("resolution 1373 2396 (2017) was", ["S/RES/1373"]),
        ("resolutions 2341 (2017)[2354 (2017)](#)", ["S/RES/2341 (2017)"]),
        # a "第" that opens no citation does not end the scan
        ("第一次会议和第 70/291 号决议", ["A/RES/70/291"]),
        # an impossible written-out symbol does not end the scan
        ("S/RES/0 and S/RES/2396 (2017)", ["S/RES/2396 (2017)"]),
        # citations that touch are both kept, whichever finder comes first
        (
            "resolution 1373 (2001)resolution 2178 (2014)",
            ["S/RES/1373 (2001)", "S/RES/2178 (2014)"],
        ),
        (
            "S/RES/2178 (2014)(resolution 1373 (2001))",
            ["S/RES/2178 (2014)", "S/RES/1373 (2001)"],
        ),
        (
            "resolution 1373 (2001)S/RES/2178 (2014)",
            ["S/RES/1373 (2001)", "S/RES/2178 (2014)"],
        ),
    ],
)
def test_where_a_citation_list_stops(text: str, expected: list[str]) -> None:
    assert canonicals(text) == expected


def test_sanctions_regime_numbers_are_spans_of_the_text() -> None:
    text = "the 1267/1989/2253 ISIL (Da'esh) and Al-Qaida Sanctions Regime"
    mentions = find_symbols(text)
    assert [(m.text, m.start, m.end) for m in mentions] == [
        ("1267", 4, 8),
        ("1989", 9, 13),
        ("2253", 14, 18),
    ]


def test_document_mentions_are_spans_of_the_text() -> None:
    [document] = find_documents("see A/70/674 now")
    assert (document.symbol, document.text, document.start, document.end) == (
        "A/70/674",
        "A/70/674",
        4,
        12,
    )


def test_year_table_keeps_council_years_only() -> None:
    table = sc_year_table([Symbol("PRST", 11, year=2015), Symbol("SC", 291, year=2016)])
    assert table.years == {291: 2016}
    general_assembly = Symbol("GA", 291, session=71)
    assert table.complete(general_assembly) == general_assembly


def test_year_table_keeps_the_year_in_numbering_order() -> None:
    table = sc_year_table(
        [
            Symbol("SC", 100, year=2000),
            Symbol("SC", 300, year=2010),
            Symbol("SC", 200, year=1999),
            Symbol("SC", 200, year=2005),
        ]
    )
    assert table.conflicts == {200: frozenset({1999, 2005})}
    assert table.years == {100: 2000, 300: 2010, 200: 2005}
