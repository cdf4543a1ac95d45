"""The build of the graph from the tables, row by row, on small tables.

Each test writes a few rows in a temporary `data/` folder and compares the named
graph of the report they cite with the exact triples expected (written in Turtle
below). The rows a test needs but does not test (the entities it names, the organ of
a resolution) cite a second report, `r2`, so `r1`'s graph holds only the row under
test and its citation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from ctgraph.graph.dataset import (
    REFERENCE_GRAPH,
    build_dataset,
    date_literal,
    slugify,
    union,
)
from ctgraph.namespaces import (
    DISCREPANCIES_GRAPH,
    PREFIXES,
    REGIONS_GRAPH,
    RESOLUTIONS_GRAPH,
    graph_iri,
)
from ctgraph.sources.tables import PartialDate, SourceError, read_all

SOURCES = (
    "id,file,title,date,publisher,language,symbol\n"
    "r1,r1.txt,Report one,2024-02,UNOCT,en;fr,S/2024/1\n"
    "r2,r2.txt,Report two,2023-05-17,CTED,en,\n"
)
#: entities the rows under test name, all stated in r2
ENTITIES = (
    "id,acronym,name,name_zh,type,parent,compact_status,alt_labels,source,locator\n"
    "compact,,The Compact,,collaboration,,,,r2,line 1\n"
    "unoct,UNOCT,Office of Counter-Terrorism,,un-entity,,,,r2,line 2\n"
    "cted,CTED,Executive Directorate,,un-entity,,,,r2,line 3\n"
    "security-council,,Security Council,,un-entity,,,,r2,line 4\n"
    "general-assembly,,General Assembly,,un-entity,,,,r2,line 5\n"
)
PILLARS = "id,notation,label,source,locator\ni,I,Conditions,r2,line 6\n"
REGIONS = "id,name,countries,source,locator\nsahel,Sahel,,r2,line 7\n"
PEOPLE = "id,name,source,locator\njane-doe,Jane Doe,r2,line 8\n"

TURTLE_PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
#: relative IRIs in the expected Turtle are minted ones: <entity/unoct>
PREAMBLE = TURTLE_PREFIXES + "@base <https://w3id.org/ctgraph/id/> .\n"
R1 = graph_iri("r1")
#: the reference graph's description of itself
REFERENCE = (
    '<graph/reference> a prov:Entity ; rdfs:label "Reference data: ISO 3166-1 '
    'countries (via pycountry) and measures"@en .\n'
)


def build(tmp_path: Path, **tables: str) -> Dataset:
    """Write the tables (and `sources.csv`) to a data folder and build it."""
    data = tmp_path / "data"
    data.mkdir()
    tables.setdefault("sources", SOURCES)
    for name, text in tables.items():
        (data / f"{name}.csv").write_text(text)
    return build_dataset(read_all(data))


def refusal(tmp_path: Path, **tables: str) -> SourceError:
    with pytest.raises(SourceError) as info:
        build(tmp_path, **tables)
    return info.value


def parsed(turtle: str) -> Graph:
    return Graph().parse(data=PREAMBLE + turtle, format="turtle")


def written(graph: Graph) -> set[tuple[str, ...]]:
    """Each triple as N-Triples writes its terms: a language tag's case counts."""
    return {tuple(term.n3() for term in triple) for triple in graph}


def assert_same(actual: Graph, turtle: str) -> None:
    """The graph holds exactly the triples of `turtle` (no blank nodes: set equality);
    on failure, the triples missing and the ones too many."""
    got, want = written(actual), written(parsed(turtle))
    missing = sorted(want - got)
    extra = sorted(got - want)
    assert not missing and not extra, (
        "missing:\n"
        + "\n".join(map(str, missing))
        + "\nextra:\n"
        + "\n".join(map(str, extra))
    )


def cited(subject: str, locator: str, source: str = "r1") -> str:
    """The citation triples of one row: `subject` from `locator` in `source`."""
    citation = f"<citation/{source}/{slugify(locator)}>"
    return (
        f"{subject} prov:wasDerivedFrom {citation} .\n"
        f"{citation} a ctg:Citation ; prov:hadPrimarySource <report/{source}> ;\n"
        f'    ctg:locator "{locator}" .\n'
    )


