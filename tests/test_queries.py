"""The stored query library: every query on the real data, on both engines; the
header parser; parameter safety; the Python API and the query commands.

Facts come from the source reports (line numbers in comments); `need` first checks
that the records a fact is about are in the data, so a missing table fails loudly
instead of the fact passing on nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ctgraph.namespaces import CTG, PREFIXES, mint
from ctgraph.queries.checks import load_checks
from ctgraph.queries.library import (
    QUERY_DIR,
    HeaderError,
    KnowledgeGraph,
    ParameterError,
    QueryError,
    QueryLimitError,
    UnknownQuery,
    load_queries,
    parse_query,
)
from ctgraph.queries.lookup import KINDS
from ctgraph.sources.tables import read_table
from ctgraph.store.backends import OxigraphBackend, ResultTable, bind_values
from ctgraph.store.remote import RemoteBackend

ROOT = Path(__file__).resolve().parents[1]
QUERY_FILES = sorted(QUERY_DIR.glob("*.rq"))
COMPACT_REVIEW = mint("report", "compact-review-2024-01")


def entity(slug: str) -> URIRef:
    return mint("entity", slug)


def records(result: ResultTable) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (IRIs as URIRef, literals as values)."""
    out = []
    for row in result.dicts():
        out.append(
            {k: (v.toPython() if isinstance(v, Literal) else v) for k, v in row.items()}
        )
    return out


def present(kg: KnowledgeGraph, iri: URIRef) -> bool:
    return bool(
        kg.backend.select("SELECT ?p WHERE { ?s ?p ?o } LIMIT 1", {"s": iri}).rows
    )


def need(kg: KnowledgeGraph, *iris: URIRef) -> None:
    """The resources a fact is about are in the data (else the fact cannot be read)."""
    missing = [str(i) for i in iris if not present(kg, i)]
    assert not missing, "not in the data: " + ", ".join(missing)


def comparable(term: Any) -> tuple[Any, ...]:
    """A term compared by value: engines write 38.0 or 38 for the same decimal."""
    if isinstance(term, Literal):
        value = term.toPython()
        if term.datatype and not isinstance(value, Literal):
            return ("literal", value, term.language)
        return ("literal", str(term), term.language)
    return ("term", str(term))


# --- the library ---


def test_library_collects_every_query_file() -> None:
    queries = load_queries()
    assert len(QUERY_FILES) >= 25
    assert sorted(queries) == [p.stem for p in QUERY_FILES]


def test_query_names_are_kebab_case_and_headers_complete() -> None:
    for stored in load_queries().values():
        assert stored.name == stored.name.lower() and "_" not in stored.name
        assert stored.summary and stored.description and stored.tags
        required = {p.name for p in stored.parameters if p.required}
        assert required <= set(stored.example), (
            f"{stored.name}: example lacks {required}"
        )


def test_fixed_first_columns(kg: KnowledgeGraph) -> None:
    fixed = {
        "working-group-leadership": [
            "group", "groupLabel", "role", "entity", "entityLabel", "start", "end",
        ],
        "projects-by-pillar-status": ["pillar", "status", "projects"],
        "project-count-discrepancies": ["pillar", "stated", "listed"],
        "compact-size-over-time": ["date", "measure", "value", "source"],
        "resource-facts": ["property", "value", "source"],
    }  # fmt: skip
    for name, columns in fixed.items():
        stored = kg.stored(name)
        result = kg.query(name, **stored.example)
        assert result.columns[: len(columns)] == columns, name
    assert "entity-profile" in kg.queries


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_same_results_on_both_engines(
    path: Path, kg: KnowledgeGraph, kg_rdflib: KnowledgeGraph
) -> None:
    """Both engines give the same rows (as multisets: ORDER BY ties may differ)."""
    stored = kg.stored(path.stem)
    results = [g.query(stored.name, **stored.example) for g in (kg, kg_rdflib)]
    assert results[0].columns == results[1].columns
    counted = [
        Counter(tuple(comparable(v) for v in row) for row in r.rows) for r in results
    ]
    assert counted[0] == counted[1]


# --- one test per query, on the real data ------------------------------------------


def test_working_group_leadership_interpol_chairs_group_3(kg: KnowledgeGraph) -> None:
    # Compact in Review 2024, lines 255-261: INTERPOL chairs WG 3; UNODA, UNICRI
    # and OPCW are vice-chairs
    rows = records(
        kg.query("working-group-leadership", date="2024-06-01", group="compact-wg-3")
    )
    assert {(r["role"], r["entity"]) for r in rows} == {
        ("chair", entity("interpol")),
        ("vice-chair", entity("unoda")),
        ("vice-chair", entity("unicri")),
        ("vice-chair", entity("opcw")),
    }
    assert {r["source"] for r in rows} == {COMPACT_REVIEW}
    assert rows[0]["role"] == "chair"  # chairs first


def test_working_group_leadership_dates_and_roles(kg: KnowledgeGraph) -> None:
    latest = records(kg.query("working-group-leadership"))
    assert ("chair", entity("interpol")) in {(r["role"], r["entity"]) for r in latest}
    # before the 2024 report spoke, it says nothing about the Compact's groups
    before = records(kg.query("working-group-leadership", date="2023-12-31"))
    assert not [r for r in before if "compact-wg" in str(r["group"])]
    # line 199: UNOCT chairs WG 5, co-chaired by CTED and UNODC
    wg5 = records(
        kg.query(
            "working-group-leadership",
            group="compact-wg-5",
            role=["chair", "co-chair"],
            date=dt.date(2024, 3, 1),
        )
    )
    assert {(r["role"], r["entity"]) for r in wg5} == {
        ("chair", entity("unoct")),
        ("co-chair", entity("cted")),
        ("co-chair", entity("unodc")),
    }


def test_entity_leadership_history_unoct(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("entity-leadership-history", entity="UNOCT"))
    held = {(r["group"], r["role"]) for r in rows if str(r["asOf"]) == "2024-02"}
    group = lambda n: mint("working-group", f"compact-wg-{n}")  # noqa: E731
    # lines 183, 199 (chair of WGs 1 and 5); 227, 203, 171 (vice-chair of 4, 6, 7)
    assert {
        (group(1), "chair"),
        (group(5), "chair"),
        (group(4), "vice-chair"),
        (group(6), "vice-chair"),
        (group(7), "vice-chair"),
    } <= held
    dates = [str(r["asOf"]) for r in rows]
    assert dates == sorted(dates)


def test_leadership_ranking(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("leadership-ranking", framework="compact"))
    by_entity = {r["entity"]: r for r in rows}
    cted = by_entity[entity("cted")]
    # CTED chairs WGs 2 and 6 (lines 241, 201), co-chairs 5 (199), vice-chairs 4, 8
    assert cted["chairs"] >= 2 and cted["coChairs"] >= 1 and cted["viceChairs"] >= 2
    for r in rows:
        assert r["roles"] == r["chairs"] + r["coChairs"] + r["viceChairs"]
    assert [r["roles"] for r in rows] == sorted(
        (r["roles"] for r in rows), reverse=True
    )


def test_entity_projects_with_units_and_filters(kg: KnowledgeGraph) -> None:
    api = mint("project", "advance-passenger-information")
    need(kg, api)
    # SG report 2018, Annex II line 322: the API programme, UNOCT and CTED, pillar II
    rows = records(kg.query("entity-projects", entity="UNOCT"))
    assert (api, "II") in {(r["project"], r["pillar"]) for r in rows}
    assert api in {
        r["project"] for r in records(kg.query("entity-projects", entity="cted"))
    }
    only_iii = records(kg.query("entity-projects", entity="UNOCT", pillar=["III"]))
    assert api not in {r["project"] for r in only_iii}
    # UNCCT is a unit of UNOCT: its activities count for UNOCT, through UNCCT
    assert entity("uncct") in {r["implementer"] for r in rows}


