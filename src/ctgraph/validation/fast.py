"""Set-at-a-time SHACL validation: the shapes compiled to SPARQL, run on Oxigraph.

pySHACL checks one focus node at a time through rdflib's SPARQL engine (about 6 ms a
node here), which takes minutes on a scaled-up graph. This module reads the shapes
graph with rdflib and compiles each constraint into one SELECT query over all of its
focus nodes at once, run by Oxigraph. It reports the same results as pySHACL (focus
node, source shape, result path, constraint component, value, message, severity),
including pySHACL's multiplicities: a property shape shared by two node shapes is
checked once per node shape, as pySHACL does.

Results carry the shape's sh:message (every shape of the project has one); a shape
without one gets a short message of our own, not pySHACL's wording. Only the SHACL
Core features and SPARQL constraints listed in `SUPPORTED` are compiled; any other
feature raises `UnsupportedShape`, so a new shape can never be skipped silently
(`validation.validate` then falls back to pySHACL).

The store's default graph must be the union of the data (Oxigraph's
`use_default_graph_as_union`), so a triple stated in two named graphs is seen twice:
every query counts and reports DISTINCT values, and the results are deduplicated.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ctgraph.store.backends import from_ox, ox_converter


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature this compiler does not translate."""


#: constraint parameters compiled here; every other sh: parameter raises
SUPPORTED = {
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.flags,
    SH["in"],
    SH.hasValue,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.uniqueLang,
    SH["or"],
    SH.sparql,
}
#: shape properties that are not constraints
IGNORED = {
    SH.path,
    SH.property,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.declare,
    SH.prefixes,
}
#: datatypes whose lexical form SPARQL can check by casting (ill-typed -> error)
CASTABLE = {
    XSD.integer,
    XSD.decimal,
    XSD.float,
    XSD.double,
    XSD.boolean,
    XSD.dateTime,
    XSD.date,
    XSD.string,
}
COMPARISONS = {
    SH.minInclusive: (">=", SH.MinInclusiveConstraintComponent),
    SH.maxInclusive: ("<=", SH.MaxInclusiveConstraintComponent),
    SH.minExclusive: (">", SH.MinExclusiveConstraintComponent),
    SH.maxExclusive: ("<", SH.MaxExclusiveConstraintComponent),
}
#: stands for the classes below the given ones (rdfs:subClassOf*) in the data; run
#: time fills it in, so a type test is one index lookup instead of a path search
SUBCLASSES = re.compile(r"%%SUBCLASSES\(([^)]*)\)%%")


def instance_of(var: str, classes: Iterable[Node], type_var: str = "?t") -> str:
    """A pattern binding `var` to SHACL instances of any of `classes`."""
    names = " ".join(sparql_term(c) for c in sorted(classes, key=str))
    return (
        f"VALUES {type_var} {{ %%SUBCLASSES({names})%% }} {var} <{RDF.type}> {type_var}"
    )