# --- helpers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("line 12", "line-12"),
        ("Lines 12–14, § 3", "lines-12-14-3"),
        ("Genève", "geneve"),
        ("--Table 2--", "table-2"),
        ("§§", "x"),
        ("", "x"),
    ],
)
def test_slugify_keeps_ascii_letters_and_digits(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_a_date_literal_has_the_precision_the_report_gives() -> None:
    xsd = PREFIXES["xsd"]
    assert date_literal(PartialDate(2024)) == Literal("2024", datatype=xsd.gYear)
    assert date_literal(PartialDate(2024, 2)) == Literal(
        "2024-02", datatype=xsd.gYearMonth
    )
    assert date_literal(PartialDate(2024, 2, 9)) == Literal(
        "2024-02-09", datatype=xsd.date
    )


# --- sources and the default graph -----------------------------------------------


def test_sources_alone_describe_reports_and_derived_graphs(tmp_path: Path) -> None:
    ds = build(tmp_path)
    regions = (
        "The countries of regions: UN M49 areas (read with the package each "
        "definition names) and published definitions, each cited"
    )
    resolutions = (
        "UN resolutions the sources cite: type, number, year or session and organ "
        "read from each symbol, and the undocs.org page"
    )
    discrepancies = (
        "Discrepancies the build finds within and between the source reports, each "
        "side with its citation"
    )
    assert_same(
        ds.default_graph,
        f"""
        <report/r1> a ctg:SourceReport ; dcterms:title "Report one"@en ;
            dcterms:date "2024-02"^^xsd:gYearMonth ; dcterms:publisher "UNOCT" ;
            dcterms:language "en", "fr" ; ctg:fileName "r1.txt" ;
            dcterms:identifier "S/2024/1" .
        <graph/r1> a prov:Entity ; prov:hadPrimarySource <report/r1> ;
            prov:wasDerivedFrom <report/r1> ;
            rdfs:label "Facts stated in Report one"@en .
        <report/r2> a ctg:SourceReport ; dcterms:title "Report two"@en ;
            dcterms:date "2023-05-17"^^xsd:date ; dcterms:publisher "CTED" ;
            dcterms:language "en" ; ctg:fileName "r2.txt" .
        <graph/r2> a prov:Entity ; prov:hadPrimarySource <report/r2> ;
            prov:wasDerivedFrom <report/r2> ;
            rdfs:label "Facts stated in Report two"@en .
        <graph/regions> a prov:Entity ; rdfs:label "{regions}"@en .
        <graph/resolutions> a prov:Entity ; rdfs:label "{resolutions}"@en .
        <graph/discrepancies> a prov:Entity ; rdfs:label "{discrepancies}"@en ;
            prov:wasDerivedFrom <report/r1>, <report/r2> .
        """,
    )
    assert_same(ds.graph(REFERENCE_GRAPH), REFERENCE)
    assert not len(ds.graph(R1))


def test_a_source_id_must_be_a_slug(tmp_path: Path) -> None:
    error = refusal(
        tmp_path,
        sources="id,file,title,date,publisher,language\n"
        "Report_1,r.txt,R,2024,UNOCT,en\n",
    )
    assert (error.path.endswith("sources.csv"), error.line) == (True, 2)
    assert error.problem == "id 'Report_1' is not a slug"


def test_a_row_citing_an_unknown_source_is_refused(tmp_path: Path) -> None:
    error = refusal(
        tmp_path, people="id,name,source,locator\njane-doe,Jane Doe,r9,line 1\n"
    )
    assert (error.path.endswith("people.csv"), error.line) == (True, 2)
    assert error.problem == "unknown source 'r9'; known: r1, r2"


# --- entities, groups, people ----------------------------------------------------


def test_an_entity_row_with_every_column(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES
        + "unodc,UNODC,Office on Drugs and Crime,毒品和犯罪问题办公室,un-entity,unoct,"
        "member,Drugs Office; UN Drugs Office,r1,line 12\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <entity/unodc> a ctg:UNEntity ; rdfs:label "Office on Drugs and Crime"@en,
            "毒品和犯罪问题办公室"@zh ; ctg:acronym "UNODC" ;
            skos:altLabel "Drugs Office"@en, "UN Drugs Office"@en ;
            org:subOrganizationOf <entity/unoct> .
        <membership/compact/unodc/member/2024-02> a org:Membership ;
            org:organization <entity/compact> ; org:member <entity/unodc> ;
            org:role ctg:Member ; ctg:asOf "2024-02"^^xsd:gYearMonth .
        """
        + cited("<entity/unodc>", "line 12")
        + cited("<membership/compact/unodc/member/2024-02>", "line 12"),
    )


@pytest.mark.parametrize(
    ("kind", "cls"),
    [
        ("un-entity", "ctg:UNEntity"),
        ("organisation", "ctg:InternationalOrganisation"),
        ("partner", "ctg:Partner"),
        ("collaboration", "ctg:CoordinationFramework"),
        ("unit", "ctg:Unit"),
    ],
)
def test_an_entity_row_with_the_required_columns(
    tmp_path: Path, kind: str, cls: str
) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES + f"x-1,,Some Body,,{kind},,,,r1,p. 3\n",
    )
    assert_same(
        ds.graph(R1),
        f'<entity/x-1> a {cls} ; rdfs:label "Some Body"@en .\n'
        + cited("<entity/x-1>", "p. 3"),
    )


def test_an_observer_of_the_compact(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES + "wco,,World Customs,,organisation,,observer,,r1,line 4\n",
    )
    membership = "<membership/compact/wco/observer/2024-02>"
    assert_same(
        ds.graph(R1),
        f"""
        <entity/wco> a ctg:InternationalOrganisation ;
            rdfs:label "World Customs"@en .
        {membership} a org:Membership ; org:organization <entity/compact> ;
            org:member <entity/wco> ; org:role ctg:Observer ;
            ctg:asOf "2024-02"^^xsd:gYearMonth .
        """
        + cited("<entity/wco>", "line 4")
        + cited(membership, "line 4"),
    )


def test_a_member_state_is_its_country(tmp_path: Path) -> None:
    """Its IRI is the country's; the reference graph keeps ISO's name beside the
    row's as an alternative, and labels the countries no row names."""
    ds = build(
        tmp_path,
        entities=ENTITIES
        + "fra,,French Republic,,member-state,,,,r1,line 5\n"
        + "deu,,Germany,,member-state,,,,r1,line 6\n",
        regions="id,name,countries,source,locator\nsahel,Sahel,mli,r2,line 7\n",
    )
    graph = ds.graph(R1)
    assert_same(
        graph,
        """
        <country/fra> a ctg:MemberState ; rdfs:label "French Republic"@en .
        <country/deu> a ctg:MemberState ; rdfs:label "Germany"@en .
        """
        + cited("<country/fra>", "line 5")
        + cited("<country/deu>", "line 6"),
    )
    assert_same(
        ds.graph(REFERENCE_GRAPH),
        REFERENCE
        + """
        <country/fra> a ctg:Country ; skos:altLabel "France"@en ;
            skos:notation "FRA" ; ctg:m49 "250" .
        <country/deu> a ctg:Country ; skos:notation "DEU" ; ctg:m49 "276" .
        <country/mli> a ctg:Country ; rdfs:label "Mali"@en ;
            skos:notation "MLI" ; ctg:m49 "466" .
        """,
    )


def test_a_country_s_common_name_labels_it(tmp_path: Path) -> None:
    ds = build(
        tmp_path, regions="id,name,countries,source,locator\nx,X,bol;tza,r2,line 7\n"
    )
    reference = ds.graph(REFERENCE_GRAPH)
    labels = {str(o) for o in reference.objects(None, PREFIXES["rdfs"].label)}
    assert {"Bolivia", "Tanzania"} <= labels


def test_a_working_group_with_every_column(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        pillars=PILLARS + "ii,II,Prevent,r2,line 9\n",
        working_groups="id,name,number,kind,parent,pillars,source,locator\n"
        "wg-3,Border Management,3,working-group,compact,i;ii,r1,"
        "line 30\n"
        "cc,Committee,,coordination-committee,unoct,,r1,line 31\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <working-group/wg-3> a ctg:WorkingGroup ;
            rdfs:label "Border Management"@en ;
            org:subOrganizationOf <entity/compact> ; ctg:number 3 ;
            ctg:pillar <pillar/i>, <pillar/ii> .
        <working-group/cc> a ctg:CoordinationCommittee ; rdfs:label "Committee"@en ;
            org:subOrganizationOf <entity/unoct> .
        """
        + cited("<working-group/wg-3>", "line 30")
        + cited("<working-group/cc>", "line 31"),
    )


def test_memberships_in_every_role_with_their_periods(tmp_path: Path) -> None:
    roles = ["chair", "co-chair", "vice-chair", "secretariat", "member", "observer"]
    rows = "".join(
        f"wg-1,cted,{role},,,2023-06,r1,line {n}\n" for n, role in enumerate(roles)
    )
    ds = build(
        tmp_path,
        entities=ENTITIES,
        people=PEOPLE,
        working_groups="id,name,kind,parent,source,locator\n"
        "wg-1,One,working-group,compact,r2,line 20\n",
        memberships="organisation,member,role,start,end,as_of,source,locator\n"
        + rows
        + "wg-1,jane-doe,guest-member,2023-01,2024,2024-02,r1,line 40\n"
        + "unoct,cted,member,2022-03-04,,2023,r1,line 41\n",
    )
    expected = ""
    for n, role in enumerate(roles):
        s = f"<membership/wg-1/cted/{role}/2023-06>"
        cls = "".join(part.capitalize() for part in role.split("-"))
        expected += (
            f"{s} a org:Membership ; org:organization <working-group/wg-1> ;"
            f' org:member <entity/cted> ; org:role ctg:{cls} ; ctg:asOf "2023-06"'
            "^^xsd:gYearMonth .\n" + cited(s, f"line {n}")
        )
    guest = "<membership/wg-1/jane-doe/guest-member/2024-02>"
    member = "<membership/unoct/cted/member/2023>"
    assert_same(
        ds.graph(R1),
        expected
        + f"""
        {guest} a org:Membership ; org:organization <working-group/wg-1> ;
            org:member <person/jane-doe> ; org:role ctg:GuestMember ;
            ctg:asOf "2024-02"^^xsd:gYearMonth ;
            schema:startDate "2023-01"^^xsd:gYearMonth ;
            ctg:periodStart "2023-01-01"^^xsd:date ;
            schema:endDate "2024"^^xsd:gYear ;
            ctg:periodEnd "2024-12-31"^^xsd:date .
        {member} a org:Membership ; org:organization <entity/unoct> ;
            org:member <entity/cted> ; org:role ctg:Member ;
            ctg:asOf "2023"^^xsd:gYear ;
            schema:startDate "2022-03-04"^^xsd:date ;
            ctg:periodStart "2022-03-04"^^xsd:date .
        """
        + cited(guest, "line 40")
        + cited(member, "line 41"),
    )


def test_people_posts_and_post_holders(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        working_groups="id,name,kind,parent,source,locator\n"
        "wg-1,One,working-group,compact,r2,line 20\n",
        people="id,name,source,locator\njane-doe,Jane Doe,r1,line 1\n",
        posts="id,title,organisation,source,locator\n"
        "usg,Under-Secretary-General,unoct,r1,line 2\n"
        "wg-chair,Chair,wg-1,r1,line 3\n",
        post_holders="person,post,as_of,start,end,source,locator\n"
        "jane-doe,usg,2024-01-15,2017-09,2024-01,r1,line 4\n"
        "jane-doe,wg-chair,2023,,,r1,line 5\n",
    )
    first = "<appointment/usg/jane-doe/2024-01-15>"
    second = "<appointment/wg-chair/jane-doe/2023>"
    assert_same(
        ds.graph(R1),
        f"""
        <person/jane-doe> a ctg:Person ; rdfs:label "Jane Doe"@en .
        <post/usg> a org:Post ; rdfs:label "Under-Secretary-General"@en ;
            org:postIn <entity/unoct> .
        <post/wg-chair> a org:Post ; rdfs:label "Chair"@en ;
            org:postIn <working-group/wg-1> .
        {first} a ctg:Appointment ; org:member <person/jane-doe> ;
            ctg:post <post/usg> ; ctg:asOf "2024-01-15"^^xsd:date ;
            schema:startDate "2017-09"^^xsd:gYearMonth ;
            ctg:periodStart "2017-09-01"^^xsd:date ;
            schema:endDate "2024-01"^^xsd:gYearMonth ;
            ctg:periodEnd "2024-01-31"^^xsd:date .
        {second} a ctg:Appointment ; org:member <person/jane-doe> ;
            ctg:post <post/wg-chair> ; ctg:asOf "2023"^^xsd:gYear .
        """
        + cited("<person/jane-doe>", "line 1")
        + cited("<post/usg>", "line 2")
        + cited("<post/wg-chair>", "line 3")
        + cited(first, "line 4")
        + cited(second, "line 5"),
    )


# --- resolutions -----------------------------------------------------------------


def test_resolutions_acts_and_mentions_in_the_citing_report(tmp_path: Path) -> None:
    """Each table cell and report line naming a resolution states it in that
    report; the acts link it to the entity, founding dates only on establishing."""
    ds = build(
        tmp_path,
        entities=ENTITIES,
        resolutions="symbol,title,adopted,source,locator\n"
        "S/RES/2617 (2021),On CTED,2021-12-30,r1,line 1\n"
        "A/RES/60/288,,,r1,line 2\n",
        resolution_acts="resolution,act,entity,date,source,locator\n"
        "S/RES/2617 (2021),renews-mandate,cted,,r1,line 3\n"
        "A/RES/60/288,establishes,unoct,2017-06,r1,line 4\n"
        "A/RES/60/288,requests-report,unoct,,r1,line 4\n"
        "A/RES/60/288,endorses,cted,,r1,line 4\n",
        mentions="symbol,text,source,locator\n"
        "S/RES/2617,resolution 2617,r1,line 9\n"
        "S/PRST/2024/1,,r1,line 10\n",
    )
    sc, ga = "<resolution/s-res-2617-2021>", "<resolution/a-res-60-288>"
    prst = "<resolution/s-prst-2024-1>"
    assert_same(
        ds.graph(R1),
        f"""
        {sc} ctg:statedIn <report/r1> ; eli:title "On CTED"@en ;
            eli:date_document "2021-12-30"^^xsd:date ;
            ctg:renewsMandateOf <entity/cted> .
        {ga} ctg:statedIn <report/r1> ; ctg:establishes <entity/unoct> ;
            ctg:requestsReportFrom <entity/unoct> ; ctg:endorses <entity/cted> .
        <entity/unoct> schema:foundingDate "2017-06"^^xsd:gYearMonth .
        {prst} ctg:statedIn <report/r1> .
        """
        + cited(sc, "line 1")
        + cited(ga, "line 2")
        + cited(sc, "line 3")
        + cited(ga, "line 4")
        + cited(sc, "line 9")
        + cited(prst, "line 10"),
    )
    assert_same(
        ds.graph(RESOLUTIONS_GRAPH),
        f"""
        {sc} a ctg:SecurityCouncilResolution ; eli:id_local "S/RES/2617 (2021)" ;
            rdfs:label "S/RES/2617 (2021)" ; eli:number 2617 ;
            eli:passed_by <entity/security-council> ; ctg:year 2021 ;
            rdfs:seeAlso <https://undocs.org/S/RES/2617(2021)> .
        {ga} a ctg:GeneralAssemblyResolution ; eli:id_local "A/RES/60/288" ;
            rdfs:label "A/RES/60/288" ; eli:number 288 ;
            eli:passed_by <entity/general-assembly> ; ctg:session 60 ;
            rdfs:seeAlso <https://undocs.org/A/RES/60/288> .
        {prst} a ctg:PresidentialStatement ; eli:id_local "S/PRST/2024/1" ;
            rdfs:label "S/PRST/2024/1" ; eli:number 1 ;
            eli:passed_by <entity/security-council> ; ctg:year 2024 ;
            rdfs:seeAlso <https://undocs.org/S/PRST/2024/1> .
        """,
    )


def test_a_resolution_without_its_organ_is_refused(tmp_path: Path) -> None:
    error = refusal(
        tmp_path,
        entities=ENTITIES,
        mentions="symbol,source,locator\nA/HRC/RES/35/34,r1,line 9\n",
    )
    assert (error.path, error.line) == ("entities.csv", None)
    assert error.problem == (
        "no entity 'human-rights-council': A/HRC/RES/35/34 needs the organ that "
        "adopted it"
    )


def test_an_organ_must_be_an_entity(tmp_path: Path) -> None:
    error = refusal(
        tmp_path,
        entities=ENTITIES.replace("security-council,,", "sc,,"),
        people="id,name,source,locator\nsecurity-council,Someone,r2,line 1\n",
        mentions="symbol,source,locator\nS/RES/2617 (2021),r1,line 9\n",
    )
    assert error.problem.startswith("no entity 'security-council': S/RES/2617")


@pytest.mark.parametrize(
    ("table", "row", "line", "problem"),
    [
        (
            "mentions",
            "symbol,source,locator\nS/RES/2617,r1,p. 4\n",
            2,
            "column 'locator': 'p. 4' is not 'line N'",
        ),
        (
            "mentions",
            "symbol,source,locator\nS/RES/2617,r1,line\n",
            2,
            "column 'locator': 'line' is not 'line N'",
        ),
        (
            "mentions",
            "symbol,source,locator\nS/RES/,r1,line 4\n",
            2,
            "column 'symbol': ",
        ),
        (
            "resolutions",
            "symbol,source,locator\nS/RES/2617 (2021),r1,line 1\nRES 1,r1,line 2\n",
            3,
            "column 'symbol': ",
        ),
        (
            "resolution_acts",
            "resolution,act,entity,source,locator\nS/RES/x,endorses,cted,r1,l\n",
            2,
            "column 'resolution': ",
        ),
        (
            "resolution_acts",
            "resolution,act,entity,date,source,locator\n"
            "A/RES/60/288,endorses,cted,2006,r1,line 1\n",
            2,
            "column 'date' is only for 'establishes' (founding date)",
        ),
        (
            "resolution_acts",
            "resolution,act,entity,source,locator\n"
            "A/RES/60/288,founds,cted,r1,line 1\n",
            2,
            "column 'act': 'founds' is not one of establishes, renews-mandate, "
            "requests-report, endorses",
        ),
        (
            "projects",
            "id,kind,title,resolutions,source,locator\n"
            "p-1,project,P,S/RES/2617 (2021); A/RES/6,r1,line 1\n",
            2,
            "column 'resolutions': ",
        ),
    ],
)
def test_refused_resolution_cells(
    tmp_path: Path, table: str, row: str, line: int, problem: str
) -> None:
    error = refusal(tmp_path, entities=ENTITIES, **{table: row})
    assert (Path(error.path).name, error.line) == (f"{table}.csv", line)
    if problem.endswith(": "):  # the rest is the symbol parser's own message
        assert error.problem.startswith(problem) and len(error.problem) > len(problem)
    else:
        assert error.problem == problem


# --- instruments, pillars, regions -----------------------------------------------


def test_instruments_and_pillars(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        instruments="id,title,year,source,locator\n"
        "icsant,Nuclear Terrorism Convention,2005,r1,line 1\n",
        pillars="id,notation,label,source,locator\n"
        "pillar-iv,IV,Human rights,r1,line 2\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <instrument/icsant> a ctg:LegalInstrument ;
            rdfs:label "Nuclear Terrorism Convention"@en ; ctg:year 2005 .
        <pillar/pillar-iv> a skos:Concept ; skos:inScheme ctg:PillarScheme ;
            skos:notation "IV" ; skos:prefLabel "Human rights"@en ;
            rdfs:label "Pillar IV"@en .
        """
        + cited("<instrument/icsant>", "line 1")
        + cited("<pillar/pillar-iv>", "line 2"),
    )


def test_regions_and_the_definitions_of_their_countries(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        regions="id,name,countries,source,locator\n"
        "sahel,Sahel,mli;ner,r1,line 1\n"
        "west-africa,West Africa,,r1,line 2\n"
        "asia,Asia,,r1,line 3\n",
        m49_regions="region,m49,m49_name,countries,read_with\n"
        "west-africa,011,Western Africa,sen;gha,pycountry 24.6\n",
        non_m49="region,countries,definition,url,publisher,note\n"
        "sahel,mli;ner;bfa,G5 Sahel,https://g5.example.org/members,G5,Five\n"
        "asia,chn,Asia list,http://asia.example.org,,\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <region/sahel> a ctg:Region ; rdfs:label "Sahel"@en ;
            ctg:includesCountry <country/mli>, <country/ner> .
        <region/west-africa> a ctg:Region ; rdfs:label "West Africa"@en .
        <region/asia> a ctg:Region ; rdfs:label "Asia"@en .
        """
        + cited("<region/sahel>", "line 1")
        + cited("<region/west-africa>", "line 2")
        + cited("<region/asia>", "line 3"),
    )
    assert_same(
        ds.graph(REGIONS_GRAPH),
        """
        <region-definition/m49/011> a ctg:RegionDefinition ;
            dcterms:identifier "011" ;
            dcterms:source <https://unstats.un.org/unsd/methodology/m49/> ;
            ctg:readWith "pycountry 24.6" ;
            rdfs:label "UN M49: Western Africa (011)"@en .
        <region/west-africa> ctg:countriesFrom <region-definition/m49/011> ;
            ctg:includesCountry <country/sen>, <country/gha> .
        <region-definition/sahel> a ctg:RegionDefinition ;
            dcterms:source <https://g5.example.org/members> ;
            rdfs:label "G5 Sahel"@en ; dcterms:publisher "G5" ;
            rdfs:comment "Five"@en .
        <region/sahel> ctg:countriesFrom <region-definition/sahel> ;
            ctg:includesCountry <country/mli>, <country/ner>, <country/bfa> .
        <region-definition/asia> a ctg:RegionDefinition ;
            dcterms:source <http://asia.example.org> ; rdfs:label "Asia list"@en .
        <region/asia> ctg:countriesFrom <region-definition/asia> ;
            ctg:includesCountry <country/chn> .
        """,
    )
    reference = ds.graph(REFERENCE_GRAPH)
    countries = set(reference.subjects(PREFIXES["skos"].notation, None))
    assert {str(c).rsplit("/", 1)[-1] for c in countries} == {
        "mli",
        "ner",
        "sen",
        "gha",
        "bfa",
        "chn",
    }


@pytest.mark.parametrize(
    ("tables", "name", "line", "problem"),
    [
        (
            {"non_m49": "region,countries,definition,url\nsahel,mli,G5,g5.org\n"},
            "non_m49.csv",
            2,
            "column 'url': 'g5.org' is not an http(s) address",
        ),
        (
            {
                "non_m49": "region,countries,definition,url\n"
                "sahel,mli,G5,https://g5 .org\n"
            },
            "non_m49.csv",
            2,
            "column 'url': 'https://g5 .org' is not an http(s) address",
        ),
        (
            {"non_m49": "region,countries,definition,url\nsahel,mli,G5,https://g5\n"},
            "non_m49.csv",
            2,
            "column 'url': 'https://g5' is not an http(s) address",
        ),
        (
            {"non_m49": "region,countries,definition,url\nsahel,mli,G5,ftp://g5.org\n"},
            "non_m49.csv",
            2,
            "column 'url': 'ftp://g5.org' is not an http(s) address",
        ),
        (
            {"non_m49": "region,countries,definition,url\nsael,mli,G5,https://g.org\n"},
            "non_m49.csv",
            2,
            "column 'region': unknown region 'sael'",
        ),
        (
            {
                "m49_regions": "region,m49,m49_name,countries,read_with\n"
                "sahel,011,W,mli,p\n",
                "non_m49": "region,countries,definition,url\n"
                "sahel,mli,G5,https://g5.org\n",
            },
            "non_m49.csv",
            2,
            "region 'sahel' already has its countries from {data}/m49_regions.csv, "
            "line 2: give one definition",
        ),
        (
            {
                "non_m49": "region,countries,definition,url\n"
                "sahel,mli,G5,https://g5.org\nsahel,ner,G6,https://g6.org\n"
            },
            "non_m49.csv",
            3,
            "region 'sahel' already has its countries from {data}/non_m49.csv, "
            "line 2: give one definition",
        ),
        (
            {
                "non_m49": "region,countries,definition,url\nsahel,MLI,G5,https://g.org\n"
            },
            "non_m49.csv",
            2,
            "'MLI' is not a lower-case ISO 3166-1 alpha-3 code",
        ),
        (
            {"regions": "id,name,countries,source,locator\nsahel,S,mli;xyz,r1,l 1\n"},
            "regions.csv",
            2,
            "'xyz' is not a lower-case ISO 3166-1 alpha-3 code",
        ),
    ],
)
def test_refused_regions(
    tmp_path: Path, tables: dict[str, str], name: str, line: int, problem: str
) -> None:
    tables.setdefault("regions", REGIONS)
    error = refusal(tmp_path, **tables)
    assert (Path(error.path).name, error.line) == (name, line)
    assert error.problem == problem.format(data=tmp_path / "data")


# --- projects, events, funding, observations -------------------------------------

PROJECT_COLUMNS = (
    "id,kind,title,serial,pillars,status,status_text,start,end,duration_text,"
    "implementers,partners,donors,countries,regions,scope,scope_text,resolutions,"
    "budget,currency,part_of,launched,description,source,locator\n"
)


def test_a_project_with_every_column(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        pillars=PILLARS,
        regions=REGIONS,
        projects=PROJECT_COLUMNS
        + "prog,programme,Programme,,,,,,,,,,,,,,,,,,,,,r2,line 1\n"
        + "p-1,project,Border Security,7,i,implementation,Ongoing,2021-03,"
        "2025,Four years,unoct,cted,general-assembly,mli;ner,sahel,regional,"
        'Sahel region,S/RES/2617 (2021),"1,250,000.50",USD,prog,2021-05-02,'
        "Trains border police,r1,line 14\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <project/p-1> a ctg:Project ; rdfs:label "Border Security"@en ;
            ctg:serial "7" ; ctg:pillar <pillar/i> ;
            ctg:status ctg:Implementation ; ctg:statusText "Ongoing" ;
            ctg:durationText "Four years" ; ctg:scopeText "Sahel region" ;
            ctg:currency "USD" ; dcterms:description "Trains border police"@en ;
            schema:startDate "2021-03"^^xsd:gYearMonth ;
            ctg:periodStart "2021-03-01"^^xsd:date ;
            schema:endDate "2025"^^xsd:gYear ;
            ctg:periodEnd "2025-12-31"^^xsd:date ;
            ctg:implementedBy <entity/unoct> ; ctg:partner <entity/cted> ;
            ctg:fundedBy <entity/general-assembly> ;
            ctg:country <country/mli>, <country/ner> ;
            ctg:region <region/sahel> ; ctg:scope ctg:RegionalScope ;
            ctg:citesResolution <resolution/s-res-2617-2021> ;
            ctg:budget 1250000.50 ; dcterms:isPartOf <project/prog> ;
            ctg:launchDate "2021-05-02"^^xsd:date .
        <resolution/s-res-2617-2021> ctg:statedIn <report/r1> .
        """
        + cited("<project/p-1>", "line 14")
        + cited("<resolution/s-res-2617-2021>", "line 14"),
    )


@pytest.mark.parametrize(
    ("kind", "status", "scope"),
    [
        ("project", "pipeline", "global"),
        ("programme", "finalisation", "multi-national"),
        ("initiative", "closed", "national"),
        ("project", "cancelled", ""),
        ("project", "suspended", ""),
    ],
)
def test_project_kinds_statuses_and_scopes(
    tmp_path: Path, kind: str, status: str, scope: str
) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        projects="id,kind,title,status,scope,part_of,source,locator\n"
        f"p-2,{kind},P,{status},{scope},unoct,r1,line 2\n",
    )
    camel = {"multi-national": "MultiNational"}.get(scope, scope.capitalize())
    assert_same(
        ds.graph(R1),
        f"""
        <project/p-2> a ctg:{kind.capitalize()} ; rdfs:label "P"@en ;
            ctg:status ctg:{status.capitalize()} ;
            dcterms:isPartOf <entity/unoct> .
        """
        + (f"<project/p-2> ctg:scope ctg:{camel}Scope .\n" if scope else "")
        + cited("<project/p-2>", "line 2"),
    )


def test_a_project_with_the_required_columns(tmp_path: Path) -> None:
    ds = build(tmp_path, projects="id,kind,title,source,locator\np,project,P,r1,x\n")
    assert_same(
        ds.graph(R1),
        '<project/p> a ctg:Project ; rdfs:label "P"@en .\n' + cited("<project/p>", "x"),
    )


def test_project_counts_and_a_serial_printed_twice(tmp_path: Path) -> None:
    """Counts for a pillar and for all; two rows with one serial in one report's
    pillar list make a discrepancy, each side cited."""
    ds = build(
        tmp_path,
        pillars=PILLARS,
        project_counts="pillar,stated_in,count,source,locator\n"
        "i,Annex I,2,r1,line 20\n"
        "all,Summary table,2,r1,line 21\n",
        projects="id,kind,title,serial,pillars,source,locator\n"
        "p-a,project,Alpha,1,i,r1,line 22\n"
        "p-b,project,Beta,1,i,r1,line 23\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <project-count/i/annex-i> a ctg:ProjectCount ; ctg:pillar <pillar/i> ;
            ctg:value 2 ; dcterms:description "Annex I"@en ;
            rdfs:label "2 projects stated (Pillar I, Annex I)"@en .
        <project-count/all/summary-table> a ctg:ProjectCount ; ctg:value 2 ;
            dcterms:description "Summary table"@en ;
            rdfs:label "2 projects stated (all pillars, Summary table)"@en .
        <project/p-a> a ctg:Project ; rdfs:label "Alpha"@en ; ctg:serial "1" ;
            ctg:pillar <pillar/i> .
        <project/p-b> a ctg:Project ; rdfs:label "Beta"@en ; ctg:serial "1" ;
            ctg:pillar <pillar/i> .
        """
        + cited("<project-count/i/annex-i>", "line 20")
        + cited("<project-count/all/summary-table>", "line 21")
        + cited("<project/p-a>", "line 22")
        + cited("<project/p-b>", "line 23"),
    )
    found = "<discrepancy/repeated-serial/r1-i-1>"
    note = (
        "r1, Pillar I: serial 1 is printed on 2 rows; each row is kept as its own "
        "project."
    )
    assert_same(
        ds.graph(DISCREPANCIES_GRAPH),
        f"""
        {found} a ctg:Discrepancy ; ctg:discrepancyKind ctg:RepeatedSerial ;
            rdfs:comment "{note}"@en ;
            ctg:involves <pillar/i>, <project/p-a>, <project/p-b> ;
            ctg:side <discrepancy/repeated-serial/r1-i-1/1>,
                <discrepancy/repeated-serial/r1-i-1/2> .
        <discrepancy/repeated-serial/r1-i-1/1> a ctg:DiscrepancySide ;
            ctg:statedValue "serial 1: Alpha" ; ctg:concerns <project/p-a> .
        <discrepancy/repeated-serial/r1-i-1/2> a ctg:DiscrepancySide ;
            ctg:statedValue "serial 1: Beta" ; ctg:concerns <project/p-b> .
        """
        + cited("<discrepancy/repeated-serial/r1-i-1/1>", "line 22")
        + cited("<discrepancy/repeated-serial/r1-i-1/2>", "line 23"),
    )
    # the dataset is read as one graph only while the discrepancies are found
    assert ds.default_union is False


def test_an_event_with_every_column(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        projects="id,kind,title,source,locator\nprog,programme,Prog,r2,line 1\n",
        events="id,title,start,end,city,country,organisers,partners,participants,"
        "programme,source,locator\n"
        "e-1,Workshop,2023-11-06,2023-11-08,Nairobi,ken,unoct;cted,general-assembly,"
        '"1,024",prog,r1,line 31\n'
        "e-2,Meeting,2023,,,,,,,,r1,line 32\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <event/e-1> a ctg:Event ; rdfs:label "Workshop"@en ;
            schema:startDate "2023-11-06"^^xsd:date ;
            ctg:periodStart "2023-11-06"^^xsd:date ;
            schema:endDate "2023-11-08"^^xsd:date ;
            ctg:periodEnd "2023-11-08"^^xsd:date ;
            ctg:city "Nairobi" ; ctg:country <country/ken> ;
            ctg:organisedBy <entity/unoct>, <entity/cted> ;
            ctg:partner <entity/general-assembly> ;
            ctg:participantCount 1024 ; ctg:partOfProgramme <project/prog> .
        <event/e-2> a ctg:Event ; rdfs:label "Meeting"@en ;
            schema:startDate "2023"^^xsd:gYear ;
            ctg:periodStart "2023-01-01"^^xsd:date .
        """
        + cited("<event/e-1>", "line 31")
        + cited("<event/e-2>", "line 32"),
    )


def test_contributions_of_every_kind(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        projects="id,kind,title,source,locator\nprog,programme,Prog,r2,line 1\n",
        contributions="id,kind,donor,recipient,amount,currency,date,rank,"
        "donor_count,description,source,locator\n"
        "c-1,contribution,cted,unoct,2500000,USD,2023-06,,,For training,r1,line 1\n"
        "c-2,pledge,,prog,0.5,EUR,,,,,r1,line 2\n"
        "c-3,in-kind,,,,,,,,,r1,line 3\n"
        'c-4,total-pledged,,,"10,000",USD,2023,3,12,,r1,line 4\n'
        "c-5,total-received,,,,,,,,,r1,line 5\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <contribution/c-1> a ctg:Contribution ;
            dcterms:description "For training"@en ; ctg:donor <entity/cted> ;
            ctg:recipient <entity/unoct> ; ctg:amount "2500000"^^xsd:decimal ;
            ctg:currency "USD" ; dcterms:date "2023-06"^^xsd:gYearMonth .
        <contribution/c-2> a ctg:Pledge ; ctg:recipient <project/prog> ;
            ctg:amount 0.5 ; ctg:currency "EUR" .
        <contribution/c-3> a ctg:InKindContribution .
        <contribution/c-4> a ctg:FundingTotal ; ctg:amount "10000"^^xsd:decimal ;
            ctg:currency "USD" ; dcterms:date "2023"^^xsd:gYear ; ctg:rank 3 ;
            ctg:donorCount 12 ; dcterms:type "total-pledged" .
        <contribution/c-5> a ctg:FundingTotal ; dcterms:type "total-received" .
        """
        + "".join(cited(f"<contribution/c-{n}>", f"line {n}") for n in range(1, 6)),
    )


def test_measures_observations_functions_and_replacements(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        working_groups="id,name,kind,parent,source,locator\n"
        "wg-1,One,working-group,compact,r2,line 20\n"
        "wg-2,Two,working-group,compact,r2,line 21\n",
        projects="id,kind,title,source,locator\nprog,programme,Prog,r2,line 1\n",
        measures="id,label,definition\n"
        "staff,Staff,People employed\nshare,Share,Part of a whole\n",
        observations="id,subject,measure,value,unit,date,source,locator\n"
        'o-1,unoct,staff,"1,100",persons,2023-12-31,r1,line 1\n'
        "o-2,prog,share,0.25,,2022,r1,line 2\n"
        "o-3,wg-1,staff,3,,2024-02,r1,line 3\n",
        functions="entity,number,label,source,locator\ncted,2,Analyse gaps,r1,line 4\n",
        replacements="id,replaces,replaced_by,date,source,locator\n"
        "wg-merge,wg-1;wg-2,unoct,2023-07,r1,line 5\n"
        "x-split,cted,wg-1;wg-2,,r1,line 6\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <observation/o-1> a ctg:Observation ; ctg:subject <entity/unoct> ;
            ctg:measure <measure/staff> ; ctg:value "1100"^^xsd:decimal ;
            ctg:unit "persons" ; dcterms:date "2023-12-31"^^xsd:date ;
            ctg:periodStart "2023-12-31"^^xsd:date .
        <observation/o-2> a ctg:Observation ; ctg:subject <project/prog> ;
            ctg:measure <measure/share> ; ctg:value 0.25 ;
            dcterms:date "2022"^^xsd:gYear ; ctg:periodStart "2022-01-01"^^xsd:date .
        <observation/o-3> a ctg:Observation ; ctg:subject <working-group/wg-1> ;
            ctg:measure <measure/staff> ; ctg:value "3"^^xsd:decimal ;
            dcterms:date "2024-02"^^xsd:gYearMonth ;
            ctg:periodStart "2024-02-01"^^xsd:date .
        <function/cted/2> a ctg:MandatedFunction ; ctg:subject <entity/cted> ;
            ctg:number 2 ; rdfs:label "Analyse gaps"@en .
        <replacement/wg-merge> a ctg:Replacement ;
            ctg:replaces <working-group/wg-1>, <working-group/wg-2> ;
            ctg:replacedBy <entity/unoct> ;
            schema:startDate "2023-07"^^xsd:gYearMonth ;
            ctg:periodStart "2023-07-01"^^xsd:date .
        <replacement/x-split> a ctg:Replacement ; ctg:replaces <entity/cted> ;
            ctg:replacedBy <working-group/wg-1>, <working-group/wg-2> .
        """
        + cited("<observation/o-1>", "line 1")
        + cited("<observation/o-2>", "line 2")
        + cited("<observation/o-3>", "line 3")
        + cited("<function/cted/2>", "line 4")
        + cited("<replacement/wg-merge>", "line 5")
        + cited("<replacement/x-split>", "line 6"),
    )
    reference = Graph()
    for triple in ds.graph(REFERENCE_GRAPH):
        if "/measure/" in str(triple[0]):
            reference.add(triple)
    assert_same(
        reference,
        """
        <measure/staff> a ctg:Measure ; skos:inScheme ctg:MeasureScheme ;
            skos:prefLabel "Staff"@en ; skos:definition "People employed"@en .
        <measure/share> a ctg:Measure ; skos:inScheme ctg:MeasureScheme ;
            skos:prefLabel "Share"@en ; skos:definition "Part of a whole"@en .
        """,
    )


def test_union_holds_every_graph_s_triples(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        people="id,name,source,locator\njane-doe,Jane Doe,r1,line 1\n",
    )
    merged = union(ds)
    every = {triple for g in ds.graphs() for triple in g}
    assert set(merged) == every
    assert len(merged) == len(every) > 0
    assert dict(merged.namespaces())["ctg"] == URIRef(str(PREFIXES["ctg"]))
    assert dict(ds.namespaces())["ctg"] == URIRef(str(PREFIXES["ctg"]))


# --- refusals --------------------------------------------------------------------

WG = "id,name,kind,parent,source,locator\n"


@pytest.mark.parametrize(
    ("tables", "name", "line", "problem"),
    [
        (
            {"people": "id,name,source,locator\nJane,Jane,r1,line 1\n"},
            "people.csv",
            2,
            "id 'Jane' is not a slug (a-z, 0-9, hyphens)",
        ),
        (
            {"people": "id,name,source,locator\njane--doe,Jane,r1,line 1\n"},
            "people.csv",
            2,
            "id 'jane--doe' is not a slug (a-z, 0-9, hyphens)",
        ),
        (
            {"working_groups": WG + "unoct,One,working-group,compact,r1,line 1\n"},
            "working_groups.csv",
            2,
            "id 'unoct' is already used for an entity",
        ),
        (
            {"working_groups": WG + "jane-doe,One,working-group,compact,r1,line 1\n"},
            "people.csv",
            2,
            "id 'jane-doe' is already used for a working-group",
        ),
        (
            {
                "events": "id,title,start,source,locator\ne-1,E,2024,r1,line 1\n",
                "observations": "id,subject,measure,value,date,source,locator\n"
                "e-1,unoct,staff,1,2024,r1,line 2\n",
            },
            "observations.csv",
            2,
            "id 'e-1' is already used for an event",
        ),
        (
            {
                "people": "id,name,source,locator\n"
                "jane-doe,Jane Doe,r1,line 1\njane-doe,J. Doe,r1,line 7\n"
            },
            "people.csv",
            3,
            "person 'jane-doe' is named 'J. Doe' here but 'Jane Doe' at "
            "{data}/people.csv, line 2: one canonical name per id (put variants in "
            "alt_labels)",
        ),
        (
            {"working_groups": WG + "wg-1,One,working-group,jane-doe,r1,line 1\n"},
            "working_groups.csv",
            2,
            "column 'parent': unknown entity 'jane-doe'",
        ),
        (
            {
                "posts": "id,title,organisation,source,locator\n"
                "p,Chair,nobody,r1,line 1\n"
            },
            "posts.csv",
            2,
            "column 'organisation': unknown entity or working-group 'nobody'",
        ),
        (
            {
                "replacements": "id,replaces,replaced_by,source,locator\n"
                "x,unoct,jane-doe,r1,line 1\n"
            },
            "replacements.csv",
            2,
            "column 'replaced_by': unknown entity or working-group 'jane-doe'",
        ),
        (
            {
                "memberships": "organisation,member,role,as_of,source,locator\n"
                "compact,unoct,boss,2024,r1,line 1\n"
            },
            "memberships.csv",
            2,
            "column 'role': 'boss' is not one of chair, co-chair, vice-chair, "
            "secretariat, member, observer, guest-member",
        ),
        (
            {
                "memberships": "organisation,member,role,as_of,start,end,source,"
                "locator\ncompact,unoct,chair,2024,2024-02,2024-01,r1,line 1\n"
            },
            "memberships.csv",
            2,
            "end 2024-01 is before start 2024-02",
        ),
        (
            {
                "post_holders": "person,post,as_of,source,locator\n"
                "jane-doe,usg,2024-13,r1,line 1\n",
                "posts": "id,title,organisation,source,locator\n"
                "usg,USG,unoct,r2,line 1\n",
            },
            "post_holders.csv",
            2,
            "column 'as_of': date '2024-13' is impossible (month must be in 1..12)",
        ),
        (
            {
                "events": "id,title,start,participants,source,locator\n"
                "e,E,2024,about 40,r1,line 1\n"
            },
            "events.csv",
            2,
            "column 'participants': 'about 40' is not a number",
        ),
        (
            {
                "events": "id,title,start,participants,source,locator\n"
                "e,E,2024,40.5,r1,line 1\n"
            },
            "events.csv",
            2,
            "column 'participants': '40.5' is not a whole number",
        ),
        (
            {
                "events": "id,title,start,country,source,locator\n"
                "e,E,2024,Kenya,r1,line 1\n"
            },
            "events.csv",
            2,
            "'Kenya' is not a lower-case ISO 3166-1 alpha-3 code",
        ),
        (
            {
                "entities": ENTITIES + "Fra,,France,,member-state,,,,r1,line 1\n",
            },
            "entities.csv",
            7,
            "id 'Fra' is not a slug (a-z, 0-9, hyphens)",
        ),
        (
            {
                "entities": ENTITIES + "fr,,France,,member-state,,,,r1,line 1\n",
            },
            "entities.csv",
            7,
            "'fr' is not a lower-case ISO 3166-1 alpha-3 code",
        ),
        (
            {
                "entities": ENTITIES + "x,,X,,agency,,,,r1,line 1\n",
            },
            "entities.csv",
            7,
            "column 'type': 'agency' is not one of un-entity, organisation, "
            "member-state, partner, collaboration, unit",
        ),
        (
            {
                "entities": ENTITIES + "x,,X,,unit,,partner,,r1,line 1\n",
            },
            "entities.csv",
            7,
            "column 'compact_status': 'partner' is not one of member, observer",
        ),
        (
            {
                "entities": ENTITIES.replace("compact,,The", "compact-1,,The")
                + "x,,X,,unit,,member,,r1,line 1\n",
            },
            "entities.csv",
            7,
            "column 'compact_status': unknown entity 'compact'",
        ),
        (
            {"working_groups": WG + "wg-1,One,team,compact,r1,line 1\n"},
            "working_groups.csv",
            2,
            "column 'kind': 'team' is not one of working-group, coordination-committee",
        ),
        (
            {
                "projects": "id,kind,title,countries,source,locator\n"
                "p,project,P,mli;xxx,r1,line 1\n"
            },
            "projects.csv",
            2,
            "'xxx' is not a lower-case ISO 3166-1 alpha-3 code",
        ),
        (
            {
                "projects": "id,kind,title,budget,source,locator\n"
                "p,project,P,USD 5m,r1,line 1\n"
            },
            "projects.csv",
            2,
            "column 'budget': 'USD 5m' is not a number",
        ),
        (
            {
                "project_counts": "pillar,stated_in,count,source,locator\n"
                "all,Annex,12.5,r1,line 1\n"
            },
            "project_counts.csv",
            2,
            "column 'count': '12.5' is not a whole number",
        ),
        (
            {
                "project_counts": "pillar,stated_in,count,source,locator\n"
                "v,Annex,12,r1,line 1\n"
            },
            "project_counts.csv",
            2,
            "column 'pillar': unknown pillar 'v'",
        ),
        (
            {
                "observations": "id,subject,measure,value,date,source,locator\n"
                "o,jane-doe,staff,1,2024,r1,line 1\n"
            },
            "observations.csv",
            2,
            "column 'subject': unknown entity or project or working-group 'jane-doe'",
        ),
        (
            {
                "contributions": "id,kind,recipient,source,locator\n"
                "c,grant,unoct,r1,line 1\n"
            },
            "contributions.csv",
            2,
            "column 'kind': 'grant' is not one of contribution, pledge, in-kind, "
            "total-pledged, total-received",
        ),
        (
            {
                "contributions": "id,kind,recipient,source,locator\n"
                "c,pledge,jane-doe,r1,line 1\n"
            },
            "contributions.csv",
            2,
            "column 'recipient': unknown entity or project 'jane-doe'",
        ),
        (
            {
                "functions": "entity,number,label,source,locator\n"
                "unoct,two,Label,r1,line 1\n"
            },
            "functions.csv",
            2,
            "column 'number': 'two' is not a number",
        ),
        (
            {
                "projects": "id,kind,title,start,end,source,locator\n"
                "p,project,P,2024-03-02,2024-03-01,r1,line 1\n"
            },
            "projects.csv",
            2,
            "end 2024-03-01 is before start 2024-03-02",
        ),
        (
            {
                "projects": "id,kind,title,launched,source,locator\n"
                "p,project,P,March 2024,r1,line 1\n"
            },
            "projects.csv",
            2,
            "column 'launched': date 'March 2024' is not YYYY, YYYY-MM or YYYY-MM-DD",
        ),
    ],
)
def test_refused_rows(
    tmp_path: Path, tables: dict[str, str], name: str, line: int, problem: str
) -> None:
    tables.setdefault("entities", ENTITIES)
    tables.setdefault("people", PEOPLE)
    tables.setdefault("measures", "id,label,definition\nstaff,Staff,People\n")
    error = refusal(tmp_path, **tables)
    assert (Path(error.path).name, error.line) == (name, line)
    assert error.problem == problem.format(data=tmp_path / "data")


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        (",", "',' is not a number"),
        ("1e3", "'1e3' is not a number"),
        ("NaN", "'NaN' is not a number"),
        ("Infinity", "'Infinity' is not a number"),
        ("1.", "'1.' is not a number"),
        ("12 000", "'12 000' is not a number"),
        ("1,5x", "'1,5x' is not a number"),
        ("1,000.5", "'1,000.5' is not a whole number"),
    ],
)
def test_a_number_cell_is_digits_with_commas_and_a_point(
    tmp_path: Path, cell: str, problem: str
) -> None:
    """Every number column reads its cell one way: the message quotes it as written."""
    error = refusal(
        tmp_path,
        working_groups=WG.replace("kind,", "kind,number,")
        + f'wg-1,One,working-group,"{cell}",compact,r1,line 1\n',
        entities=ENTITIES,
    )
    assert (Path(error.path).name, error.line) == ("working_groups.csv", 2)
    assert error.problem == f"column 'number': {problem}"