def test_projects_by_pillar_status_counts(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("projects-by-pillar-status"))
    per_pillar = Counter()
    for r in rows:
        per_pillar[r["pillar"]] += r["projects"]
    for pillar, total in per_pillar.items():
        if pillar is None:
            continue
        distinct = kg.sparql(
            "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { "
            f"?p a <{CTG.Project}> ; <{CTG.pillar}> <{pillar}> }}"
        ).rows[0][0]
        assert total == int(distinct)  # a project has one status
    closed_i = mint("project", "matrix-p1-002")
    need(kg, closed_i)
    # matrix, Pillar I serial 2 (line 400): completed
    cell = [r for r in rows if r["pillar"] == mint("pillar", "i")
            and r["status"] == CTG.Closed]  # fmt: skip
    assert cell and cell[0]["projects"] >= 1


def test_project_count_discrepancies(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("project-count-discrepancies"))
    for r in rows:
        assert r["difference"] == r["stated"] - r["listed"]
    assert rows, "the matrix's stated project counts (data/matrix/project_counts.csv)"
    # line 390: 320 projects, 120 / 55 / 128 / 17 by pillar
    narrative = {r["pillar"]: r["stated"] for r in rows if r["statedIn"] == "narrative"}
    assert narrative[None] == 320
    assert narrative[mint("pillar", "iv")] == 17


def test_projects_in_country(kg: KnowledgeGraph) -> None:
    by_name = kg.query("projects-in-country", country="Nigeria")
    for code in ("NGA", "ng"):
        assert kg.query("projects-in-country", country=code).rows == by_name.rows
    rows = records(by_name)
    assert {r["coverage"] for r in rows} == {"direct", "through region", "global"}
    assert all(r["via"] is not None for r in rows if r["coverage"] == "through region")
    pilot = mint("project", "lake-chad-basin-salw-pilot")
    need(kg, pilot)
    # SG report 2018, Annex II line 326: Cameroon, Chad, Niger, Nigeria
    assert (pilot, "direct") in {(r["project"], r["coverage"]) for r in rows}


def test_projects_in_country_through_a_region_that_lists_it() -> None:
    """A region without a definition of its own: the query reads only the graph."""
    dataset = Dataset()
    graph = dataset.graph(mint("graph", "fixture"))
    region, country = mint("region", "lake-chad-basin"), mint("country", "nga")
    project = mint("project", "p1")
    graph.add((region, CTG.includesCountry, country))
    graph.add((region, RDFS.label, Literal("Lake Chad Basin", lang="en")))
    graph.add((country, RDF.type, CTG.Country))
    graph.add((project, RDF.type, CTG.Project))
    graph.add((project, CTG.region, region))
    small = KnowledgeGraph(OxigraphBackend.from_dataset(dataset), load_queries())
    rows = records(small.query("projects-in-country", country=country))
    assert [(r["coverage"], r["project"], r["via"]) for r in rows] == [
        ("through region", project, region)
    ]
    assert str(rows[0]["viaLabel"]) == "Lake Chad Basin"


def test_co_implementing_entities(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("co-implementing-entities", entity="CTED"))
    for r in rows:
        assert str(r["entity1"]) < str(r["entity2"])
        assert entity("cted") in (r["entity1"], r["entity2"])
    assert rows, "the query returned no rows to check"
    pairs = records(kg.query("co-implementing-entities", minimum=2))
    assert pairs, "no pair co-implements two projects"
    assert all(r["projects"] >= 2 for r in pairs)
    need(kg, mint("project", "advance-passenger-information"))
    # Annex II line 322: UNOCT and CTED implement the API programme together
    assert (entity("cted"), entity("unoct")) in {
        (r["entity1"], r["entity2"]) for r in rows
    }


def test_possible_overlaps_are_real_overlaps(kg: KnowledgeGraph) -> None:
    rows = kg.query("possible-overlaps").dicts()
    check = """PREFIX ctg: <https://w3id.org/ctgraph/ontology#>
    SELECT ?shared ?s1 ?s2 WHERE {
      ?p1 ctg:country ?c ; ctg:pillar ?pillar ; ctg:periodStart ?s1 .
      ?p2 ctg:country ?c ; ctg:pillar ?pillar ; ctg:periodStart ?s2 .
      OPTIONAL { ?p1 ctg:implementedBy ?shared . ?p2 ctg:implementedBy ?shared }
    }"""
    assert rows, "the query returned no rows to check"
    for r in rows[:25]:
        bound = {"p1": r["project1"], "p2": r["project2"], "c": r["country"]}
        found = kg.backend.select(check, {**bound, "pillar": r["pillar"]}).rows
        assert found and all(shared is None for shared, _, _ in found)
        if r["overlapEnd"] is not None:
            assert r["overlapStart"].toPython() <= r["overlapEnd"].toPython()


def test_pages_follow_the_full_result_in_order(kg: KnowledgeGraph) -> None:
    assert kg.stored("possible-overlaps").pagination == 100
    every = kg.query("possible-overlaps").rows
    assert len(every) > 20, "the real data has enough overlaps to page through"
    pages, offset, more = [], 0, True
    while more:
        page, more = kg.query_page("possible-overlaps", 8, offset)
        assert len(page.rows) == 8 or not more
        pages += page.rows
        offset += 8
    assert pages == every
    rest, more = kg.query_page("possible-overlaps", None, 5)
    assert rest.rows == every[5:] and not more
    with pytest.raises(QueryError, match="no page of 0 rows"):
        kg.query_page("possible-overlaps", 0)


def test_resolutions_cited_and_citing(kg: KnowledgeGraph) -> None:
    forms = ("S/RES/2396 (2017)", "S/RES/2396(2017)", "s/res/2396 (2017)")
    iris = {kg.resolve("resolution", form) for form in forms}
    assert iris == {mint("resolution", "s-res-2396-2017")}
    cited = records(kg.query("resolutions-cited"))
    for r in cited[:5]:
        citing = kg.query(
            "activities-citing-resolution", resolution=str(r["resolution"])
        )
        assert len({row["activity"] for row in citing.dicts()}) == r["citedBy"]
    tech = mint("project", "tech-against-terrorism")
    need(kg, tech)
    # SG report 2018, Annex II: Tech Against Terrorism, resolutions 2395 and 2396
    rows = records(kg.query("activities-citing-resolution", resolution=list(forms[:1])))
    assert tech in {r["activity"] for r in rows}


def test_reports_citing_resolution(kg: KnowledgeGraph) -> None:
    rows = records(
        kg.query("reports-citing-resolution", resolution="S/RES/2396 (2017)")
    )
    places = {(str(r["file"]), str(r["locator"])) for r in rows}
    # the Chinese body of the 2018 report, and the 2019 briefing, cite 2396 (2017)
    assert ("004_bbad495e8ce163f7.txt", "line 146") in places
    assert ("002_4e796e5fb484499c.txt", "line 172") in places
    assert {str(r["symbol"]) for r in rows} == {"S/RES/2396 (2017)"}
    both = records(
        kg.query(
            "reports-citing-resolution",
            resolution=["S/RES/2396 (2017)", "A/RES/71/291"],
        )
    )
    assert {str(r["symbol"]) for r in both} == {"S/RES/2396 (2017)", "A/RES/71/291"}


def test_resolutions_by_body_year(kg: KnowledgeGraph) -> None:
    council = kg.resolve("entity", "Security Council")
    assert council == entity("security-council")
    rows = records(kg.query("resolutions-by-body-year", body="security-council"))
    assert rows, "the query returned no rows to check"
    assert all(r["body"] == council for r in rows)
    need(kg, mint("resolution", "s-res-2396-2017"))
    of_2017 = records(kg.query("resolutions-by-body-year", year=2017))
    assert of_2017 and all(r["year"] == 2017 for r in of_2017)
    assert "S/RES/2396 (2017)" in {r["symbol"] for r in of_2017}


def test_events_in_range_place_and_organiser(kg: KnowledgeGraph) -> None:
    rows = kg.query("events", **{"from": "2016-01-01", "to": "2016-12-31"}).dicts()
    for r in rows:
        assert str(r["start"])[:4] <= "2016" and str(r["end"] or r["start"]) >= "2016"
    turin = mint("event", "turin-workshop-returning-ftf-2016")
    need(kg, turin)
    # SG report 2018, Annex II line 364: Turin, May 2016, UNICRI and INTERPOL
    found = records(
        kg.query("events", city="TURIN", organiser="INTERPOL", country="Italy")
    )
    assert {r["event"] for r in found} == {turin}


