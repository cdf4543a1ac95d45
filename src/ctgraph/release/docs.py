"""HTML documentation of the ontology, generated from it and from the shapes.

Every class and property with its label, definition, domain, range, place in the
hierarchy and the SHACL constraints that apply to it, every concept scheme with
its concepts, and two diagrams (the class hierarchy, and the object properties
between classes) drawn as inline SVG. One self-contained file: no script, font or
style sheet from elsewhere, so it works offline and in a static site.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from ctgraph.namespaces import CTG, ONTOLOGY_IRI, PREFIXES, SHAPES_NS
from ctgraph.paths import REPO
from ctgraph.validation.shacl import ONTOLOGY, SHAPES

SVG = "http://www.w3.org/2000/svg"
DOCS = REPO / "docs" / "ontology" / "index.html"
CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;
padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;margin-top:2.5rem}
h3{margin:1.6rem 0 .3rem;font-size:1.1rem}code{font-size:.9em}
.term{border-left:3px solid #37c;padding:.2rem .8rem;margin:1rem 0}
.iri{color:#555;font-size:.85em}table{border-collapse:collapse;margin:.4rem 0}
td,th{border:1px solid #ddd;padding:.2rem .5rem;vertical-align:top;text-align:left}
nav a{margin-right:.6rem}svg text{font:12px system-ui,sans-serif}
"""


