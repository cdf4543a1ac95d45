"""The static site on the real graph: written through the serving app, every
internal link resolves inside the folder, the query pages carry their results and
charts, resources their RDF files, and a failed build leaves the old site."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from ctgraph.cli import app as cli
from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store.backends import OxigraphBackend
from ctgraph.web.site import SiteError, build_site, resource_paths

LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def kg(embedded: OxigraphBackend) -> KnowledgeGraph:
    return KnowledgeGraph(embedded)


@pytest.fixture(scope="module")
def groups(kg: KnowledgeGraph) -> list[str]:
    """The working groups' pages and the ontology's: a slice of the graph that links
    to and from many others, so unlinking is exercised as well as linking."""
    chosen = [
        p
        for p in resource_paths(kg)
        if p.startswith(("/id/working-group/", "/ontology"))
    ]
    assert len(chosen) > 20
    return chosen


@pytest.fixture(scope="module")
def site(
    kg: KnowledgeGraph, groups: list[str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("site") / "public"
    report = build_site(kg, out, resources=groups)
    assert report.pages == 2 + len(kg.queries) + len(groups)
    yield out


def internal_links(page: Path) -> Iterator[str]:
    for url in LINK.findall(page.read_text(encoding="utf-8")):
        parts = urlsplit(url.replace("&amp;", "&"))
        if parts.scheme or parts.netloc or not parts.path:
            continue  # an outside link, or a fragment on this page
        yield parts.path


def test_every_internal_link_resolves(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    checked = 0
    for page in pages:
        for path in internal_links(page):
            assert not path.startswith("/"), f"{page}: absolute link {path}"
            target = (page.parent / unquote(path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)}: {path} is missing"
            checked += 1
    assert checked > 1000


def test_query_pages_carry_results_and_charts(site: Path, kg: KnowledgeGraph) -> None:
    page = (site / "queries" / "projects-stated-and-listed.html").read_text()
    assert "<svg" in page and '<table class="results' in page
    assert 'href="projects-stated-and-listed.csv"' in page
    rows = (site / "queries" / "projects-stated-and-listed.csv").read_text()
    assert len(rows.strip().splitlines()) == 1 + len(
        kg.query("projects-stated-and-listed")
    )
    assert (site / "index.html").read_text().count("<svg") == sum(
        1 for q in kg.queries.values() if q.chart is not None
    )
    assert "<svg" not in (site / "queries" / "source-reports.html").read_text()


def test_resources_have_their_rdf(site: Path, groups: list[str]) -> None:
    path = groups[-1].lstrip("/")
    page = (site / f"{path}.html").read_text()
    assert f'href="{path.rsplit("/", 1)[-1]}.ttl"' in page
    assert len(Graph().parse(site / f"{path}.ttl", format="turtle")) > 0
    quads = Dataset().parse(site / f"{path}.jsonld", format="json-ld").quads()
    assert len(list(quads)) > 0  # with their named graphs
    assert (site / "static" / "style.css").is_file()


def test_failed_build_leaves_the_old_site(kg: KnowledgeGraph, tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("old")
    with pytest.raises(SiteError, match="/id/no-such-thing gave HTTP 404"):
        build_site(kg, out, resources=["/id/no-such-thing"])
    assert (out / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_cli_refuses_an_output_it_cannot_write(real_trig: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = CliRunner().invoke(
        cli, ["site", "-o", str(blocker / "public"), "--store", str(real_trig)]
    )
    assert done.exit_code == 2
    assert f"{blocker} is a file, not a folder" in done.output
    assert "Traceback" not in done.output
    assert blocker.read_text() == "not a folder"
