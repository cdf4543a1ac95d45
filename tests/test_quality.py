"""The data-quality view lists every discrepancy the graph records, and records
without dates, as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Graph

from ctgraph import build as pipeline
from ctgraph.validation.quality import discrepancies, quality, render, undated

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "quality.ttl"


def test_undated_records() -> None:
    found = undated(Graph().parse(FIXTURE))
    assert [f.subject for f in found] == ["Undated programme"]
    assert found[0].sources == "r1 (line 1)"


def test_fixture_without_discrepancy_records_lists_none() -> None:
    # the view reads what the build recorded; it does not look for more
    assert discrepancies(Graph().parse(FIXTURE)) == []


def test_real_view_lists_every_kind_with_both_sides(
    real_build: pipeline.BuildResult,
) -> None:
    findings = quality(real_build.merged)
    kinds = {f.kind for f in findings}
    assert {
        "resolution-year",
        "stated-vs-listed",
        "figures-disagree",
        "repeated-serial",
        "missing-serial",
        "record without dates",
    } <= kinds
    (year_2195,) = [f for f in findings if "2195 (2015)" in f.sources]
    assert year_2195.sources == (
        "2195 (2015) per sg-report-2018 (line 979) | 2195 (2014) per "
        "sg-report-2018 (Annex I, line 266); sg-report-2018 (line 266)"
    )
    rows = list(csv.DictReader(io.StringIO(render(findings, "csv"))))
    assert len(rows) == len(findings)
    assert rows[0].keys() == {"kind", "subject", "detail", "sources", "iri"}
    as_json = json.loads(render(findings, "json"))
    assert [d["iri"] for d in as_json] == [f.iri for f in findings]
