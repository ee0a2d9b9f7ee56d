"""Whole-result exports stream for as long as their rows take (thousands of KWIC lines, tens
of seconds of one core), so the server streams at most ``LIBRARY_EXPORTS_AT_ONCE`` of them at
once, across all its worker processes (default 1; ``0``: no limit). Another export asked for
meanwhile is answered 429 with ``Retry-After``: on a two-core server, eight exports at once
took every core from the readers searching beside them, and one per worker process still
took both cores (p99 of the readers' requests 1.2 s against 0.8 s with one export at a time,
at 10,629 documents). The per-address limit (``ratelimit``) keeps one client from asking
too often; this keeps many clients together from taking the server.

The slots are lock files (``flock``) in the library's home: the kernel lets go of one when
its process dies, so a worker killed mid-export never keeps a slot."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import Flask, g, request
from flask_babel import gettext as _

from .ratelimit import LIMITED, setting, too_many

DEFAULT_AT_ONCE = 1
RETRY_SECONDS = 15  # about what a capped export takes to stream


def at_once() -> int:
    return int(setting("LIBRARY_EXPORTS_AT_ONCE", DEFAULT_AT_ONCE))


class Slots:
    """``n`` slots shared by every process of a server (lock files in ``folder``). Where the
    files cannot be used (a read-only home), the slots are this process's own, as before: the
    limit never turns into an error of its own."""

    def __init__(self, folder: Path, n: int):
        self._own = threading.BoundedSemaphore(n)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._paths: list[Path] = [folder / f"export-{i}.lock" for i in range(n)]
        except OSError:
            self._paths = []

    def acquire(self) -> int | None:
        """A held slot (an open, locked file, or -1 for one of this process's own), or None
        when every slot is taken."""
        for path in self._paths:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                break
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except OSError:  # taken (BlockingIOError), or the file system refuses locks
                os.close(fd)
        else:
            if self._paths:
                return None
        return -1 if self._own.acquire(blocking=False) else None

    def release(self, held: int) -> None:
        if held == -1:
            self._own.release()
        else:
            os.close(held)  # closing the file lets go of its lock


def init(app: Flask, home: Path) -> None:
    n = at_once()
    if n == 0:
        return
    slots = Slots(home / "exports", n)

    @app.before_request
    def take_a_slot():
        if LIMITED.get(request.endpoint or "") != "export":
            return None
        held = slots.acquire()
        if held is not None:
            g.export_slot = held
            return None
        return too_many(app, _("The server is making other exports; try again in "
                               "%(seconds)s seconds.", seconds=RETRY_SECONDS), RETRY_SECONDS)

    @app.after_request
    def hold_while_streaming(response):
        held = g.pop("export_slot", None)
        if held is not None:
            if response.is_streamed:
                release = _Once(lambda: slots.release(held))
                # given back when the last row is made, or when the response is closed (the
                # reader gone before the end), whichever comes first
                response.response = _then(response.response, release)
                response.call_on_close(release)
            else:  # an error page: nothing left to make
                slots.release(held)
        return response

    @app.teardown_request
    def give_back(_exc):
        held = g.pop("export_slot", None)
        if held is not None:  # failed before a response was made
            slots.release(held)


class _Once:
    def __init__(self, action):
        self._action, self._lock, self._done = action, threading.Lock(), False

    def __call__(self) -> None:
        with self._lock:
            if self._done:
                return
            self._done = True
        self._action()


def _then(chunks: Iterable, after: _Once) -> Iterator:
    try:
        yield from chunks
    finally:
        after()