def test_signed_and_grouped_numbers(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        measures="id,label,definition\nchange,Change,Difference\n",
        observations="id,subject,measure,value,date,source,locator\n"
        "o-1,unoct,change,-12.50,2023,r1,line 1\n"
        'o-2,unoct,change,"+1,000",2023,r1,line 2\n',
        functions="entity,number,label,source,locator\ncted,+3.00,Third,r1,line 3\n",
    )
    graph = ds.graph(R1)
    ctg = PREFIXES["ctg"]
    values = {str(s).rsplit("/", 1)[-1]: o for s, o in graph.subject_objects(ctg.value)}
    xsd = PREFIXES["xsd"]
    assert values == {
        "o-1": Literal("-12.50", datatype=xsd.decimal),
        "o-2": Literal("1000", datatype=xsd.decimal),
    }
    function = URIRef("https://w3id.org/ctgraph/id/function/cted/3")
    assert graph.value(function, ctg.number) == Literal("3", datatype=xsd.integer)


def test_a_count_for_all_pillars_that_differs_from_the_list(tmp_path: Path) -> None:
    """The listed side of a count for all pillars concerns no pillar."""
    ds = build(
        tmp_path,
        pillars=PILLARS,
        project_counts="pillar,stated_in,count,source,locator\n"
        "all,Summary,3,r1,line 20\n",
        projects="id,kind,title,serial,pillars,source,locator\n"
        "p-a,project,Alpha,1,i,r1,line 22\n"
        "p-b,project,Beta,2,i,r1,line 23\n",
    )
    found = "<discrepancy/stated-vs-listed/r1-all-summary>"
    note = "r1 states 3 projects for all pillars (Summary) but lists 2 (fewer by 1)."
    assert_same(
        ds.graph(DISCREPANCIES_GRAPH),
        f"""
        {found} a ctg:Discrepancy ; ctg:discrepancyKind ctg:CountMismatch ;
            rdfs:comment "{note}"@en ;
            ctg:involves <project-count/all/summary> ;
            ctg:side <discrepancy/stated-vs-listed/r1-all-summary/1>,
                <discrepancy/stated-vs-listed/r1-all-summary/2> .
        <discrepancy/stated-vs-listed/r1-all-summary/1> a ctg:DiscrepancySide ;
            ctg:statedValue "3 projects" ; ctg:concerns <project-count/all/summary> .
        <discrepancy/stated-vs-listed/r1-all-summary/2> a ctg:DiscrepancySide ;
            ctg:statedValue "2 projects listed" .
        """
        + cited("<discrepancy/stated-vs-listed/r1-all-summary/1>", "line 20")
        + cited(
            "<discrepancy/stated-vs-listed/r1-all-summary/2>",
            "Annex II matrix, all pillars, lines 22-23",
        ),
    )


