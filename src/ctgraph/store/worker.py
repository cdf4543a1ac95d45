"""Run an embedded query where it can be stopped: in a forked child process.

Neither pyoxigraph nor rdflib's engine can be cancelled, and a cross product with
ORDER BY takes gigabytes in seconds. So each query runs in a child forked from the
process that holds the graph (cheap: the child shares its memory copy-on-write); the
parent waits for the answer up to a deadline or until Ctrl-C, and then kills the
child, whose memory goes with it.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import TypeVar

#: seconds an embedded query may run unless told otherwise
DEFAULT_TIMEOUT = 30.0

T = TypeVar("T")


class QueryStopped(RuntimeError):
    """The query ran past its time limit, or was interrupted, and was stopped."""


class WorkerError(RuntimeError):
    """The engine failed inside the worker; the message is the engine's."""


def check_timeout(timeout: float | None) -> float | None:
    """A usable limit in seconds (None: no limit), or ValueError saying why not."""
    if timeout is None:
        return None
    if math.isnan(timeout) or timeout <= 0:
        raise ValueError(f"a time limit is a positive number of seconds, not {timeout}")
    return None if math.isinf(timeout) else float(timeout)


def run_stoppable(work: Callable[[], T], timeout: float | None) -> T:
    """`work()` in a forked child, its result back by pickle; QueryStopped when it
    runs past `timeout` seconds (None: no limit). Ctrl-C kills the child and raises
    KeyboardInterrupt here. Without fork (not POSIX) it runs here, unbounded."""
    limit = check_timeout(timeout)
    if not hasattr(os, "fork"):
        return work()
    read_fd, write_fd = os.pipe()
    # Ctrl-C waits while the child is made, until the parent watches the child (so
    # it can stop it) and the child has taken Ctrl-C's default (so a query deep in
    # the engine, where Python's handler never runs, still ends of it). Blocked in
    # this thread, the signal may still reach another one (a server's, a store's):
    # Python then runs its handler here, so that handler only notes it meanwhile.
    noted: list[int] = []
    handler = _note_ctrl_c(noted)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        _restore_ctrl_c(handler)
        for fd in (read_fd, write_fd):
            os.close(fd)
        raise
    if pid == 0:  # the child: compute, send, leave without running parent cleanups
        try:
            os.close(read_fd)
            with contextlib.suppress(ValueError):  # ValueError: not the main thread
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            try:
                payload = pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                payload = pickle.dumps((False, str(exc) or type(exc).__name__))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    try:
        os.close(write_fd)
        started = time.monotonic()
        chunks: list[bytes] = []
        poller = select.poll()  # not select.select: a server may hold over 1024 files
        poller.register(read_fd, select.POLLIN)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        _restore_ctrl_c(handler)
        if noted:
            raise KeyboardInterrupt
        while True:
            wait = None if limit is None else limit - (time.monotonic() - started)
            if wait is not None and wait <= 0:
                raise QueryStopped(
                    f"the query ran longer than the time limit of {limit:g} s and "
                    "was stopped; give a longer limit (--timeout) or a narrower query"
                )
            if poller.poll(None if wait is None else wait * 1000):
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)  # gone, and its memory with it, before we go on
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        _restore_ctrl_c(handler)
        os.close(read_fd)
    if not chunks:
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT:
            # Ctrl-C reaches the whole process group: the child may end of it
            # before this process has run its own handler
            raise KeyboardInterrupt
        raise WorkerError("the query process ended without an answer")
    # the answer is in; the child's exit (unmapping its pages) takes milliseconds
    # the caller need not wait for: reap it in the background
    threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()
    ok, value = pickle.loads(b"".join(chunks))
    if not ok:
        raise WorkerError(value)
    return value


_Handler = Callable[[int, object], object] | int | None


def _note_ctrl_c(noted: list[int]) -> _Handler:
    """Make Ctrl-C only noted in `noted`; the handler it replaced, or None when
    there is none to replace (not the main thread, or no Python handler)."""
    if threading.current_thread() is not threading.main_thread():
        return None  # Python runs handlers, and raises Ctrl-C, in the main thread only
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:
        return None
    signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    return previous


def _restore_ctrl_c(previous: _Handler) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)
