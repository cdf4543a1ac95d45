"""Faults on one machine: a local query reaching out, a runaway query, a build or a
store refill killed at a chosen moment, bad paths and bad values.

Where the exit code matters the real command line runs as a subprocess; kills are
made deterministic by running the code in a child Python that replaces one function
with a SIGKILL of itself, so the process dies exactly between two steps.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from ctgraph import build as pipeline
from ctgraph.queries.library import KnowledgeGraph, QueryError, QueryLimitError
from ctgraph.queries.reach import ReachError, check_reach
from ctgraph.sources.tables import SourceError, read_table
from ctgraph.store.folder import RECORD, open_store, recorded
from ctgraph.store.worker import WorkerError, run_stoppable

ROOT = Path(__file__).resolve().parents[1]
#: every pair of triples, three times over, sorted: gigabytes within seconds
CROSS_PRODUCT = (
    "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?a ?b ?c"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def ctgraph(
    *args: str, timeout: float = 120, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctgraph", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
        cwd=cwd,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]


def run_and_kill(script: str, point: str, call: int = 1) -> int:
    """Run `script` in a child Python whose `point` (module.function) kills the
    process at the start of its `call`-th call; returns the exit status."""
    module, function = point.rsplit(".", 1)
    prelude = textwrap.dedent(
        f"""
        import importlib, os, signal
        target = importlib.import_module({module!r})
        original = getattr(target, {function!r})
        calls = [0]
        def killer(*args, **kwargs):
            calls[0] += 1
            if calls[0] == {call}:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)
        setattr(target, {function!r}, killer)
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return child.returncode


# --- 2. a local query never reaches the network -------------------------------


@pytest.fixture
def recorder(
    http_stub: Callable[[type[BaseHTTPRequestHandler]], str],
) -> tuple[str, list[str]]:
    """A loopback server that records every request and answers with Turtle."""
    hits: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def answer(self) -> None:
            hits.append(f"{self.command} {self.path}")
            body = b"<http://example.org/a> <http://example.org/b> 1 .\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

        def log_message(self, *args: object) -> None:
            pass

    return http_stub(Record), hits


@pytest.fixture
def engines(kg: KnowledgeGraph, kg_rdflib: KnowledgeGraph) -> dict[str, KnowledgeGraph]:
    """The real graph on each engine (loaded once for the session)."""
    return {"oxigraph": kg, "rdflib": kg_rdflib}


def test_service_is_refused_from_the_command_line(
    recorder: tuple[str, list[str]], real_trig: Path
) -> None:
    base, hits = recorder
    query = f"SELECT ?x WHERE {{ SERVICE <{base}/sparql> {{ ?x ?y ?z }} }}"
    result = ctgraph("sparql", query, "--store", str(real_trig))
    assert result.returncode == 2, result.stderr
    assert f"{base}/sparql" in result.stderr
    assert "--allow-service 127.0.0.1" in result.stderr
    no_traceback(result)
    assert hits == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_service_is_refused_and_the_server_never_contacted(
    engine: str, recorder: tuple[str, list[str]], engines: dict[str, KnowledgeGraph]
) -> None:
    base, hits = recorder
    query = f"SELECT ?x WHERE {{ SERVICE <{base}/sparql> {{ ?x ?y ?z }} }}"
    with pytest.raises(QueryLimitError, match="--allow-service 127.0.0.1"):
        engines[engine].sparql(query)
    assert hits == []


def test_rdflib_from_is_refused_and_nothing_downloaded(
    recorder: tuple[str, list[str]], kg_rdflib: KnowledgeGraph
) -> None:
    base, hits = recorder
    query = f"SELECT ?x FROM <{base}/x.ttl> WHERE {{ ?x ?y ?z }}"
    with pytest.raises(QueryLimitError, match=r"x\.ttl \(FROM\)"):
        kg_rdflib.sparql(query)
    assert hits == []


def test_oxigraph_from_names_a_store_graph_and_fetches_nothing(
    recorder: tuple[str, list[str]], kg: KnowledgeGraph
) -> None:
    base, hits = recorder
    kg.sparql(f"SELECT ?x FROM <{base}/x.ttl> WHERE {{ ?x ?y ?z }}")
    assert hits == []