def test_a_period_ending_the_day_it_starts_or_within_it_is_kept(
    tmp_path: Path,
) -> None:
    """An end is before its start only when its last day is before the start's
    first day: 2024-03 ends within 2024 and on its own first day."""
    ds = build(
        tmp_path,
        events="id,title,start,end,source,locator\n"
        "e-1,A,2024-03-01,2024-03-01,r1,line 1\n"
        "e-2,B,2024,2024-03,r1,line 2\n"
        "e-3,C,2024-03,2024-03-01,r1,line 3\n",
    )
    ends = {
        str(s).rsplit("/", 1)[-1]: str(o)
        for s, o in ds.graph(R1).subject_objects(PREFIXES["ctg"].periodEnd)
    }
    assert ends == {"e-1": "2024-03-01", "e-2": "2024-03-31", "e-3": "2024-03-01"}


def test_a_country_code_names_a_member_state_without_a_row(tmp_path: Path) -> None:
    ds = build(
        tmp_path,
        entities=ENTITIES,
        projects="id,kind,title,donors,source,locator\np,project,P,nor,r1,line 1\n",
    )
    assert (
        URIRef("https://w3id.org/ctgraph/id/project/p"),
        PREFIXES["ctg"].fundedBy,
        URIRef("https://w3id.org/ctgraph/id/country/nor"),
    ) in ds.graph(R1)
    assert (
        URIRef("https://w3id.org/ctgraph/id/country/nor"),
        PREFIXES["rdfs"].label,
        Literal("Norway", lang="en"),
    ) in ds.graph(REFERENCE_GRAPH)


