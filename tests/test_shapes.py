"""Every shape accepts the valid base graph and catches its own invalid change."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ctgraph.namespaces import CTG, mint
from ctgraph.validation.shacl import VALIDATORS, validate

SHAPES_DIR = Path(__file__).resolve().parent / "fixtures" / "shapes"
BASE = SHAPES_DIR / "base.ttl"
INVALID = sorted((SHAPES_DIR / "invalid").glob("*.ttl"))


def expected(path: Path) -> set[tuple[str, str]]:
    found = re.findall(r"^# expect: (\S+) (\S+)$", path.read_text(), re.MULTILINE)
    return set(found)


def test_invalid_fixtures_were_collected() -> None:
    assert len(INVALID) >= 25
    assert all(expected(p) for p in INVALID), "each fixture names what must fail"


def test_base_graph_conforms() -> None:
    report = validate(Graph().parse(BASE))
    assert report.conforms, report.to_text()


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_change_fails_its_shape(fixture: Path) -> None:
    graph = Graph().parse(BASE)
    graph.parse(fixture)
    report = validate(graph)
    assert not report.conforms
    got = {(v.shape, v.component) for v in report.violations}
    assert got == expected(fixture), report.to_text()
    assert all(v.message for v in report.violations)


ORDERED = [
    (mint("membership", "m1"), "2019-01-01"),
    (mint("project", "p1"), "2016-01-01"),
]


@pytest.mark.parametrize("validator", VALIDATORS)
@pytest.mark.parametrize(("node", "start"), ORDERED, ids=["membership", "project"])
def test_a_period_may_end_on_the_day_it_starts(
    node: URIRef, start: str, validator: str
):
    """Equal bounds satisfy sh:lessThanOrEquals; one day earlier does not."""
    graph = Graph().parse(BASE)
    assert graph.value(node, CTG.periodStart) == Literal(start, datatype=XSD.date)
    graph.set((node, CTG.periodEnd, Literal(start, datatype=XSD.date)))
    report = validate(graph, validator=validator)
    assert report.conforms, report.to_text()
    day_before = dt.date.fromisoformat(start) - dt.timedelta(days=1)
    graph.set((node, CTG.periodEnd, Literal(day_before, datatype=XSD.date)))
    report = validate(graph, validator=validator)
    assert {(v.shape, v.component) for v in report.violations} == {
        ("ctgsh:periodInOrder", "sh:LessThanOrEqualsConstraintComponent")
    }
