"""One node per resolution, whichever spelling cites it.

The tables and the reports write the same Security Council resolution with its year,
without it, and once with a wrong one ("2178 (2017)"). The graph must hold one node
for it, so the build decides here, once, which symbol stands for each resolution
(`Symbol.key`): the year the curated tables give; else the year the reports state
without contradiction (`sc_year_table`); else no year. Never a year from outside.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import URIRef

from ctgraph.namespaces import mint
from ctgraph.sources.symbols import Symbol, sc_year_table
from ctgraph.sources.tables import Record


@dataclass(frozen=True)
class CuratedSymbol:
    """A symbol written in a table cell, with the row that wrote it."""

    symbol: Symbol
    record: Record
    column: str


class ResolutionRegistry:
    """The canonical symbol and IRI of every resolution the build knows."""

    def __init__(
        self, curated: Iterable[CuratedSymbol], stated: Iterable[Symbol] = ()
    ) -> None:
        curated = list(curated)
        stated = list(stated)
        years: dict[int, CuratedSymbol] = {}
        for item in curated:
            symbol = item.symbol
            if symbol.body != "SC" or symbol.year is None:
                continue
            first = years.setdefault(symbol.number, item)
            if first.symbol.year != symbol.year:
                raise item.record.fail(
                    f"column {item.column!r}: {symbol.canonical} has year "
                    f"{symbol.year} here but {first.symbol.year} at "
                    f"{first.record.path}, line {first.record.line}: "
                    "one resolution, one year"
                )
        table = sc_year_table([*(c.symbol for c in curated), *stated])
        self._symbols: dict[tuple, Symbol] = {}
        for symbol in [*(c.symbol for c in curated), *stated]:
            if symbol.key in self._symbols:
                continue
            if symbol.body == "SC":
                chosen = years.get(symbol.number)
                year = chosen.symbol.year if chosen else table.years.get(symbol.number)
                symbol = symbol.with_year(year)
            self._symbols[symbol.key] = symbol

    def symbol(self, symbol: Symbol) -> Symbol:
        """The canonical symbol of the resolution `symbol` names."""
        return self._symbols[symbol.key]

    def iri(self, symbol: Symbol) -> URIRef:
        return resolution_iri(self.symbol(symbol))

    def __iter__(self) -> Iterator[Symbol]:
        return iter(sorted(self._symbols.values(), key=lambda s: s.slug))

    def __len__(self) -> int:
        return len(self._symbols)


def resolution_iri(symbol: Symbol) -> URIRef:
    """`id/resolution/<slug>`: "S/RES/2396 (2017)" -> id/resolution/s-res-2396-2017."""
    return mint("resolution", symbol.slug)
