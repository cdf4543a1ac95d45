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
PILLARS = "id,notation,label,source,locator\npillar-i,I,Conditions,r2,line 6\n"
REGIONS = "id,name,countries,source,locator\nsahel,Sahel,,r2,line 7\n"
PEOPLE = "id,name,source,locator\njane-doe,Jane Doe,r2,line 8\n"

TURTLE_PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
#: relative IRIs in the expected Turtle are minted ones: <entity/unoct>
PREAMBLE = TURTLE_PREFIXES + "@base <https://w3id.org/ctgraph/id/> .\n"
R1 = graph_iri("r1")


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


def assert_same(actual: Graph, turtle: str) -> None:
    """The graph holds exactly the triples of `turtle` (no blank nodes: set equality);
    on failure, the triples missing and the ones too many."""
    got, want = set(actual), set(parsed(turtle))
    missing = sorted(t for t in want - got)
    extra = sorted(t for t in got - want)
    assert not missing and not extra, (
        "missing:\n" + "\n".join(map(str, missing)) + "\nextra:\n"
        "\n".join(map(str, extra))
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
    assert_same(
        ds.default_graph,
        """
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
        <graph/regions> a prov:Entity ; rdfs:label "The countries of regions: UN M49
        areas (read with the package each definition names) and published
        definitions, each cited"@en .
        <graph/resolutions> a prov:Entity ; rdfs:label "UN resolutions the sources
        cite: type, number, year or session and organ read from each symbol, and the
        undocs.org page"@en .
        <graph/discrepancies> a prov:Entity ; rdfs:label "Discrepancies the build
        finds within and between the source reports, each side with its
        citation"@en ;
            prov:wasDerivedFrom <report/r1>, <report/r2> .
        """.replace("\n        ", " "),
    )
    assert_same(
        ds.graph(REFERENCE_GRAPH),
        """
        <graph/reference> a prov:Entity ; rdfs:label "Reference data: ISO 3166-1
        countries (via pycountry) and measures"@en .
        """.replace("\n        ", " "),
    )
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
        """
        <graph/reference> a prov:Entity ; rdfs:label "Reference data: ISO 3166-1
        countries (via pycountry) and measures"@en .
        <country/fra> a ctg:Country ; skos:altLabel "France"@en ;
            skos:notation "FRA" ; ctg:m49 "250" .
        <country/deu> a ctg:Country ; skos:notation "DEU" ; ctg:m49 "276" .
        <country/mli> a ctg:Country ; rdfs:label "Mali"@en ;
            skos:notation "MLI" ; ctg:m49 "466" .
        """.replace("\n        countries", " countries"),
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
        pillars=PILLARS + "pillar-ii,II,Prevent,r2,line 9\n",
        working_groups="id,name,number,kind,parent,pillars,source,locator\n"
        "wg-3,Border Management,3,working-group,compact,pillar-i;pillar-ii,r1,"
        "line 30\n"
        "cc,Committee,,coordination-committee,unoct,,r1,line 31\n",
    )
    assert_same(
        ds.graph(R1),
        """
        <working-group/wg-3> a ctg:WorkingGroup ;
            rdfs:label "Border Management"@en ;
            org:subOrganizationOf <entity/compact> ; ctg:number 3 ;
            ctg:pillar <pillar/pillar-i>, <pillar/pillar-ii> .
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
