"""Mutation testing of chosen core modules, each against the tests that mirror it.

    .venv/bin/python scripts/mutation.py sources/tables exports ...
    .venv/bin/python scripts/mutation.py --list

Each module runs in its own scratch copy of the repository, `.mutation/<module>/`
(source, tests, data, ontology, queries), with a `[tool.mutmut]` section written for
it: mutate that one file, select only its mirror tests. mutmut then records which
test reaches which function and runs, for each mutant, only those tests, so a small
module takes minutes, not the whole suite per mutant. The score is printed as a
table row for `docs/testing.md`; inspect survivors in the scratch copy with
`cd .mutation/<module> && ../../.venv/bin/mutmut results` / `mutmut show NAME`.
Every run starts over, so the score is that of the current source and tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / ".mutation"
COPIED = ("src", "tests", "data", "ontology", "queries", "README.md", "docs")

# Module (under src/ctgraph, without .py) -> the tests that mirror it.
MIRRORS: dict[str, tuple[str, ...]] = {
    "sources/tables": ("tests/test_tables.py", "tests/test_sources.py"),
    "sources/symbols": ("tests/test_symbols.py",),
    "sources/matrix": ("tests/test_matrix.py",),
    # rows to triples on small tables; tests/test_graph.py builds the real data
    # (about 4 s a session) for what these prove row by row
    "graph/dataset": ("tests/test_dataset.py", "tests/test_sources.py"),
    "validation/fast": ("tests/test_validation_fast.py",),
    "store/backends": (
        "tests/test_backends.py",
        "tests/test_result_table.py",
        "tests/test_results.py",
    ),
    "store/publish": (
        "tests/test_publish.py",
        # a server that dies during the switch, on a small build
        "tests/test_faults_remote.py::"
        "test_a_server_dying_during_the_switch_is_reported_as_unknown",
        "tests/test_faults_remote.py::"
        "test_a_switch_is_recognised_once_the_server_answers_again",
        "tests/test_faults_remote.py::test_the_report_of_a_switch_nobody_can_confirm",
    ),
    # Small query files and a graph of a few triples (tests/test_library.py), and
    # the tests of the query library's own logic in tests/test_queries.py: nothing
    # in the mirror loads the real graph, so a mutant's session takes seconds.
    "queries/library": ("tests/test_library.py",)
    + tuple(
        f"tests/test_queries.py::test_{name}"
        for name in (
            "library_collects_every_query_file",
            "query_names_are_kebab_case_and_headers_complete",
            "header_valid_with_grlc_lists_and_list_parameters",
            "header_errors_name_file_and_line",
            "pagination_header_is_a_row_count_on_a_query_without_limit",
            "parameter_variables_are_checked",
            "parameters_in_comments_strings_and_iris_are_not_parameters",
            "what_a_query_expects_names_every_parameter_in_order",
            "header_errors_inside_grlc_lists_name_the_items_line",
            "a_page_asks_the_engine_for_one_row_more_than_it_shows",
            "forms_and_kinds_are_named_when_refused",
            "an_engines_own_errors_are_placed_or_named",
            "a_server_answers_select_only",
            "a_dataframe_of_a_stored_query_or_of_a_table",
            "a_trig_file_that_is_missing_or_unreadable_is_named",
            "values_of_every_type_become_their_terms",
            "ill_typed_values_are_refused_with_what_was_expected",
            "ambiguous_names_are_refused_with_the_candidates",
        )
    )
    + ("tests/test_forms.py::test_syntax_error_is_placed_in_the_users_text",),
    "queries/lookup": ("tests/test_lookup.py", "tests/test_label_language.py"),
    "exports": ("tests/test_exports.py",),
    # in-process (CliRunner) tests on a build of data/core alone
    "cli": (
        "tests/test_cli_commands.py",
        # ingest matrix's exit 1 on the small report fixture
        "tests/test_matrix.py::test_cli_exits_1_when_tokens_remain",
    ),
}

# Modules the build does not involve: their mirror tests read one build made before
# the run (by the unmutated package) instead of building in every mutant's session.
PREBUILT = {"store/publish"}

# Tests that run the package in a subprocess: mutmut cannot see which function they
# reach, so they never kill a mutant and only cost time (`tests/test_cli.py` as a
# whole is left out of `cli` for the same reason).
DESELECTED: dict[str, tuple[str, ...]] = {
    # Builds the real data (about 4 s a mutant): whether the build picks the fast
    # validator, which the fixture tests, run on the mutant, already exercise.
    "validation/fast": (
        "tests/test_validation_fast.py::test_build_validates_fast_by_default",
        "tests/test_validation_fast.py::test_cli_validate_takes_validator[pyshacl]",
    ),
    # Runs docs/notebook.py in a subprocess on the real graph.
    "store/backends": (
        "tests/test_result_table.py::test_notebook_example_runs_on_the_real_graph",
    ),
    # Publish the real graph (about 1 s each): the tests on a build of a few
    # triples prove the same logic (plan, switch, refused and lost requests).
    "store/publish": tuple(
        f"tests/test_publish.py::{name}"
        for name in (
            "test_publish_puts_each_graph_and_a_manifest",
            "test_publishing_again_without_replace_is_refused_and_changes_nothing",
            "test_graphs_loaded_by_other_means_are_not_overwritten_without_replace",
            "test_replace_switches_to_exactly_the_new_build",
            "test_graphs_outside_the_manifest_are_never_queried",
            "test_one_graph_for_everything_with_graph_option",
            "test_an_upload_cut_off_midway_leaves_the_old_graph_whole",
            "test_a_refused_switch_leaves_the_old_graph_whole",
            "test_a_switch_whose_answer_was_lost_is_recognised_as_done",
            "test_the_server_applies_a_switch_wholly_or_not_at_all",
            "test_cli_publish_reports_each_graph",
        )
    ),
    # Builds the real data (seconds), and the build parses every stored query: it
    # would run for each mutant of the header parser. The only test of ensure_trig's
    # build, run in the suite.
    "queries/library": (
        "tests/test_library.py::test_a_missing_built_graph_is_built_first",
    ),
    "exports": (
        "tests/test_exports.py::test_same_sources_give_byte_identical_outputs",
        "tests/test_exports.py::"
        "test_every_export_format_is_byte_identical_across_hash_seeds",
    ),
}


def mutmut_config(module: str) -> str:
    """The `[tool.mutmut]` section for one module and its mirror tests."""
    tests = ", ".join(json.dumps(t) for t in MIRRORS[module])
    args = ", ".join(
        f'"--deselect", {json.dumps(t)}' for t in DESELECTED.get(module, ())
    )
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f'only_mutate = ["src/ctgraph/{module}.py"]\n'
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
        f"pytest_add_cli_args = [{args}]\n"
        'also_copy = ["data", "ontology", "queries", "README.md", "docs"]\n'
        "use_git_change_detection = false\n"
        # A mutant that loops forever is stopped after (tests' time + 1 s) x 2 x
        # this in CPU seconds: mutmut's default of 15 spends a minute on each.
        "timeout_multiplier = 3.0\n"
    )


def prepare(module: str) -> Path:
    """A fresh scratch copy for `module`, with the current source and tests."""
    work = SCRATCH / module.replace("/", ".")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in COPIED:
        source, target = ROOT / name, work / name
        if source.is_dir():
            shutil.copytree(
                source, target, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, target)
    text = (ROOT / "pyproject.toml").read_text()
    (work / "pyproject.toml").write_text(text + mutmut_config(module))
    return work


def score(work: Path) -> dict[str, int]:
    """Counts by outcome, from mutmut's own summary of the run."""
    mutmut = Path(sys.executable).parent / "mutmut"
    subprocess.run([str(mutmut), "export-cicd-stats"], cwd=work, check=True)
    return json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text())


