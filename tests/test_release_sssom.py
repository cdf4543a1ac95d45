"""Link sets as SSSOM TSV: the metadata header and one row per link."""

from __future__ import annotations

import csv
import io

import yaml

from ctgraph import build as pipeline
from ctgraph.namespaces import links_graph
from ctgraph.release.sssom import COLUMNS, mapping_tables


def read(text: str) -> tuple[dict, list[dict[str, str]]]:
    header = "\n".join(line[1:] for line in text.splitlines() if line.startswith("#"))
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return yaml.safe_load(header), list(
        csv.DictReader(io.StringIO(body), delimiter="\t")
    )


def test_one_table_per_link_set_with_a_row_per_link(
    real_build: pipeline.BuildResult,
) -> None:
    tables = mapping_tables(real_build.dataset)
    assert list(tables) == ["links-cr-unsc.sssom.tsv"]
    metadata, rows = read(tables["links-cr-unsc.sssom.tsv"])
    links = real_build.dataset.graph(links_graph("cr-unsc"))
    assert len(rows) == len(links) == 37
    assert tuple(rows[0]) == COLUMNS
    # the slots SSSOM requires, and every CURIE's prefix in the curie map
    assert {"mapping_set_id", "license", "curie_map"} <= set(metadata)
    for row in rows:
        for column in ("subject_id", "predicate_id", "object_id"):
            prefix = row[column].split(":", 1)[0]
            assert prefix in metadata["curie_map"], row[column]
        assert row["mapping_justification"] == "semapv:DatabaseCrossReference"
    expanded = {
        (
            metadata["curie_map"]["id"] + r["subject_id"].split(":", 1)[1],
            metadata["curie_map"]["digitallibrary"] + r["object_id"].split(":", 1)[1],
        )
        for r in rows
    }
    assert expanded == {(str(s), str(o)) for s, _, o in links}
    by_subject = {r["subject_id"]: r for r in rows}
    assert by_subject["id:resolution/s-res-1373-2001"]["subject_label"] == (
        "S/RES/1373 (2001)"
    )
