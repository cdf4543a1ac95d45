"""Charts on the served pages, on the real graph: a charted query's page draws its
chart inline above the results, the home page draws every charted query's chart,
an uncharted query's page and an empty result draw none."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from ctgraph.charts import chart_for
from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store.backends import OxigraphBackend
from ctgraph.web.app import create_app
from ctgraph.web.charts import inline

SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


@pytest.fixture(scope="module")
def kg(embedded: OxigraphBackend) -> KnowledgeGraph:
    return KnowledgeGraph(embedded)


@pytest.fixture(scope="module")
def client(kg: KnowledgeGraph) -> Iterator[TestClient]:
    with TestClient(create_app(kg), raise_server_exceptions=False) as made:
        yield made


def charted_names(kg: KnowledgeGraph) -> list[str]:
    names = sorted(q.name for q in kg.queries.values() if q.chart is not None)
    assert len(names) >= 6  # the field's charts
    return names


def test_query_page_shows_its_chart_above_the_results(client: TestClient) -> None:
    page = client.get("/queries/projects-stated-and-listed?run=1")
    assert page.status_code == 200
    svgs = SVG.findall(page.text)
    assert len(svgs) == 1
    ElementTree.fromstring(svgs[0])  # well-formed XML inside the page
    assert page.text.index("<svg") < page.text.index('<table class="results')


def test_query_page_chart_equals_the_cli_chart(
    client: TestClient, kg: KnowledgeGraph
) -> None:
    page = client.get("/queries/compact-membership-over-time?run=1")
    expected = inline(chart_for(kg, "compact-membership-over-time"))
    assert str(expected) in page.text


def test_form_page_shows_the_example_chart(client: TestClient) -> None:
    page = client.get("/queries/leadership-timeline")
    assert page.status_code == 200
    assert len(SVG.findall(page.text)) == 1
    assert "for the example parameters" in page.text


def test_uncharted_query_page_has_no_chart(client: TestClient) -> None:
    for url in ("/queries/source-reports", "/queries/source-reports?run=1"):
        page = client.get(url)
        assert page.status_code == 200
        assert "<svg" not in page.text


def test_home_shows_every_charted_query(client: TestClient, kg: KnowledgeGraph) -> None:
    names = charted_names(kg)
    started = time.perf_counter()
    page = client.get("/")
    first = time.perf_counter() - started
    assert page.status_code == 200
    assert len(SVG.findall(page.text)) == len(names)
    for name in names:
        assert f'id="chart-{name}"' in page.text
        assert f'<a href="/queries/{name}">' in page.text
    started = time.perf_counter()
    assert client.get("/").text == page.text  # drawn once, then cached
    assert time.perf_counter() - started < first


def test_charted_query_with_no_rows_draws_nothing(client: TestClient) -> None:
    page = client.get("/queries/co-implementation-network?run=1&minimum=100000")
    assert page.status_code == 200
    assert "No rows match" in page.text
    assert "<svg" not in page.text
