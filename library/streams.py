"""Whole-result exports stream for as long as their rows take (thousands of KWIC lines, tens
of seconds of one core), so each server process streams at most ``LIBRARY_EXPORTS_AT_ONCE``
of them at once (default 1; ``0``: no limit). Another export asked for meanwhile is answered
429 with ``Retry-After``: on a two-core server, eight exports at once took every core from
the readers searching beside them. The per-address limit (``ratelimit``) keeps one client
from asking too often; this keeps many clients together from taking the server."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

from flask import Flask, g, request
from flask_babel import gettext as _

from .ratelimit import LIMITED, setting, too_many

DEFAULT_AT_ONCE = 1
RETRY_SECONDS = 15  # about what a capped export takes to stream


def at_once() -> int:
    return int(setting("LIBRARY_EXPORTS_AT_ONCE", DEFAULT_AT_ONCE))


def init(app: Flask) -> None:
    n = at_once()
    if n == 0:
        return
    slots = threading.BoundedSemaphore(n)

    @app.before_request
    def take_a_slot():
        if LIMITED.get(request.endpoint or "") != "export":
            return None
        if slots.acquire(blocking=False):
            g.export_slot = True
            return None
        return too_many(app, _("The server is making other exports; try again in "
                               "%(seconds)s seconds.", seconds=RETRY_SECONDS), RETRY_SECONDS)

    @app.after_request
    def hold_while_streaming(response):
        if g.pop("export_slot", False):
            if response.is_streamed:
                release = _Once(slots.release)
                # given back when the last row is made, or when the response is closed (the
                # reader gone before the end), whichever comes first
                response.response = _then(response.response, release)
                response.call_on_close(release)
            else:  # an error page: nothing left to make
                slots.release()
        return response

    @app.teardown_request
    def give_back(_exc):
        if g.pop("export_slot", False):  # failed before a response was made
            slots.release()


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
