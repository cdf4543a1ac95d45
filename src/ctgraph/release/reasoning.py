"""The OWL 2 DL check: the ontology, with its import modules, loaded offline by
owlready2 and classified by the HermiT reasoner (which needs Java).

Other tools' users meet the ontology this way, so the project checks it this way:
consistent, and no class that can have no member.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from ctgraph.validation.shacl import ONTOLOGY


class ReasonerUnavailable(RuntimeError):
    """owlready2 or Java is missing, so the check cannot run here."""


class ReasonerRefused(ValueError):
    """The reasoner would not load the ontology (it is outside OWL 2 DL)."""


def java_reason(error: Exception) -> str:
    """The one line of a Java stack trace that says why (the exception message)."""
    for line in str(error).splitlines():
        if "Exception:" in line and not line.lstrip().startswith("at "):
            return line.split("Exception:", 1)[1].strip()
    return str(error).strip().splitlines()[0] if str(error).strip() else "unknown"


@dataclass
class ReasonerReport:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    classes: int = 0
    modules: int = 0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def lines(self) -> list[str]:
        if not self.consistent:
            return ["the ontology is inconsistent"]
        head = (
            f"consistent: {self.classes} classes, {self.modules} import modules, "
            f"{len(self.unsatisfiable)} unsatisfiable"
        )
        return [head, *(f"  unsatisfiable: {c}" for c in self.unsatisfiable)]


def unavailable_reason() -> str | None:
    """Why the check cannot run here, or None when it can."""
    try:
        import owlready2  # noqa: F401
    except ImportError:
        return "owlready2 is not installed (pip install owlready2)"
    if shutil.which("java") is None:
        return "Java is not installed (the HermiT reasoner runs on it)"
    return None


def module_files(ontology_file: Path) -> list[Path]:
    """The import modules beside the ontology, named by the imports it declares."""
    graph = Graph().parse(ontology_file)
    folder = ontology_file.parent / "imports"
    return [
        folder / f"{str(iri).rsplit('/', 1)[-1]}.ttl"
        for iri in sorted(graph.objects(None, OWL.imports))
    ]


def check(ontology_file: Path = ONTOLOGY) -> ReasonerReport:
    """Load the ontology and its modules in a fresh owlready2 world, with no network,
    and run HermiT."""
    reason = unavailable_reason()
    if reason:
        raise ReasonerUnavailable(reason)
    import owlready2

    modules = module_files(ontology_file)
    missing = [str(p) for p in modules if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"import module missing: {', '.join(missing)}")
    with tempfile.TemporaryDirectory(prefix="ctgraph-owl-") as tmp:
        # owlready2 reads N-Triples and finds an import by its IRI's last segment
        for path in [ontology_file, *modules]:
            Graph().parse(path).serialize(
                Path(tmp) / f"{path.stem}.nt", format="nt", encoding="utf-8"
            )
        world = owlready2.World()
        owlready2.onto_path.insert(0, tmp)
        try:
            onto = world.get_ontology(f"file://{tmp}/{ontology_file.stem}.nt")
            onto.load(only_local=True)
            loaded = len(onto.imported_ontologies)
            if loaded != len(modules):
                raise FileNotFoundError(
                    f"{loaded} of {len(modules)} import modules loaded from {tmp}"
                )
            try:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, debug=0
                )
            except owlready2.OwlReadyInconsistentOntologyError:
                return ReasonerReport(False, modules=len(modules))
            except owlready2.OwlReadyJavaError as exc:
                raise ReasonerRefused(
                    f"{ontology_file}: HermiT refused the ontology: {java_reason(exc)}"
                ) from None
            nothing = {owlready2.Nothing}
            unsat = sorted(
                c.iri for c in world.inconsistent_classes() if c not in nothing
            )
            classes = len([c for c in onto.classes()])
        finally:
            owlready2.onto_path.remove(tmp)
            world.close()
    return ReasonerReport(True, unsat, classes, len(modules))
