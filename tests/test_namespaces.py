"""Every ctg: term used anywhere is declared in the ontology, and only those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from ctgraph.build import BuildResult
from ctgraph.namespaces import CTG
from ctgraph.validation.shacl import ONTOLOGY

ROOT = Path(__file__).resolve().parents[1]
NS = str(CTG._NS)


def declared() -> set[str]:
    ontology = Graph().parse(ONTOLOGY)
    return {str(s) for s in ontology.subjects() if str(s).startswith(NS)}


def test_namespace_class_matches_ontology() -> None:
    in_code = {NS + name for name in CTG.__annotations__}
    assert in_code == declared()


def test_mistyped_term_raises() -> None:
    with pytest.raises(AttributeError):
        CTG.implementedby  # noqa: B018


def test_terms_in_built_graph_are_declared(real_build: BuildResult) -> None:
    used = {
        str(t) for triple in real_build.merged for t in triple if str(t).startswith(NS)
    }
    assert used and used <= declared()


def test_terms_in_text_files_are_declared() -> None:
    files = [
        *ROOT.glob("ontology/*.ttl"),
        *ROOT.glob("queries/**/*.rq"),
        *ROOT.glob("src/ctgraph/**/*.py"),
    ]
    assert files
    pattern = re.compile(r"\bctg:([A-Za-z][A-Za-z0-9]*)")
    names = {NS + m for f in files for m in pattern.findall(f.read_text())}
    assert names - declared() == set()
