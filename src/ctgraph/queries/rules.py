"""Derived facts: declarative SPARQL CONSTRUCT rules run on the built graph.

Some stored queries recompute the same aggregate on every run (the pairs of
entities implementing activities together, an entity's activities per pillar, the
first and latest report stating a role, a place's activities, a report graph's
size) and grow slow with the graph. Each rule
in `queries/rules/<n>-<name>.rq` states one such fact once; the build runs them in
the order of their numbers, on Oxigraph, each seeing what the rules before it
derived, and keeps their output in one named graph of its own (`id/graph/derived`)
that the TriG, the Turtle, the exports and `ctgraph publish` carry like any other.
A rule's header is a stored query's: `summary`, `description`, and `tags` naming
the stored queries that read its facts.

`derive` is the one function that applies them: the build calls it through
`add_derived` on its dataset, the benchmark on the synthetic graph it has loaded.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, RDF, RDFS

from ctgraph.graph.dataset import derived_graph
from ctgraph.namespaces import DERIVED_GRAPH, RULES_ACTIVITY, rule_iri
from ctgraph.paths import RULES_DIR
from ctgraph.queries.library import QueryError, parse_query, query_form
from ctgraph.store.backends import OxigraphBackend, from_ox
from ctgraph.validation.shacl import InputError

#: a rule's file name: its place in the order, then its name
FILE_NAME = re.compile(r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.rq$")
LABEL = (
    "Facts derived by the rules in queries/rules/ from the other graphs: "
    "co-implementation pairs, activities per entity, pillar and place, when "
    "each role was first and last stated, each report graph's size"
)
ACTIVITY_LABEL = "Running the derivation rules of queries/rules/ in order"


class RuleError(InputError):
    """A rule file that cannot be run as a rule, named with the reason (the
    command line reports it as bad input, exit 2)."""


@dataclass(frozen=True)
class Rule:
    """One `queries/rules/<n>-<name>.rq` file: a CONSTRUCT and its header."""

    order: int
    name: str
    path: Path
    summary: str
    text: str
    #: the stored queries that read the facts it derives (its header's `tags`)
    read_by: tuple[str, ...] = ()


@dataclass
class Derivation:
    """What a run of the rules gave: each rule's quads (in the derived graph) and
    seconds, by rule name, in the order they ran."""

    outputs: dict[str, list[ox.Quad]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def quads(self) -> list[ox.Quad]:
        """Every quad the rules derived (a rule's repeat of an earlier one's
        triple is stored once)."""
        return list(dict.fromkeys(q for out in self.outputs.values() for q in out))


def load_rules(folder: Path = RULES_DIR) -> list[Rule]:
    """Every rule in `folder`, in the order of the numbers their names start with."""
    rules = []
    for path in sorted(folder.glob("*.rq")):
        found = FILE_NAME.match(path.name)
        if not found:
            raise RuleError(
                f"{path}: a rule file is named <number>-<name>.rq "
                "(lower-case words joined by '-')"
            )
        try:
            query = parse_query(path)
        except QueryError as exc:
            raise RuleError(str(exc)) from None
        if query_form(query.text) != "CONSTRUCT":
            raise RuleError(f"{path}: a rule is a CONSTRUCT query")
        if query.parameters:
            raise RuleError(f"{path}: a rule takes no parameters")
        rules.append(
            Rule(
                order=int(found.group(1)),
                name=found.group(2),
                path=path,
                summary=query.summary,
                text=query.text,
                read_by=query.tags,
            )
        )
    orders = [rule.order for rule in rules]
    repeated = sorted({n for n in orders if orders.count(n) > 1})
    if repeated:
        raise RuleError(
            f"{folder}: two rules share the number(s) "
            + ", ".join(map(str, repeated))
            + ": the order must be stated"
        )
    return sorted(rules, key=lambda rule: rule.order)


def derive(store: ox.Store, rules: list[Rule] | None = None) -> Derivation:
    """Run the rules in order on `store` (its named graphs read as one, as the
    stored queries read them) and put their output in the derived graph there,
    replacing what an earlier run left; each rule sees what the ones before it
    derived."""
    rules = load_rules() if rules is None else rules
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    result = Derivation()
    for rule in rules:
        started = time.perf_counter()
        found = store.query(rule.text, use_default_graph_as_union=True)
        quads = list(
            dict.fromkeys(
                ox.Quad(t.subject, t.predicate, t.object, graph) for t in found
            )
        )
        store.bulk_extend(quads)
        result.seconds[rule.name] = time.perf_counter() - started
        result.outputs[rule.name] = quads
    return result


def add_derived(dataset: Dataset, rules: list[Rule] | None = None) -> Derivation:
    """Derive from `dataset`'s graphs (on an Oxigraph copy) into its derived graph,
    described in the default graph with its provenance: generated by running the
    rules, derived from every graph it was computed over."""
    rules = load_rules() if rules is None else rules
    sources = sorted(
        g.identifier
        for g in dataset.graphs()
        if g.identifier != DERIVED_GRAPH
        and g.identifier != dataset.default_graph.identifier
    )
    dataset.remove_graph(DERIVED_GRAPH)
    derivation = derive(OxigraphBackend.from_dataset(dataset).store, rules)
    target = derived_graph(dataset, DERIVED_GRAPH, LABEL)
    for quad in derivation.quads:
        target.add(
            (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
        )
    described = dataset.default_graph
    described.add((DERIVED_GRAPH, PROV.wasGeneratedBy, RULES_ACTIVITY))
    for source in sources:
        described.add((DERIVED_GRAPH, PROV.wasDerivedFrom, source))
    described.add((RULES_ACTIVITY, RDF.type, PROV.Activity))
    described.add((RULES_ACTIVITY, RDFS.label, Literal(ACTIVITY_LABEL, lang="en")))
    for rule in rules:
        plan = rule_iri(rule.name)
        described.add((RULES_ACTIVITY, PROV.used, plan))
        described.add((plan, RDF.type, PROV.Plan))
        described.add((plan, RDFS.label, Literal(rule.summary, lang="en")))
    return derivation
