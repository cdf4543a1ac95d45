"""Deterministic serialisation and atomic writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ctgraph.exports import (
    FORMATS,
    atomic_write,
    bound_prefixes,
    compact_iri,
    serialise,
    store_serialise,
)
from ctgraph.graph.dataset import union
from ctgraph.namespaces import CTG, ID, PREFIXES
from ctgraph.store.backends import OxigraphBackend

ROOT = Path(__file__).resolve().parents[1]


def build_with_seed(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "ctgraph", "build", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return {name: (out / name).read_bytes() for name in ("ctgraph.trig", "ctgraph.ttl")}


def test_same_sources_give_byte_identical_outputs(tmp_path: Path) -> None:
    first = build_with_seed(tmp_path / "a", "1")
    second = build_with_seed(tmp_path / "b", "2")
    assert first == second
    # the same content is the same build folder
    assert os.readlink(tmp_path / "a" / "current") == os.readlink(
        tmp_path / "b" / "current"
    )


EVERY_FORMAT = """
import sys
from ctgraph.build import assemble
from ctgraph.exports import FORMATS, serialise
dataset, merged = assemble()
for fmt in sorted(FORMATS):
    graph = dataset if fmt in ("trig", "nq") else merged
    sys.stdout.buffer.write(fmt.encode() + b"\\0" + serialise(graph, fmt) + b"\\0")
"""


def export_every_format(seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", EVERY_FORMAT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    ).stdout
    parts = out.split(b"\0")[:-1]
    return {parts[i].decode(): parts[i + 1] for i in range(0, len(parts), 2)}


def test_every_export_format_is_byte_identical_across_hash_seeds() -> None:
    first, second = export_every_format("3"), export_every_format("4")
    assert set(first) == set(FORMATS) and len(first) >= 5
    for fmt in FORMATS:
        assert len(first[fmt]) > 100_000, fmt
        assert first[fmt] == second[fmt], f"{fmt} differs between hash seeds"


def test_line_based_formats_are_sorted() -> None:
    graph = Graph()
    for n in (3, 1, 2):
        graph.add((URIRef(f"urn:x:{n}"), URIRef("urn:p"), Literal(n)))
    lines = serialise(graph, "nt").decode().splitlines()
    assert lines == sorted(lines) and len(lines) == 3


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")

    class Boom(bytes):
        def __len__(self) -> int:
            raise RuntimeError("disk full")

    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"


def small_graph(order: int = 1) -> Graph:
    """Three statements, added in the given order, with one foreign prefix bound."""
    graph = Graph()
    graph.bind("other", "urn:other:")
    statements = [
        (URIRef("urn:x:2"), RDFS.label, Literal("two")),
        (URIRef("urn:x:2"), RDF.type, RDFS.Class),
        (URIRef("urn:x:1"), RDFS.label, Literal("one")),
    ]
    for triple in statements[::order]:
        graph.add(triple)
    return graph


def small_dataset(order: int = 1) -> Dataset:
    """Two named graphs (added out of IRI order), an empty one and a default graph."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    content = {
        URIRef("urn:g:b"): [(URIRef("urn:x:3"), RDFS.label, Literal("3"))],
        URIRef("urn:g:a"): list(small_graph(order)),
        URIRef("urn:g:empty"): [],
    }
    for name, triples in list(content.items())[::order]:
        graph = dataset.graph(name)
        for triple in triples:
            graph.add(triple)
    dataset.add((URIRef("urn:x:0"), RDFS.label, Literal("zero")))
    return dataset


def statements(graph: Graph | Dataset) -> set[tuple[object, ...]]:
    """Every statement with the name of its graph, or None in one graph."""
    if isinstance(graph, Dataset):
        return {(s, p, o, str(g)) for s, p, o, g in graph.quads()}
    return {(s, p, o, None) for s, p, o in graph}


def prefix_lines(*names: str) -> str:
    return "".join(f"@prefix {n}: <{PREFIXES[n]}> .\n" for n in names)


# the namespaces a fresh rdflib Graph binds that are also the project's prefixes
GRAPH_PREFIXES = prefix_lines(
    *sorted(p for p, ns in Graph().namespaces() if str(PREFIXES.get(p)) == str(ns))
)