#: a reference cell naming an id of the wrong kind (or no id), for every column that
#: names one: (table, header, row, column, kinds the message names, wrong id)
REFERENCES = [
    (
        "entities",
        ENTITIES.split("\n")[0],
        "x,,X,,unit,jane-doe,,,r1,l",
        "parent",
        "entity",
        "jane-doe",
    ),
    (
        "working_groups",
        "id,name,kind,parent,pillars,source,locator",
        "wg-9,N,working-group,compact,jane-doe,r1,l",
        "pillars",
        "pillar",
        "jane-doe",
    ),
    (
        "memberships",
        "organisation,member,role,as_of,source,locator",
        "jane-doe,unoct,chair,2024,r1,l",
        "organisation",
        "working-group or entity",
        "jane-doe",
    ),
    (
        "memberships",
        "organisation,member,role,as_of,source,locator",
        "compact,i,chair,2024,r1,l",
        "member",
        "entity or person",
        "i",
    ),
    (
        "post_holders",
        "person,post,as_of,source,locator",
        "unoct,usg,2024,r1,l",
        "person",
        "person",
        "unoct",
    ),
    (
        "post_holders",
        "person,post,as_of,source,locator",
        "jane-doe,jane-doe,2024,r1,l",
        "post",
        "post",
        "jane-doe",
    ),
    (
        "resolution_acts",
        "resolution,act,entity,source,locator",
        "A/RES/60/288,endorses,jane-doe,r1,l",
        "entity",
        "entity",
        "jane-doe",
    ),
    (
        "projects",
        "id,kind,title,pillars,source,locator",
        "p,project,P,jane-doe,r1,l",
        "pillars",
        "pillar",
        "jane-doe",
    ),
    (
        "projects",
        "id,kind,title,implementers,source,locator",
        "p,project,P,unoct;jane-doe,r1,l",
        "implementers",
        "entity",
        "jane-doe",
    ),
    (
        "projects",
        "id,kind,title,partners,source,locator",
        "p,project,P,jane-doe,r1,l",
        "partners",
        "entity",
        "jane-doe",
    ),
    (
        "projects",
        "id,kind,title,donors,source,locator",
        "p,project,P,jane-doe,r1,l",
        "donors",
        "entity",
        "jane-doe",
    ),
    (
        "projects",
        "id,kind,title,regions,source,locator",
        "p,project,P,jane-doe,r1,l",
        "regions",
        "region",
        "jane-doe",
    ),
    (
        "projects",
        "id,kind,title,part_of,source,locator",
        "p,project,P,jane-doe,r1,l",
        "part_of",
        "project or entity",
        "jane-doe",
    ),
    (
        "events",
        "id,title,start,organisers,source,locator",
        "e,E,2024,jane-doe,r1,l",
        "organisers",
        "entity",
        "jane-doe",
    ),
    (
        "events",
        "id,title,start,partners,source,locator",
        "e,E,2024,jane-doe,r1,l",
        "partners",
        "entity",
        "jane-doe",
    ),
    (
        "events",
        "id,title,start,programme,source,locator",
        "e,E,2024,unoct,r1,l",
        "programme",
        "project",
        "unoct",
    ),
    (
        "contributions",
        "id,kind,donor,source,locator",
        "c,pledge,jane-doe,r1,l",
        "donor",
        "entity",
        "jane-doe",
    ),
    (
        "observations",
        "id,subject,measure,value,date,source,locator",
        "o,unoct,jane-doe,1,2024,r1,l",
        "measure",
        "measure",
        "jane-doe",
    ),
    (
        "functions",
        "entity,number,label,source,locator",
        "jane-doe,1,F,r1,l",
        "entity",
        "entity",
        "jane-doe",
    ),
    (
        "replacements",
        "id,replaces,replaced_by,source,locator",
        "x,jane-doe,unoct,r1,l",
        "replaces",
        "entity or working-group",
        "jane-doe",
    ),
    (
        "m49_regions",
        "region,m49,m49_name,countries,read_with",
        "unoct,011,W,sen,p",
        "region",
        "region",
        "unoct",
    ),
]


