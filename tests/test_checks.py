"""Check queries: none fires on the real data, each fires on the record it is about,
and the build fails naming the check and the rows."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset

from ctgraph.namespaces import ONTOLOGY_IRI
from ctgraph.queries.checks import CHECK_DIR, check_dataset, load_checks, run_checks
from ctgraph.queries.library import KnowledgeGraph
from ctgraph.validation.shacl import load_ontology

ROOT = Path(__file__).resolve().parents[1]
CHECK_FILES = sorted(CHECK_DIR.glob("*.rq"))

PREFIXES = """
@prefix ctg: <https://w3id.org/ctgraph/ontology#> .
@prefix id: <https://w3id.org/ctgraph/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/ctgraph/id/report/r> a ctg:SourceReport ;
  dcterms:date "2024-02"^^xsd:gYearMonth .
<https://w3id.org/ctgraph/id/graph/r>
  prov:hadPrimarySource <https://w3id.org/ctgraph/id/report/r> .
"""

#: for each check, the smallest graph that breaks its rule
BROKEN = {
    "as-of-after-report-violation": """<https://w3id.org/ctgraph/id/graph/r> {
        id:m ctg:asOf "2024-03"^^xsd:gYearMonth ; prov:wasDerivedFrom id:c .
        id:c ctg:locator "line 1" . }""",
    "observation-after-report-violation": """<https://w3id.org/ctgraph/id/graph/r> {
        id:o a ctg:Observation ; dcterms:date "2025"^^xsd:gYear ;
          prov:wasDerivedFrom id:c .
        id:c ctg:locator "line 1" . }""",
    "entity-without-english-label-violation": """<https://w3id.org/ctgraph/id/graph/r> {
        id:e a ctg:UNEntity ; rdfs:label "联合国"@zh . }""",
    "period-end-before-start-violation": """<https://w3id.org/ctgraph/id/graph/r> {
        id:p ctg:periodStart "2019-01-01"^^xsd:date .
        id:p ctg:periodEnd "2018-12-31"^^xsd:date . }""",
    "entity-with-two-types-violation": """<https://w3id.org/ctgraph/id/graph/r> {
        id:u a ctg:UNEntity , ctg:Unit ; rdfs:label "U"@en . }""",
    "resolution-year-mismatch-violation": """<https://w3id.org/ctgraph/id/graph/r> {
        id:s a ctg:SecurityCouncilResolution ; eli:id_local "S/RES/2396 (2017)" ;
          ctg:year 2017 ; eli:date_document "2018-12-21"^^xsd:date . }""",
    "undeclared-term-violation": """<https://w3id.org/ctgraph/id/graph/r> {
        id:x ctg:implementedBye id:y . }""",
    "same-name-two-entities-violation": """<https://w3id.org/ctgraph/id/graph/r> {
        id:a a ctg:UNEntity ; rdfs:label "Same Office"@en .
        id:b a ctg:UNEntity ; rdfs:label "same office"@en . }""",
}


def dataset(trig: str) -> Dataset:
    """A report, its named graph, the ontology, and the given triples."""
    ds = Dataset()
    ds.parse(data=PREFIXES + trig, format="trig")
    ontology = ds.graph(ONTOLOGY_IRI)
    for triple in load_ontology():
        ontology.add(triple)
    return ds


def test_checks_collected() -> None:
    checks = load_checks()
    assert CHECK_FILES and sorted(checks) == [p.stem for p in CHECK_FILES]
    assert all(name.endswith("-violation") for name in checks)
    assert set(BROKEN) == set(checks), "every check has a graph that breaks it"


@pytest.mark.parametrize("path", CHECK_FILES, ids=[p.stem for p in CHECK_FILES])
def test_check_passes_on_real_data(path: Path, kg: KnowledgeGraph) -> None:
    check = load_checks()[path.stem]
    assert kg.backend.select(check.text).rows == []


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_fires_on_its_broken_record(name: str) -> None:
    failures = check_dataset(dataset(BROKEN[name]))
    assert [f.check.name for f in failures] == [name]
    assert "https://w3id.org/ctgraph/" in str(failures[0].result.rows[0])


def test_good_fixture_passes_every_check() -> None:
    assert check_dataset(dataset("")) == []


def test_misnamed_check_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "gaps.rq").write_text("#+ summary: x\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(ValueError, match="gaps.rq"):
        load_checks(tmp_path)


def test_failure_text_names_check_and_rows() -> None:
    from ctgraph.store.backends import OxigraphBackend

    backend = OxigraphBackend.from_dataset(
        dataset(BROKEN["as-of-after-report-violation"])
    )
    (failure,) = run_checks(backend)
    text = failure.to_text()
    assert text.startswith("as-of-after-report-violation (1 row(s)): ")
    assert "record=id:m" in text and "locator=line 1" in text


def test_build_fails_on_a_membership_dated_after_its_report(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with (data / "core" / "memberships.csv").open("a", newline="") as f:
        # the Compact in Review speaks for 2024-02: a 2030 as_of is a typo
        csv.writer(f).writerow(
            ["compact-wg-3", "interpol", "chair", "", "", "2030-01",
             "compact-review-2024-01", "line 255"]
        )  # fmt: skip
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ctgraph",
            "build",
            "--data",
            str(data),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert "as-of-after-report-violation" in run.stderr
    assert "id:membership/compact-wg-3/interpol/chair/2030-01" in run.stderr
    assert not out.exists() or not any(out.iterdir())