def test_an_allowed_host_is_reached(
    recorder: tuple[str, list[str]], kg_rdflib: KnowledgeGraph
) -> None:
    """The recorder does see a request when one is made: the refusals above are
    real refusals, not a server that cannot be reached."""
    base, hits = recorder
    allowed = KnowledgeGraph(
        kg_rdflib.backend, kg_rdflib.queries, allow_service=["127.0.0.1"]
    )
    result = allowed.sparql(f"SELECT ?x FROM <{base}/x.ttl> WHERE {{ ?x ?y ?z }}")
    assert hits == ["GET /x.ttl"]
    assert "http://example.org/a" in {str(row[0]) for row in result.rows}


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:sparql {} }",
        "BASE <http://evil.example/> SELECT * WHERE { SERVICE <sparql> {} }",
        "SELECT * WHERE { \\u0053ERVICE <http://evil.example/> {} }",
        "SELECT * WHERE { ?s ?p ?o .service SILENT <http://evil.example/> {} }",
        "SELECT * WHERE { SERVICE ?endpoint {} }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> {} }",
    ],
)
def test_every_spelling_of_a_service_call_is_found(query: str) -> None:
    with pytest.raises(ReachError, match="--allow-service"):
        check_reach(query, "oxigraph", allowed=["127.0.0.1"])


def test_words_that_only_look_like_service_are_not_calls() -> None:
    query = (
        "PREFIX service: <http://x/> SELECT ?service WHERE { ?service service:p "
        '"SERVICE <http://evil.example/>" } # SERVICE <http://evil.example/>'
    )
    check_reach(query, "rdflib")  # no error
    check_reach(
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> {} }",
        "oxigraph",
        allowed=["127.0.0.1"],
    )


# --- 6. bounded work ------------------------------------------------------------


def worker_children() -> list[int]:
    """Forked copies of this process still alive (a query worker shares our
    command line)."""
    me = Path("/proc/self/cmdline").read_bytes()
    found = []
    for task in Path("/proc/self/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                if Path(f"/proc/{pid}/cmdline").read_bytes() == me:
                    found.append(int(pid))
            except OSError:
                pass
    return found


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_a_cross_product_stops_at_the_limit_from_the_command_line(
    real_trig: Path,
) -> None:
    started = time.monotonic()
    result = ctgraph(
        "sparql", CROSS_PRODUCT, "--store", str(real_trig), "--timeout", "1"
    )
    assert result.returncode == 2, result.stderr
    assert "time limit of 1 s" in result.stderr and "--timeout" in result.stderr
    no_traceback(result)
    assert time.monotonic() - started < 30


def test_the_api_stops_a_query_and_its_memory_goes_with_the_worker(
    real_trig: Path,
) -> None:
    kg = KnowledgeGraph.load("oxigraph", real_trig, timeout=1.5)
    before = rss_mb()
    with pytest.raises(QueryLimitError, match="time limit of 1.5 s"):
        kg.sparql(CROSS_PRODUCT)
    assert worker_children() == []
    assert rss_mb() - before < 50
    # the graph is still usable after a stopped query
    assert int(kg.sparql(COUNT).rows[0][0]) > 10_000


def test_ctrl_c_stops_a_running_query(real_trig: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ctgraph",
            "sparql",
            CROSS_PRODUCT,
            "--store",
            str(real_trig),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "COLUMNS": "200"},
        cwd=ROOT,
    )
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().split():  # the query worker has started
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 2, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr


def test_ctrl_c_that_ends_the_worker_first_is_an_interruption() -> None:
    # Ctrl-C reaches the whole process group; when the query's process ends of it
    # before this one runs its own handler, the caller still hears an interruption,
    # not an engine that "ended without an answer"
    def interrupted() -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(10)

    with pytest.raises(KeyboardInterrupt):
        run_stoppable(interrupted, 30)


def test_ctrl_c_just_after_the_fork_leaves_no_worker_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ctrl-C reaching both processes in the instant after the fork, before the
    # parent watches the worker and before the worker takes Ctrl-C's default: the
    # worker must still be stopped and reaped, not left running with the
    # terminal's output open (which kept the command's output from ending)
    forked: list[int] = []
    real_fork = os.fork

    def fork_then_ctrl_c() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        os.kill(os.getpid(), signal.SIGINT)
        return pid

    # another thread, as a server or a store's background work would have: the
    # signal may be delivered to it rather than to the thread that forks
    other = threading.Event()
    threading.Thread(target=other.wait, daemon=True).start()
    monkeypatch.setattr(os, "fork", fork_then_ctrl_c)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_stoppable(lambda: time.sleep(10), 30)
    finally:
        monkeypatch.undo()
        other.set()
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    assert len(forked) == 1
    try:
        waited = os.waitpid(forked[0], os.WNOHANG)
    except ChildProcessError:
        return  # stopped and reaped before the interruption went on
    if waited == (0, 0):
        os.kill(forked[0], signal.SIGKILL)
    os.waitpid(forked[0], 0)
    raise AssertionError("the worker was left behind after Ctrl-C")


