"""Regions reach countries: M49 areas via country_converter, curated definitions
with their citations, and the regions left unresolved (flagged by data-quality)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS
from typer.testing import CliRunner

from ctgraph import build as pipeline
from ctgraph.cli import app
from ctgraph.graph.dataset import build_dataset
from ctgraph.namespaces import CTG, REGIONS_GRAPH, mint
from ctgraph.queries import KnowledgeGraph
from ctgraph.queries.results import ResultTable
from ctgraph.sources import regions
from ctgraph.sources.tables import SourceError, read_all, read_table

REGIONS_DIR = pipeline.DATA_DIR / "regions"
MALI, KENYA = mint("country", "mli"), mint("country", "ken")


def records(result: ResultTable) -> list[dict[str, Any]]:
    """Rows with literals as plain Python values."""
    return [
        {k: v.toPython() if isinstance(v, Literal) else v for k, v in row.items()}
        for row in result.dicts()
    ]


def m49_table() -> dict[str, dict[str, str]]:
    return {r.get("region"): r.values for r in read_table(REGIONS_DIR / regions.TABLE)}


def without_version(path: Path) -> list[dict[str, str]]:
    """The table's rows without `read_with`: another release of the package may
    give the same countries."""
    rows = [dict(r.values) for r in read_table(path)]
    for row in rows:
        assert row.pop("read_with").startswith("country_converter ")
    return rows


def test_committed_m49_table_is_a_fresh_ingest(tmp_path: Path) -> None:
    pytest.importorskip("country_converter")
    target, rows = regions.ingest(REGIONS_DIR / "aliases", tmp_path)
    assert rows == len(m49_table()) > 0
    assert without_version(target) == without_version(REGIONS_DIR / regions.TABLE)


def test_cli_writes_the_table_and_names_the_package(tmp_path: Path) -> None:
    pytest.importorskip("country_converter")
    result = CliRunner().invoke(app, ["ingest", "regions", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"{len(m49_table())} regions from M49 (country_converter " in result.stdout
    written = without_version(tmp_path / regions.TABLE)
    assert written == without_version(REGIONS_DIR / regions.TABLE)


def test_cli_unknown_m49_code_exits_2_naming_the_row(tmp_path: Path) -> None:
    pytest.importorskip("country_converter")
    aliases = tmp_path / "aliases"
    aliases.mkdir()
    (aliases / regions.AREAS_TABLE).write_text(
        "region,m49,note\nsahel,999,\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["ingest", "regions", "--aliases", str(aliases), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "m49_areas.csv, line 2: column 'm49': '999' is not an M49 area" in (
        result.output
    )
    assert not (tmp_path / regions.TABLE).exists()


def test_western_africa_includes_mali_not_kenya() -> None:
    west = m49_table()["west-africa"]
    assert (west["m49"], west["m49_name"]) == ("011", "Western Africa")
    assert "mli" in west["countries"].split(";")
    assert "ken" not in west["countries"].split(";")
    assert "ken" in m49_table()["eastern-africa"]["countries"].split(";")


def test_m49_groups_are_the_union_of_their_subregions() -> None:
    table = m49_table()
    subregions = ("caribbean", "central-america", "south-america")
    union = {c for name in subregions for c in table[name]["countries"].split(";")}
    assert set(table["latin-america-caribbean"]["countries"].split(";")) == union


def test_every_curated_row_cites_a_definition() -> None:
    rows = read_table(REGIONS_DIR / "non_m49.csv")
    assert rows, "data/regions/non_m49.csv has no rows"
    for r in rows:
        assert r.get("definition"), f"line {r.line}: no definition title"
        assert r.get("url").startswith("https://"), f"line {r.line}: no https url"


def test_curated_row_without_citation_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(pipeline.DATA_DIR, data)
    curated = data / "regions" / "non_m49.csv"
    lines = curated.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert header[:5] == ["region", "countries", "definition", "publisher", "url"]
    lines[1] = "sahel,mli;ner,Some title,Someone,,"
    curated.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        SourceError, match=r"non_m49\.csv, line 2: column 'url' is empty"
    ):
        read_all(data)


def test_curated_url_must_be_an_address(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(pipeline.DATA_DIR, data)
    curated = data / "regions" / "non_m49.csv"
    text = curated.read_text(encoding="utf-8")
    curated.write_text(
        text.replace("https://www.un.org/africarenewal/sahel", "see the UN site"),
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="'see the UN site' is not an http"):
        build_dataset(read_all(data))


def test_a_region_defined_twice_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(pipeline.DATA_DIR, data)
    curated = data / "regions" / "non_m49.csv"
    with curated.open("a", encoding="utf-8") as handle:
        handle.write("west-africa,mli,A title,Someone,https://example.org/x,\n")
    with pytest.raises(SourceError, match="'west-africa' already has its countries"):
        build_dataset(read_all(data))


def test_provenance_of_each_membership_is_in_the_graph(kg: KnowledgeGraph) -> None:
    rows = records(
        kg.sparql(
            f"""SELECT ?region ?label ?source ?readWith WHERE {{
          GRAPH <{REGIONS_GRAPH}> {{
            ?region <{CTG.countriesFrom}> ?d .
            ?d <{RDFS.label}> ?label ; <{DCTERMS.source}> ?source .
            OPTIONAL {{ ?d <{CTG.readWith}> ?readWith }}
          }} }}"""
        )
    )
    found = {r["region"]: r for r in rows}
    west = found[mint("region", "west-africa")]
    assert str(west["label"]) == "UN M49: Western Africa (011)"
    assert str(west["readWith"]).startswith("country_converter ")
    sahel = found[mint("region", "sahel")]
    assert sahel["source"] == URIRef("https://www.un.org/africarenewal/sahel")
    assert sahel["readWith"] is None
    assert len(found) == len(m49_table()) + len(read_table(REGIONS_DIR / "non_m49.csv"))


def test_mali_through_sahel_and_west_africa(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("projects-in-country", country="Mali"))
    through = {
        (r["via"], r["project"]) for r in rows if r["coverage"] == "through region"
    }
    # matrix Pillar I serial 54 (line 470): a Dakar workshop for West Africa and
    # the Sahel names no country
    workshop = mint("project", "matrix-p1-054")
    assert (mint("region", "sahel"), workshop) in through
    assert (mint("region", "west-africa"), workshop) in through
    direct = {r["project"] for r in rows if r["coverage"] == "direct"}
    assert workshop not in direct
    assert mint("project", "matrix-p3-054") in direct  # Mali's judicial unit
    bases = {str(r["basis"]) for r in rows if r["coverage"] == "through region"}
    assert "UN M49: Western Africa (011)" in bases


def test_entities_in_mali_count_regions_apart(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("entities-in-country", country="Mali"))
    unesco = mint("entity", "unesco")
    # the Dakar workshop (line 470) is UNESCO's, reaching Mali through both regions
    via = {
        r["via"]
        for r in rows
        if r["entity"] == unesco and r["coverage"] == "through region"
    }
    assert {mint("region", "sahel"), mint("region", "west-africa")} <= via


def test_kenya_not_reached_through_west_africa(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("projects-in-country", country="Kenya"))
    via = {r["via"] for r in rows if r["coverage"] == "through region"}
    assert mint("region", "eastern-africa") in via
    assert mint("region", "west-africa") not in via


def test_unresolved_regions_are_flagged(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("data-quality", check="region-without-countries"))
    flagged = {r["resource"] for r in rows}
    assert mint("region", "middle-east") in flagged
    assert mint("region", "horn-of-africa") in flagged
    assert mint("region", "sahel") not in flagged
    assert mint("region", "west-africa") not in flagged


def test_mali_included_by_sahel_in_the_graph(kg: KnowledgeGraph) -> None:
    assert kg.ask(
        f"ASK {{ <{mint('region', 'sahel')}> <{CTG.includesCountry}> <{MALI}> }}"
    )
    label = kg.sparql(f"SELECT ?l WHERE {{ <{KENYA}> <{RDFS.label}> ?l }}").dicts()
    assert label and label[0]["l"] == Literal("Kenya", lang="en")
