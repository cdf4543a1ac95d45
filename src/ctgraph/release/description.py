"""The dataset describes itself: a VoID and DCAT description in its own graph.

A harvester, a catalogue or a user's tool learns from it what the dataset is,
under which licence, from which reports, how big, in which formats and where the
links to other datasets go, without reading the data. Counts come from the data
itself, so they never drift from it.
"""

from __future__ import annotations

import re
from collections import Counter
from importlib.metadata import version as package_version
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from ctgraph.exports import FORMATS, MEDIA_TYPES
from ctgraph.namespaces import (
    CC_BY_4,
    CTG,
    DATASET_IRI,
    DESCRIPTION_GRAPH,
    ID,
    MEDIA_TYPE,
    ONTOLOGY_IRI,
    PAV,
    PREFIXES,
    RELEASE_BASE,
    mint,
    version_iri,
)
from ctgraph.paths import resources_root

TITLE = "ctgraph: the UN Global Counter-Terrorism Coordination Compact knowledge graph"
DESCRIPTION = (
    "The Compact's entities, working groups and who leads them when, the "
    "resolutions and legal instruments behind it, projects, events, people and "
    "posts, funding and dated statistics, each fact traced to the UN report and "
    "line that states it, one named graph per report."
)
#: the file name every distribution of a release shares, with its format's suffix
STEM = "ctgraph"
CHANGELOG = resources_root() / "CHANGELOG.md"


def release_version() -> str:
    return package_version("ctgraph")


def release_date(version: str, changelog: Path = CHANGELOG) -> str | None:
    """The date the changelog gives this version (`## [0.1.0] - 2026-11-27`)."""
    if not changelog.is_file():
        return None
    text = changelog.read_text(encoding="utf-8")
    found = re.search(
        rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})", text, re.MULTILINE
    )
    return found.group(1) if found else None


def distribution_iri(fmt: str) -> URIRef:
    return mint("dataset", "distribution", fmt)


def file_name(fmt: str) -> str:
    return STEM + (".xlsx" if fmt == "xlsx" else FORMATS[fmt][1])


def term_slug(graph: Graph, term: URIRef) -> str:
    """A class or property as a readable IRI segment: ctg:Project -> ctg-Project."""
    name = graph.namespace_manager.normalizeUri(term)
    if name.startswith("<"):
        name = str(term)
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