def test_turtle_has_sorted_known_prefixes_types_first_and_subjects_in_order() -> None:
    expected = (
        GRAPH_PREFIXES + "\n"
        '<urn:x:1> rdfs:label "one" .\n'
        '<urn:x:2> a rdfs:Class ;\n\trdfs:label "two" .\n'
    )
    assert serialise(small_graph(), "ttl").decode() == expected
    # one graph as TriG is the same statements in the default graph
    assert serialise(small_graph(), "trig").decode() == expected


def test_trig_of_a_dataset_has_graphs_in_iri_order_and_no_empty_graph() -> None:
    text = serialise(small_dataset(), "trig").decode()
    assert text == (
        prefix_lines(*sorted(PREFIXES)) + "\n"
        "<urn:g:a> {\n"
        '\t<urn:x:1> rdfs:label "one" .\n'
        '\t<urn:x:2> a rdfs:Class ;\n\t\trdfs:label "two" .\n'
        "}\n"
        "<urn:g:b> {\n"
        '\t<urn:x:3> rdfs:label "3" .\n'
        "}\n"
        '<urn:x:0> rdfs:label "zero" .\n'
    )


def test_line_based_formats_are_unique_sorted_lines_ending_in_a_newline() -> None:
    assert serialise(small_graph(), "nt").decode() == (
        f'<urn:x:1> <{RDFS.label}> "one" .\n'
        f"<urn:x:2> <{RDF.type}> <{RDFS.Class}> .\n"
        f'<urn:x:2> <{RDFS.label}> "two" .\n'
    )
    quads = serialise(small_dataset(), "nq").decode()
    assert quads.endswith(" .\n") and "\n\n" not in quads
    assert quads.splitlines() == sorted(set(quads.splitlines()))
    assert len(quads.splitlines()) == 5


def test_blank_nodes_are_nested_by_rdflib_and_trig_keeps_graph_order() -> None:
    dataset = Dataset()
    dataset.bind("rdfs", str(RDFS))
    dataset.bind("ex", "urn:ex:")
    dataset.graph(URIRef("urn:g:b")).add((URIRef("urn:x:1"), RDFS.label, Literal("y")))
    dataset.graph(URIRef("urn:g:a")).add((BNode(), URIRef("urn:ex:p"), Literal("x")))
    dataset.graph(URIRef("urn:g:empty"))
    dataset.add((URIRef("urn:x:0"), RDFS.label, Literal("zero")))
    assert serialise(dataset, "trig").decode() == (
        "@prefix ex: <urn:ex:> .\n" + prefix_lines("rdfs") + "\n"
        "<urn:g:a> {\n"
        '    [] ex:p "x" .\n'
        "}\n\n"
        "<urn:g:b> {\n"
        '    <urn:x:1> rdfs:label "y" .\n'
        "}\n\n"
        "{\n"
        '    <urn:x:0> rdfs:label "zero" .\n'
        "}\n"
    )
    graph = Graph()
    graph.add((BNode(), RDFS.label, Literal("x")))
    assert "[] rdfs:label" in serialise(graph, "ttl").decode()


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "rdfxml", "trig", "nq"])
def test_insertion_order_does_not_change_the_bytes(fmt: str) -> None:
    make = small_dataset if fmt in ("trig", "nq") else small_graph
    assert serialise(make(1), fmt) == serialise(make(-1), fmt)


def test_statements_differing_only_in_their_object_are_in_object_order() -> None:
    objects = [Literal("b"), Literal("a"), Literal("c")]
    made = []
    for order in (1, -1):
        graph = Graph()
        for o in objects[::order]:
            graph.add((URIRef("urn:x:1"), RDFS.label, o))
        made.append(serialise(graph, "ttl"))
    assert made[0] == made[1]
    assert made[0].decode().endswith('rdfs:label "a" , "b" , "c" .\n')


