"""Charts: every stored query that declares one renders on the real data; the SVG
is valid XML with the marks the data implies and the same bytes run after run (and
under another hash seed); the PNG is a real picture; bad chart headers are refused
with their file and line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from ctgraph.charts import ChartError, chart_for, render, report_names
from ctgraph.queries.library import (
    QUERY_DIR,
    HeaderError,
    KnowledgeGraph,
    load_queries,
    parse_query,
)

CHARTED = sorted(n for n, q in load_queries().items() if q.chart is not None)
SVG = "{http://www.w3.org/2000/svg}"


def test_chart_queries_collected() -> None:
    assert len(CHARTED) >= 6
    kinds = {load_queries()[n].chart.type for n in CHARTED}
    assert kinds == {"bar", "line", "timeline", "network"}


@pytest.mark.parametrize("name", CHARTED)
def test_every_declared_chart_renders(kg: KnowledgeGraph, name: str) -> None:
    svg = chart_for(kg, name, "svg")
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    # text is drawn as glyph paths: a title, axes, marks and a caption
    assert len(root.findall(f".//{SVG}path")) > 50
    assert len(root.findall(f".//{SVG}use")) > 100


def marks(svg: bytes, prefix: str) -> list[ET.Element]:
    """The SVG groups whose id starts with prefix (the renderer names its marks)."""
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith(prefix)]


def test_bar_segments_one_per_pillar_and_status(kg: KnowledgeGraph) -> None:
    """projects-stated-and-listed: 5 categories x 3 statuses = 15 bar segments;
    the stated 320 beside the listed 317."""
    stored = kg.stored("projects-stated-and-listed")
    table = kg.query(stored.name)
    rows = table.dicts()
    pairs = {(str(r["pillarLabel"]), str(r["statusLabel"])) for r in rows}
    assert len(pairs) == 15
    svg = render(stored, table, "svg", report_names(kg))
    assert len(marks(svg, "bar-")) == 15
    stated = {str(r["pillarLabel"]): int(r["stated"]) for r in rows}
    listed = sum(
        int(r["projects"]) for r in rows if str(r["pillarLabel"]) == "All pillars"
    )
    assert (stated["All pillars"], listed) == (320, 317)


def test_timeline_one_bar_per_role(kg: KnowledgeGraph) -> None:
    """leadership-timeline: a bar per (group, holder, role, report date), 2018
    Task Force groups and 2024 Compact groups alike."""
    stored = kg.stored("leadership-timeline")
    table = kg.query(stored.name)
    roles = {
        (str(r["groupName"]), str(r["holder"]), str(r["role"]), str(r["asOf"]))
        for r in table.dicts()
    }
    assert {r[3] for r in roles} == {"2018-04", "2024-02"}
    assert len(marks(render(stored, table, "svg"), "span-")) == len(roles)


def test_network_one_line_per_pair_one_circle_per_entity(kg: KnowledgeGraph) -> None:
    stored = kg.stored("co-implementation-network")
    table = kg.query(stored.name)
    pairs = {(str(r["name1"]), str(r["name2"])) for r in table.dicts()}
    entities = {name for pair in pairs for name in pair}
    assert len(pairs) > 30
    svg = render(stored, table, "svg")
    assert len(marks(svg, "edge-")) == len(pairs)
    (nodes,) = marks(svg, "nodes")
    assert len(nodes.findall(f".//{SVG}path")) == len(entities)


def test_line_one_point_per_count(kg: KnowledgeGraph) -> None:
    stored = kg.stored("compact-membership-over-time")
    table = kg.query(stored.name)
    points = {(str(r["date"]), str(r["measureLabel"])) for r in table.dicts()}
    series = marks(render(stored, table, "svg"), "series-")
    assert len(series) == 4  # member entities, working groups, members, observers
    assert sum(len(g.findall(f".//{SVG}use")) for g in series) == len(points)


def test_svg_bytes_stable_across_runs_and_hash_seeds(
    kg: KnowledgeGraph, real_trig: Path, tmp_path: Path
) -> None:
    first = chart_for(kg, "leadership-timeline", "svg")
    assert chart_for(kg, "leadership-timeline", "svg") == first
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"chart-{seed}.svg"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "ctgraph", "chart", "co-implementation-network",
             "--store", str(real_trig), "-o", str(out)],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"<dc:date>" not in outputs[0]


def test_png_is_a_real_picture(kg: KnowledgeGraph) -> None:
    png = chart_for(kg, "projects-stated-and-listed", "png")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    assert width > 500 and height > 350
    colours = image.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20  # not blank
    white = max(colours)[0] / (width * height)
    assert 0.4 < white < 0.97  # mostly background, but drawn on


def test_caption_names_reports(kg: KnowledgeGraph) -> None:
    names = report_names(kg)
    assert names["https://w3id.org/ctgraph/id/report/sg-report-2018"].date == "2018-04"
    stored = kg.stored("compact-membership-over-time")
    table = kg.query(stored.name)
    cited = {str(r["source"]) for r in table.dicts()}
    assert len(cited) == 4  # 2018, 2020, 2024 and 2025 reports
    # glyphs are paths, so compare against a render without the captions' reports
    with_names = render(stored, table, "svg", names)
    without = render(stored, table, "svg", {})
    assert with_names != without


def test_no_rows_is_an_error(kg: KnowledgeGraph) -> None:
    stored = kg.stored("funding-amounts")
    empty = kg.query(stored.name)
    empty.rows.clear()
    with pytest.raises(ChartError, match="no rows"):
        render(stored, empty)


BAD_HEADERS = {
    "unknown type": ("#+   type: pie\n", "chart type 'pie' is not one of", 4),
    "unknown column": ("#+   type: bar\n#+   x: nope\n", "'nope' is not a column", 5),
}


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
def test_bad_chart_header_refused_with_file_and_line(tmp_path: Path, case: str) -> None:
    lines, message, line = BAD_HEADERS[case]
    if "x:" not in lines:
        lines += "#+   x: label\n"
    text = (
        "#+ summary: a test\n#+ tags: [t]\n#+ chart:\n"
        + lines
        + "#+   y: n\n#+   reports: source\n"
        "SELECT ?label ?n ?source WHERE { ?s ?p ?label }\n"
    )
    path = tmp_path / "bad.rq"
    path.write_text(text)
    with pytest.raises(HeaderError) as caught:
        parse_query(path)
    assert message in str(caught.value)
    assert caught.value.path == str(path) and caught.value.line == line


def test_chart_without_reports_refused(tmp_path: Path) -> None:
    path = tmp_path / "nosource.rq"
    path.write_text(
        "#+ summary: a test\n#+ chart: {type: bar, x: label, y: n}\n"
        "SELECT ?label (COUNT(?s) AS ?n) WHERE { ?s ?p ?label } GROUP BY ?label\n"
    )
    with pytest.raises(HeaderError, match="line 2: a chart names its sources"):
        parse_query(path)


def test_projected_columns_include_aliases() -> None:
    stored = parse_query(QUERY_DIR / "projects-stated-and-listed.rq")
    assert stored.chart is not None and stored.chart.columns["y"] == "projects"


def test_cli_chart_errors(real_trig: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ctgraph.cli import app

    def run(*args: str) -> Any:
        return CliRunner().invoke(app, ["chart", *args, "--store", str(real_trig)])

    target = tmp_path / "x.svg"
    no_chart = run("events", "-o", str(target))
    assert no_chart.exit_code == 2 and "declares no chart" in no_chart.stderr
    bad_suffix = run("funding-amounts", "-o", str(tmp_path / "x.pdf"))
    assert bad_suffix.exit_code == 2 and ".svg or .png" in bad_suffix.stderr
    assert not target.exists()
    ok = run("funding-amounts", "-o", str(tmp_path / "x.png"))
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "x.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shown = CliRunner().invoke(app, ["queries", "funding-amounts"])
    assert "chart: bar (x: gift, y: amount" in shown.stdout


def test_rdflib_parses_every_query_after_a_chart(kg: KnowledgeGraph) -> None:
    """matplotlib's math-text parser switches on pyparsing's packrat cache for the
    whole process, which makes rdflib's SPARQL parser overflow the stack on
    `search`; drawing a chart must leave rdflib able to parse every stored query."""
    import pyparsing
    from rdflib.plugins.sparql import prepareQuery

    chart_for(kg, "funding-totals", "svg")
    assert not pyparsing.ParserElement._packratEnabled
    for stored in load_queries().values():
        prepareQuery(stored.text)