def sparql_term(term: Node) -> str:
    """A term written for a query; blank nodes cannot be named in SPARQL."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise UnsupportedShape(f"cannot name {term!r} in a query")


@dataclass(frozen=True)
class RawResult:
    """One validation result as terms, before it is formatted for people."""

    focus: Node
    source_shape: Node
    component: URIRef
    path: Node | None
    value: Node | None
    message: str
    severity: URIRef


@dataclass
class Check:
    """One constraint of one shape, compiled to a query over all its focus nodes.

    The query binds `?this` (and `?value` when the result has a value); a
    SPARQL-based check may also bind `?path` and further variables for its message.
    """

    node_shape: Node
    shape: Node
    component: URIRef
    path: Node | None
    query: str
    messages: list[str] = field(default_factory=list)
    severity: URIRef = SH.Violation
    sparql: bool = False
    with_value: bool = True


class ShapeCompiler:
    """Read a shapes graph and turn every constraint into a `Check`."""

    def __init__(self, shapes: Graph) -> None:
        self.sg = shapes

    # --- shapes and targets -----------------------------------------------------

    def shapes_with_targets(self) -> list[Node]:
        found: set[Node] = set()
        for predicate in (
            SH.targetClass,
            SH.targetNode,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
        ):
            found.update(self.sg.subjects(predicate, None))
        for cls in (RDFS.Class, OWL.Class):
            for shape in self.sg.subjects(RDF.type, cls):
                if (shape, RDF.type, SH.NodeShape) in self.sg:
                    found.add(shape)
        for shape in list(found):
            if self.deactivated(shape):
                found.discard(shape)
        return sorted(found, key=str)

    def deactivated(self, shape: Node) -> bool:
        flag = self.sg.value(shape, SH.deactivated)
        return isinstance(flag, Literal) and flag.value is True

    def targets(self, shape: Node) -> str:
        """A sub-select of the shape's focus nodes, as distinct `?this` bindings."""
        parts = []
        classes = set(self.sg.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.sg or (
            shape,
            RDF.type,
            OWL.Class,
        ) in self.sg:
            classes.add(shape)
        if classes:
            parts.append(f"{{ {instance_of('?this', classes)} }}")
        nodes = sorted(self.sg.objects(shape, SH.targetNode), key=str)
        if nodes:
            values = " ".join(sparql_term(n) for n in nodes)
            parts.append(f"{{ VALUES ?this {{ {values} }} }}")
        for p in sorted(self.sg.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"{{ ?this {sparql_term(p)} [] }}")
        for p in sorted(self.sg.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"{{ [] {sparql_term(p)} ?this }}")
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    # --- paths ------------------------------------------------------------------

    def path(self, node: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return sparql_term(node)
        if (node, RDF.first, None) in self.sg:
            return "(" + "/".join(self.path(p) for p in Collection(self.sg, node)) + ")"
        for predicate, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = self.sg.value(node, predicate)
            if inner is not None:
                return template.format(self.path(inner))
        alternatives = self.sg.value(node, SH.alternativePath)
        if alternatives is not None:
            items = Collection(self.sg, alternatives)
            return "(" + "|".join(self.path(p) for p in items) + ")"
        raise UnsupportedShape(f"unknown path {node!r}")

    # --- compiling ----------------------------------------------------------------

    def compile(self) -> list[Check]:
        checks: list[Check] = []
        for shape in self.shapes_with_targets():
            focus = self.targets(shape)
            checks.extend(self.shape_checks(shape, shape, focus))
            if self.sg.value(shape, SH.path) is not None:
                continue
            for prop in self.sg.objects(shape, SH.property):
                if self.deactivated(prop):
                    continue
                checks.extend(self.shape_checks(shape, prop, focus))
        return checks

    def shape_checks(self, node_shape: Node, shape: Node, focus: str) -> list[Check]:
        """The checks of one shape's own constraints, for the given focus nodes."""
        path_node = self.sg.value(shape, SH.path)
        if path_node is not None:
            values = f"?this {self.path(path_node)} ?value ."
        else:
            values = "BIND(?this AS ?value)"
            if shape != node_shape:
                raise UnsupportedShape(
                    f"{shape} is referenced by sh:property but has no sh:path"
                )
        for predicate in set(self.sg.predicates(shape, None)):
            if predicate in SUPPORTED or predicate in IGNORED or predicate == RDF.type:
                continue
            if str(predicate).startswith(str(SH)):
                raise UnsupportedShape(f"{shape}: {predicate} is not compiled")
        if path_node is not None and (shape, SH.property, None) in self.sg:
            raise UnsupportedShape(f"{shape}: nested sh:property is not compiled")
        messages = [str(m) for m in self.sg.objects(shape, SH.message)]
        severity = self.sg.value(shape, SH.severity) or SH.Violation

        def check(component: URIRef, query: str, with_value: bool = True) -> Check:
            return Check(
                node_shape,
                shape,
                component,
                path_node,
                query,
                messages,
                severity,  # type: ignore[arg-type]
                with_value=with_value,
            )

        checks: list[Check] = []
        for cls in sorted(self.sg.objects(shape, SH["class"]), key=str):
            # an anti-join: values minus the instances of the class
            checks.append(
                check(
                    SH.ClassConstraintComponent,
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} "
                    f"MINUS {{ {instance_of('?value', [cls])} }} }}",
                )
            )
        for component, condition in self.value_tests(shape, direct_class=True):
            checks.append(
                check(
                    component,
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} "
                    f"FILTER(!COALESCE({condition}, false)) }}",
                )
            )
        for wanted in sorted(self.sg.objects(shape, SH.hasValue), key=str):
            checks.append(
                check(
                    SH.HasValueConstraintComponent,
                    f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values} "
                    f"FILTER(sameTerm(?value, {sparql_term(wanted)})) }} }}",
                    with_value=False,
                )
            )
        if path_node is not None:
            checks.extend(self.count_checks(shape, focus, values, check))
            checks.extend(self.pair_checks(shape, focus, values, check))
        elif (shape, SH.minCount, None) in self.sg or (shape, SH.uniqueLang, None) in (
            self.sg
        ):
            raise UnsupportedShape(f"{shape}: cardinality needs a property shape")
        for constraint in self.sg.objects(shape, SH.sparql):
            checks.append(self.sparql_check(node_shape, shape, constraint, focus))
        return checks

    def value_tests(
        self, shape: Node, direct_class: bool = False
    ) -> list[tuple[URIRef, str]]:
        """Per value node constraints, as (component, SPARQL condition on ?value)."""
        tests: list[tuple[URIRef, str]] = []
        if not direct_class:
            for cls in sorted(self.sg.objects(shape, SH["class"]), key=str):
                tests.append((SH.ClassConstraintComponent, class_test(cls)))
        datatype = self.sg.value(shape, SH.datatype)
        if datatype is not None:
            tests.append((SH.DatatypeConstraintComponent, datatype_test(datatype)))
        kind = self.sg.value(shape, SH.nodeKind)
        if kind is not None:
            tests.append((SH.NodeKindConstraintComponent, node_kind_test(kind)))
        flags = self.sg.value(shape, SH.flags)
        for pattern in sorted(self.sg.objects(shape, SH.pattern), key=str):
            tests.append((SH.PatternConstraintComponent, pattern_test(pattern, flags)))
        members = self.sg.value(shape, SH["in"])
        if members is not None:
            tests.append(
                (SH.InConstraintComponent, in_test(Collection(self.sg, members)))
            )
        for parameter, (operator, component) in COMPARISONS.items():
            for bound in self.sg.objects(shape, parameter):
                tests.append((component, f"(?value {operator} {sparql_term(bound)})"))
        for parameter, operator, component in (
            (SH.minLength, ">=", SH.MinLengthConstraintComponent),
            (SH.maxLength, "<=", SH.MaxLengthConstraintComponent),
        ):
            for bound in self.sg.objects(shape, parameter):
                if int(bound) == 0 and parameter == SH.minLength:
                    continue  # every value, even a blank node, is long enough
                tests.append(
                    (
                        component,
                        f"(!isBLANK(?value) && STRLEN(STR(?value)) {operator} "
                        f"{int(bound)})",
                    )
                )
        alternatives = self.sg.value(shape, SH["or"])
        if alternatives is not None:
            members_ok = [
                self.conforms_test(member)
                for member in Collection(self.sg, alternatives)
            ]
            tests.append(
                (
                    SH.OrConstraintComponent,
                    "("
                    + " || ".join(f"COALESCE({t}, false)" for t in members_ok)
                    + ")",
                )
            )
        return tests

    def conforms_test(self, shape: Node) -> str:
        """A condition true when ?value conforms to a (path-less) member shape."""
        allowed = {RDF.type, SH["class"], SH.datatype, SH.nodeKind, SH.pattern}
        allowed |= {SH.flags, SH["in"], *COMPARISONS, SH.message}
        for predicate in self.sg.predicates(shape, None):
            if predicate not in allowed:
                raise UnsupportedShape(
                    f"sh:or member {shape}: {predicate} not compiled"
                )
        parts = [condition for _, condition in self.value_tests(shape)]
        return (
            "(" + " && ".join(f"COALESCE({p}, false)" for p in parts or ["true"]) + ")"
        )

    def count_checks(self, shape, focus, values, check) -> Iterator[Check]:
        """Cardinality checks; the common bounds (0 and 1) avoid GROUP BY."""
        others = values.replace("?value", "?other")
        for bound in self.sg.objects(shape, SH.minCount):
            n = int(bound)
            if n == 1:
                query = (
                    f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values} }} }}"
                )
            elif n > 1:
                optional = values.removesuffix(" .")
                query = (
                    f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {optional} }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
                )
            else:
                continue
            yield check(SH.MinCountConstraintComponent, query, with_value=False)
        for bound in self.sg.objects(shape, SH.maxCount):
            n = int(bound)
            if n == 0:
                query = f"SELECT DISTINCT ?this WHERE {{ {focus} {values} }}"
            elif n == 1:
                query = (
                    f"SELECT DISTINCT ?this WHERE {{ {focus} {values} {others} "
                    "FILTER(!sameTerm(?value, ?other)) }"
                )
            else:
                query = (
                    f"SELECT ?this WHERE {{ {focus} {values} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
                )
            yield check(SH.MaxCountConstraintComponent, query, with_value=False)
        unique = self.sg.value(shape, SH.uniqueLang)
        if isinstance(unique, Literal) and unique.value is True:
            # one result per language tag that two distinct values share
            yield check(
                SH.UniqueLangConstraintComponent,
                f"SELECT DISTINCT ?this ?lang WHERE {{ {focus} {values} "
                'FILTER(isLITERAL(?value) && LANG(?value) != "") '
                f"{others} FILTER(isLITERAL(?other) && !sameTerm(?value, ?other)) "
                "BIND(LCASE(LANG(?value)) AS ?lang) "
                "FILTER(LCASE(LANG(?other)) = ?lang) }",
                with_value=False,
            )

    def pair_checks(self, shape, focus, values, check) -> Iterator[Check]:
        for parameter, operator, component in (
            (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent),
            (SH.lessThan, "<", SH.LessThanConstraintComponent),
        ):
            for other in self.sg.objects(shape, parameter):
                compare = (
                    f"IF(isIRI(?value) && isIRI(?other), "
                    f"STR(?value) {operator} STR(?other), ?value {operator} ?other)"
                )
                yield check(
                    component,
                    f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus} {values} "
                    f"?this {sparql_term(other)} ?other "
                    f"FILTER(!COALESCE({compare}, false)) }}",
                )

    def sparql_check(
        self, node_shape: Node, shape: Node, constraint: Node, focus: str
    ) -> Check:
        select = self.sg.value(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(f"{constraint}: only sh:select is compiled")
        text = str(select)
        if re.search(r"[$?]shapesGraph\b", text):
            raise UnsupportedShape(f"{constraint}: $shapesGraph is not supported")
        path_node = self.sg.value(shape, SH.path)
        if path_node is not None:
            text = re.sub(r"\$PATH\b", self.path(path_node), text)
        text = re.sub(r"[$?]currentShape\b", sparql_term(shape), text)
        if re.search(r"[\s{}()][$?]this\b", text):
            match = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
            if match is None:
                raise UnsupportedShape(f"{constraint}: no WHERE clause")
            text = text[: match.end()] + f" {focus} " + text[match.end() :]
        prefixes = self.prefixes(constraint)
        messages = [str(m) for m in self.sg.objects(constraint, SH.message)]
        messages += [str(m) for m in self.sg.objects(shape, SH.message)]
        severity = self.sg.value(shape, SH.severity) or SH.Violation
        return Check(
            node_shape,
            shape,
            SH.SPARQLConstraintComponent,
            path_node,
            prefixes + text,
            messages,
            severity,  # type: ignore[arg-type]
            sparql=True,
        )

    def prefixes(self, constraint: Node) -> str:
        lines = []
        for source in self.sg.objects(constraint, SH.prefixes):
            for declaration in self.sg.objects(source, SH.declare):
                prefix = self.sg.value(declaration, SH.prefix)
                namespace = self.sg.value(declaration, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines))) + "\n"


