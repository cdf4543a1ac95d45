"""One node per resolution: which symbol stands for it when the data and the
reports write it differently."""

from __future__ import annotations

import pytest

from ctgraph.graph.resolutions import CuratedSymbol, ResolutionRegistry, resolution_iri
from ctgraph.namespaces import ID
from ctgraph.sources.symbols import Symbol, parse_symbol
from ctgraph.sources.tables import Record, SourceError


def curated(symbol: str, line: int = 2) -> CuratedSymbol:
    record = Record("resolutions", "data/x/resolutions.csv", line, {"symbol": symbol})
    return CuratedSymbol(parse_symbol(symbol), record, "symbol")


def test_a_year_from_the_reports_completes_a_curated_symbol() -> None:
    registry = ResolutionRegistry(
        [curated("S/RES/2462")], [parse_symbol("2462 (2019)")]
    )
    assert len(registry) == 1
    assert registry.symbol(Symbol("SC", 2462)) == Symbol("SC", 2462, year=2019)
    assert registry.iri(Symbol("SC", 2462)) == ID["resolution/s-res-2462-2019"]


def test_the_curated_year_wins_over_the_reports() -> None:
    stated = [Symbol("SC", 2195, year=2015), Symbol("SC", 2195, year=2014)]
    registry = ResolutionRegistry([curated("S/RES/2195 (2014)")], stated)
    assert registry.symbol(Symbol("SC", 2195, year=2015)).year == 2014


def test_reports_that_disagree_give_a_year_only_when_the_numbering_decides() -> None:
    stated = [
        Symbol("SC", 2178, year=2014),
        Symbol("SC", 2178, year=2017),  # ruled out: 2185 was adopted in 2014
        Symbol("SC", 2185, year=2014),
        Symbol("SC", 2195, year=2014),
        Symbol("SC", 2195, year=2015),  # both fit the numbering: no year
    ]
    registry = ResolutionRegistry([], stated)
    assert [s.canonical for s in registry] == [
        "S/RES/2178 (2014)",
        "S/RES/2185 (2014)",
        "S/RES/2195",
    ]


def test_two_years_in_the_curated_tables_are_an_error() -> None:
    with pytest.raises(SourceError) as caught:
        ResolutionRegistry([curated("S/RES/2178 (2014)", 3), curated("2178 (2017)", 9)])
    message = str(caught.value)
    assert message.startswith("data/x/resolutions.csv, line 9:")
    assert "year 2017 here but 2014 at data/x/resolutions.csv, line 3" in message


def test_other_bodies_keep_their_symbol() -> None:
    symbols = [
        parse_symbol(s)
        for s in ("A/RES/71/291", "S/PRST/2015/11", "GA resolution 71/291")
    ]
    registry = ResolutionRegistry([], symbols)
    assert [s.canonical for s in registry] == ["A/RES/71/291", "S/PRST/2015/11"]
    assert resolution_iri(symbols[1]) == ID["resolution/s-prst-2015-11"]