def test_atomic_write_goes_through_a_hidden_file_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: list[tuple[Path, Path]] = []
    replace = os.replace

    def recording_replace(source: str, target: Path) -> None:
        renamed.append((Path(source), Path(target)))
        replace(source, target)

    monkeypatch.setattr(os, "replace", recording_replace)
    atomic_write(tmp_path / "out.nt", b"data")
    ((source, target),) = renamed
    assert target == tmp_path / "out.nt" and source.parent == tmp_path
    assert source.name.startswith(".out.nt.")


def test_every_format_reads_back_as_the_same_statements() -> None:
    assert len(FORMATS) >= 6
    for fmt, (rdflib_format, _) in FORMATS.items():
        graph = small_dataset() if fmt in ("trig", "nq") else small_graph()
        back = Dataset() if isinstance(graph, Dataset) else Graph()
        back.parse(data=serialise(graph, fmt), format=rdflib_format)
        assert statements(back) == statements(graph), fmt


def test_unknown_formats_and_a_dataset_in_a_one_graph_format_are_refused() -> None:
    with pytest.raises(ValueError) as unknown:
        serialise(small_graph(), "owl")
    assert str(unknown.value) == (
        "unknown format 'owl'; choose one of " + ", ".join(FORMATS)
    )
    for fmt in ("ttl", "nt", "jsonld", "rdfxml"):
        with pytest.raises(ValueError) as one_graph:
            serialise(small_dataset(), fmt)
        assert str(one_graph.value) == (
            f"format {fmt} holds one graph: pass the merged graph"
        )


def test_atomic_write_creates_folders_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "a" / "b" / "out.nt"
    atomic_write(target, b"data")
    assert target.read_bytes() == b"data"
    assert [p.name for p in target.parent.iterdir()] == ["out.nt"]


def linked_graph() -> Graph:
    """Two nodes, out of IRI order, with two labels and links in and out of id/."""
    graph = Graph()
    graph.bind("other", "urn:other:")
    graph.bind("ctg", str(CTG))
    later, earlier = URIRef(f"{ID}entity/b-office"), URIRef(f"{ID}entity/a-office")
    graph.add((later, RDF.type, CTG.Entity))
    graph.add((later, RDFS.label, Literal("Zoë", lang="en")))
    graph.add((later, RDFS.label, Literal("Alpha", lang="en")))
    graph.add((earlier, RDFS.seeAlso, later))
    graph.add((earlier, RDFS.seeAlso, URIRef(f"{ID}//x")))  # would read as //x
    graph.add((earlier, RDFS.seeAlso, URIRef("urn:other:x")))
    return graph