def class_test(cls: Node) -> str:
    return f"EXISTS {{ {instance_of('?value', [cls])} }}"


def datatype_test(datatype: Node) -> str:
    if datatype == RDFS.Literal:
        return "isLITERAL(?value)"
    test = f"isLITERAL(?value) && DATATYPE(?value) = {sparql_term(datatype)}"
    if datatype in CASTABLE:
        # a well-typed literal survives a cast of its own lexical form
        test += f" && isLITERAL({sparql_term(datatype)}(STR(?value)))"
    return f"({test})"


def node_kind_test(kind: Node) -> str:
    tests = {
        SH.IRI: "isIRI(?value)",
        SH.BlankNode: "isBLANK(?value)",
        SH.Literal: "isLITERAL(?value)",
        SH.BlankNodeOrIRI: "(isBLANK(?value) || isIRI(?value))",
        SH.BlankNodeOrLiteral: "(isBLANK(?value) || isLITERAL(?value))",
        SH.IRIOrLiteral: "(isIRI(?value) || isLITERAL(?value))",
    }
    if kind not in tests:
        raise UnsupportedShape(f"unknown sh:nodeKind {kind}")
    return tests[kind]


def pattern_test(pattern: Node, flags: Node | None) -> str:
    flag_text = f", {Literal(str(flags)).n3()}" if flags is not None else ""
    regex = Literal(str(pattern)).n3()
    return f"(!isBLANK(?value) && REGEX(STR(?value), {regex}{flag_text}))"


