"""Turn the names people type into the IRIs queries need.

A parameter that takes an IRI also takes a natural value: an entity's id or acronym
(`unodc`, `UNODC`), a country's name or ISO code (`Qatar`, `QAT`, `QA`), a resolution
symbol (`S/RES/2396 (2017)`), a pillar's numeral (`I`), a status (`implementation`).
Look-ups run as parameterised queries against the graph itself, so a value is only
ever compared as a literal; a name that matches nothing, or several things equally
well, is an error that says what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ctgraph.namespaces import PREFIXES, mint
from ctgraph.store.backends import Backend

#: an absolute IRI: a scheme, then no character RFC 3987 forbids in an IRI
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]*$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PATH = re.compile(r"^[a-z]+(?:-[a-z]+)*/[a-z0-9]+(?:[-/][a-z0-9]+)*$")

#: every id space below id/, for ids given without their kind
ID_SPACES = (
    "entity",
    "country",
    "working-group",
    "person",
    "post",
    "instrument",
    "pillar",
    "region",
    "project",
    "event",
    "contribution",
    "measure",
    "observation",
    "resolution",
    "report",
    "graph",
)


class UnresolvedName(ValueError):
    """A value that names nothing, or several things equally well."""


@dataclass(frozen=True)
class Kind:
    """What an IRI parameter refers to: how to recognise one, and how to name one."""

    pattern: str
    id_spaces: tuple[str, ...]
    hint: str


KINDS: dict[str, Kind] = {
    "entity": Kind(
        "?s a/rdfs:subClassOf* ctg:Entity .",
        ("entity", "country"),
        "an entity id (unodc), acronym (UNODC) or name",
    ),
    "framework": Kind(
        "?s a ctg:CoordinationFramework .",
        ("entity",),
        "a coordination framework id (compact, ctitf) or name",
    ),
    "group": Kind(
        "?s a ?kind . VALUES ?kind { ctg:WorkingGroup ctg:CoordinationCommittee }",
        ("working-group",),
        "a working group id (compact-wg-3) or name",
    ),
    "country": Kind(
        "?s a ctg:Country .",
        ("country",),
        "a country name (Qatar) or ISO 3166-1 code (QAT, QA)",
    ),
    "region": Kind("?s a ctg:Region .", ("region",), "a region id (sahel) or name"),
    "resolution": Kind(
        "?s a/rdfs:subClassOf* ctg:Resolution .",
        ("resolution",),
        "a resolution symbol (S/RES/2396 (2017), A/RES/71/291)",
    ),
    "instrument": Kind(
        "?s a ctg:LegalInstrument .", ("instrument",), "a legal instrument id or title"
    ),
    "activity": Kind(
        "?s a/rdfs:subClassOf* ctg:Activity .",
        ("project", "event"),
        "a project, programme or event id or title",
    ),
    "event": Kind("?s a ctg:Event .", ("event",), "an event id or title"),
    "person": Kind("?s a ctg:Person .", ("person",), "a person id or name"),
    "post": Kind("?s a org:Post .", ("post",), "a post id or title"),
    "measure": Kind("?s a ctg:Measure .", ("measure",), "a measure id or label"),
    "report": Kind(
        "?s a ctg:SourceReport .", ("report",), "a source report id or title"
    ),
    "pillar": Kind(
        "?s skos:inScheme ctg:PillarScheme .",
        ("pillar",),
        "a pillar numeral (I, II, III, IV) or id (i)",
    ),
    "status": Kind(
        "?s skos:inScheme ctg:StatusScheme .",
        (),
        "a status: the matrix's words (Ongoing, Completed, In development) or the "
        "codes (pipeline, implementation, finalisation, closed, cancelled, suspended)",
    ),
    "scope": Kind(
        "?s skos:inScheme ctg:ScopeScheme .",
        (),
        "a scope (global, regional, multi-national, national)",
    ),
    "role": Kind(
        "?s skos:inScheme ctg:RoleScheme .",
        (),
        "a role (chair, co-chair, vice-chair, secretariat, member, observer, "
        "guest-member)",
    ),
    "any": Kind(
        "?s ?anyp ?anyo .",
        ID_SPACES,
        "an IRI, a prefixed name (id:entity/unodc), an id or a name",
    ),
}

#: parameter name -> the kind of thing it names, when the header does not say
NAME_KINDS = {
    "entity": "entity",
    "organisation": "entity",
    "organiser": "entity",
    "implementer": "entity",
    "donor": "entity",
    "parent": "entity",
    "body": "entity",
    "member": "entity",
    "framework": "framework",
    "group": "group",
    "country": "country",
    "region": "region",
    "resolution": "resolution",
    "instrument": "instrument",
    "project": "activity",
    "programme": "activity",
    "activity": "activity",
    "event": "event",
    "person": "person",
    "post": "post",
    "measure": "measure",
    "report": "report",
    "source": "report",
    "pillar": "pillar",
    "status": "status",
    "scope": "scope",
    "role": "role",
}

#: the four pillars of the Global Counter-Terrorism Strategy, by number
PILLARS = {"1": "I", "2": "II", "3": "III", "4": "IV"}

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

#: names that identify (rank 1), name (rank 2) or are another name for (rank 3)
NAME_QUERY = (
    PROLOGUE
    + """SELECT DISTINCT ?s ?rank ?label WHERE {
  { ?s ctg:acronym|skos:notation|eli:id_local ?name . BIND(1 AS ?rank) }
  UNION { ?s rdfs:label|skos:prefLabel|dcterms:title ?name . BIND(2 AS ?rank) }
  UNION { ?s skos:altLabel ?name . BIND(3 AS ?rank) }
  FILTER(LCASE(STR(?name)) = ?key)
  %s
  OPTIONAL { ?s rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
}"""
)
EXISTS_QUERY = PROLOGUE + "SELECT DISTINCT ?s WHERE { %s }"
SC_NUMBER_QUERY = (
    PROLOGUE
    + "SELECT DISTINCT ?s WHERE { ?s a ctg:SecurityCouncilResolution ; eli:number ?n }"
)


def check_iri(text: str) -> URIRef:
    """An absolute IRI, refused when it holds a character IRIs may not contain."""
    if not IRI.match(text):
        raise UnresolvedName(
            f"{text!r} is not a valid IRI: an IRI has a scheme (https:) and no "
            'spaces or any of < > " { } | \\ ^ `'
        )
    return URIRef(text)


def expand(text: str) -> URIRef | None:
    """A full IRI (`<...>` or `https://...`) or a prefixed name, else None."""
    if text.startswith("<") and text.endswith(">"):
        return check_iri(text[1:-1])
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and local and not local.startswith("//"):
        return check_iri(str(PREFIXES[prefix]) + local)
    if SCHEME.match(text) and not text.split(":", 1)[1][:1].isspace():
        if "://" in text or text.startswith(("urn:", "mailto:")):
            return check_iri(text)
    return None


class Resolver:
    """Resolve natural values to IRIs against one graph, remembering the answers."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.cache: dict[tuple[str, str], URIRef] = {}

    def resolve(self, kind: str, value: str) -> URIRef:
        text = " ".join(str(value).split())
        if not text:
            raise UnresolvedName(f"empty value: expected {KINDS[kind].hint}")
        key = (kind, text)
        if key not in self.cache:
            self.cache[key] = self._resolve(kind, text)
        return self.cache[key]

    def _resolve(self, kind: str, text: str) -> URIRef:
        iri = expand(text)
        if iri is not None:
            return iri
        spec = KINDS[kind]
        # a country code or name, a resolution symbol: valid even when no report
        # mentions it yet (a query then answers with no rows)
        standard: list[URIRef] = []
        if kind == "country":
            standard = self.country_candidates(text)
        elif kind in ("resolution", "any"):
            standard = self.symbol_candidates(text)
        elif kind == "pillar":
            standard = self.pillar_candidates(text)
        candidates = standard + self.id_candidates(spec, text)
        found = self.existing(spec, candidates)
        if found:
            return found[0]
        if standard and kind != "any":
            return standard[0]
        rows = self.backend.select(
            NAME_QUERY % spec.pattern, {"key": Literal(text.lower())}
        ).rows
        if not rows:
            raise UnresolvedName(f"no {kind} matches {text!r}: give {spec.hint}")
        best = min(int(rank) for _, rank, _ in rows)
        matches = sorted(
            {(str(s), str(label or "")) for s, rank, label in rows if int(rank) == best}
        )
        if len(matches) > 1:
            listed = "; ".join(
                f"{label} <{s}>" if label else f"<{s}>" for s, label in matches[:6]
            )
            raise UnresolvedName(
                f"{text!r} matches {len(matches)} of kind {kind}: {listed}. "
                "Give an id or the full IRI."
            )
        return URIRef(matches[0][0])

    def id_candidates(self, spec: Kind, text: str) -> list[URIRef]:
        if PATH.match(text) and text.split("/", 1)[0] in ID_SPACES:
            return [mint(*text.split("/"))]
        slug = text.lower()
        if not SLUG.match(slug):
            return []
        return [mint(space, slug) for space in spec.id_spaces]

    def country_candidates(self, text: str) -> list[URIRef]:
        try:
            country = pycountry.countries.lookup(text)
        except LookupError:
            return []
        return [mint("country", country.alpha_3.lower())]

    def pillar_candidates(self, text: str) -> list[URIRef]:
        """The Strategy's four pillars: I, II, III, IV (also 1-4, "Pillar II")."""
        numeral = text.upper().removeprefix("PILLAR").strip()
        numeral = PILLARS.get(numeral, numeral)
        return [mint("pillar", numeral.lower())] if numeral in PILLARS.values() else []

    def symbol_candidates(self, text: str) -> list[URIRef]:
        from ctgraph.sources.symbols import SymbolError, parse_symbol

        try:
            symbol = parse_symbol(text)
        except SymbolError:
            return []
        found = [mint("resolution", symbol.slug)]
        if symbol.body == "SC" and symbol.year is None:
            # "S/RES/2396": the number alone identifies a Security Council resolution
            number = Literal(symbol.number, datatype=XSD.integer)
            rows = self.backend.select(SC_NUMBER_QUERY, {"n": number}).rows
            found += sorted(URIRef(row[0]) for row in rows)
        return found

    def existing(self, spec: Kind, candidates: list[URIRef]) -> list[URIRef]:
        """The candidates the graph holds as things of this kind, in order given."""
        if not candidates:
            return []
        rows = self.backend.select(EXISTS_QUERY % spec.pattern, {"s": candidates}).rows
        present = {row[0] for row in rows}
        return [c for c in candidates if c in present]