def test_people_and_posts(kg: KnowledgeGraph) -> None:
    guterres = mint("person", "antonio-guterres")
    need(kg, guterres)
    rows = records(kg.query("people-and-posts", person="antonio-guterres"))
    assert mint("post", "secretary-general") in {r["post"] for r in rows}


def test_trust_fund_contributors_in_order(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("trust-fund-contributors"))
    for source in {r["source"] for r in rows}:
        ranks = [r["rank"] for r in rows if r["source"] == source]
        assert ranks == sorted(ranks)
    need(kg, mint("contribution", "ct-trust-fund-2018-01"))
    # SG report 2018, Annex V items 1-2 (lines 1089-1090)
    first = [r["donor"] for r in rows if r["rank"] in (1, 2)][:2]
    assert first == [mint("country", "sau"), mint("country", "usa")]


def test_funding_by_donor_and_totals(kg: KnowledgeGraph) -> None:
    pledges = records(kg.query("funding-by-donor", kind="pledge"))
    assert pledges, "the query returned no rows to check"
    assert all(r["kind"] == "pledge" for r in pledges)
    with pytest.raises(ParameterError, match="not one of contribution, pledge"):
        kg.query("funding-by-donor", kind="gift")
    totals = records(kg.query("funding-totals"))
    need(kg, mint("contribution", "total-received-2020-02"))
    # UNOCT highlights February 2020, line 70: USD 246.2 million from 31 donors
    assert {"amount": Decimal(246200000), "donors": 31} in [
        {"amount": r["amount"], "donors": r["donors"]} for r in totals
    ]


def test_funding_by_donor_record_without_recipient_is_one_row() -> None:
    """A recipient's label sat in its own OPTIONAL, so a record without a
    recipient was paired with every labelled resource in the graph."""
    from ctgraph.store.backends import RdflibBackend

    ds = Dataset()
    g = ds.graph(mint("graph", "fixture"))
    citation, record = mint("citation", "r", "line-1"), mint("contribution", "c")
    g.add((record, RDF.type, CTG.Pledge))
    g.add((record, CTG.donor, entity("d")))
    g.add((record, PROV.wasDerivedFrom, citation))
    g.add((citation, PROV.hadPrimarySource, mint("report", "r")))
    for slug in ("d", "x", "y"):
        g.add((entity(slug), RDFS.label, Literal(slug.upper(), lang="en")))
    for backend in (OxigraphBackend.from_dataset(ds), RdflibBackend(ds)):
        rows = records(KnowledgeGraph(backend).query("funding-by-donor"))
        assert [(r["donorLabel"], r["recipient"]) for r in rows] == [("D", None)]


def test_compact_size_over_time(kg: KnowledgeGraph) -> None:
    rows = kg.query("compact-size-over-time").dicts()
    days = [str(r["date"]) for r in rows]
    assert days == sorted(days)
    need(kg, mint("observation", "obs-compact-member-entities-2025-04"))
    # UNOCT highlights April 2025, lines 9 and 18: 46 Compact entities
    members = records(kg.query("compact-size-over-time", measure="member-entities"))
    assert {(str(r["date"]), r["value"]) for r in members} >= {("2025-04", 46)}


def test_resource_facts_interpol(kg: KnowledgeGraph) -> None:
    rows = kg.query("resource-facts", resource="INTERPOL").dicts()
    assert {
        "property": RDFS.label,
        "value": Literal("International Criminal Police Organization", lang="en"),
        "source": COMPACT_REVIEW,
    } in [{k: r[k] for k in ("property", "value", "source")} for r in rows]
    incoming = [r for r in rows if str(r["direction"]) == "in"]
    assert incoming and all(r["graph"] is not None for r in rows)


def test_entities_by_pillar(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("entities-by-pillar", pillar=["I"]))
    assert rows, "the query returned no rows to check"
    assert all(r["pillar"] == mint("pillar", "i") for r in rows)
    assert all(r["projects"] + r["groups"] >= 1 for r in rows)
    need(kg, mint("project", "decade-rapprochement-cultures"))
    # SG report 2018, Annex II line 300: UNESCO leads the Decade, pillar I
    assert entity("unesco") in {r["entity"] for r in rows}


def test_countries_by_projects_and_served_by_entities(kg: KnowledgeGraph) -> None:
    ranked = records(kg.query("countries-by-projects"))
    counts = [r["projects"] for r in ranked]
    assert counts == sorted(counts, reverse=True)
    served = records(kg.query("countries-served-by-entities"))
    assert served, "the query returned no rows to check"
    assert all(r["entities"] >= 3 for r in served)
    entities = {r["country"]: r["entities"] for r in ranked}
    for r in served:
        assert entities[r["country"]] == r["entities"]
    assert len(records(kg.query("countries-served-by-entities", minimum=1))) >= len(
        served
    )


def test_units_and_programmes_of_unoct(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("units-and-programmes"))
    # Compact in Review 2024, line 277: PKMCB is a branch of UNOCT
    assert {entity("unoct"), entity("pkmcb")} <= {r["unit"] for r in rows}
    programme = mint("project", "uncct-5-year-programme")
    need(kg, programme)
    # SG report 2018, line 164: UNCCT's 5-Year Programme
    assert (entity("uncct"), programme) in {(r["unit"], r["activity"]) for r in rows}


def test_legal_instruments_by_year(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("legal-instruments", **{"from": 1970, "to": 1980}))
    assert rows, "the query returned no rows to check"
    assert all(1970 <= r["year"] <= 1980 for r in rows)
    need(kg, mint("instrument", "convention-1963-aircraft-offences"))
    # SG report 2018, Annex I line 258: the 1963 Tokyo Convention comes first
    first = records(kg.query("legal-instruments"))[0]
    assert first["instrument"] == mint(
        "instrument", "convention-1963-aircraft-offences"
    )


def test_search_is_case_and_accent_insensitive(kg: KnowledgeGraph) -> None:
    found = lambda text: {r["resource"] for r in kg.query("search", text=text).dicts()}  # noqa: E731
    assert entity("unoct") in found("office of counter-terrorism")
    assert entity("interpol") in found("interpol")
    # the text is folded too: accents typed by the user still match plain names
    assert entity("opcw") in found("ORGANISÁTION FOR THE PROHIBITION")
    # and names with accents match plain text: António Guterres, Côte d'Ivoire
    assert mint("person", "antonio-guterres") in found("antonio guterres")
    assert mint("country", "civ") in found("COTE D’IVOIRE")


def test_search_folds_accented_names(tmp_path: Path) -> None:
    ds = Dataset()
    g = ds.graph(mint("graph", "fixture"))
    g.add((entity("x"), RDFS.label, Literal("Sécurité et Défense", lang="fr")))
    g.add((entity("y"), RDFS.label, Literal("Security", lang="en")))
    from ctgraph.store.backends import RdflibBackend

    for backend in (OxigraphBackend.from_dataset(ds), RdflibBackend(ds)):
        kg = KnowledgeGraph(backend)
        for text in ("securite", "SÉCURITÉ", "defense"):
            assert {r["resource"] for r in kg.query("search", text=text).dicts()} == {
                entity("x")
            }


def test_overdue_projects(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("overdue-projects", date="2018-06-30"))
    for r in rows:
        assert str(r["end"]) < "2018-06-30"
    stpc = mint("project", "matrix-p2-045")
    need(kg, stpc)
    # matrix Pillar II serial 45: "Ongoing", ended June 2016
    assert {(r["project"], r["overdueWhenReported"]) for r in rows} >= {(stpc, True)}


def test_working_groups_by_pillar_compact(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("working-groups-by-pillar", framework="compact"))
    # Compact in Review 2024: working groups 1 to 8 (lines 171-261)
    assert sorted({r["number"] for r in rows}) == list(range(1, 9))


