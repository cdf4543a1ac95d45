"""The data-quality view finds what it should and nothing else."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ctgraph.validation.quality import disagreements, fold, near_duplicates, undated

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "quality.ttl"


def graph() -> Graph:
    return Graph().parse(FIXTURE)


def test_undated_records() -> None:
    found = undated(graph())
    assert [f.subject for f in found] == ["Undated programme"]
    assert found[0].sources == "r1 (line 1)"


def test_near_duplicate_names() -> None:
    found = near_duplicates(graph())
    assert len(found) == 1
    assert "United Nations Counter-Terrorism Centre" in found[0].subject


def test_disagreeing_figures_kept_side_by_side() -> None:
    found = disagreements(graph())
    assert len(found) == 1
    assert "38.0 per r1 (line 1)" in found[0].detail
    assert "42.0 per r2 (line 9)" in found[0].detail


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Côte d'Ivoire") == fold("COTE D'IVOIRE")
