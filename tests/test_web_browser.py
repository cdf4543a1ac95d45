"""The site as a person uses it, in headless Chromium (Debian's `chromium`, driven
by Playwright): search, a resource page with its sources, a stored query run from its
form, a result link followed, the CSV downloaded and compared with the CLI's. Every
request to anything but the test server is aborted and recorded: no CDN."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner
from webserver import running

from ctgraph.cli import app as cli
from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store.backends import OxigraphBackend
from ctgraph.web.app import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine (.ci/run installs Debian's chromium as root)",
)


@pytest.fixture(scope="module")
def site(embedded: OxigraphBackend) -> Iterator[str]:
    with running(create_app(KnowledgeGraph(embedded))) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, site: str) -> Iterator[object]:  # noqa: ANN001
    context = browser.new_context(accept_downloads=True)
    outside: list[str] = []

    def guard(route, request) -> None:  # noqa: ANN001
        if urlsplit(request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    opened.outside = outside
    yield opened
    context.close()
    assert outside == [], f"the site asked for outside resources: {outside}"


def test_analyst_journey(page, site: str, built_trig: Path, tmp_path: Path) -> None:  # noqa: ANN001
    page.goto(site + "/")
    assert "knowledge graph" in page.title()
    page.fill("#q", "UNODC")
    page.click(".bigsearch button")
    page.wait_for_url("**/search?q=UNODC")
    page.click("ol.hits li >> nth=0 >> a")
    page.wait_for_url("**/id/entity/unodc")
    assert page.inner_text("h1") == "United Nations Office on Drugs and Crime"
    roles = page.inner_text("section:has(h2:text('Roles held'))")
    assert "Criminal justice, legal responses" in roles  # chairs working group 4
    assert "compact-review-2024-01, line 223" in roles

    page.goto(site + "/queries/working-group-leadership")
    page.fill("#p-group", "compact-wg-3")
    page.click("form.params button[type=submit]")
    page.wait_for_selector("table.results")
    assert "run=1" in page.url and "group=compact-wg-3" in page.url
    cells = page.locator("table.results tbody tr").count()
    assert cells == 4
    with page.expect_download() as download:
        page.click("a:text('CSV')")
    saved = tmp_path / "leadership.csv"
    download.value.save_as(saved)
    page.click("table.results a:text('International Criminal Police Organization')")
    page.wait_for_url("**/id/entity/interpol")
    assert "Roles held" in page.content()

    result = CliRunner().invoke(
        cli,
        [
            "query",
            "working-group-leadership",
            "--param",
            "group=compact-wg-3",
            "--param",
            "date=2024-06-01",
            "--format",
            "csv",
            "--store",
            str(built_trig),
        ],
    )
    assert result.exit_code == 0, result.output
    downloaded = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert downloaded == list(csv.reader(io.StringIO(result.stdout)))
    assert len(downloaded) == 5


def test_discrepancy_shown_on_the_resolution_leads_to_its_page(page, site: str) -> None:  # noqa: ANN001
    page.goto(site + "/id/resolution/s-res-2178-2014")
    shown = page.inner_text("section#discrepancies")
    assert "Security Council resolution 2178 (2017)" in shown  # the matrix, line 418
    assert "sg-report-2018, line 418" in shown
    # a source in a column of its own reads as it is, without the dash that joins a
    # source to a value in the facts list
    cell = page.locator("section#discrepancies td > .src").first
    assert cell.inner_text().startswith("sg-report-2018")
    dash = "el => getComputedStyle(el, '::before').content"
    assert cell.evaluate(dash) in ("none", "normal")
    facts = page.locator(".facts-table li > .src").first
    assert "—" in facts.evaluate(dash)
    # the resolution's symbol, its label and its local identifier, is listed once
    names = page.locator("ul.labels li").all_inner_texts()
    assert names and len(names) == len(set(names))
    page.click("section#discrepancies a[href*='/id/discrepancy/']")
    page.wait_for_url("**/id/discrepancy/resolution-year/sg-report-2018-line-418-2178")
    assert "cites resolution 2178 as" in page.content()


def test_sparql_editor_runs_an_example(page, site: str) -> None:  # noqa: ANN001
    page.goto(site + "/sparql")
    page.select_option("#example", "working-group-leadership")
    page.wait_for_url("**/sparql?example=working-group-leadership")
    assert "SELECT DISTINCT ?group" in page.input_value("#query")
    page.click("form.editor button")
    page.wait_for_selector("table.results")
    assert page.locator("table.results tbody tr").count() > 5


def test_list_parameter_gets_more_boxes(page, site: str) -> None:  # noqa: ANN001
    page.goto(site + "/queries/working-group-leadership")
    page.fill("#p-group", "compact-wg-3")
    page.click("[data-list] button.more")
    page.locator("[data-list] input").nth(1).fill("compact-wg-5")
    page.click("form.params button[type=submit]")
    page.wait_for_selector("table.results")
    assert "group=compact-wg-3&group=compact-wg-5" in page.url
    groups = page.locator("table.results tbody tr td:first-child").all_inner_texts()
    assert {g.split()[0] for g in groups} == {"Emerging", "Resource"}


def test_bad_value_shows_which_parameter(page, site: str) -> None:  # noqa: ANN001
    answer = page.goto(site + "/queries/working-group-leadership?group=nowhere&run=1")
    assert answer.status == 400
    assert "parameter 'group'" in page.inner_text(".error")


def test_chart_is_drawn_above_the_results(page, site: str) -> None:  # noqa: ANN001
    page.goto(site + "/queries/projects-stated-and-listed")
    page.click("form.params button[type=submit]")
    page.wait_for_selector("table.results")
    chart = page.locator("section.outcome figure.chart svg")
    assert chart.count() == 1 and chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    assert box["y"] < page.locator("table.results").bounding_box()["y"]