class Docs:
    """The ontology and shapes, read once, with the lookups the page needs."""

    def __init__(self, ontology: Graph, shapes: Graph, imports: list[Graph]) -> None:
        self.o = ontology
        self.s = shapes
        self.labels = Graph()
        for g in [*imports, ontology]:
            self.labels += g.triples((None, RDFS.label, None))
        self.nm = ontology.namespace_manager
        for prefix, ns in {**PREFIXES, "ctgsh": SHAPES_NS}.items():
            self.nm.bind(prefix, ns, replace=True)

    # -- names ---------------------------------------------------------------

    def qname(self, term: URIRef) -> str:
        name = self.nm.normalizeUri(term)
        return str(term) if name.startswith("<") else name

    def label(self, term: URIRef) -> str:
        found = sorted(str(v) for v in self.labels.objects(term, RDFS.label))
        return found[0] if found else self.qname(term)

    def link(self, term: object) -> str:
        if isinstance(term, URIRef):
            if str(term).startswith(str(CTG._NS)):
                name = escape(self.qname(term))
                return f'<a href="#{anchor(term)}"><code>{name}</code></a>'
            return (
                f'<a href="{escape(str(term))}"><code>{escape(self.qname(term))}</code>'
                "</a>"
            )
        return f"<code>{escape(str(term))}</code>"

    def links(self, terms: object) -> str:
        items = sorted(set(terms), key=str)  # type: ignore[arg-type]
        return ", ".join(self.link(t) for t in items) or "&ndash;"

    def text(self, term: URIRef, predicate: URIRef) -> str:
        values = sorted(str(v) for v in self.o.objects(term, predicate))
        return " ".join(escape(v) for v in values)

    # -- terms ---------------------------------------------------------------

    def own(self, kind: URIRef) -> list[URIRef]:
        return sorted(
            t
            for t in self.o.subjects(RDF.type, kind)
            if isinstance(t, URIRef) and str(t).startswith(str(CTG._NS))
        )

    def shape_rows(self, term: URIRef, as_class: bool) -> list[str]:
        """The constraints on a class (shapes targeting it) or on a property
        (property shapes with it as path), one table row each."""
        rows = []
        if as_class:
            for shape in sorted(self.s.subjects(SH.targetClass, term)):
                for prop in sorted(self.s.objects(shape, SH.property), key=str):
                    rows.append(self.constraint_row(shape, prop))
        else:
            for prop in sorted(self.s.subjects(SH.path, term), key=str):
                holders = sorted(self.s.subjects(SH.property, prop)) or [prop]
                for shape in holders:
                    rows.append(self.constraint_row(shape, prop))
            for shape in sorted(self.s.subjects(SH.targetSubjectsOf, term)):
                for prop in sorted(self.s.objects(shape, SH.property), key=str):
                    rows.append(self.constraint_row(shape, prop))
        return sorted(set(rows))

    def constraint_row(self, shape: object, prop: object) -> str:
        parts = []
        for key in (
            SH.minCount,
            SH.maxCount,
            SH.datatype,
            SH["class"],
            SH.pattern,
            SH.minInclusive,
            SH.maxInclusive,
            SH.lessThanOrEquals,
            SH.uniqueLang,
            SH["in"],
            SH["or"],
        ):
            for value in self.s.objects(prop, key):
                parts.append(f"{self.qname(key).split(':')[1]} {self.describe(value)}")
        path = next(self.s.objects(prop, SH.path), None)
        message = next(self.s.objects(prop, SH.message), "")
        where = self.qname(shape) if isinstance(shape, URIRef) else "shape"
        return (
            f"<tr><td><code>{escape(where)}</code></td><td>{self.link(path)}</td>"
            f"<td>{'; '.join(parts) or '&ndash;'}</td>"
            f"<td>{escape(str(message))}</td></tr>"
        )

    def describe(self, value: object) -> str:
        if isinstance(value, BNode):
            members = list(Collection(self.s, value))
            inner = []
            for m in members:
                cls = next(self.s.objects(m, SH["class"]), None)
                inner.append(self.link(cls) if cls is not None else self.link(m))
            return "(" + " | ".join(inner) + ")"
        if isinstance(value, URIRef):
            return self.link(value)
        return f"<code>{escape(str(value))}</code>"

    def class_section(self, cls: URIRef) -> str:
        supers = self.o.objects(cls, RDFS.subClassOf)
        subs = self.o.subjects(RDFS.subClassOf, cls)
        domain_of = self.o.subjects(RDFS.domain, cls)
        range_of = self.o.subjects(RDFS.range, cls)
        return self.term_section(
            cls,
            [
                ("subclass of", self.links(supers)),
                ("superclass of", self.links(subs)),
                ("domain of", self.links(domain_of)),
                ("range of", self.links(range_of)),
            ],
            self.shape_rows(cls, as_class=True),
        )

    def property_section(self, prop: URIRef) -> str:
        kind = next(
            (k for k in self.o.objects(prop, RDF.type) if k != OWL.NamedIndividual),
            None,
        )
        return self.term_section(
            prop,
            [
                ("kind", self.link(kind)),
                ("domain", self.links(self.o.objects(prop, RDFS.domain))),
                ("range", self.links(self.o.objects(prop, RDFS.range))),
                (
                    "sub-property of",
                    self.links(self.o.objects(prop, RDFS.subPropertyOf)),
                ),
            ],
            self.shape_rows(prop, as_class=False),
        )

    def term_section(
        self, term: URIRef, facts: list[tuple[str, str]], constraints: list[str]
    ) -> str:
        rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
        comment = self.text(term, RDFS.comment)
        html = [
            f'<div class="term" id="{anchor(term)}">',
            f"<h3>{escape(self.label(term))}</h3>",
            f'<div class="iri"><code>{escape(str(term))}</code></div>',
            f"<p>{self.text(term, SKOS.definition) or '&ndash;'}</p>",
            f"<p><em>{comment}</em></p>" if comment else "",
            f"<table>{rows}</table>",
        ]
        if constraints:
            html.append(
                "<p>Constrained by the SHACL shapes:</p><table><tr><th>shape</th>"
                "<th>path</th><th>constraint</th><th>message</th></tr>"
                + "".join(constraints)
                + "</table>"
            )
        html.append("</div>")
        return "\n".join(h for h in html if h)

    def scheme_section(self, scheme: URIRef) -> str:
        concepts = sorted(self.o.subjects(SKOS.inScheme, scheme))
        rows = "".join(
            f'<tr id="{anchor(c)}"><td><code>{escape(self.qname(c))}</code></td>'
            f"<td>{escape(self.text(c, SKOS.notation))}</td>"
            f"<td>{escape(self.text(c, SKOS.prefLabel) or self.label(c))}</td>"
            f"<td>{self.text(c, SKOS.definition)}</td></tr>"
            for c in concepts
        )
        return (
            f'<div class="term" id="{anchor(scheme)}"><h3>{escape(self.label(scheme))}'
            f'</h3><div class="iri"><code>{escape(str(scheme))}</code></div>'
            "<table><tr><th>concept</th><th>notation</th><th>label</th>"
            f"<th>definition</th></tr>{rows}</table></div>"
        )

    # -- diagrams ------------------------------------------------------------

    def hierarchy_svg(self, classes: list[URIRef]) -> str:
        """The classes as an indented tree: each under its ctgraph superclass, a
        root shows its reused superclasses."""
        own = set(classes)
        children: dict[URIRef | None, list[URIRef]] = {}
        for c in classes:
            parents = sorted(p for p in self.o.objects(c, RDFS.subClassOf) if p in own)
            for parent in parents or [None]:
                children.setdefault(parent, []).append(c)
        rows: list[tuple[int, URIRef]] = []

        def walk(node: URIRef | None, depth: int) -> None:
            for child in sorted(children.get(node, [])):
                rows.append((depth, child))
                walk(child, depth + 1)

        walk(None, 0)
        step, width = 24, 760
        parts = []
        for i, (depth, cls) in enumerate(rows):
            x, y = 10 + depth * 28, 10 + i * step
            name = self.qname(cls)
            outside = sorted(
                self.qname(p)
                for p in self.o.objects(cls, RDFS.subClassOf)
                if p not in own
            )
            parts.append(
                f'<a href="#{anchor(cls)}"><rect x="{x}" y="{y}" '
                f'width="{8 * len(name) + 16}" '
                f'height="18" rx="3" fill="#eef3fb" stroke="#37c"/>'
                f'<text x="{x + 8}" y="{y + 13}">{escape(name)}</text></a>'
            )
            if outside:
                parts.append(
                    f'<text x="{x + 8 * len(name) + 30}" y="{y + 13}" fill="#666">'
                    f"&#8849; {escape(', '.join(outside))}</text>"
                )
            if depth:
                parts.append(
                    f'<path d="M{x - 18},{y - 6} V{y + 9} H{x}" fill="none" '
                    'stroke="#999"/>'
                )
        height = 20 + len(rows) * step
        return (
            f'<svg xmlns="{SVG}" width="{width}" height="{height}" '
            f'role="img" aria-label="class hierarchy">{"".join(parts)}</svg>'
        )

    def properties_svg(self, properties: list[URIRef]) -> str:
        """Each object property with a ctgraph domain as an arrow from its domain
        to its range."""
        edges = []
        for prop in properties:
            for d in sorted(self.o.objects(prop, RDFS.domain)):
                for r in sorted(self.o.objects(prop, RDFS.range)) or [None]:
                    edges.append(
                        (self.qname(d), self.qname(prop), self.qname(r) if r else "?")
                    )
        edges.sort()
        step = 26
        parts = []
        for i, (d, p, r) in enumerate(edges):
            y = 10 + i * step
            parts.append(
                f'<rect x="10" y="{y}" width="230" height="20" rx="3" fill="#eef3fb" '
                f'stroke="#37c"/><text x="18" y="{y + 14}">{escape(d)}</text>'
                f'<line x1="240" y1="{y + 10}" x2="470" y2="{y + 10}" stroke="#555" '
                f'marker-end="url(#arrow)"/><text x="250" y="{y + 6}" fill="#333">'
                f"{escape(p)}</text>"
                f'<rect x="476" y="{y}" width="260" height="20" rx="3" fill="#f5f5f5" '
                f'stroke="#888"/><text x="484" y="{y + 14}">{escape(r)}</text>'
            )
        height = 20 + len(edges) * step
        marker = (
            '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" '
            'refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker>'
            "</defs>"
        )
        return (
            f'<svg xmlns="{SVG}" width="760" height="{height}" '
            f'role="img" aria-label="object properties">{marker}{"".join(parts)}</svg>'
        )

    # -- page ----------------------------------------------------------------

    def page(self) -> str:
        o, me = self.o, ONTOLOGY_IRI
        classes = self.own(OWL.Class)
        objects = self.own(OWL.ObjectProperty)
        datatypes = self.own(OWL.DatatypeProperty)
        schemes = self.own(SKOS.ConceptScheme)
        version = next(o.objects(me, OWL.versionInfo), "")
        version_iri = next(o.objects(me, OWL.versionIRI), "")
        header = [
            ("IRI", self.link(me)),
            ("version", f"{escape(str(version))} ({self.link(version_iri)})"),
            ("licence", self.links(o.objects(me, DCTERMS.license))),
            ("imports", self.links(o.objects(me, OWL.imports))),
        ]
        facts = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in header)
        title = next(o.objects(me, DCTERMS.title), Literal("ctgraph ontology"))
        sections = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{escape(str(title))}</title>",
            f"<style>{CSS}</style></head><body>",
            f"<h1>{escape(str(title))}</h1>",
            f"<p>{self.text(me, DCTERMS.description)}</p>",
            f"<table>{facts}</table>",
            f"<p>{self.text(me, RDFS.comment)}</p>",
            '<nav><a href="#diagrams">Diagrams</a><a href="#classes">Classes '
            f'({len(classes)})</a><a href="#object-properties">Object properties '
            f'({len(objects)})</a><a href="#datatype-properties">Datatype properties '
            f'({len(datatypes)})</a><a href="#schemes">Concept schemes '
            f"({len(schemes)})</a></nav>",
            '<h2 id="diagrams">Diagrams</h2><h3>Classes</h3>',
            self.hierarchy_svg(classes),
            "<h3>Object properties between classes</h3>",
            self.properties_svg(objects),
            '<h2 id="classes">Classes</h2>',
            *(self.class_section(c) for c in classes),
            '<h2 id="object-properties">Object properties</h2>',
            *(self.property_section(p) for p in objects),
            '<h2 id="datatype-properties">Datatype properties</h2>',
            *(self.property_section(p) for p in datatypes),
            '<h2 id="schemes">Concept schemes</h2>',
            *(self.scheme_section(s) for s in schemes),
            "<p><small>Generated from ontology/ctgraph.ttl and ontology/shapes.ttl by "
            "<code>ctgraph ontology docs</code>.</small></p>",
            "</body></html>",
            "",
        ]
        return "\n".join(sections)


def anchor(term: URIRef) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def render(ontology_file: Path = ONTOLOGY, shapes_file: Path = SHAPES) -> str:
    """The documentation page of the ontology, as HTML text."""
    from ctgraph.release.reasoning import module_files

    ontology = Graph().parse(ontology_file)
    imports = [Graph().parse(p) for p in module_files(ontology_file) if p.is_file()]
    return Docs(ontology, Graph().parse(shapes_file), imports).page()
