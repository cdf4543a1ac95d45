"""The web pages on the real graph, through Starlette's TestClient: home, search,
resource pages with sources and content negotiation, stored-query forms and their
downloads, the JSON API, and the error pages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from rdflib import Dataset, Graph, URIRef

from ctgraph.namespaces import mint
from ctgraph.queries.library import KnowledgeGraph
from ctgraph.queries.results import render
from ctgraph.spreadsheets import query_workbook
from ctgraph.store.backends import OxigraphBackend
from ctgraph.web.app import WebConfig, create_app
from ctgraph.web.render import local_path
from ctgraph.web.runner import Limits

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def kg(embedded: OxigraphBackend) -> KnowledgeGraph:
    return KnowledgeGraph(embedded)


@pytest.fixture
def client(kg: KnowledgeGraph) -> Iterator[TestClient]:
    app = create_app(kg, WebConfig(built="2026-01-01 00:00 UTC"))
    with TestClient(app, raise_server_exceptions=False) as made:
        yield made


def test_home_shows_counts_reports_and_queries(
    client: TestClient, kg: KnowledgeGraph
) -> None:
    page = client.get("/", headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert "Counter-Terrorism Compact in Review January-February 2024" in text
    # each of the five reports is listed once, though several graphs describe it
    reports = ("sg-report-2018", "unoct-briefing-2019-07", "compact-review-2024-01")
    for report in reports:
        assert text.count(f'href="/id/report/{report}"') == 1, report
    assert "2026-01-01 00:00 UTC" in text
    projects = kg.sparql(
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE "
        "{ ?p a <https://w3id.org/ctgraph/ontology#Project> }"
    ).rows[0][0]
    assert f'<td class="n">{int(projects)}</td>' in text
    for name in kg.queries:
        assert f'href="/queries/{name}"' in text
    assert "https://" not in "".join(
        line for line in text.splitlines() if "<script" in line or "stylesheet" in line
    )


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("UNODC", "/id/entity/unodc"),
        ("毒品和犯罪问题办公室", "/id/entity/unodc"),
        ("resolution 2396 (2017)", "/id/resolution/s-res-2396-2017"),
        ("S/RES/2396(2017)", "/id/resolution/s-res-2396-2017"),
        ("Qatar", "/id/country/qat"),
    ],
)
def test_search_finds_first(client: TestClient, q: str, first: str) -> None:
    page = client.get("/search", params={"q": q}, headers=HTML)
    assert page.status_code == 200
    links = [
        line.split('href="', 1)[1].split('"', 1)[0]
        for line in page.text.split("<li>")[1:]
    ]
    assert links and links[0] == first


def test_search_lists_each_type_once(client: TestClient) -> None:
    page = client.get("/search", params={"q": "办公室"}, headers=HTML)
    first = page.text.split("<li>")[1].split("</li>")[0]
    assert 'href="/id/entity/unoct"' in first
    assert first.count('class="type"') == 1


def test_search_without_text_is_400(client: TestClient) -> None:
    page = client.get("/search", params={"q": "  "}, headers=HTML)
    assert page.status_code == 400 and "parameter &#39;q&#39;" in page.text


def test_resource_page_roles_and_sources(client: TestClient) -> None:
    page = client.get("/id/entity/unodc", headers=HTML)
    assert page.status_code == 200
    assert page.headers["vary"] == "Accept"
    text = page.text
    assert "United Nations Office on Drugs and Crime" in text
    assert "毒品和犯罪问题办公室" in text  # its Chinese label
    roles = text.split("<h2>Roles held</h2>", 1)[1].split("</section>", 1)[0]
    # chairs working group 4, as the 2024 review states on line 223
    row = roles.split('href="/id/working-group/compact-wg-4"', 1)[1].split("</tr>")[0]
    assert "Chair" in row and "compact-review-2024-01</a>, line 223" in row
    assert 'href="/id/report/compact-review-2024-01"' in row
    assert '<link rel="alternate" type="text/turtle"' in text
    assert "Linked from" in text


def test_a_name_given_by_two_properties_is_listed_once(client: TestClient) -> None:
    text = client.get("/id/resolution/s-res-2178-2014", headers=HTML).text
    names = text.split('<ul class="labels">', 1)[1].split("</ul>", 1)[0]
    assert names.count("S/RES/2178 (2014)") == 1


def test_many_locators_are_counted_and_listed_once(
    client: TestClient, kg: KnowledgeGraph
) -> None:
    resolution = mint("resolution", "s-res-2396-2017")
    graph = mint("graph", "sg-report-2018")
    (row,) = kg.sparql(
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH <{graph}> {{ <{resolution}> "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> ?c } }"
    ).rows
    places = int(row[0])
    assert places > 3
    text = client.get("/id/resolution/s-res-2396-2017", headers=HTML).text
    assert f"sg-report-2018</a>, {places} places" in text
    stated = text.split("<h2>Stated in</h2>", 1)[1].split("</section>", 1)[0]
    assert stated.count("sg-report-2018</a>:") == 1
    assert stated.count("; ") >= places - 1


@pytest.mark.parametrize(
    ("accept", "media", "parse_as"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/trig", "application/trig", "trig"),
    ],
)
def test_resource_conneg(
    client: TestClient, accept: str, media: str, parse_as: str
) -> None:
    answer = client.get("/id/entity/unodc", headers={"accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert answer.headers["vary"] == "Accept"
    data = Dataset()
    data.parse(data=answer.text, format=parse_as)
    unodc = mint("entity", "unodc")
    subjects = {s for s, _, _, _ in data.quads()}
    assert subjects == {unodc}
    if parse_as in ("trig", "json-ld"):  # formats that keep each fact's graph
        graphs = {g for _, _, _, g in data.quads() if g is not None}
        assert mint("graph", "compact-review-2024-01") in graphs


def test_resource_alternates_and_format(client: TestClient) -> None:
    by_suffix = client.get("/id/entity/unodc.ttl")
    by_param = client.get("/id/entity/unodc", params={"format": "ttl"})
    assert by_suffix.status_code == by_param.status_code == 200
    assert (
        Graph()
        .parse(data=by_suffix.text, format="turtle")
        .isomorphic(Graph().parse(data=by_param.text, format="turtle"))
    )
    assert (
        client.get("/id/entity/unodc", headers={"accept": "image/png"}).status_code
        == 406
    )


def test_ontology_term_page(client: TestClient) -> None:
    page = client.get("/ontology/WorkingGroup", headers=HTML)
    assert page.status_code == 200 and "Working group" in page.text


def test_ontology_documentation_is_served_at_ontology(client: TestClient) -> None:
    from ctgraph.release.docs import DOCS

    page = client.get("/ontology", headers=HTML)
    assert page.status_code == 200 and page.headers["vary"] == "Accept"
    assert page.text == DOCS.read_text(encoding="utf-8")
    assert "ctgsh:" in page.text and "<svg" in page.text
    data = client.get("/ontology", headers={"accept": "text/turtle"})
    assert data.status_code == 200 and data.headers["content-type"].startswith(
        "text/turtle"
    )


def test_every_kind_of_resource_has_a_page(
    client: TestClient, kg: KnowledgeGraph
) -> None:
    """One resource of every class in the graph, and the ontology, as page and data."""
    rows = kg.sparql(
        "SELECT ?class (MIN(STR(?s)) AS ?one) WHERE { ?s a ?class "
        "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/ctgraph/')) } GROUP BY ?class"
    ).rows
    assert len(rows) > 30
    paths = {local_path(str(one)) for _, one in rows}
    assert None not in paths and any(p.startswith("/ontology/") for p in paths)
    paths.add("/ontology")
    for path in sorted(paths):
        page = client.get(path, headers=HTML)
        assert page.status_code == 200, path
        assert "<h1>" in page.text
        data = client.get(path + ".ttl")
        assert data.status_code == 200, path + ".ttl"
        assert len(Graph().parse(data=data.text, format="turtle")) > 0


def test_unknown_resource_is_404_page(client: TestClient) -> None:
    page = client.get("/id/entity/no-such-thing", headers=HTML)
    assert page.status_code == 404
    assert "says nothing about" in page.text and "Traceback" not in page.text
    assert client.get("/no/such/page", headers=HTML).status_code == 404


def test_query_form_prefills_example(client: TestClient) -> None:
    page = client.get("/queries/working-group-leadership", headers=HTML)
    assert page.status_code == 200
    assert 'name="date" type="date" value="2024-06-01"' in page.text
    assert "<select" in page.text and "vice-chair" in page.text  # enumerated role
    assert page.text.count('name="group"') == 1  # a list parameter: one spare box
    assert '<datalist id="l-group">' in page.text


def test_query_results_and_downloads_equal_cli(
    client: TestClient, kg: KnowledgeGraph
) -> None:
    params = {"group": "compact-wg-3", "run": "1"}
    page = client.get("/queries/working-group-leadership", params=params, headers=HTML)
    assert page.status_code == 200
    assert 'href="/id/entity/interpol"' in page.text
    assert "International Criminal Police Organization" in page.text
    link = "/queries/working-group-leadership?group=compact-wg-3&amp;run=1"
    assert link in page.text  # the permalink
    expected = kg.query("working-group-leadership", group="compact-wg-3")
    for ext in ("csv", "tsv", "json"):
        answer = client.get(
            f"/queries/working-group-leadership.{ext}", params={"group": "compact-wg-3"}
        )
        assert answer.status_code == 200
        assert answer.text == render(expected, ext)
    sheet = client.get(
        "/queries/working-group-leadership.xlsx", params={"group": "compact-wg-3"}
    )
    assert sheet.status_code == 200
    same = query_workbook(
        kg, "working-group-leadership", {"group": "compact-wg-3"}, expected
    )
    assert sheet.content == same  # the CLI's workbook, byte for byte
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    assert len(rows) == len(expected.rows) + 1


def test_list_parameter_takes_several_values(client: TestClient) -> None:
    answer = client.get(
        "/queries/working-group-leadership.csv",
        params=[("group", "compact-wg-3"), ("group", "compact-wg-5")],
    )
    groups = {row["group"] for row in csv.DictReader(io.StringIO(answer.text))}
    assert groups == {
        str(mint("working-group", g)) for g in ("compact-wg-3", "compact-wg-5")
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"date": "yesterday"},
            "parameter &#39;date&#39;: &#39;yesterday&#39; is not a date",
        ),
        ({"group": "compact-wg-9"}, "no group matches &#39;compact-wg-9&#39;"),
        ({"colour": "red"}, "has no parameter &#39;colour&#39;"),
        ({"role": "king"}, "&#39;king&#39; is not one of chair"),
    ],
)
def test_bad_parameter_is_400_naming_it(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    page = client.get(
        "/queries/working-group-leadership", params={**params, "run": "1"}, headers=HTML
    )
    assert page.status_code == 400
    assert message in page.text and "Traceback" not in page.text


def test_unknown_query_and_format(client: TestClient) -> None:
    assert client.get("/queries/nope", headers=HTML).status_code == 404
    assert client.get("/queries/working-group-leadership.pdf").status_code == 404


def test_api_per_query_and_openapi(client: TestClient, kg: KnowledgeGraph) -> None:
    answer = client.get(
        "/api/queries/working-group-leadership", params={"group": "compact-wg-3"}
    )
    assert answer.status_code == 200
    body = answer.json()
    expected = kg.query("working-group-leadership", group="compact-wg-3")
    assert body["columns"] == expected.columns
    assert len(body["rows"]) == len(expected.rows) and not body["truncated"]
    assert body["rows"][0]["group"] == str(mint("working-group", "compact-wg-3"))
    bad = client.get("/api/queries/working-group-leadership", params={"date": "x"})
    assert bad.status_code == 400 and "parameter 'date'" in bad.json()["message"]
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/queries/working-group-leadership"]["get"]
    by_name = {p["name"]: p for p in operation["parameters"]}
    assert by_name["group"]["schema"]["type"] == "array"
    assert by_name["role"]["schema"]["items"]["enum"] == [
        "chair",
        "co-chair",
        "vice-chair",
    ]
    assert by_name["date"]["schema"]["format"] == "date"
    routes = [p for p in spec["paths"] if p.startswith("/api/queries/")]
    assert len(routes) == len(kg.queries) and "/api/queries" in spec["paths"]
    assert "/sparql" not in spec["paths"] and "/" not in spec["paths"]
    assert client.get("/docs").status_code == 404  # no CDN-loaded API browser


def test_time_limit_gives_503_page(kg: KnowledgeGraph) -> None:
    app = create_app(kg, WebConfig(limits=Limits(time_limit=0.000001)))
    with TestClient(app, raise_server_exceptions=False) as made:
        page = made.get(
            "/queries/working-group-leadership", params={"run": "1"}, headers=HTML
        )
    assert page.status_code == 503 and "time limit" in page.text


def test_no_traceback_reaches_a_browser(kg: KnowledgeGraph) -> None:
    app = create_app(kg)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as made:
        page = made.get("/boom", headers=HTML)
    assert page.status_code == 500
    assert "secret internals" not in page.text and "Traceback" not in page.text


def test_static_files_are_served(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "font-family" not in css.text.split("url(")[0][:0]
    assert "@import" not in css.text and "url(http" not in css.text


def test_remote_endpoint_serves_the_same_page(oxigraph, kg: KnowledgeGraph) -> None:
    remote = KnowledgeGraph(oxigraph.backend(), kg.queries)
    with TestClient(create_app(remote), raise_server_exceptions=False) as far:
        far_page = far.get("/id/working-group/compact-wg-3", headers=HTML)
    with TestClient(create_app(kg), raise_server_exceptions=False) as near:
        near_page = near.get("/id/working-group/compact-wg-3", headers=HTML)
    assert far_page.status_code == near_page.status_code == 200
    section = lambda t: t.split("<h2>Members", 1)[1].split("</section>", 1)[0]  # noqa: E731
    assert section(far_page.text) == section(near_page.text)
    body = json.loads(
        TestClient(create_app(remote))
        .get("/api/queries/working-group-leadership", params={"group": "compact-wg-3"})
        .text
    )
    assert len(body["rows"]) == 4
    assert URIRef(body["rows"][0]["group"]) == mint("working-group", "compact-wg-3")
