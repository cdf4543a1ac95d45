"""The ontology documentation: current, complete, self-contained."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ctgraph.namespaces import CTG
from ctgraph.release.docs import DOCS, anchor, render
from ctgraph.validation.shacl import load_ontology


def test_committed_documentation_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "docs/ontology/index.html is stale: run `ctgraph ontology docs`"
    )


def test_every_class_and_property_has_a_section_with_label_and_definition() -> None:
    html = render()
    ontology = load_ontology()
    terms = [
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in ontology.subjects(RDF.type, kind)
        if isinstance(t, URIRef) and str(t).startswith(str(CTG._NS))
    ]
    assert len(terms) > 80
    for term in terms:
        section = re.search(
            rf'<div class="term" id="{anchor(term)}">(.*?)</div>\n?</div>|'
            rf'<div class="term" id="{anchor(term)}">(.*?)</div>',
            html,
            re.DOTALL,
        )
        assert section, term
        text = html[section.start() : section.start() + 4000]
        label = str(ontology.value(term, RDFS.label))
        definition = str(ontology.value(term, SKOS.definition))
        assert label in text and definition[:40].replace("'", "&#x27;") in text, term


def test_constraints_of_a_class_are_shown() -> None:
    html = render()
    start = html.index('<div class="term" id="Citation">')
    section = html[start : html.index('<div class="term"', start + 10)]
    assert "citation needs a locator" in section


def test_diagrams_are_well_formed_svg_and_nothing_is_fetched() -> None:
    html = render()
    svgs = re.findall(r"<svg .*?</svg>", html, re.DOTALL)
    assert len(svgs) == 2
    for svg in svgs:
        ET.fromstring(svg)  # raises on malformed XML
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""src=["']https?:""", html)
