"""The OWL 2 DL check: the real ontology and its import modules load offline in
owlready2 and HermiT finds no unsatisfiable class; the check names one when there
is, and says why when HermiT refuses an ontology."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgraph.release.reasoning import (
    ReasonerRefused,
    check,
    java_reason,
    module_files,
    unavailable_reason,
)
from ctgraph.validation.shacl import ONTOLOGY

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ontology"
REASON = unavailable_reason()
needs_reasoner = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def test_every_declared_import_has_its_module_file() -> None:
    files = module_files(ONTOLOGY)
    assert len(files) == 6
    assert all(p.is_file() for p in files), [str(p) for p in files if not p.is_file()]


@needs_reasoner
def test_ontology_is_consistent_with_no_unsatisfiable_class() -> None:
    report = check()
    assert report.consistent and report.unsatisfiable == [], report.lines()
    assert report.modules == 6
    assert report.classes >= 35


@needs_reasoner
def test_unsatisfiable_class_is_named() -> None:
    report = check(FIXTURES / "unsatisfiable.ttl")
    assert report.consistent and not report.ok
    assert report.unsatisfiable == ["https://example.org/unsat#PersonOrganisation"]


@needs_reasoner
def test_date_range_outside_the_datatype_map_is_refused_with_hermits_reason() -> None:
    with pytest.raises(ReasonerRefused, match="OWL 2 datatype map"):
        check(FIXTURES / "date-range.ttl")


def test_java_reason_is_the_exception_line_not_the_stack() -> None:
    trace = (
        "Java error message is:\nException in thread main\n"
        "java.lang.IllegalArgumentException: the datatype is not supported\n"
        "\tat org.semanticweb.HermiT.Reasoner.<init>(Reasoner.java:108)"
    )
    assert java_reason(RuntimeError(trace)) == "the datatype is not supported"
