"""Expensive routes (exports of a whole result set, traces, pictures, OAI lists) are limited
per client address, so that one client cannot crowd out the others: past the limit the answer
is 429 with ``Retry-After`` (seconds until the next request would be let through).

A token bucket per (client address, route class): ``LIBRARY_RATE_BURST`` requests at once
(default 20), refilled at ``LIBRARY_RATE_PER_MINUTE`` a minute (default 60); ``0`` turns the
limit off. The buckets live in one SQLite file in ``$LIBRARY_HOME`` (``ratelimit.sqlite``),
so every gunicorn worker of a server shares them. If that file cannot be used (a read-only
home, a lock held too long), a request is let through and the limit is kept per worker
process instead: the limit never turns into an error of its own."""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
import time
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _

log = logging.getLogger("library.ratelimit")

# endpoint → the class of route it is counted in
LIMITED = {
    "library.search_export_csv": "export", "library.search_export_ris": "export",
    "library.search_export_bib": "export", "library.api_trace": "trace",
    "library.timeline": "picture", "library.graph": "picture", "library.person": "picture",
    "library.persons": "picture", "library.oai": "oai",
    # a bookmark list: up to 500 documents read and cited per request
    **{f"library.bookmarks_export_{ext}": "export" for ext in ("csv", "ris", "bib", "json")},
}
DEFAULT_BURST, DEFAULT_PER_MINUTE = 20, 60


def setting(name: str, default: float) -> float:
    """A number from the environment, finite and not negative, else ``default``."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if math.isfinite(value) and value >= 0 else default


class Buckets:
    """Token buckets shared through SQLite, with a per-process fallback."""

    def __init__(self, path: Path | None, burst: float, per_minute: float):
        self.path, self.burst, self.rate = path, burst, per_minute / 60
        self._local: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._db = threading.local()

    def _connection(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        conn = getattr(self._db, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=0.2, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("CREATE TABLE IF NOT EXISTS bucket (key TEXT PRIMARY KEY, "
                         "tokens REAL, at REAL)")
            self._db.conn = conn
        return conn

    def _take(self, state: tuple[float, float] | None, now: float) -> tuple[float, float, float]:
        """(tokens left, when, seconds to wait): one token taken, or the wait when none."""
        tokens, at = state if state else (self.burst, now)
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        if tokens >= 1:
            return tokens - 1, now, 0.0
        return tokens, now, (1 - tokens) / self.rate

    def take(self, key: str) -> float:
        """Seconds the client must wait; 0 when the request may go ahead."""
        now = time.time()
        try:
            conn = self._connection()
            if conn is not None:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    row = conn.execute("SELECT tokens, at FROM bucket WHERE key = ?",
                                       (key,)).fetchone()
                    tokens, at, wait = self._take(row, now)
                    conn.execute("INSERT OR REPLACE INTO bucket VALUES (?, ?, ?)",
                                 (key, tokens, at))
                    if wait == 0 and row is None and now % 60 < 1:  # now and then, tidy up
                        conn.execute("DELETE FROM bucket WHERE at < ?", (now - 3600,))
                finally:
                    conn.execute("COMMIT")
                return wait
        except sqlite3.Error as exc:
            log.warning("rate limit kept per process (%s)", exc)
        with self._lock:
            tokens, at, wait = self._take(self._local.get(key), now)
            self._local[key] = (tokens, at)
            if len(self._local) > 100_000:
                self._local.clear()
            return wait


def init(app: Flask, home: Path | None) -> None:
    burst = setting("LIBRARY_RATE_BURST", DEFAULT_BURST)
    per_minute = setting("LIBRARY_RATE_PER_MINUTE", DEFAULT_PER_MINUTE)
    if burst == 0 or per_minute == 0:
        return
    path = None
    if home is not None:
        try:
            Path(home).mkdir(parents=True, exist_ok=True)
            path = Path(home) / "ratelimit.sqlite"
        except OSError:
            path = None
    buckets = Buckets(path, max(1.0, burst), per_minute)

    @app.before_request
    def limit():
        kind = LIMITED.get(request.endpoint or "")
        if kind is None:
            return None
        wait = buckets.take(f"{kind} {request.remote_addr or '-'}")
        if wait <= 0:
            return None
        retry = max(1, math.ceil(wait))
        return too_many(app, _("Too many requests of this kind from your address; try again "
                               "in %(seconds)s seconds.", seconds=retry), retry)


def too_many(app: Flask, message: str, retry: int):
    """A 429 saying ``message``, with ``Retry-After`` (JSON for the API, else a page)."""
    if request.path.startswith("/api/"):
        response = jsonify(error=message)
    else:
        response = app.make_response(render_template(
            "error.html", status=429, title=_("Too many requests"), message=message))
    response.status_code = 429
    response.headers["Retry-After"] = str(retry)
    return response