def test_entity_profile_unoct(kg: KnowledgeGraph) -> None:
    rows = kg.query("entity-profile", entity="unoct").dicts()
    facts = {(str(r["aspect"]), r["value"]) for r in rows}
    assert (
        "name",
        Literal("United Nations Office of Counter-Terrorism", lang="en"),
    ) in facts
    assert ("acronym", Literal("UNOCT")) in facts
    assert ("has part", entity("pkmcb")) in facts
    roles = {
        (r["value"], str(r["detail"]), str(r["date"]))
        for r in rows
        if str(r["aspect"]) == "role"
    }
    assert (mint("working-group", "compact-wg-1"), "Chair", "2024-02") in roles


def test_data_quality_findings(kg: KnowledgeGraph) -> None:
    stored = kg.stored("data-quality")
    choices = set(stored.parameter("check").choices or ())
    rows = records(kg.query("data-quality"))
    assert {r["check"] for r in rows} <= choices
    chairless = records(kg.query("data-quality", check="group-without-chair"))
    assert not [r for r in chairless if "compact-wg" in str(r["resource"])]


def test_source_reports_match_sources_table(kg: KnowledgeGraph) -> None:
    table = read_table(ROOT / "data" / "core" / "sources.csv")
    rows = records(kg.query("source-reports"))
    assert {(str(r["report"]), r["title"]) for r in rows} == {
        (str(mint("report", t.get("id"))), t.get("title")) for t in table
    }
    assert len(rows) == len(table) == 5
    assert all(r["triples"] is None or r["triples"] > 0 for r in rows)


def test_resolution_acts(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("resolution-acts", entity="UNOCT"))
    assert rows, "the query returned no rows to check"
    assert all(r["entity"] == entity("unoct") for r in rows)
    need(kg, mint("resolution", "a-res-71-291"))
    # SG report 2018, line 182: resolution 71/291 established UNOCT on 15 June 2017
    assert ("A/RES/71/291", "establishes", dt.date(2017, 6, 15)) in {
        (r["symbol"], r["act"], r["founded"]) for r in rows
    }


def test_observations_filter_by_subject(kg: KnowledgeGraph) -> None:
    rows = kg.query("observations", subject="compact").dicts()
    assert rows, "the query returned no rows to check"
    assert all(r["subject"] == entity("compact") for r in rows)
    assert all(r["source"] is not None and r["locator"] for r in rows)


# --- the header parser ---

BODY = """PREFIX ctg: <https://w3id.org/ctgraph/ontology#>
SELECT ?s WHERE { ?s ctg:pillar ?__pillar_iri ; ctg:number ?__n_integer }
"""


def parse(tmp_path: Path, header: str, body: str = BODY) -> Any:
    path = tmp_path / "q.rq"
    path.write_text(header + body, encoding="utf-8")
    return parse_query(path)


def test_header_valid_with_grlc_lists_and_list_parameters(tmp_path: Path) -> None:
    stored = parse(
        tmp_path,
        "#+ summary: Things by pillar\n"
        "#+ tags:\n#+   - demo\n"
        "#+ defaults:\n#+   - n: 3\n"
        "#+ enumerate:\n#+   - pillar: [I, II]\n"
        "#+ params:\n#+   pillar:\n#+     list: true\n",
    )
    pillar, n = stored.parameter("pillar"), stored.parameter("n")
    assert pillar.multiple and pillar.choices == ("I", "II") and not pillar.required
    assert n.type == "integer" and n.default == (3,)
    assert stored.tags == ("demo",)


@pytest.mark.parametrize(
    ("header", "line", "words"),
    [
        ("#+ summary: x\n#+ tags:\n#+ \t- a\n", 3, "tab"),
        ("#+ summary: x\n#+ magic: y\n", 2, "unknown header key 'magic'"),
        ("#+ summary: [unclosed\n#+ tags: [a]\n", 2, "not valid YAML"),
        ("#+ description: no summary\n", 1, "needs 'summary:'"),
        ("#+summary: x\n", 1, "starts with '#+ '"),
        ("#+ summary: x\n#+ summary: y\n", 2, "appears twice"),
        ("#+ summary: x\n#+ params:\n#+   hue: red\n", 3, "'hue' is not a parameter"),
        ("#+ summary: x\n#+ defaults:\n#+   n: many\n", 3, "not a whole number"),
        ("#+ summary: x\n#+ params:\n#+   n: {list: maybe}\n", 3, "true or false"),
        ("#+ summary: x\n#+ defaults:\n#+   n: [1, 2]\n", 3, "takes one value"),
        ("#+ summary: x\n#+ params:\n#+   n: {size: 2}\n", 3, "unknown key 'size'"),
        ("#+ summary: x\n", 4, None),  # the late header line follows the query
    ],
    ids=[
        "tab", "unknown-key", "bad-yaml", "no-summary", "no-space", "duplicate-key",
        "unknown-parameter", "ill-typed-default", "bad-list-flag", "list-default",
        "unknown-param-key", "header-after-query",
    ],
)  # fmt: skip
def test_header_errors_name_file_and_line(
    tmp_path: Path, header: str, line: int, words: str | None
) -> None:
    body = BODY
    if words is None:  # a header line below the start of the query
        body, words = BODY + "#+ tags: [late]\n", "after the query has begun"
    with pytest.raises(HeaderError) as caught:
        parse(tmp_path, header, body)
    assert caught.value.line == line
    assert words in caught.value.problem
    assert str(caught.value).startswith(f"{tmp_path / 'q.rq'}, line {line}: ")


def test_pagination_header_is_a_row_count_on_a_query_without_limit(
    tmp_path: Path,
) -> None:
    assert parse(tmp_path, "#+ summary: x\n#+ pagination: 50\n").pagination == 50
    assert parse(tmp_path, "#+ summary: x\n").pagination is None
    with pytest.raises(HeaderError, match="number of rows, 1 or more") as caught:
        parse(tmp_path, "#+ summary: x\n#+ pagination: 0\n")
    assert caught.value.line == 2
    with pytest.raises(HeaderError, match="no LIMIT or OFFSET of its own"):
        parse(tmp_path, "#+ summary: x\n#+ pagination: 5\n", BODY + "LIMIT 10\n")


def test_parameter_variables_are_checked(tmp_path: Path) -> None:
    with pytest.raises(HeaderError, match="unknown type suffix 'colour'") as caught:
        parse(tmp_path, "#+ summary: x\n", "SELECT * WHERE {\n ?s ?p ?_x_colour }\n")
    assert caught.value.line == 3
    with pytest.raises(HeaderError, match="one name, one type"):
        parse(tmp_path, "#+ summary: x\n", "SELECT * WHERE { ?s ?_x_iri ?__x_iri }\n")
    with pytest.raises(HeaderError, match="is required"):
        parse(
            tmp_path,
            "#+ summary: x\n#+ defaults:\n#+   x: 1\n",
            "SELECT * WHERE { ?s ?p ?_x_integer }\n",
        )


def test_parameters_in_comments_strings_and_iris_are_not_parameters(
    tmp_path: Path,
) -> None:
    stored = parse(
        tmp_path,
        "#+ summary: x\n",
        "# ?_commented\nSELECT * WHERE { ?s <http://x/?_a> '?_b' ; ?p ?__real }\n",
    )
    assert [p.name for p in stored.parameters] == ["real"]


KINDS_BODY = """PREFIX ctg: <https://w3id.org/ctgraph/ontology#>
SELECT ?s WHERE { ?s ctg:pillar ?_pillar_iri ; ctg:number ?__n_integer ;
  ctg:label ?__t_fr ; ctg:x ?__e_iri ; ctg:d ?_on_xsd_date }
"""


def test_what_a_query_expects_names_every_parameter_in_order(tmp_path: Path) -> None:
    """The header's params first, in its order; the rest in order of first use."""
    stored = parse(
        tmp_path,
        "#+ summary: x\n#+ defaults:\n#+   - n: 3\n#+   - t: [ab, cd]\n"
        "#+ enumerate:\n#+   - pillar: [I, II]\n"
        "#+ params:\n#+   pillar:\n#+     list: true\n#+   e: {refers: entity}\n"
        "#+   t: {list: true}\n",
        KINDS_BODY,
    )
    assert stored.expects() == (
        "it takes: pillar (a pillar numeral (I, II, III, IV) or id (i); required; "
        "several allowed; one of I, II); "
        "e (an entity id (unodc), acronym (UNODC) or name; optional); "
        "t (text (@fr); optional; several allowed; default ab, cd); "
        "n (a whole number; optional; default 3); "
        "on (a date YYYY-MM-DD; required)"
    )
    with pytest.raises(ParameterError) as caught:
        stored.parameter("hue")
    assert str(caught.value) == f"query 'q' has no parameter 'hue'; {stored.expects()}"
    bare = parse(tmp_path, "#+ summary: x\n", "SELECT * WHERE { ?s ?p ?o }\n")
    assert bare.expects() == "it takes no parameters"