def in_test(members: Iterable[Node]) -> str:
    tests = [f"sameTerm(?value, {sparql_term(m)})" for m in members]
    return "(" + (" || ".join(tests) or "false") + ")"


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every targeted shape, compiled to a query."""
    return ShapeCompiler(shapes).compile()


def generic_message(check: Check) -> str:
    """A message for a shape without sh:message (pySHACL words these its own way;
    the project's shapes all carry one)."""
    name = str(check.component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    return f"{name} constraint not met"


def format_message(template: str, bound: dict[str, Node]) -> str:
    """Fill `{?var}` / `{$var}` as pySHACL does for SPARQL-based constraints."""
    for var, val in bound.items():
        template = re.sub(f"{{[?$]{var}}}", str(val), template)
    return template


class Subclasses:
    """The classes below given ones in a store, to fill `%%SUBCLASSES(..)%%` in."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.cache: dict[str, str] = {}

    def below(self, names: str) -> str:
        if names not in self.cache:
            found = set(names.split())
            query = (
                f"SELECT DISTINCT ?sub WHERE {{ VALUES ?c {{ {names} }} "
                f"?sub <{RDFS.subClassOf}>+ ?c }}"
            )
            for row in self.store.query(query, use_default_graph_as_union=True):
                sub = row["sub"]
                if isinstance(sub, ox.NamedNode):
                    found.add(f"<{sub.value}>")
            self.cache[names] = " ".join(sorted(found))
        return self.cache[names]

    def fill(self, query: str) -> str:
        return SUBCLASSES.sub(lambda m: self.below(m.group(1)), query)


def run_check(
    store: ox.Store, check: Check, classes: Subclasses | None = None
) -> list[RawResult]:
    """Run one compiled check and turn its rows into results."""
    classes = classes if classes is not None else Subclasses(store)
    solutions = store.query(classes.fill(check.query), use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    results: list[RawResult] = []
    seen: set[tuple] = set()
    for solution in solutions:
        row = {name: from_ox(solution[name]) for name in names}
        focus = row.pop("this", None)
        if check.sparql:
            result = sparql_result(check, focus, row, seen)
            if result is not None:
                results.append(result)
            continue
        value = row.get("value") if check.with_value else None
        results.append(
            RawResult(
                focus,
                check.shape,
                check.component,
                check.path,
                value,
                check.messages[0] if check.messages else generic_message(check),
                check.severity,
            )
        )
    return results


def sparql_result(
    check: Check, focus: Node | None, row: dict[str, Node | None], seen: set[tuple]
) -> RawResult | None:
    """One row of a SPARQL-based constraint, read the way pySHACL reads it."""
    bound = {k: v for k, v in row.items() if v is not None}
    default_value = focus if check.path is None else None
    if bound.pop("failure", None) is not None:
        key: tuple = (focus, "failure")
        path, value, names = None, default_value, dict(bound)
        if focus is not None:
            names["this"] = focus
    else:
        path, value = bound.pop("path", None), bound.pop("value", None)
        key = (focus, path, value, tuple(sorted(bound.items())))
        if value is None:
            value = default_value
        names = dict(bound)
        for name, term in (("this", focus), ("path", path), ("value", value)):
            if term is not None:
                names[name] = term
    if key in seen:
        return None
    seen.add(key)
    template = check.messages[0] if check.messages else generic_message(check)
    message = format_message(template, names)
    return RawResult(
        focus,  # type: ignore[arg-type]
        check.shape,
        check.component,
        path if path is not None else check.path,
        value,
        message,
        check.severity,
    )


def run_checks(
    store: ox.Store, checks: Iterable[Check], workers: int | None = None
) -> list[RawResult]:
    """Run every check, on as many threads as there are cores (Oxigraph evaluates
    queries outside the GIL); results come back in the order of the checks."""
    classes = Subclasses(store)
    checks = list(checks)
    for check in checks:  # fill the cache before the threads share it
        classes.fill(check.query)
    workers = workers or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        batches = pool.map(lambda check: run_check(store, check, classes), checks)
        return [result for batch in batches for result in batch]


def store_from_graph(*graphs: Graph) -> ox.Store:
    """An in-memory Oxigraph store holding the triples of rdflib graphs."""
    store, convert = ox.Store(), ox_converter()
    store.bulk_extend(
        ox.Quad(convert(s), convert(p), convert(o))  # type: ignore[arg-type]
        for graph in graphs
        for s, p, o in graph
    )
    return store
