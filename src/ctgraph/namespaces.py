"""Every namespace and IRI pattern the project uses, in one place.

Vocabulary terms are `DefinedNamespace` members with `_fail = True`, so a mistyped
term raises at import time instead of silently minting a new IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)

BASE = "https://w3id.org/ctgraph/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
SHAPES_NS = Namespace(BASE + "shapes#")


class CTG(DefinedNamespace):
    """The ctgraph ontology: only terms no reused vocabulary provides."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # classes: agents
    Entity: URIRef
    UNEntity: URIRef
    InternationalOrganisation: URIRef
    MemberState: URIRef
    Partner: URIRef
    Unit: URIRef
    CoordinationFramework: URIRef
    WorkingGroup: URIRef
    CoordinationCommittee: URIRef
    Person: URIRef
    Appointment: URIRef
    # classes: places
    Country: URIRef
    Region: URIRef
    RegionDefinition: URIRef
    # classes: legal
    Resolution: URIRef
    SecurityCouncilResolution: URIRef
    GeneralAssemblyResolution: URIRef
    HumanRightsCouncilResolution: URIRef
    PresidentialStatement: URIRef
    LegalInstrument: URIRef
    # classes: activities
    Activity: URIRef
    Project: URIRef
    Programme: URIRef
    Initiative: URIRef
    Event: URIRef
    MandatedFunction: URIRef
    # classes: funding
    FundingRecord: URIRef
    Contribution: URIRef
    Pledge: URIRef
    InKindContribution: URIRef
    FundingTotal: URIRef
    # classes: statistics and provenance
    Measure: URIRef
    Observation: URIRef
    ProjectCount: URIRef
    SourceReport: URIRef
    Citation: URIRef
    Discrepancy: URIRef
    DiscrepancySide: URIRef
    Replacement: URIRef
    # classes: derived facts (queries/rules/)
    CoImplementation: URIRef
    PillarActivity: URIRef
    # concept schemes and their members
    RoleScheme: URIRef
    Chair: URIRef
    CoChair: URIRef
    ViceChair: URIRef
    Secretariat: URIRef
    Member: URIRef
    Observer: URIRef
    GuestMember: URIRef
    StatusScheme: URIRef
    Pipeline: URIRef
    Implementation: URIRef
    Finalisation: URIRef
    Closed: URIRef
    Cancelled: URIRef
    Suspended: URIRef
    ScopeScheme: URIRef
    GlobalScope: URIRef
    RegionalScope: URIRef
    MultiNationalScope: URIRef
    NationalScope: URIRef
    PillarScheme: URIRef
    MeasureScheme: URIRef
    DiscrepancyKindScheme: URIRef
    ResolutionYearMismatch: URIRef
    CountMismatch: URIRef
    FigureMismatch: URIRef
    RepeatedSerial: URIRef
    MissingSerial: URIRef
    NearDuplicateNames: URIRef
    # properties
    acronym: URIRef
    number: URIRef
    pillar: URIRef
    asOf: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    post: URIRef
    session: URIRef
    year: URIRef
    establishes: URIRef
    renewsMandateOf: URIRef
    requestsReportFrom: URIRef
    endorses: URIRef
    serial: URIRef
    status: URIRef
    statusText: URIRef
    durationText: URIRef
    implementedBy: URIRef
    partner: URIRef
    fundedBy: URIRef
    country: URIRef
    region: URIRef
    includesCountry: URIRef
    countriesFrom: URIRef
    readWith: URIRef
    scope: URIRef
    scopeText: URIRef
    citesResolution: URIRef
    budget: URIRef
    currency: URIRef
    launchDate: URIRef
    city: URIRef
    organisedBy: URIRef
    participantCount: URIRef
    partOfProgramme: URIRef
    donor: URIRef
    recipient: URIRef
    amount: URIRef
    rank: URIRef
    donorCount: URIRef
    subject: URIRef
    measure: URIRef
    value: URIRef
    unit: URIRef
    statedIn: URIRef
    locator: URIRef
    fileName: URIRef
    m49: URIRef
    iatiCode: URIRef
    matchMethod: URIRef
    discrepancyKind: URIRef
    involves: URIRef
    side: URIRef
    concerns: URIRef
    statedValue: URIRef
    replaces: URIRef
    replacedBy: URIRef
    # properties: derived facts (queries/rules/)
    firstImplementer: URIRef
    secondImplementer: URIRef
    sharedActivityCount: URIRef
    sharedActivityReport: URIRef
    activityCount: URIRef
    activeEntity: URIRef
    activePillar: URIRef
    groupCount: URIRef
    firstStated: URIRef
    lastStated: URIRef
    coveringActivityCount: URIRef