def test_json_ld_nodes_in_iri_order_values_sorted_ids_compacted() -> None:
    data = serialise(linked_graph(), "jsonld")
    context = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    expected = {
        "@context": context,
        "@graph": [
            {
                "@id": "id:entity/a-office",
                "rdfs:seeAlso": [
                    {"@id": f"{ID}//x"},
                    {"@id": "id:entity/b-office"},
                    {"@id": "urn:other:x"},
                ],
            },
            {
                "@id": "id:entity/b-office",
                "@type": "ctg:Entity",
                "rdfs:label": [
                    {"@language": "en", "@value": "Alpha"},
                    {"@language": "en", "@value": "Zoë"},
                ],
            },
        ],
    }
    text = json.dumps(expected, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    assert data.decode("utf-8") == text


def test_json_ld_of_one_node_and_of_a_blank_node() -> None:
    graph = Graph()
    graph.add((URIRef(f"{ID}entity/x"), RDFS.label, Literal("x")))
    nodes = json.loads(serialise(graph, "jsonld"))["@graph"]
    assert nodes == [{"@id": "id:entity/x", "rdfs:label": "x"}]
    graph = Graph()
    graph.add((BNode("b1"), RDFS.label, Literal("y")))
    (node,) = json.loads(serialise(graph, "jsonld"))["@graph"]
    assert node["@id"].startswith("_:") and node["rdfs:label"] == "y"
    assert json.loads(serialise(Graph(), "jsonld"))["@graph"] == []


def test_rdf_xml_has_nodes_in_order_and_only_the_known_prefixes() -> None:
    text = serialise(linked_graph(), "rdfxml").decode("utf-8")
    assert text.index(f'rdf:about="{ID}entity/a-office"') < text.index(
        f'<ctg:Entity rdf:about="{ID}entity/b-office"'
    )
    links = [line.strip() for line in text.splitlines() if "seeAlso" in line]
    assert links == [
        f'<rdfs:seeAlso rdf:resource="{ID}//x"/>',
        f'<rdfs:seeAlso rdf:resource="{ID}entity/b-office"/>',
        '<rdfs:seeAlso rdf:resource="urn:other:x"/>',
    ]
    assert 'xmlns:ctg="https://w3id.org/ctgraph/ontology#"' in text
    assert "urn:other:" not in text.split(">", 2)[1]  # not declared as a namespace


def awkward_dataset() -> Dataset:
    """What could put a store's statements in another order than rdflib's: a
    subject whose IRI begins another's, a statement in two graphs and in the
    default graph, typed and language-tagged objects differing only in type."""
    dataset = small_dataset()
    short, longer = ID["a"], ID["a/b"]
    for name in ("urn:g:b", "urn:g:c"):
        graph = dataset.graph(URIRef(name))
        graph.add((longer, RDFS.label, Literal("ab")))
        graph.add((short, RDF.type, CTG.Project))
        graph.add((short, RDFS.label, Literal("1", datatype=RDFS.Literal)))
        graph.add((short, RDFS.label, Literal("1", lang="en")))
        graph.add((short, RDFS.label, Literal("1")))
    dataset.add((longer, RDFS.label, Literal("ab")))
    return dataset


def test_a_store_is_written_as_the_graphs_it_was_loaded_from() -> None:
    dataset = awkward_dataset()
    store = OxigraphBackend.from_dataset(dataset).store
    merged = union(dataset)
    trig = store_serialise(store, "trig", bound_prefixes(dataset))
    assert trig == serialise(dataset, "trig")
    turtle = store_serialise(store, "ttl", bound_prefixes(merged))
    assert turtle == serialise(merged, "ttl")
    assert turtle is not None
    text = turtle.decode()  # a subject before those its IRI begins
    assert text.index('"1"@en') < text.index('"ab"')


def test_a_store_with_blank_nodes_is_left_to_the_rdflib_writers() -> None:
    dataset = small_dataset()
    dataset.graph(URIRef("urn:g:a")).add((BNode(), RDFS.label, Literal("x")))
    store = OxigraphBackend.from_dataset(dataset).store
    assert store_serialise(store, "trig", bound_prefixes(dataset)) is None
    with pytest.raises(ValueError, match="ttl or trig"):
        store_serialise(store, "nt", {})


def test_a_subjects_type_comes_first_even_before_a_lower_predicate_iri() -> None:
    graph = Graph()
    graph.bind("dcterms", DCTERMS)
    graph.bind("ctg", CTG)
    subject = URIRef("urn:x:1")
    graph.add((subject, DCTERMS.title, Literal("t")))  # sorts before rdf:type
    graph.add((subject, RDF.type, CTG.Project))
    for fmt in ("ttl", "rdfxml"):
        text = serialise(graph, fmt).decode()
        assert text.index("Project") < text.index("title"), fmt


def test_json_ld_nodes_in_iri_order_where_a_character_sorts_below_a_quote() -> None:
    graph = Graph()
    for iri in ("urn:x:a!b", "urn:x:a"):  # "!" sorts below the JSON string's '"'
        graph.add((URIRef(iri), RDFS.label, Literal(iri)))
    nodes = json.loads(serialise(graph, "jsonld"))["@graph"]
    assert [node["@id"] for node in nodes] == ["urn:x:a", "urn:x:a!b"]


def test_compact_iri_takes_the_longest_namespace_and_never_the_whole_iri() -> None:
    # the longer the namespace, the lower its prefix's name
    context = {"y": "urn:x:y/", "z": "urn:x:", "x": "urn:x:y/z/"}
    assert compact_iri("urn:x:y/z/w", context) == "x:w"
    assert compact_iri("urn:x:y/w", context) == "y:w"
    # an IRI equal to a namespace takes a shorter one, never an empty local name
    assert compact_iri("urn:x:y/", context) == "z:y/"
    assert compact_iri(str(ID), {p: str(ns) for p, ns in PREFIXES.items()}) == str(ID)
