"""One Accept parser for every route that offers several representations.

Media ranges are weighed by q, then by specificity (`*/*` < `type/*` < `type/sub`),
as RFC 9110 says; among the server's offers that tie, the first one listed wins. A
`?format=` parameter or a file extension overrides the header, so a link can name a
representation; the routes set `Vary: Accept` on what they return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: short names for `?format=` and file extensions -> media type
FORMAT_NAMES = {
    "html": "text/html",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "rdf": "application/rdf+xml",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: media types some clients send for the same thing
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/xhtml+xml": "text/html",
}


class NotAcceptable(ValueError):
    """Nothing the route offers matches the Accept header."""

    def __init__(self, offers: Sequence[str]) -> None:
        self.offers = list(offers)
        super().__init__(
            "none of the requested media types is available here; this resource "
            "is available as " + ", ".join(self.offers)
        )


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media: str) -> bool:
        kind, _, sub = media.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an Accept header; malformed parts are skipped."""
    ranges = []
    for part in (header or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        media = ALIASES.get(media.lower(), media.lower())
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(Range(kind, sub, q))
    return ranges


def choose(header: str | None, offers: Sequence[str]) -> str:
    """The offer the client prefers; the first offer when it states no preference."""
    ranges = parse_accept(header)
    if not ranges:
        return offers[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        top = max(matching, key=lambda r: r.specificity)
        if top.q <= 0:
            continue
        key = (top.q, top.specificity, -index)
        if best is None or key > best:
            best, chosen = key, offer
    if chosen is None:
        raise NotAcceptable(offers)
    return chosen


def by_name(name: str, offers: Sequence[str]) -> str:
    """A `?format=` value or extension as one of the offers, or NotAcceptable."""
    media = FORMAT_NAMES.get(name.lower().lstrip("."))
    if media is None or media not in offers:
        raise NotAcceptable(offers)
    return media