def test_header_errors_inside_grlc_lists_name_the_items_line(tmp_path: Path) -> None:
    with pytest.raises(HeaderError, match="'hue' is not a parameter") as caught:
        parse(
            tmp_path,
            "#+ summary: x\n#+ enumerate:\n#+   - pillar\n#+   - hue\n",
            KINDS_BODY,
        )
    assert caught.value.line == 4
    assert caught.value.path == str(tmp_path / "q.rq")
    with pytest.raises(HeaderError, match="not a whole number") as caught:
        parse(
            tmp_path,
            "#+ summary: x\n#+ defaults:\n#+   - t: salut\n#+   - n: many\n",
            KINDS_BODY,
        )
    assert caught.value.line == 4


NUMBERS = """#+ summary: numbers from a floor
#+ pagination: 4
PREFIX ctg: <https://w3id.org/ctgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?n WHERE {
  ?s ctg:number ?n ; rdfs:seeAlso ?whole
  FILTER(!BOUND(?__floor_integer) || ?n >= ?__floor_integer)
  FILTER(!BOUND(?__whole_iri) || ?whole = ?__whole_iri)
} ORDER BY ?n
"""


def numbers_graph(tmp_path: Path, **limits: Any) -> KnowledgeGraph:
    """Ten numbered resources and one paginated query with an optional floor."""
    ds = Dataset()
    g = ds.graph(mint("graph", "fixture"))
    for i in range(10):
        g.add((mint("entity", f"e{i}"), CTG.number, Literal(i)))
        g.add((mint("entity", f"e{i}"), RDFS.seeAlso, mint("entity", f"w{i % 2}")))
    path = tmp_path / "numbers.rq"
    path.write_text(NUMBERS, encoding="utf-8")
    backend = OxigraphBackend.from_dataset(ds)
    queries = {"numbers": parse_query(path)}
    return KnowledgeGraph(backend, queries, isolated=False, **limits)


def numbers(table: ResultTable) -> list[int]:
    return [row[0].toPython() for row in table.rows]


def test_a_page_asks_the_engine_for_one_row_more_than_it_shows(tmp_path: Path) -> None:
    # three rows at most: a page of two fits only if it asks for three, not all
    kg = numbers_graph(tmp_path, max_rows=3)
    page = kg.query_page
    first, more = page("numbers", 2)
    assert (numbers(first), more) == ([0, 1], True)
    assert numbers(page("numbers", 2, 2, floor=3)[0]) == [5, 6]
    assert numbers(page("numbers", 2, 0, floor=3)[0]) == [3, 4]
    assert (numbers(page("numbers", 1)[0]), page("numbers", 1)[1]) == ([0], True)
    last, more = page("numbers", 2, 1, floor=8)
    assert (numbers(last), more) == ([9], False)
    full, more = page("numbers", 2, 0, floor=8)  # exactly a page: none follow
    assert (full.columns, numbers(full), more) == (["n"], [8, 9], False)
    odd, more = page("numbers", 2, 0, whole=str(mint("entity", "w1")))
    assert (odd.columns, numbers(odd), more) == (["n"], [1, 3], True)
    rest, more = page("numbers", None, 8)
    assert (numbers(rest), more) == ([8, 9], False)
    with pytest.raises(QueryLimitError, match="more than 3 rows"):
        page("numbers", None, 6)
    for limit, offset in ((0, 0), (2, -1)):
        with pytest.raises(QueryError) as caught:
            page("numbers", limit, offset)
        assert str(caught.value) == f"no page of {limit} rows from row {offset}"


def test_forms_and_kinds_are_named_when_refused(tmp_path: Path) -> None:
    kg = numbers_graph(tmp_path)
    with pytest.raises(QueryError) as caught:
        kg.sparql("# nothing but a comment")
    assert str(caught.value) == "expected a SELECT query, not this text"
    with pytest.raises(QueryError) as caught:
        kg.construct("SELECT * { ?s ?p ?o }")
    assert str(caught.value) == "expected a CONSTRUCT or DESCRIBE query, not SELECT"
    graph = kg.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    bound = dict(graph.namespaces())
    assert {p: bound.get(p) for p in PREFIXES} == {
        p: URIRef(ns) for p, ns in PREFIXES.items()
    }
    with pytest.raises(QueryError) as caught:
        kg.resolve("colour", "red")
    kinds = ", ".join(KINDS)
    assert str(caught.value) == f"unknown kind 'colour'; known: {kinds}"