def describe(
    dataset: Dataset,
    sizes: dict[str, int] | None = None,
    endpoint: str | None = None,
) -> Graph:
    """The VoID + DCAT description of `dataset` (without any description graph it
    already holds). `sizes` are distribution byte sizes, known once the files are
    written; `endpoint` is the SPARQL endpoint serving the dataset, if any."""
    d = Graph()
    for prefix, ns in PREFIXES.items():
        d.bind(prefix, ns)
    me = DATASET_IRI
    version = release_version()
    d.add((me, RDF.type, VOID.Dataset))
    d.add((me, RDF.type, DCAT.Dataset))
    d.add((me, DCTERMS.title, Literal(TITLE, lang="en")))
    d.add((me, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    d.add((me, DCTERMS.license, CC_BY_4))
    d.add((me, OWL.versionInfo, Literal(version)))
    d.add((me, PAV.version, Literal(version)))
    issued = release_date(version)
    if issued:
        d.add((me, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    d.add((me, DCTERMS.conformsTo, version_iri(version)))
    d.add((me, VOID.uriSpace, Literal(str(ID))))
    d.add((me, VOID.exampleResource, mint("entity", "unoct")))
    if endpoint:
        d.add((me, VOID.sparqlEndpoint, URIRef(endpoint)))
    graphs = [
        g for g in dataset.graphs() if g.identifier != DESCRIPTION_GRAPH and len(g)
    ]
    default = dataset.default_graph
    # the source reports, with their dates and titles
    for report in sorted(set(default.objects(None, PROV.hadPrimarySource))):
        d.add((me, PROV.wasDerivedFrom, report))
        for g in graphs:
            for p in (DCTERMS.title, DCTERMS.date, RDF.type):
                for o in g.objects(report, p):
                    d.add((report, p, o))
    # counts, from the data
    triples: set = set()
    subjects: set[URIRef] = set()
    objects = set()
    by_class: dict[URIRef, set] = {}
    by_property: Counter[URIRef] = Counter()
    for g in graphs:
        for s, p, o in g:
            if (s, p, o) in triples:
                continue  # a fact two reports state is one triple of the dataset
            triples.add((s, p, o))
            subjects.add(s)
            objects.add(o)
            by_property[p] += 1
            if p == RDF.type and isinstance(o, URIRef):
                by_class.setdefault(o, set()).add(s)
    entities = {s for s in subjects if isinstance(s, URIRef) and s.startswith(str(ID))}
    d.add((me, VOID.triples, Literal(len(triples))))
    d.add((me, VOID.entities, Literal(len(entities))))
    d.add((me, VOID.distinctSubjects, Literal(len(subjects))))
    d.add((me, VOID.distinctObjects, Literal(len(objects))))
    d.add((me, VOID.classes, Literal(len(by_class))))
    d.add((me, VOID.properties, Literal(len(by_property))))
    for cls, members in sorted(by_class.items()):
        part = mint("dataset", "class", term_slug(d, cls))
        d.add((me, VOID.classPartition, part))
        d.add((part, VOID["class"], cls))
        d.add((part, VOID.entities, Literal(len(members))))
    for prop, count in sorted(by_property.items()):
        part = mint("dataset", "property", term_slug(d, prop))
        d.add((me, VOID.propertyPartition, part))
        d.add((part, VOID.property, prop))
        d.add((part, VOID.triples, Literal(count)))
    namespaces = {str(ns) for ns in PREFIXES.values()}
    for ns in sorted(namespaces):
        own = ns in (str(ID), str(CTG._NS))
        if not own and any(str(t).startswith(ns) for t in by_property):
            d.add((me, VOID.vocabulary, URIRef(ns)))
    d.add((me, VOID.vocabulary, ONTOLOGY_IRI))
    # a linkset per graph of links to an external dataset
    for g in graphs:
        origin = next(default.objects(g.identifier, PROV.wasDerivedFrom), None)
        if origin is None or (origin, RDF.type, DCAT.Dataset) not in default:
            continue
        name = str(g.identifier).rsplit("/", 1)[-1]
        linkset = mint("dataset", "linkset", name)
        d.add((me, VOID.subset, linkset))
        d.add((linkset, RDF.type, VOID.Linkset))
        d.add((linkset, VOID.subjectsTarget, me))
        d.add((linkset, VOID.objectsTarget, origin))
        d.add((linkset, VOID.target, origin))
        for predicate in sorted(set(g.predicates())):
            d.add((linkset, VOID.linkPredicate, predicate))
        d.add((linkset, VOID.triples, Literal(len(g))))
        d.add((linkset, PROV.wasDerivedFrom, g.identifier))
        for license_ in default.objects(origin, DCTERMS.license):
            d.add((linkset, DCTERMS.license, license_))
    # distributions
    sizes = sizes or {}
    for fmt in sorted(MEDIA_TYPES):  # every RDF dump, and the workbook
        dist = distribution_iri(fmt)
        d.add((me, DCAT.distribution, dist))
        d.add((dist, RDF.type, DCAT.Distribution))
        url = URIRef(f"{RELEASE_BASE}{version}/{file_name(fmt)}")
        if fmt in FORMATS:
            d.add((dist, RDF.type, VOID.Dataset))  # each a full dump
            d.add((me, VOID.dataDump, url))
        d.add((dist, DCTERMS.title, Literal(f"{TITLE} ({fmt})", lang="en")))
        d.add((dist, DCAT.mediaType, MEDIA_TYPE[MEDIA_TYPES[fmt]]))
        d.add((dist, DCAT.downloadURL, url))
        d.add((dist, DCTERMS.license, CC_BY_4))
        if fmt in sizes:
            size = Literal(sizes[fmt], datatype=XSD.nonNegativeInteger)
            d.add((dist, DCAT.byteSize, size))
    return d


def add_description(
    dataset: Dataset,
    sizes: dict[str, int] | None = None,
    endpoint: str | None = None,
) -> Graph:
    """Put the description in its own named graph (replacing an older one),
    labelled in the default graph; returns it."""
    dataset.remove_graph(DESCRIPTION_GRAPH)
    label = Literal("VoID and DCAT description of the dataset", lang="en")
    dataset.default_graph.add((DESCRIPTION_GRAPH, RDFS.label, label))
    description = describe(dataset, sizes, endpoint)
    target = dataset.graph(DESCRIPTION_GRAPH)
    for triple in description:
        target.add(triple)
    return target
