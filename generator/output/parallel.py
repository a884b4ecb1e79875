"""Share work out to the machine's other cores with fork: children start with a copy of this
process's memory (the loaded site, compiled templates, MkDocs' navigation), so nothing has to be
sent to them and only their small results come back.

Used only above a size threshold, so small sites build in one process exactly as before, and
only where fork exists and is safe (Linux and other Unix systems; never under macOS, where
system libraries may not survive a fork, and never on Windows).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cpu_count() -> int:
    """The cores this process may run on (a container's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


def workers_for(items: int, threshold: int) -> int:
    """How many processes to use for ``items`` units of work: 1 below ``threshold``."""
    if items < threshold or not can_fork():
        return 1
    return max(1, min(cpu_count(), items // max(1, threshold // 2)))


def shares(items: Sequence[T], processes: int, own_share: float = 1.0) -> list[list[T]]:
    """``items`` split between ``processes``, interleaved so each share has items of every kind
    and size; share 0 (done by this process, which also does the work that cannot be shared)
    gets ``own_share`` times as many items as each other share."""
    weights = [own_share] + [1.0] * (processes - 1)
    out: list[list[T]] = [[] for _ in range(processes)]
    for item in items:
        emptiest = min(range(processes), key=lambda i: (len(out[i]) + 1) / weights[i])
        out[emptiest].append(item)
    return out


def deal(work: Callable[[T], R], items: Sequence[T], processes: int) -> list[list[tuple[int, R]]]:
    """``work(item)`` for every item, by ``processes`` processes (this one and forked
    children, ``fork_map``), each taking the next item not yet taken whenever it is free: a
    process given lighter items takes more of them, so all finish together however uneven the
    items are (put the heaviest first). Each process's results, as (index in ``items``,
    result), in the order it took them.

    The items' indices wait in a pipe, written before the children start; each process reads
    the next four bytes (a pipe hands each read's bytes to one reader only). More items than
    the smallest pipe holds are shared out in advance instead (``shares``)."""
    if processes <= 1 or len(items) <= 1 or not can_fork():
        return [[(i, work(item)) for i, item in enumerate(items)]]
    read_end, write_end = os.pipe()
    try:
        os.set_blocking(write_end, False)
        indices = b"".join(i.to_bytes(4, "little") for i in range(len(items)))
        written = os.write(write_end, indices) if len(items) <= DEALT_AT_MOST else 0
    except BlockingIOError:
        written = 0
    finally:
        os.close(write_end)
    if written != len(items) * 4:
        os.close(read_end)
        return _shared_in_advance(work, items, processes)

    def take(_: int) -> list[tuple[int, R]]:
        done: list[tuple[int, R]] = []
        while True:
            taken = os.read(read_end, 4)
            if not taken:
                return done
            assert len(taken) == 4, "the pipe holds whole indices, written before any read"
            i = int.from_bytes(taken, "little")
            done.append((i, work(items[i])))

    try:
        return fork_map(take, range(processes))
    finally:
        os.close(read_end)


# Linux gives a pipe at least one page (4 KiB) even when a user's pipes have used up their
# allowance: 1,024 indices of four bytes.
DEALT_AT_MOST = 1024


def _shared_in_advance(
    work: Callable[[T], R], items: Sequence[T], processes: int
) -> list[list[tuple[int, R]]]:
    """``deal``'s results, the items shared out in advance, interleaved."""
    indexed = shares(list(enumerate(items)), processes)
    return fork_map(lambda share: [(i, work(item)) for i, item in share], indexed)


class WorkerError(RuntimeError):
    """A child process failed with an exception that could not be sent back as it was."""


def fork_map(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[work(item) for item in items]``: ``items[0]`` here, each other item in a forked child.

    Results come back in order. An exception in a child is raised here, once this process has
    finished its own item and every child has ended.
    """
    if len(items) <= 1 or not can_fork():
        return [work(item) for item in items]
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, int]] = []
    # Memory is shared with a child until either writes to it; the garbage collector's passes
    # write to every object they visit, so the objects that exist now are set aside from them.
    gc.freeze()
    try:
        for item in items[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child; checked by tests
                os.close(read_end)
                _child(work, item, write_end)
            os.close(write_end)
            children.append((pid, read_end))
    finally:
        gc.unfreeze()  # here, this process collects as before
    first: tuple[str, object]
    try:
        first = ("ok", work(items[0]))
    except BaseException as error:
        first = ("error", error)
    outcomes = [first] + [_collect(pid, fd) for pid, fd in children]
    results: list[R] = []
    for status, value in outcomes:
        if status == "error":
            assert isinstance(value, BaseException)
            raise value
        results.append(value)  # type: ignore[arg-type]
    return results


def in_child(work: Callable[[], R]) -> R:
    """``work()`` in a forked child, its result sent back: whatever memory the work takes is
    the child's, given back to the system when it ends (this process's own would stay as
    large as its largest moment). An exception in the child is raised here; if this process
    is stopped while waiting (Ctrl-C), the child is stopped too. Where fork cannot be used,
    ``work()`` runs here."""
    if not can_fork():
        return work()
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    gc.freeze()  # as in fork_map: the child's collections leave the shared memory alone
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child; checked by tests
            os.close(read_end)
            _child(lambda _: work(), None, write_end)
    finally:
        gc.unfreeze()
    os.close(write_end)
    try:
        status, value = _collect(pid, read_end)
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        raise
    if status == "error":
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]


def _child(work: Callable[[T], R], item: T, write_end: int) -> None:  # pragma: no cover
    """Run in the forked child: do the work, send the outcome, and leave without cleaning up
    anything the parent owns (no atexit handlers, no buffered output flushed twice)."""
    code = 0
    try:
        try:
            payload = pickle.dumps(("ok", work(item)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:
            code = 1
            try:
                payload = pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                text = "".join(traceback.format_exception(error))
                payload = pickle.dumps(("error", WorkerError(text)))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)


def _collect(pid: int, read_end: int) -> tuple[str, object]:
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return ("error", WorkerError(f"a worker process ended without a result ({status})"))
    outcome: tuple[str, object] = pickle.loads(data)
    return outcome