def test_an_engines_own_errors_are_placed_or_named(tmp_path: Path) -> None:
    kg = numbers_graph(tmp_path)
    with pytest.raises(QueryError) as caught:
        kg.ask("ASK { ?s ?p }")
    assert str(caught.value).startswith("syntax error at line 1, column ")
    with pytest.raises(QueryError) as caught:
        kg.ask("ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert isinstance(caught.value, QueryLimitError)
    assert str(caught.value).startswith(
        "the query reaches http://127.0.0.1:9/ (SERVICE)"
    )


def test_a_server_answers_select_only(tmp_path: Path) -> None:
    """ASK and CONSTRUCT are refused before any request on a server's engine."""
    kg = KnowledgeGraph(RemoteBackend("http://127.0.0.1:9/sparql"), queries={})
    for run, text in ((kg.ask, "ASK {}"), (kg.construct, "DESCRIBE <x:y>")):
        with pytest.raises(QueryError) as caught:
            run(text)
        assert str(caught.value) == (
            "the remote engine answers SELECT queries only; ASK, CONSTRUCT and "
            "DESCRIBE run on the embedded engines"
        )


def test_a_dataframe_of_a_stored_query_or_of_a_table(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    kg = numbers_graph(tmp_path)
    assert list(kg.dataframe("numbers", floor=8)["n"]) == [8, 9]
    table = ResultTable(("n",), [(Literal(4),)])
    assert list(kg.dataframe(table)["n"]) == [4]


def test_a_trig_file_that_is_missing_or_unreadable_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.trig"
    with pytest.raises(QueryError) as caught:
        KnowledgeGraph.load("oxigraph", trig=missing)
    assert str(caught.value) == f"{missing} not found"
    broken = tmp_path / "broken.trig"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    # the parser's own words follow: where it stopped and why
    for engine, words in (("oxigraph", "line 1"), ("rdflib", "Bad syntax")):
        with pytest.raises(QueryError) as caught:
            KnowledgeGraph.load(engine, broken)
        text = str(caught.value)
        assert text.startswith(f"cannot read {broken} as TriG: "), text
        assert words in text.split(" as TriG: ")[1]


# --- parameters: types and hostile values ---


def shape(node: Any) -> Any:
    """A query's algebra without its literal values: what a value must not change."""
    if isinstance(node, CompValue):
        return (node.name, tuple((k, shape(v)) for k, v in node.items()))
    if isinstance(node, (list, tuple)):
        return tuple(shape(v) for v in node)
    if isinstance(node, dict):
        return tuple(sorted((str(k), shape(v)) for k, v in node.items()))
    return type(node).__name__ if isinstance(node, Literal) else str(node)


HOSTILE = ['x" } ; DROP ALL ; #', "> } UNION { ?s ?p ?o", "x' } UNION { ?s ?p ?o } #"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_matched_as_a_literal(
    value: str, kg: KnowledgeGraph, kg_rdflib: KnowledgeGraph
) -> None:
    stored = kg.stored("search")
    bindings = stored.bindings({"text": value}, kg.resolver)
    assert bindings == {"_text": [Literal(value)]}
    text = bind_values(stored.text, bindings)
    benign = bind_values(stored.text, {"_text": [Literal("benign")]})
    assert text.replace(Literal(value).n3(), Literal("benign").n3()) == benign
    assert shape(prepareQuery(text).algebra) == shape(prepareQuery(benign).algebra)
    size = len(kg.backend)
    engines = (kg, kg_rdflib) if value == HOSTILE[0] else (kg,)  # rdflib is slow
    for graph in engines:
        assert graph.query("search", text=value).rows == []
    assert len(kg.backend) == size


@pytest.mark.parametrize(
    "value", HOSTILE + ["http://example.org/a> } UNION { ?s ?p ?o"]
)
def test_hostile_iri_values_are_refused(value: str, kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="entity"):
        kg.query("entity-projects", entity=value)


def test_iris_with_forbidden_characters_are_refused(kg: KnowledgeGraph) -> None:
    for iri in ("http://example.org/a b", "<http://example.org/a>b>", 'https://x/"y"'):
        with pytest.raises(ParameterError, match="not a valid IRI"):
            kg.query("resource-facts", resource=iri)
    with pytest.raises(ParameterError, match="not a valid IRI"):
        kg.query("resource-facts", resource=URIRef("http://example.org/a}b c"))


@pytest.mark.parametrize(
    ("name", "params", "words"),
    [
        ("co-implementing-entities", {"minimum": "1 } UNION {"}, "not a whole number"),
        ("co-implementing-entities", {"minimum": True}, "not a whole number"),
        ("events", {"from": "2016-02-30"}, "not a real date"),
        ("events", {"from": "2016"}, "not a date YYYY-MM-DD"),
        ("legal-instruments", {"from": "nineteen"}, "not a whole number"),
        ("entity-projects", {}, "needs 'entity'"),
        ("entity-projects", {"entity": ["UNOCT", "CTED"]}, "takes one value"),
        ("entity-projects", {"entity": "UNOCT", "hue": "red"}, "no parameter 'hue'"),
        ("working-group-leadership", {"role": "member"}, "not one of chair"),
    ],
)  # fmt: skip
def test_ill_typed_parameters_are_refused(
    name: str, params: dict[str, Any], words: str, kg: KnowledgeGraph
) -> None:
    with pytest.raises(ParameterError, match=words):
        kg.query(name, **params)


TYPED = """SELECT * WHERE {
  ?s ?p ?__t ; ?q ?__f_fr ; ?r ?__n_integer ; ?u ?__d_decimal ;
  ?v ?__on_xsd_date ; ?w ?__y_xsd_gYear ; ?x ?__b_boolean ; ?z ?__e_iri }
"""


def typed(text: str, kind: str) -> Literal:
    from rdflib.namespace import XSD  # (at module level pytest probes its attributes)

    return Literal(text, datatype=XSD[kind])


@pytest.mark.parametrize(
    ("name", "value", "terms"),
    [
        ("t", "x", [Literal("x")]),
        ("t", ["a", "", None, "b"], [Literal("a"), Literal("b")]),
        ("t", ("a",), [Literal("a")]),
        ("t", "", None),
        ("f", "salut", [Literal("salut", lang="fr")]),
        ("n", " 42 ", [typed("42", "integer")]),
        ("n", -3, [typed("-3", "integer")]),
        ("n", "+7", [typed("7", "integer")]),
        ("n", Literal(5), [typed("5", "integer")]),
        ("d", "2.50", [typed("2.50", "decimal")]),
        ("d", Decimal("1.5"), [typed("1.5", "decimal")]),
        ("d", 3, [typed("3", "decimal")]),
        ("on", "2024-02-29", [typed("2024-02-29", "date")]),
        ("on", dt.date(2024, 1, 2), [typed("2024-01-02", "date")]),
        ("on", dt.datetime(2024, 1, 2, 3, 4), [typed("2024-01-02", "date")]),
        ("y", "2024", [typed("2024", "gYear")]),
        ("y", 2024, [typed("2024", "gYear")]),
        ("b", " TRUE ", [typed("true", "boolean")]),
        ("b", "0", [typed("false", "boolean")]),
        ("b", True, [typed("true", "boolean")]),
        ("b", False, [typed("false", "boolean")]),
    ],
)  # fmt: skip
def test_values_of_every_type_become_their_terms(
    tmp_path: Path, name: str, value: Any, terms: list[Literal] | None
) -> None:
    stored = parse(tmp_path, "#+ summary: x\n#+ params:\n#+   t: {list: true}\n", TYPED)
    bound = stored.bindings({name: value}, None)
    variable = stored.parameter(name).variable
    assert bound == ({} if terms is None else {variable: terms})
    for term, expected in zip(bound.get(variable, []), terms or [], strict=True):
        assert (term.datatype, term.language) == (expected.datatype, expected.language)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("t", "x" * 501, "a value of 501 characters is longer than the 500 a "
         "parameter takes ('" + "x" * 40 + "... (461 more characters)')"),
        ("t", True, "True is not text"),
        ("n", "4.5", "'4.5' is not a whole number"),
        ("n", True, "True is not a whole number"),
        ("n", URIRef("http://x/"), "rdflib.term.URIRef('http://x/') is not a whole "
         "number"),
        ("d", "abc", "'abc' is not a number"),
        ("d", "NaN", "'NaN' is not a finite number"),
        ("d", "Infinity", "'Infinity' is not a finite number"),
        ("on", "2023-02-29", "'2023-02-29' is not a real date"),
        ("on", "2024-2-1", "'2024-2-1' is not a date YYYY-MM-DD"),
        ("y", "24", "'24' is not a year YYYY"),
        ("b", "yes", "'yes' is not true or false"),
    ],
)  # fmt: skip
def test_ill_typed_values_are_refused_with_what_was_expected(
    tmp_path: Path, name: str, value: Any, problem: str
) -> None:
    stored = parse(tmp_path, "#+ summary: x\n#+ params:\n#+   t: {list: true}\n", TYPED)
    with pytest.raises(ParameterError) as caught:
        stored.bindings({name: value}, None)
    assert str(caught.value) == f"parameter {name!r}: {problem}"


# --- the Python API ---


def test_natural_values_resolve_to_iris(kg: KnowledgeGraph) -> None:
    for value in ("UNODC", "unodc", "United Nations Office on Drugs and Crime"):
        assert kg.resolve("entity", value) == entity("unodc")
    assert kg.resolve("entity", "id:entity/unodc") == entity("unodc")
    for value in ("Qatar", "QAT", "qa", "634"):
        assert kg.resolve("country", value) == mint("country", "qat")
    assert kg.resolve("role", "vice-chair") == CTG.ViceChair
    assert kg.resolve("status", "implementation") == CTG.Implementation
    with pytest.raises(ValueError, match="no entity matches 'Atlantis'"):
        kg.resolve("entity", "Atlantis")


def test_ambiguous_names_are_refused_with_the_candidates() -> None:
    ds = Dataset()
    g = ds.graph(mint("graph", "fixture"))
    for slug in ("first", "second"):
        g.add((entity(slug), RDF.type, CTG.UNEntity))
        g.add((entity(slug), CTG.acronym, Literal("SAME")))
    kg = KnowledgeGraph(OxigraphBackend.from_dataset(ds))
    with pytest.raises(ValueError, match="matches 2") as caught:
        kg.resolve("any", "same")
    assert str(entity("first")) in str(caught.value)


def test_unknown_query_and_non_select(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownQuery, match="working-group-leadership"):
        kg.query("who-is-who")
    with pytest.raises(QueryError, match="expected a SELECT query, not ASK"):
        kg.sparql("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError, match="syntax error at line 1, column"):
        kg.sparql("SELECT ?s WHERE { ?s ?p }")
    count = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert int(count) == len(kg.backend) > 0


def test_dataframe(kg: KnowledgeGraph) -> None:
    pytest.importorskip("pandas")
    frame = kg.dataframe("working-group-leadership", group="compact-wg-3")
    assert list(frame.columns[:3]) == ["group", "groupLabel", "role"]
    assert "International Criminal Police Organization" in set(frame["entityLabel"])


def test_persistent_store_is_filled_once_and_refilled_when_stale(
    tmp_path: Path, real_trig: Path
) -> None:
    trig = tmp_path / "copy.trig"
    trig.write_bytes(real_trig.read_bytes())
    store = tmp_path / "store"
    first = KnowledgeGraph.load("oxigraph", store, trig=trig)
    size = len(first.backend)
    assert size > 0 and any(store.iterdir())
    del first
    reopened = KnowledgeGraph.load("oxigraph", store, trig=tmp_path / "absent.trig")
    assert len(reopened.backend) == size  # read from the store, not the TriG
    del reopened
    newer = max(p.stat().st_mtime for p in store.rglob("*")) + 10
    os.utime(trig, (newer, newer))
    refilled = KnowledgeGraph.load("oxigraph", store, trig=trig)
    assert len(refilled.backend) == size
    with pytest.raises(QueryError, match="not a file"):
        KnowledgeGraph.load("rdflib", store)


# --- the command line ---


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run(
        [sys.executable, "-m", "ctgraph", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_query_formats(real_trig: Path) -> None:
    store = ["--store", str(real_trig)]
    base = ["query", "working-group-leadership", "--param", "date=2024-06-01"]
    group = ["--param", "group=compact-wg-3"]
    answer = cli(*base, *group, "--format", "json", *store)
    assert answer.returncode == 0, answer.stderr
    document = json.loads(answer.stdout)
    assert document["head"]["vars"][:3] == ["group", "groupLabel", "role"]
    chair = [
        b for b in document["results"]["bindings"] if b["role"]["value"] == "chair"
    ]
    assert chair[0]["entity"] == {"type": "uri", "value": str(entity("interpol"))}
    assert chair[0]["entityLabel"]["xml:lang"] == "en"
    assert "start" not in chair[0]  # unbound: left out, as SPARQL JSON does
    csv_out = cli(*base, *group, "-f", "csv", *store)
    assert csv_out.returncode == 0
    assert csv_out.stdout.splitlines()[0].startswith("group,groupLabel,role,entity")
    assert len(csv_out.stdout.splitlines()) == 1 + 4  # lines 255-261: four roles
    tsv_out = cli(*base, *group, "-f", "tsv", *store)
    assert tsv_out.stdout.splitlines()[0].split("\t")[:2] == ["group", "groupLabel"]
    md_out = cli(*base, *group, "-f", "md", *store)
    assert md_out.stdout.startswith("| group | groupLabel |")
    assert "id:entity/interpol" in md_out.stdout
    table = cli(*base, *store)
    assert table.returncode == 0
    assert "International Criminal Police Organization" in table.stdout


def test_cli_table_reads_at_80_columns(real_trig: Path) -> None:
    """A person's terminal: every line within 80 columns, labels not IRIs, and no
    value cut into slivers (the widest results become one record per row)."""
    answer = subprocess.run(
        [sys.executable, "-m", "ctgraph", "query", "working-group-leadership"]
        + ["--param", "date=2024-06-01", "--param", "role=chair"]
        + ["--store", str(real_trig)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
    )
    assert answer.returncode == 0, answer.stderr
    lines = answer.stdout.splitlines()
    assert lines and all(len(line) <= 80 for line in lines)
    records = [line for line in lines if re.match(r"\d+ of \d+ ", line)]
    assert len(records) == int(lines[-1].split()[0]) > 0
    assert any(
        line.split()
        == ["entity", "International", "Criminal", "Police", "Organization"]
        for line in lines
    )
    assert not any("id:wo" in line and "id:working-group" not in line for line in lines)


def test_cli_usage_errors_exit_2(real_trig: Path) -> None:
    store = ["--store", str(real_trig)]
    unknown = cli("query", "who-is-who", *store)
    assert unknown.returncode == 2 and "working-group-leadership" in unknown.stderr
    missing = cli("query", "entity-profile", *store)
    assert missing.returncode == 2 and "needs 'entity'" in missing.stderr
    typed = cli("query", "events", "--param", "from=yesterday", *store)
    assert typed.returncode == 2 and "YYYY-MM-DD" in typed.stderr
    malformed = cli("query", "events", "--param", "from", *store)
    assert malformed.returncode == 2 and "name=value" in malformed.stderr
    bad_format = cli("query", "events", "--format", "xml", *store)
    assert bad_format.returncode == 2 and "table, csv" in bad_format.stderr


def test_cli_queries_and_sparql(real_trig: Path, tmp_path: Path) -> None:
    listing = cli("queries")
    assert listing.returncode == 0
    assert QUERY_FILES, "no stored query was found"
    assert all(path.stem in listing.stdout for path in QUERY_FILES)
    one = cli("queries", "entity-profile")
    assert one.returncode == 0 and "example: ctgraph query entity-profile" in one.stdout
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/ctgraph/ontology#WorkingGroup> }"  # noqa: E501
    inline = cli("sparql", count, "--store", str(real_trig), "-f", "csv")
    assert inline.returncode == 0 and inline.stdout.splitlines()[0] == "n"
    path = tmp_path / "count.rq"
    path.write_text(count)
    from_file = cli("sparql", str(path), "--store", str(real_trig), "-f", "csv")
    assert from_file.stdout == inline.stdout
    broken = cli("sparql", "SELECT ?s WHERE {", "--store", str(real_trig))
    assert broken.returncode == 2 and "syntax error at line 1" in broken.stderr


def test_docs_name_real_queries_and_parameters() -> None:
    """Every `ctgraph query` line in docs/queries.md runs a real query with its own
    parameters."""
    docs = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    queries = load_queries()
    commands = re.findall(r"^\$ ctgraph query (\S+)(.*)$", docs, flags=re.MULTILINE)
    assert commands
    for name, rest in commands:
        stored = queries[name]
        for param in re.findall(r"--param '?\"?([A-Za-z0-9]+)=", rest):
            stored.parameter(param)
    listed = re.findall(r"`([a-z]+(?:-[a-z]+)*)`", docs)
    known = set(queries) | set(load_checks())
    assert set(queries) <= set(listed), "every stored query is in the docs' table"
    assert {name for name in listed if name.endswith("-violation")} <= known


def test_cli_query_pages_with_a_notice_on_stderr(real_trig: Path) -> None:
    base = ["query", "possible-overlaps", "--format", "csv", "--store", str(real_trig)]
    every = cli(*base, "--limit", "0")
    assert every.returncode == 0, every.stderr
    lines = every.stdout.splitlines()
    assert len(lines) > 6 and not every.stderr
    first = cli(*base, "--limit", "3")
    assert first.stdout.splitlines() == lines[:4]  # the header and three rows
    assert "more rows: these are rows 1-3; --offset 3 for the next page" in first.stderr
    last = cli(*base, "--limit", "3", "--offset", str(len(lines) - 3))
    assert last.stdout.splitlines() == lines[:1] + lines[-2:]
    assert last.returncode == 0 and not last.stderr


# --- as of a date, in the reports' own words, and the questions asked first -------


def test_leadership_at_a_date_leaves_replaced_groups_out(kg: KnowledgeGraph) -> None:
    # SG report 2018, Annex II line 376: OHCHR chairs the CTITF human-rights group;
    # February 2020 highlights, line 64: the working groups were revitalised in
    # April 2019, so in June 2024 OHCHR chairs one group only (compact WG 7)
    need(kg, mint("replacement", "ctitf-working-groups-revitalised"))
    chairs = records(
        kg.query("working-group-leadership", date="2024-06-01", role="chair")
    )
    ohchr = [r["group"] for r in chairs if r["entity"] == entity("ohchr")]
    assert ohchr == [mint("working-group", "compact-wg-7")]
    everyone = records(kg.query("working-group-leadership", date="2024-06-01"))
    assert not [r for r in everyone if "ctitf" in str(r["group"])]
    # in June 2018 the CTITF groups were in force, and say when they were replaced
    then = records(kg.query("working-group-leadership", date="2018-06-01"))
    wmd = [r for r in then if r["group"] == mint("working-group", "ctitf-wg-wmd")]
    assert {r["entity"] for r in wmd} == {entity("iaea"), entity("opcw")}
    assert {str(r["replacedOn"]) for r in wmd} == {"2019-04"}


def test_leadership_ranking_at_a_date_and_mixed_eras(kg: KnowledgeGraph) -> None:
    # the Coordination Committee chair of 2018 (Annex III, line 887) is not a 2024 role
    rows = records(
        kg.query("leadership-ranking", framework="compact", date="2024-06-01")
    )
    unoct = {r["entity"]: r for r in rows}[entity("unoct")]
    assert (unoct["chairs"], unoct["earliest"]) == (2, "2024-02")  # WGs 1 and 5
    mixed = {r["entity"]: r for r in records(kg.query("leadership-ranking"))}
    assert (mixed[entity("unoct")]["earliest"], mixed[entity("unoct")]["latest"]) == (
        "2018-04",
        "2024-02",
    )


def test_status_in_the_matrix_words(kg: KnowledgeGraph) -> None:
    # the matrix writes Ongoing, Completed and In development (line 398 on)
    for words, code in (
        ("ongoing", "implementation"),
        ("Completed", "closed"),
        ("In development", "pipeline"),
    ):
        said = records(kg.query("entity-projects", entity="UNOCT", status=words))
        coded = records(kg.query("entity-projects", entity="UNOCT", status=code))
        assert said and said == coded
        assert {r["status"] for r in said} == {code}
    with pytest.raises(ParameterError, match="Ongoing, Completed, In development"):
        kg.query("entity-projects", entity="UNOCT", status="stalled")


def test_funding_by_donor_date_range(kg: KnowledgeGraph) -> None:
    # April 2025 highlights: pledges of Germany, Uzbekistan and Iraq (twice);
    # July 2019 briefing, undated pledges of Australia, the EU and the USA
    recent = records(
        kg.query("funding-by-donor", kind="pledge", **{"from": "2025-01-01"})
    )
    assert {r["donor"] for r in recent} == {
        mint("country", c) for c in ("deu", "uzb", "irq")
    }
    assert len(recent) == 4 and {r["asOf"] for r in recent} == {"2025-04"}
    early = records(kg.query("funding-by-donor", kind="pledge", to="2019-12-31"))
    assert {r["donor"] for r in early} == {
        mint("country", "aus"),
        mint("country", "usa"),
        entity("eu"),
    }
    assert {r["asOf"] for r in early} == {"2019-07-25"}  # the briefing's date


def test_resolutions_cited_across_reports(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("resolutions-in-several-reports"))
    by_symbol: dict[str, set[URIRef]] = {}
    for r in rows:
        by_symbol.setdefault(str(r["symbol"]), set()).add(r["report"])
        assert r["reports"] >= 2
    # A/RES/71/291: SG report 2018, highlights of February 2020 and April 2025
    assert len(by_symbol["A/RES/71/291"]) == 3
    assert by_symbol["S/RES/2178 (2014)"] == {
        mint("report", "sg-report-2018"),
        mint("report", "unoct-briefing-2019-07"),
    }
    sc = records(kg.query("resolutions-in-several-reports", body="security-council"))
    assert {str(r["symbol"]) for r in sc} == set(by_symbol) - {"A/RES/71/291"}


def test_entities_in_country_direct(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("entities-in-country", country="Nigeria"))
    direct = {r["entity"]: r["activities"] for r in rows if r["coverage"] == "direct"}
    # matrix Pillar I serial 112 (line 545): CTED, UNODC, UNDP, IOM, AU and LCBC
    # in Cameroon, Chad, Niger and Nigeria
    assert {entity(e) for e in ("cted", "unodc", "undp", "iom", "au", "lcbc")} <= set(
        direct
    )


def test_entities_in_country_through_region_counted_apart() -> None:
    from ctgraph.store.backends import RdflibBackend

    ds = Dataset()
    g = ds.graph(mint("graph", "fixture"))
    nga, sahel = mint("country", "nga"), mint("region", "sahel")
    g.add((sahel, CTG.includesCountry, nga))
    g.add((sahel, RDFS.label, Literal("Sahel", lang="en")))
    for slug, where, place in (("a", CTG.country, nga), ("b", CTG.region, sahel)):
        activity = mint("project", slug)
        g.add((activity, RDF.type, CTG.Project))
        g.add((activity, where, place))
        g.add((activity, CTG.implementedBy, entity("unodc")))
    for backend in (OxigraphBackend.from_dataset(ds), RdflibBackend(ds)):
        rows = records(
            KnowledgeGraph(backend).query("entities-in-country", country=nga)
        )
        assert sorted(
            (r["coverage"], r["viaLabel"], r["activities"]) for r in rows
        ) == [
            ("direct", None, 1),
            ("through region", "Sahel", 1),
        ]


def test_changes_between_dates(kg: KnowledgeGraph) -> None:
    rows = records(
        kg.query("changes-between-dates", **{"from": "2018-06-01"}, to="2024-06-01")
    )
    seen = {(r["change"], r["subject"], r["member"], r["role"]) for r in rows}
    wg = lambda slug: mint("working-group", slug)  # noqa: E731
    # OHCHR's CTITF chair (Annex II line 376) ended with the April 2019 revitalisation
    assert ("ended role", wg("ctitf-wg-human-rights"), entity("ohchr"), "chair") in seen
    # Compact in Review 2024, line 255: INTERPOL chairs WG 3
    assert ("new role", wg("compact-wg-3"), entity("interpol"), "chair") in seen
    # February 2020 highlights, line 21: UNIDIR joined the Compact
    assert ("new member", entity("compact"), entity("unidir"), "member") in seen
    assert ("replaced", entity("ctitf"), None, None) in seen
    # membership silence ends nothing: CTED is still a member of the Compact
    assert not [
        s
        for s in seen
        if s[0] == "ended role" and s[3] == "member" and s[1] == entity("compact")
    ]
    projects = {r["subject"] for r in rows if r["change"] == "new project"}
    assert mint("project", "ct-travel") in projects  # launched 7 May 2019


def test_discrepancies_query(kg: KnowledgeGraph) -> None:
    rows = records(kg.query("discrepancies"))
    assert {r["kind"] for r in rows} >= {
        "resolution-year",
        "stated-vs-listed",
        "figures-disagree",
        "repeated-serial",
        "missing-serial",
    }
    mine = records(kg.query("discrepancies", resource="matrix-p1-015"))
    assert {r["kind"] for r in mine} == {"resolution-year"}
    assert ("Security Council resolution 2178 (2017)", "line 418") in {
        (str(r["value"]), str(r["locator"])) for r in mine
    }


def test_a_required_value_is_written_in_place_other_values_in_values_blocks() -> None:
    """One value of a required parameter replaces its variable (the engine starts
    from it, even inside a UNION); optional and several values keep VALUES blocks;
    strings, IRIs and comments that spell the variable are left alone."""
    text = (
        "SELECT ?x WHERE {\n"
        "  { ?_entity_iri ?p ?x } UNION { ?x ?p ?_entity_iri } # ?_entity_iri\n"
        '  FILTER(?x != "?_entity_iri" && ?x != <http://x/?_entity_iri>)\n'
        "  FILTER(!BOUND(?__pillar_iri) || ?x = ?__pillar_iri)\n"
        "  ?x ?q ?_group_iri\n"
        "}\n"
    )
    entity = URIRef("https://example.org/e")
    groups = [URIRef("https://example.org/g1"), URIRef("https://example.org/g2")]
    bound = bind_values(
        text, {"_entity_iri": [entity], "__pillar_iri": [entity], "_group_iri": groups}
    )
    assert (
        "{ <https://example.org/e> ?p ?x } UNION { ?x ?p <https://example.org/e> }"
        in bound
    )
    assert "# ?_entity_iri" in bound and '"?_entity_iri"' in bound
    assert "<http://x/?_entity_iri>" in bound
    assert "VALUES ?__pillar_iri { <https://example.org/e> }" in bound
    assert (
        "VALUES ?_group_iri { <https://example.org/g1> <https://example.org/g2> }"
        in bound
    )
    assert "?_entity_iri ?p" not in bound
    hostile = Literal('x" } ; DROP ALL ; #')
    assert hostile.n3() in bind_values(
        "SELECT * WHERE { ?s ?p ?_text }", {"_text": [hostile]}
    )