def test_a_worker_that_dies_otherwise_is_reported_as_such() -> None:
    def killed() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(WorkerError, match="ended without an answer"):
        run_stoppable(killed, 30)


def test_a_rows_cap_refuses_larger_results(real_trig: Path) -> None:
    projects = "SELECT ?p WHERE { ?p a <https://w3id.org/ctgraph/ontology#Project> }"
    kg = KnowledgeGraph.load("oxigraph", real_trig, max_rows=331)
    assert len(kg.sparql(projects).rows) == 331
    kg.max_rows = 330
    with pytest.raises(QueryLimitError, match="more than 330 rows"):
        kg.sparql(projects)


def test_engine_errors_come_back_from_the_worker(real_trig: Path) -> None:
    kg = KnowledgeGraph.load("oxigraph", real_trig)
    with pytest.raises(QueryError, match="syntax error at line 1, column"):
        kg.sparql("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(QueryError, match="positive number of seconds"):
        KnowledgeGraph.load("oxigraph", real_trig, timeout=float("nan"))


# --- 8. build outputs change together or not at all ----------------------------


def outputs(text: str) -> dict[str, bytes]:
    return {
        pipeline.TRIG: f"trig {text}".encode(),
        pipeline.TTL: f"ttl {text}".encode(),
    }


def shown(out: Path) -> tuple[str, str]:
    """What a reader opening the two output paths sees, by build label."""
    trig = (out / pipeline.TRIG).read_text().removeprefix("trig ")
    ttl = (out / pipeline.TTL).read_text().removeprefix("ttl ")
    return trig, ttl


WRITE_B = """
from pathlib import Path
from ctgraph import build
B = {{"ctgraph.trig": b"trig B", "ctgraph.ttl": b"ttl B"}}
build.write_outputs(Path({out!r}), B)
"""


@pytest.mark.parametrize(
    ("point", "call", "after"),
    [
        ("ctgraph.build.write_file", 2, "A"),  # one of two files written
        ("ctgraph.build.publish_folder", 1, "A"),  # folder written, not renamed
        ("ctgraph.build.switch", 1, "A"),  # folder in place, link not switched
        ("ctgraph.build.link", 2, "B"),  # switched, file links not checked yet
        ("ctgraph.build.clean", 2, "B"),  # switched, old folders not removed
    ],
)
def test_a_build_killed_at_any_step_leaves_one_whole_build(
    tmp_path: Path, point: str, call: int, after: str
) -> None:
    out = tmp_path / "build"
    pipeline.write_outputs(out, outputs("A"))
    status = run_and_kill(WRITE_B.format(out=str(out)), point, call)
    assert status == -signal.SIGKILL
    assert shown(out) == (after, after)
    # the next build removes what the killed one left
    pipeline.write_outputs(out, outputs("C"))
    assert shown(out) == ("C", "C")
    leftovers = [p.name for p in out.iterdir() if p.name.startswith((".tmp-", ".ctg"))]
    assert leftovers == []
    folders = sorted(p.name for p in (out / pipeline.BUILDS).iterdir())
    current = pipeline.current_build(out)
    assert current is not None and current.name in folders
    assert len(folders) <= 2 and not any(f.startswith(".tmp-") for f in folders)


def test_a_build_replaces_the_old_layout_and_its_temp_files(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    (out / pipeline.TRIG).write_text("old trig")
    (out / pipeline.TTL).write_text("old ttl")
    (out / ".ctgraph.trig.k2j3h4").write_text("half")  # a killed atomic write
    pipeline.write_outputs(out, outputs("A"))
    assert shown(out) == ("A", "A")
    assert (out / pipeline.TRIG).is_symlink() and (out / pipeline.TTL).is_symlink()
    assert not (out / ".ctgraph.trig.k2j3h4").exists()


def test_the_same_content_twice_is_one_folder(tmp_path: Path) -> None:
    out = tmp_path / "build"
    first = pipeline.write_outputs(out, outputs("A"))
    pipeline.write_outputs(out, outputs("A"))
    assert first == [out / pipeline.TRIG, out / pipeline.TTL]
    assert len(list((out / pipeline.BUILDS).iterdir())) == 1


# --- 9. a store folder: fresh by content, one writer, nothing unrelated filled --


def test_store_freshness_is_decided_by_content_not_file_times(
    tmp_path: Path, real_trig: Path
) -> None:
    trig = tmp_path / "graph.trig"
    trig.write_bytes(real_trig.read_bytes())
    store = tmp_path / "store"
    full = len(open_store(store, trig))
    fresh = recorded(store)
    # a different graph whose file looks older than the store
    lines = trig.read_text().splitlines(keepends=True)
    trig.write_text("".join(lines[: len(lines) // 2]).rsplit("\n<", 1)[0] + "\n}\n")
    os.utime(trig, (1_000_000, 1_000_000))
    assert len(open_store(store, trig)) < full
    assert recorded(store) not in (None, fresh)


def test_a_refill_killed_before_it_is_recorded_is_refilled_next_time(
    tmp_path: Path, real_trig: Path
) -> None:
    trig = tmp_path / "graph.trig"
    trig.write_bytes(real_trig.read_bytes())
    store = tmp_path / "store"
    script = f"""
    from pathlib import Path
    from ctgraph.store.folder import open_store
    open_store(Path({str(store)!r}), Path({str(trig)!r}))
    """
    status = run_and_kill(script, "ctgraph.store.folder.atomic_write")
    assert status == -signal.SIGKILL
    assert any(store.iterdir()) and recorded(store) is None  # loaded, not recorded
    backend = open_store(store, trig)
    assert recorded(store) is not None and len(backend) > 10_000


@pytest.fixture
def store_held(tmp_path: Path, real_trig: Path):  # type: ignore[no-untyped-def]
    """A filled store held open read-write by another process."""
    store = tmp_path / "store"
    open_store(store, real_trig)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
            "print('ready', flush=True); sys.stdin.read()",
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
    yield store
    holder.communicate(input="", timeout=30)


def test_a_second_process_opens_a_fresh_store_read_only(
    store_held: Path, real_trig: Path
) -> None:
    # the store is fresh against the build it was filled from, whatever build/
    # the test run's own folder holds
    here = store_held.parent / "work"
    (here / "build").mkdir(parents=True)
    shutil.copyfile(real_trig, here / "build" / "ctgraph.trig")
    result = ctgraph(
        "sparql", COUNT, "--store", str(store_held), "-f", "csv", timeout=60, cwd=here
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[1]) > 10_000


def test_a_stale_store_in_use_is_a_message_not_a_lock_traceback(
    store_held: Path, real_trig: Path
) -> None:
    (store_held / RECORD).unlink()
    result = ctgraph("sparql", COUNT, "--store", str(store_held))
    assert result.returncode == 2
    assert "in use by another process" in result.stderr
    assert "LOCK" not in result.stderr
    no_traceback(result)


def not_a_store(tmp_path: Path, make: str) -> Path:
    if make == "unrelated":
        path = tmp_path / "photos"
        path.mkdir()
        (path / "holiday.jpg").write_bytes(b"\xff\xd8")
    elif make == "file":
        path = tmp_path / "notes.txt"
        path.write_text("notes")
    else:
        path = tmp_path / "missing" / "store"
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("unrelated", "not a ctgraph store"),
        ("file", "is a file, not a store folder"),
        ("orphan", "does not exist"),
    ],
)
def test_a_store_path_that_is_not_a_store_is_refused(
    tmp_path: Path, real_trig: Path, make: str, message: str
) -> None:
    path = not_a_store(tmp_path, make)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(QueryError, match=message):
        KnowledgeGraph.load("oxigraph", path, trig=real_trig)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_store_path_refused_on_the_command_line(tmp_path: Path) -> None:
    path = not_a_store(tmp_path, "unrelated")
    result = ctgraph("sparql", COUNT, "--store", str(path))
    assert result.returncode == 2 and "not a ctgraph store" in result.stderr
    no_traceback(result)
    assert [p.name for p in path.iterdir()] == ["holiday.jpg"]


# --- 10. a data folder without the tables a build needs -------------------------


def test_an_empty_data_folder_is_refused_and_the_build_kept(tmp_path: Path) -> None:
    out = tmp_path / "build"
    pipeline.write_outputs(out, outputs("A"))
    empty = tmp_path / "empty"
    empty.mkdir()
    result = ctgraph("build", "--data", str(empty), "--out", str(out))
    assert result.returncode == 2
    for table in ("sources", "entities", "working_groups", "memberships"):
        assert f"{table}.csv" in result.stderr
    no_traceback(result)
    assert shown(out) == ("A", "A")


# --- 12. no traceback for any input ---------------------------------------------

LONG = "a" * 130_000


#: (arguments, what the message says); {name} is a path the fixture makes. A
#: query that fails before it loads the graph gets no --store: none is read.
STORE = ["--store", "{trig}"]
BAD_INPUTS = [
    (["build", "--out", "{file}"], "is a file, not a folder"),
    (["build", "--out", "{file}/sub"], "is a file, not a folder"),
    (["export", "-o", "{file}/x.ttl"], "is a file, not a folder"),
    (["export", "-o", "{tmp}"], "is a folder"),
    (["sparql", "{badquery}", "--store", "{trig}"], "not UTF-8"),
    (["sparql", "SELECT ?x WHERE { ?x ?y '\udcff' }"], "not UTF-8"),
    (["query", "observations", "--param", "measure=\udcff", *STORE], "not UTF-8"),
    (
        ["query", "legal-instruments", "--param", "from=" + "9" * 5000, *STORE],
        "5000 characters",
    ),
    (["query", "legal-instruments", "--param", "from=1e999"], "not a whole number"),
    (["query", "entity-profile", "--param", "entity=" + LONG], "130000 characters"),
    (["sparql", COUNT, "--timeout", "inf", *STORE], "not a number of seconds"),
    (
        [
            "link",
            "csv",
            "{deep}",
            "--number-column",
            "n",
            "--url-column",
            "u",
            "--out",
            "{tmp}/links",
        ],
        "nested too deeply",
    ),
]


@pytest.fixture(scope="module")
def bad_input_runs(
    tmp_path_factory: pytest.TempPathFactory, real_trig: Path
) -> list[tuple[int, str]]:
    """Every BAD_INPUTS command run at once (each is mostly start-up time), as
    (exit code, standard error)."""
    tmp = tmp_path_factory.mktemp("bad-input")
    (tmp / "file").write_text("x")
    (tmp / "bad.rq").write_bytes(b"SELECT \xff WHERE {}")
    (tmp / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    places = {
        "file": str(tmp / "file"),
        "tmp": str(tmp),
        "badquery": str(tmp / "bad.rq"),
        "trig": str(real_trig),
        "deep": str(tmp / "deep.json"),
    }
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ctgraph",
                *[a.format(**places) if a.startswith("{") else a for a in args],
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "COLUMNS": "200"},
        )
        for args, _ in BAD_INPUTS
    ]
    runs = []
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        runs.append((process.returncode, stderr))
    return runs


@pytest.mark.parametrize("case", range(len(BAD_INPUTS)))
def test_bad_input_is_a_message_and_exit_2(
    case: int, bad_input_runs: list[tuple[int, str]]
) -> None:
    assert len(bad_input_runs) == len(BAD_INPUTS) > 10
    code, stderr = bad_input_runs[case]
    assert code == 2, stderr[-1000:]
    assert BAD_INPUTS[case][1] in stderr, stderr[-1000:]
    assert "Traceback" not in stderr
    assert len(stderr) < 2000  # long values are cut


def test_a_huge_integer_in_a_result_is_shown_without_a_log_traceback(
    real_trig: Path,
) -> None:
    query = "SELECT ?x WHERE { BIND(" + "9" * 5000 + " AS ?x) }"
    result = ctgraph("sparql", query, "--store", str(real_trig), "-f", "csv")
    assert result.returncode == 0 and "9" * 5000 in result.stdout
    no_traceback(result)


def test_illegal_iris_in_a_linked_table_are_skipped_rows(tmp_path: Path) -> None:
    from ctgraph.links import table_candidates

    table = tmp_path / "t.csv"
    table.write_text(
        "n,u\n2396,http://example.org/a<b>\n2178,http://[::1\n1373,http://ok.org/r\n"
    )
    candidates, skipped, rows = table_candidates(
        table, url_column="u", number_column="n"
    )
    assert rows == 3 and [c.where for c in candidates] == ["line 4"]
    assert [s.where for s in skipped] == ["line 2", "line 3"]


# --- 13. what spreadsheets write ------------------------------------------------


def test_a_csv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    path.write_bytes("\ufeffid,label,definition\nm1,M1,One\n".encode())
    (record,) = read_table(path)
    assert record.get("id") == "m1"


def test_a_broken_quote_is_reported_where_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    path.write_text('id,label,definition\nm1,M1,One\nm2,"M2,Two\nm3,M3,Three\n')
    with pytest.raises(SourceError) as info:
        read_table(path)
    assert info.value.line == 3 and "starting here" in info.value.problem


def test_records_in_json_are_written_once(tmp_path: Path) -> None:
    """The store's record is JSON naming the TriG it was filled from."""
    trig = tmp_path / "g.trig"
    trig.write_text("<http://a> <http://b> <http://c> .\n")
    open_store(tmp_path / "s", trig)
    data = json.loads((tmp_path / "s" / RECORD).read_text())
    assert data["trig"] == str(trig) and len(data["trig_sha256"]) == 64