@pytest.mark.parametrize(
    ("table", "header", "row", "column", "kinds", "wrong"),
    REFERENCES,
    ids=[f"{r[0]}.{r[3]}" for r in REFERENCES],
)
def test_a_reference_to_an_id_of_another_kind_is_refused(
    tmp_path: Path,
    table: str,
    header: str,
    row: str,
    column: str,
    kinds: str,
    wrong: str,
) -> None:
    tables = {
        "entities": ENTITIES,
        "people": PEOPLE,
        "pillars": PILLARS,
        "posts": "id,title,organisation,source,locator\nusg,USG,unoct,r2,line 1\n",
    }
    if table == "entities":
        tables[table] = ENTITIES + row + "\n"
    else:
        tables[table] = header + "\n" + row + "\n"
    error = refusal(tmp_path, **tables)
    assert Path(error.path).name == f"{table}.csv"
    assert error.line == (7 if table == "entities" else 2)
    assert error.problem == f"column {column!r}: unknown {kinds} {wrong!r}"


@pytest.mark.parametrize(
    ("column", "cell", "problem"),
    [
        ("donors", "NOR", "column 'donors': unknown entity 'NOR'"),
        ("donors", "xyz", "column 'donors': unknown entity 'xyz'"),
        ("donors", "norw", "column 'donors': unknown entity 'norw'"),
        ("pillars", "nor", "column 'pillars': unknown pillar 'nor'"),
        ("regions", "nor", "column 'regions': unknown region 'nor'"),
    ],
)
def test_a_country_code_stands_for_an_entity_only(
    tmp_path: Path, column: str, cell: str, problem: str
) -> None:
    """A lower-case ISO code names the Member State where an entity may stand, and
    nothing else."""
    error = refusal(
        tmp_path,
        entities=ENTITIES,
        pillars=PILLARS,
        projects=f"id,kind,title,{column},source,locator\np,project,P,{cell},r1,l\n",
    )
    assert (Path(error.path).name, error.line) == ("projects.csv", 2)
    assert error.problem == problem