def run(module: str, children: int) -> str:
    work = prepare(module)
    env = dict(os.environ)
    # The scratch copy has no ../shared beside it: point at the repository's.
    from ctgraph.paths import EXTERNAL_ENV, SOURCES_ENV, external_dir, sources_dir

    for name, folder in ((SOURCES_ENV, sources_dir()), (EXTERNAL_ENV, external_dir())):
        if folder is not None:
            env.setdefault(name, str(folder))
    # pySHACL's reports, the fast validator's reference, kept between the sessions
    # (one per mutant) of this run: computed once by the unmutated run.
    env["CTGRAPH_REFERENCE_CACHE"] = str(work / "reference-cache")
    if module in PREBUILT:
        prebuilt = work / "prebuilt"
        subprocess.run(
            [sys.executable, "-m", "ctgraph", "build", "--out", str(prebuilt)],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env["CTGRAPH_TEST_PREBUILT"] = str(prebuilt)
    mutmut = Path(sys.executable).parent / "mutmut"
    started = dt.datetime.now(dt.UTC)
    subprocess.run(
        [str(mutmut), "run", "--max-children", str(children)],
        cwd=work,
        env=env,
        check=True,
    )
    minutes = (dt.datetime.now(dt.UTC) - started).total_seconds() / 60
    s = score(work)
    # A mutant no mirror test reaches counts as survived: nothing would catch it.
    killed = s["killed"] + s["timeout"]
    pct = 100 * killed / s["total"] if s["total"] else 0.0
    return (
        f"| `{module}.py` | {s['total']} | {s['killed']} | {s['survived']} "
        f"| {s['timeout']} | {s['no_tests']} | {pct:.0f}% "
        f"| {started:%Y-%m-%d} | {minutes:.0f} min |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="e.g. sources/tables exports")
    parser.add_argument("--list", action="store_true", help="modules and their tests")
    parser.add_argument("--children", type=int, default=2, help="parallel mutants")
    args = parser.parse_args()
    if args.list or not args.modules:
        for module, tests in MIRRORS.items():
            print(f"{module:18} {' '.join(tests)}")
        return 0
    unknown = [m for m in args.modules if m not in MIRRORS]
    if unknown:
        print(f"unknown module(s): {', '.join(unknown)}; see --list", file=sys.stderr)
        return 2
    rows = [run(module, args.children) for module in args.modules]
    print(
        "| module | mutants | killed | survived | timeout | no tests | score "
        "| date | time |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
