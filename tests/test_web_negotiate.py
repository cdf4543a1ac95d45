"""Accept headers: q values, specificity, ties, aliases, and 406."""

from __future__ import annotations

import pytest

from ctgraph.web.negotiate import NotAcceptable, by_name, choose, parse_accept

OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]

CASES = [
    (None, "text/html"),
    ("", "text/html"),
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
    ("text/*;q=0.3, text/turtle;q=0.9", "text/turtle"),
    # a browser's header: HTML wins over the lower-weighted */*
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    # the specific range sets the weight, even below the wildcard's
    ("*/*;q=0.8, text/html;q=0.1", "text/turtle"),
    ("text/plain", "application/n-triples"),
    ("application/x-turtle", "text/turtle"),
    ("garbage, text/turtle", "text/turtle"),
]


@pytest.mark.parametrize(("header", "expected"), CASES)
def test_choose(header: str | None, expected: str) -> None:
    assert choose(header, OFFERS) == expected


def test_cases_collected() -> None:
    assert len(CASES) == 11


def test_nothing_acceptable_names_the_offers() -> None:
    with pytest.raises(NotAcceptable, match="text/turtle"):
        choose("image/png", OFFERS)
    with pytest.raises(NotAcceptable):
        choose("text/turtle;q=0", OFFERS)


def test_format_names() -> None:
    assert by_name("ttl", OFFERS) == "text/turtle"
    assert by_name(".jsonld", OFFERS) == "application/ld+json"
    with pytest.raises(NotAcceptable):
        by_name("csv", OFFERS)


def test_bad_q_counts_as_zero() -> None:
    (only,) = parse_accept("text/turtle;q=high")
    assert only.q == 0.0
