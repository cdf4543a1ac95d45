"""Resource pages show the discrepancies that involve them (ctgraph.web.describe):
kind, note, each side's value and its report and locator, and a link to the
discrepancy's own page. On the real graph, through Starlette's TestClient."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store.backends import OxigraphBackend
from ctgraph.web.app import WebConfig, create_app

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(embedded: OxigraphBackend) -> Iterator[TestClient]:
    app = create_app(KnowledgeGraph(embedded), WebConfig(built="2026-01-01 00:00 UTC"))
    with TestClient(app, raise_server_exceptions=False) as made:
        yield made


def section(client: TestClient, path: str) -> str:
    page = client.get(path, headers=HTML)
    assert page.status_code == 200
    assert '<section id="discrepancies">' in page.text, f"{path} shows none"
    return page.text.split('<section id="discrepancies">', 1)[1].split("</section>")[0]


def test_resolution_2178_shows_the_matrix_year(client: TestClient) -> None:
    shown = section(client, "/id/resolution/s-res-2178-2014")
    link = "/id/discrepancy/resolution-year/sg-report-2018-line-418-2178"
    assert f'href="{link}"' in shown
    assert "Resolution cited with another year" in shown  # the kind's label
    assert "cites resolution 2178 as" in shown  # the note
    rows = shown.split("<tbody>", 1)[1].split("</tbody>")[0].split("<tr>")[1:]
    # the matrix title (line 418) writes "resolution 2178 (2017)"
    (matrix,) = [r for r in rows if "(2017)" in r]
    assert "sg-report-2018</a>, line 418" in matrix
    # the other side: the year the other citations give, counted per report
    (others,) = [r for r in rows if "(2017)" not in r]
    assert "<td>2178 (2014)</td>" in others
    assert "sg-report-2018</a>, 16 places" in others


def test_repeated_serial_26_shows_on_both_projects(client: TestClient) -> None:
    link = 'href="/id/discrepancy/repeated-serial/sg-report-2018-ii-26"'
    for project in ("matrix-p2-026", "matrix-p2-026-b"):
        shown = section(client, f"/id/project/{project}")
        assert link in shown, project
        for line in (601, 602):  # each row of the matrix printing serial 26
            assert f"Pillar II, serial 26, line {line}" in shown


def test_every_side_is_listed_with_its_value(client: TestClient) -> None:
    shown = section(client, "/id/observation/obs-compact-member-entities-2020-02")
    rows = shown.split("<tbody>", 1)[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) >= 2
    assert all("<td class" not in r and r.count("<td>") == 3 for r in rows)


def test_resource_without_discrepancy_has_no_section(client: TestClient) -> None:
    page = client.get("/id/entity/unodc", headers=HTML)
    assert page.status_code == 200
    assert '<section id="discrepancies">' not in page.text