def test_one_id_stated_by_two_reports(tmp_path: Path) -> None:
    """Each report's graph holds what it states about the same resource."""
    ds = build(
        tmp_path,
        entities=ENTITIES + "wco,WCO,World Customs,,organisation,,,,r1,line 3\n",
        people="id,name,source,locator\n"
        "jane-doe,Jane Doe,r1,line 1\njane-doe,Jane Doe,r2,line 9\n",
        posts="id,title,organisation,source,locator\n"
        "usg,USG,unoct,r1,line 2\nusg,Under-Secretary-General,unoct,r2,line 7\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <person/jane-doe> a ctg:Person ; rdfs:label "Jane Doe"@en .
        <post/usg> a org:Post ; rdfs:label "USG"@en ; org:postIn <entity/unoct> .
        <entity/wco> a ctg:InternationalOrganisation ;
            rdfs:label "World Customs"@en ; ctg:acronym "WCO" .
        """
        + cited("<person/jane-doe>", "line 1")
        + cited("<post/usg>", "line 2")
        + cited("<entity/wco>", "line 3"),
    )
    r2 = ds.graph(graph_iri("r2"))
    usg = URIRef("https://w3id.org/ctgraph/id/post/usg")
    assert set(r2.objects(usg, PREFIXES["rdfs"].label)) == {
        Literal("Under-Secretary-General", lang="en")
    }


@pytest.mark.parametrize(
    ("tables", "name", "problem"),
    [
        (
            {
                "working_groups": WG + "wg-1,One,working-group,compact,r1,line 1\n"
                "wg-1,Uno,working-group,compact,r2,line 2\n"
            },
            "working_groups.csv",
            "working-group 'wg-1' is named 'Uno' here but 'One' at "
            "{data}/working_groups.csv, line 2: one canonical name per id (put "
            "variants in alt_labels)",
        ),
        (
            {"entities": ENTITIES + "unoct,,Office,,un-entity,,,,r1,line 9\n"},
            "entities.csv",
            "entity 'unoct' is named 'Office' here but 'Office of Counter-Terrorism' "
            "at {data}/entities.csv, line 3: one canonical name per id (put "
            "variants in alt_labels)",
        ),
    ],
)
def test_one_canonical_name_per_group_and_entity(
    tmp_path: Path, tables: dict[str, str], name: str, problem: str
) -> None:
    tables.setdefault("entities", ENTITIES)
    error = refusal(tmp_path, **tables)
    assert Path(error.path).name == name
    assert error.problem == problem.format(data=tmp_path / "data")


def test_a_report_line_citing_a_resolution_with_another_year(tmp_path: Path) -> None:
    """The `mentions` row (its report, line and text as written) is one side of the
    discrepancy, the table row giving the resolution's year the other."""
    ds = build(
        tmp_path,
        entities=ENTITIES,
        resolutions="symbol,source,locator\nS/RES/2617 (2021),r2,line 3\n",
        mentions="symbol,text,source,locator\n"
        "S/RES/2617 (2020),res. 2617 (2020),r1,line 9\n",
    )
    found = "<discrepancy/resolution-year/r1-line-9-2617>"
    note = (
        "r1, line 9, cites resolution 2617 as 'res. 2617 (2020)'; the sources "
        "otherwise give S/RES/2617 (2021) (1 citation(s)). The graph links the "
        "citation to S/RES/2617 (2021) and keeps the year as written here."
    )
    assert_same(
        ds.graph(DISCREPANCIES_GRAPH),
        f"""
        {found} a ctg:Discrepancy ; ctg:discrepancyKind ctg:ResolutionYearMismatch ;
            rdfs:comment "{note}"@en ;
            ctg:involves <resolution/s-res-2617-2021> ;
            ctg:side {found[:-1]}/1>, {found[:-1]}/2> .
        {found[:-1]}/1> a ctg:DiscrepancySide ; ctg:statedValue "res. 2617 (2020)" ;
            ctg:concerns <resolution/s-res-2617-2021> .
        {found[:-1]}/2> a ctg:DiscrepancySide ; ctg:statedValue "2617 (2021)" ;
            ctg:concerns <resolution/s-res-2617-2021> .
        """
        + cited(f"{found[:-1]}/1>", "line 9")
        + cited(f"{found[:-1]}/2>", "line 3", "r2"),
    )
    assert_same(
        ds.graph(R1),
        "<resolution/s-res-2617-2021> ctg:statedIn <report/r1> .\n"
        + cited("<resolution/s-res-2617-2021>", "line 9"),
    )


def test_two_cells_giving_a_council_resolution_two_years(tmp_path: Path) -> None:
    """The second cell is refused, naming its column and the first cell's place."""
    error = refusal(
        tmp_path,
        entities=ENTITIES,
        resolutions="symbol,source,locator\nS/RES/2617 (2021),r2,line 3\n",
        projects="id,kind,title,resolutions,source,locator\n"
        "p,project,P,S/RES/2396 (2017); S/RES/2617 (2020),r1,line 4\n",
    )
    assert (Path(error.path).name, error.line) == ("projects.csv", 2)
    assert error.problem == (
        "column 'resolutions': S/RES/2617 (2020) has year 2020 here but 2021 at "
        f"{tmp_path / 'data'}/resolutions.csv, line 2: one resolution, one year"
    )
