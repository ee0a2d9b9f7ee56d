"""The library's small owner-only SQLite stores (accounts, bookmarks): one short connection per
operation, which stays safe after a server worker forks, in WAL mode so that readers never
wait for a writer, the file readable by its owner only."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

_READY: set[Path] = set()  # databases whose schema this process has already made sure of
_LOCK = threading.Lock()


def connect(path: Path, schema: str, synchronous: str = "FULL") -> sqlite3.Connection:
    """A connection in autocommit mode (each statement commits unless a BEGIN says otherwise);
    the file made owner-only and its schema applied the first time this process opens it."""
    fresh = path not in _READY or not path.exists()
    if fresh:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    if synchronous != "FULL":
        db.execute(f"PRAGMA synchronous={synchronous}")
    if fresh:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(schema)
        with _LOCK:
            _READY.add(path)
    return db
