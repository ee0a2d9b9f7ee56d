"""One writer at a time, library-wide.

Every change to the store or the index (``library build``, ``library import``, a web import
job, the start-up reconciliation of ``serve``) happens under one lock file in
``$LIBRARY_HOME``, held by one process at a time, whatever started it. A second writer waits its
turn and says for whom it waits, from a small record the holder leaves beside the lock.

The lock is ``filelock``'s (``fcntl.flock`` on POSIX): the kernel releases it when its holder
dies, even by ``kill -9``, so a crashed import never leaves the library locked.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_NAME = "write.lock"
HOLDER_NAME = "write.lock.json"
# How often a waiting writer says again that it waits (seconds).
REPEAT_EVERY = 10.0


# Threads of one process share the process's hold: the lock is re-entrant for the thread that
# holds it (an import brings the index in line under the lock it already holds), and other
# threads of the process queue on an ordinary lock before the file lock.
_local: dict[str, threading.RLock] = {}
_depth: dict[str, int] = {}
_registry = threading.Lock()


class LockBusy(RuntimeError):
    """The lock is held by another writer and the caller chose not to wait."""


def _holder_path(home: Path) -> Path:
    return Path(home) / HOLDER_NAME


def holder(home: Path) -> dict | None:
    """Who holds the lock, as its holder described itself (None when unknown or free)."""
    try:
        return json.loads(_holder_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def describe(info: dict | None) -> str:
    """``the import started 12 s ago by pid 4242``, or a plain phrase when the holder is
    unknown (it may be taking the lock at this very moment)."""
    if not info:
        return "another writer"
    ago = max(0, int(time.time() - float(info.get("started", time.time()))))
    return f"the {info.get('what', 'writer')} started {ago} s ago by pid {info.get('pid', '?')}"


@contextmanager
def write_lock(home: Path, what: str, wait: bool = True,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the library's write lock for the ``with`` block.

    ``what`` names the holder for others (``import``, ``build``, ``index repair``). With
    ``wait=False`` a busy lock raises :class:`LockBusy` at once. ``on_wait`` receives
    ``waiting for the import started 12 s ago by pid 4242…`` when the lock is busy, and again
    every ten seconds while it stays so.
    """
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    key = str(home.resolve())
    with _registry:
        local = _local.setdefault(key, threading.RLock())
    said = 0.0

    def waiting() -> None:
        nonlocal said
        message = f"waiting for {describe(holder(home))}…"
        if not wait:
            raise LockBusy(message)
        now = time.monotonic()
        if on_wait and now - said >= REPEAT_EVERY:
            on_wait(message)
            said = now

    while not local.acquire(timeout=0.5 if wait else 0):
        waiting()
    try:
        if _depth.get(key):  # this thread holds it already
            _depth[key] += 1
            try:
                yield
            finally:
                _depth[key] -= 1
            return
        lock = FileLock(str(home / LOCK_NAME))
        while True:
            try:
                lock.acquire(timeout=0.5 if wait else 0)
                break
            except Timeout:
                waiting()
        _depth[key] = 1
        try:
            _write_holder(home, {"what": what, "pid": os.getpid(), "started": time.time()})
            yield
        finally:
            _depth[key] = 0
            _holder_path(home).unlink(missing_ok=True)
            lock.release()
    finally:
        local.release()


def _write_holder(home: Path, info: dict) -> None:
    tmp = home / f".{HOLDER_NAME}.{os.getpid()}"
    tmp.write_text(json.dumps(info), encoding="utf-8")
    os.replace(tmp, _holder_path(home))