ELI = Namespace("http://data.europa.eu/eli/ontology#")
#: SSSOM's mapping-justification vocabulary
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
TIME = Namespace("http://www.w3.org/2006/time#")
PAV = Namespace("http://purl.org/pav/")

PREFIXES: dict[str, Namespace | str] = {
    "ctg": CTG._NS,
    "id": ID,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "schema": SDO,
    "eli": ELI,
    "pav": PAV,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
}


#: the vocabularies the ontology imports, each through a small module of its own
VOCABULARIES: dict[str, Namespace] = {
    "dcterms": Namespace(str(DCTERMS)),
    "eli": ELI,
    "org": Namespace(str(ORG)),
    "prov": Namespace(str(PROV)),
    "schema": Namespace(str(SDO)),
    "skos": Namespace(str(SKOS)),
}


def import_module_iri(prefix: str) -> URIRef:
    """The IRI of the import module holding the terms ctgraph uses from one
    vocabulary: `ontology/imports/<prefix>`."""
    return URIRef(f"{ONTOLOGY_IRI}/imports/{prefix}")


def version_iri(version: str) -> URIRef:
    """The ontology's IRI for one release: `ontology/<version>`."""
    return URIRef(f"{ONTOLOGY_IRI}/{version}")


#: the dataset itself, as VoID and DCAT describe it, and the graph of that description
DATASET_IRI = ID["dataset"]
DESCRIPTION_GRAPH = URIRef(BASE + "id/graph/description")

#: IANA media types, as DCAT names a distribution's format
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")
#: where a release's files are published
RELEASE_BASE = BASE + "release/"

#: licences: the code (MIT) and the curated data (CC BY 4.0)
MIT_LICENSE = URIRef("https://spdx.org/licenses/MIT")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")


def mint(kind: str, *parts: str) -> URIRef:
    """Mint a resource IRI under the project's id space: `id/<kind>/<part>/...`."""
    return ID["/".join((kind, *parts))]


def graph_iri(source_id: str) -> URIRef:
    """The named graph that holds everything one source report states."""
    return mint("graph", source_id)


def report_iri(source_id: str) -> URIRef:
    return mint("report", source_id)


def undocs_url(symbol_path: str) -> URIRef:
    """A UN document's page on undocs.org, from its symbol as written in a URL."""
    return URIRef("https://undocs.org/" + symbol_path)


def links_graph(dataset_name: str) -> URIRef:
    """The named graph of links derived from one external dataset."""
    return mint("graph", "links-" + dataset_name)


#: symbol-derived facts about every resolution: type, number, organ, undocs.org page
RESOLUTIONS_GRAPH = mint("graph", "resolutions")

#: the discrepancies the build finds between and within the sources
DISCREPANCIES_GRAPH = mint("graph", "discrepancies")

#: the facts the rules in queries/rules/ derive from the other graphs, and the
#: activity that ran them
DERIVED_GRAPH = mint("graph", "derived")
RULES_ACTIVITY = mint("activity", "rules")


def rule_iri(name: str) -> URIRef:
    """One derivation rule (`queries/rules/<name>.rq`) as a plan the build follows."""
    return mint("rule", name)


#: the countries of regions: from UN M49 and from the published definitions cited
REGIONS_GRAPH = mint("graph", "regions")
#: the UN Statistics Division's page of the M49 standard
M49_STANDARD = URIRef("https://unstats.un.org/unsd/methodology/m49/")


def doi_iri(doi: str) -> URIRef:
    """A DOI as a resolvable IRI: "10.5281/zenodo.7319780" -> https://doi.org/..."""
    return URIRef("https://doi.org/" + doi)


#: SPARQL 1.1 Query Results XML Format
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"
#: SPARQL 1.1 Service Description
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: the W3C's identifiers for RDF formats and result formats
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
