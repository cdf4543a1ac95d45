"""The build records every discrepancy as data, with both sides and their sources.

Small graphs prove each finder; the real build pins the cases the reports hold
(line numbers are those of the seeds' report texts).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ctgraph import build as pipeline
from ctgraph.graph.discrepancies import (
    Place,
    counts,
    figures,
    fold,
    locator_lines,
    names,
    resolution_years,
    serials,
)
from ctgraph.graph.resolutions import CuratedSymbol, ResolutionRegistry
from ctgraph.namespaces import CTG, mint
from ctgraph.sources.mentions import ReportMention
from ctgraph.sources.symbols import Symbol

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "quality.ttl"
SG = "sg-report-2018"


def cite(g: Graph, subject: URIRef, source: str, locator: str) -> None:
    citation = mint("citation", source, locator.replace(" ", "-"))
    g.add((subject, PROV.wasDerivedFrom, citation))
    g.add((citation, PROV.hadPrimarySource, mint("report", source)))
    g.add((citation, CTG.locator, Literal(locator)))


def project(g: Graph, slug: str, serial: int, line: int) -> URIRef:
    s = mint("project", slug)
    g.add((s, RDF.type, CTG.Project))
    g.add((s, RDFS.label, Literal(f"Project {slug}", lang="en")))
    g.add((s, CTG.serial, Literal(serial, datatype=ns.XSD.integer)))
    g.add((s, CTG.pillar, mint("pillar", "ii")))
    cite(g, s, "r", f"Annex II matrix, Pillar II, serial {serial}, line {line}")
    return s


def test_locator_lines() -> None:
    assert locator_lines("line 418") == {418}
    assert locator_lines("lines 164, 168-170") == {164, 168, 169, 170}
    assert locator_lines("Annex II matrix, Pillar I, serial 15, line 418") == {418}
    assert locator_lines("Annex I, lines 264, 266") == {264, 266}
    assert locator_lines("Annex II, Pillar I, serial 12") == set()


def test_repeated_and_missing_serials_and_stated_count() -> None:
    g = Graph()
    for slug, serial, line in (("a", 1, 10), ("b", 2, 11), ("c", 2, 12), ("d", 4, 14)):
        project(g, slug, serial, line)
    count = mint("project-count", "ii", "pillar-header")
    g.add((count, RDF.type, CTG.ProjectCount))
    g.add((count, CTG.value, Literal(5, datatype=ns.XSD.integer)))
    g.add((count, CTG.pillar, mint("pillar", "ii")))
    g.add((count, DCTERMS.description, Literal("pillar-header", lang="en")))
    cite(g, count, "r", "Annex II matrix, Pillar II header, line 9")
    found = serials(g)
    assert [(f.kind, f.slug) for f in found] == [
        (CTG.RepeatedSerial, "r-ii-2"),
        (CTG.MissingSerial, "r-ii-3"),
    ]
    repeated, missing = found
    assert set(repeated.involves) >= {mint("project", "b"), mint("project", "c")}
    assert [s.places[0].locator for s in repeated.sides] == [
        "Annex II matrix, Pillar II, serial 2, line 11",
        "Annex II matrix, Pillar II, serial 2, line 12",
    ]
    assert "goes from 2 to 4" in missing.note
    (stated,) = counts(g)
    assert [s.value for s in stated.sides] == ["5 projects", "4 projects listed"]
    assert stated.sides[0].places == (
        Place("r", "Annex II matrix, Pillar II header, line 9"),
    )
    assert stated.sides[1].places == (
        Place("r", "Annex II matrix, Pillar II, lines 10-14"),
    )
    assert "fewer by 1" in stated.note


def test_list_starting_late_misses_its_first_serials() -> None:
    g = Graph()
    for serial in (3, 4):
        project(g, f"p{serial}", serial, serial)
    found = serials(g)
    assert [f.slug for f in found] == ["r-ii-1", "r-ii-2"]
    assert all(len(f.sides) == 2 and "starts at 3" in f.note for f in found)


def test_no_discrepancy_in_an_unbroken_list() -> None:
    g = Graph()
    for serial in (1, 2, 3):
        project(g, f"p{serial}", serial, serial)
    assert serials(g) == [] and counts(g) == []


def test_near_duplicate_names_but_not_numbered_committees() -> None:
    (found,) = names(Graph().parse(FIXTURE))
    assert found.involves == (mint("entity", "uncct"), mint("entity", "uncct-2"))
    assert {s.value for s in found.sides} == {
        "United Nations Counter-Terrorism Centre",
        "United Nations Counter Terrorism Centre",
    }


def test_disagreeing_figures_kept_side_by_side() -> None:
    (found,) = figures(Graph().parse(FIXTURE))
    assert [(s.value, s.places) for s in found.sides] == [
        ("38.0", (Place("r1", "line 1"),)),
        ("42.0", (Place("r2", "line 9"),)),
    ]


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Côte d'Ivoire") == fold("COTE D'IVOIRE")


def test_resolution_year_as_written_against_the_resolved_year() -> None:
    written = Symbol("SC", 2178, year=2017)
    mentions = {
        "r": [
            ReportMention("r.txt", 5, Symbol("SC", 2178, year=2014), "2178 (2014)"),
            ReportMention("r.txt", 9, written, "resolution 2178 (2017)"),
        ]
    }
    # 2195 of 2014 puts 2178 in 2014: numbers grow with time (sc_year_table)
    later = Symbol("SC", 2195, year=2014)
    registry = ResolutionRegistry([], [*(m.symbol for m in mentions["r"]), later])
    resolved = registry.iri(written)
    g = Graph()
    p = mint("project", "p")
    g.add((p, CTG.citesResolution, resolved))
    cite(g, p, "r", "Annex II matrix, Pillar I, serial 15, line 9")
    (found,) = resolution_years(g, mentions, registry)
    assert resolved == mint("resolution", "s-res-2178-2014")
    assert found.involves == (resolved, p)
    assert [(s.value, s.places) for s in found.sides] == [
        ("resolution 2178 (2017)", (Place("r", "line 9"),)),
        ("2178 (2014)", (Place("r", "line 5"),)),
    ]
    # a year written once, as resolved, is no discrepancy
    agreeing = {"r": mentions["r"][:1]}
    only_2014 = ResolutionRegistry([], [mentions["r"][0].symbol])
    assert resolution_years(g, agreeing, only_2014) == []


def test_curated_row_on_the_discrepant_line_is_not_an_agreeing_side() -> None:
    """The matrix table writes 2178 (2014) for the row whose line says (2017)."""
    mentions = {
        "r": [
            ReportMention("r.txt", 5, Symbol("SC", 2178, year=2014), "2178 (2014)"),
            ReportMention("r.txt", 9, Symbol("SC", 2178, year=2017), "2178 (2017)"),
        ]
    }
    later = Symbol("SC", 2195, year=2014)
    registry = ResolutionRegistry([], [*(m.symbol for m in mentions["r"]), later])
    row = Place("r", "Annex II matrix, Pillar I, serial 15, line 9")
    table = Place("r", "Annex I, line 5")
    curated = [(row, Symbol("SC", 2178, year=2014)), (table, Symbol("SC", 2178, 2014))]
    (found,) = resolution_years(Graph(), mentions, registry, curated)
    assert set(found.sides[1].places) == {Place("r", "line 5"), table}
    assert CuratedSymbol  # the registry's input type, for readers of this test


# --- the real reports ---------------------------------------------------------------


@pytest.fixture(scope="module")
def merged(real_build: pipeline.BuildResult) -> Graph:
    assert real_build.ok
    return real_build.merged


def discrepancy(merged: Graph, kind: str, slug: str) -> URIRef:
    iri = mint("discrepancy", kind, slug)
    assert (iri, RDF.type, CTG.Discrepancy) in merged, f"no discrepancy {slug}"
    return iri


def sides(merged: Graph, d: URIRef) -> dict[str, set[str]]:
    found = {}
    for side in merged.objects(d, CTG.side):
        value = str(merged.value(side, CTG.statedValue))
        found[value] = {
            str(merged.value(c, CTG.locator))
            for c in merged.objects(side, PROV.wasDerivedFrom)
        }
    return found


def test_real_matrix_cites_2178_with_2017(merged: Graph) -> None:
    # line 418, matrix Pillar I serial 15: "Security Council resolution 2178 (2017)"
    d = discrepancy(merged, "resolution-year", f"{SG}-line-418-2178")
    res, row = mint("resolution", "s-res-2178-2014"), mint("project", "matrix-p1-015")
    assert set(merged.objects(d, CTG.involves)) == {res, row}
    found = sides(merged, d)
    assert found["Security Council resolution 2178 (2017)"] == {"line 418"}
    # Annex I (lines 264, 266) and Annex IV footnote (line 979) write 2178 (2014)
    assert {"Annex I, lines 264, 266", "line 979"} <= found["2178 (2014)"]
    assert "Annex II matrix, Pillar I, serial 15, line 418" not in found["2178 (2014)"]
    # the project keeps the title as written, cites 2178 as resolved, has no dates
    assert "resolution 2178 (2017)" in str(merged.value(row, RDFS.label))
    assert (row, CTG.citesResolution, res) in merged
    assert (row, ns.SDO.startDate, None) not in merged
    assert (row, ns.SDO.endDate, None) not in merged
    assert merged.value(res, CTG.year) == Literal(2014, datatype=ns.XSD.integer)


def test_real_annex_iv_cites_2195_with_2015(merged: Graph) -> None:
    # line 979 (Annex IV footnote 3): "2195 (2015)"; line 266 (Annex I): 2195 (2014)
    d = discrepancy(merged, "resolution-year", f"{SG}-line-979-2195")
    assert sides(merged, d) == {
        "2195 (2015)": {"line 979"},
        "2195 (2014)": {"line 266", "Annex I, line 266"},
    }


def test_real_matrix_serials(merged: Graph) -> None:
    d = discrepancy(merged, "repeated-serial", f"{SG}-ii-26")
    # lines 601 and 602 both print serial 26 in Pillar II
    assert {loc for locs in sides(merged, d).values() for loc in locs} == {
        "Annex II matrix, Pillar II, serial 26, line 601",
        "Annex II matrix, Pillar II, serial 26, line 602",
    }
    d = discrepancy(merged, "missing-serial", f"{SG}-iii-9")
    assert "from 8 to 10" in str(merged.value(d, RDFS.comment))


def test_real_stated_against_listed(merged: Graph) -> None:
    # line 390: 320 in all, 55 in Pillar II, 128 in Pillar III; headers: 55, 125
    expected = {
        "all-narrative": ("320 projects", "317 projects listed"),
        "ii-narrative": ("55 projects", "56 projects listed"),
        "ii-pillar-header": ("55 projects", "56 projects listed"),
        "iii-narrative": ("128 projects", "124 projects listed"),
        "iii-pillar-header": ("125 projects", "124 projects listed"),
    }
    for slug, values in expected.items():
        d = discrepancy(merged, "stated-vs-listed", f"{SG}-{slug}")
        assert set(sides(merged, d)) == set(values)
    assert len(set(merged.subjects(CTG.discrepancyKind, CTG.CountMismatch))) == 5


def test_real_figures_disagree(merged: Graph) -> None:
    # February 2020 highlights: 43 entities (line 21) and 42 entities (line 64)
    d = discrepancy(merged, "figures-disagree", "compact-member-entities-2020")
    assert sides(merged, d) == {"42": {"line 64"}, "43": {"line 21"}}
