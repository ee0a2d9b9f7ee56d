"""Librarian sessions and log-in attempts, in ``$LIBRARY_HOME/accounts.sqlite``.

The signed cookie only names a session; whether it is still open is decided here, so logging
out, removing an account or changing its password ends the session at once in every worker
process (SQLite in WAL mode, one short connection per operation: safe after a fork).
Only a hash of each session token is stored: a copy of the database opens no session."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from . import privatedb

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    created REAL NOT NULL,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_account ON attempts(account, at);
CREATE INDEX IF NOT EXISTS attempts_address ON attempts(address, at);
"""
MAX_KEY = 200  # names and addresses are the client's: bounded before they are stored


@dataclass(frozen=True)
class Limits:
    """At most ``per_account`` failed log-ins per account name, ``per_address`` per client
    address, within ``window`` seconds."""

    per_account: int = 5
    per_address: int = 20
    window: float = 15 * 60


@dataclass(frozen=True)
class Locked:
    """Why a log-in is refused without looking at the password, and until when."""

    reason: str  # "account" or "address"
    until: float  # epoch seconds


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, home: Path):
        self.path = Path(home) / "accounts.sqlite"

    def _connect(self) -> sqlite3.Connection:
        # session hashes and client addresses: owner-only
        return privatedb.connect(self.path, SCHEMA)

    # -- sessions ----------------------------------------------------------------------------
    def open_session(self, user: str, lifetime: float) -> str:
        """A new session for ``user``; returns the token the cookie carries."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        db = self._connect()
        try:
            db.execute("DELETE FROM sessions WHERE expires <= ?", (now,))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)",
                       (_hash(token), user, now, now + lifetime))
        finally:
            db.close()
        return token

    def session_user(self, token: str) -> str | None:
        """The user of an open, unexpired session; ``None`` for anything else."""
        if not token:
            return None
        db = self._connect()
        try:
            row = db.execute("SELECT user FROM sessions WHERE token_hash = ? AND expires > ?",
                             (_hash(token), time.time())).fetchone()
        finally:
            db.close()
        return row[0] if row else None

    def close_session(self, token: str) -> None:
        db = self._connect()
        try:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (_hash(token),))
        finally:
            db.close()

    def close_sessions_of(self, user: str) -> int:
        """End every session of ``user`` (account removed, password changed)."""
        db = self._connect()
        try:
            return db.execute("DELETE FROM sessions WHERE user = ?", (user,)).rowcount
        finally:
            db.close()

    # -- log-in attempts ---------------------------------------------------------------------
    def begin_attempt(self, account: str, address: str, limits: Limits) -> int | Locked:
        """Either the reason the attempt is refused, or the id of a recorded attempt.

        The attempt is counted as a failure before the password is checked, in the same
        transaction as the count: parallel requests cannot all slip under the limit.
        ``succeeded`` takes it back."""
        account, address = account[:MAX_KEY], address[:MAX_KEY]
        now = time.time()
        since = now - limits.window
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM attempts WHERE at <= ?", (since,))
            for reason, column, key, limit in (("account", "account", account,
                                                limits.per_account),
                                               ("address", "address", address,
                                                limits.per_address)):
                times = [r[0] for r in db.execute(
                    f"SELECT at FROM attempts WHERE {column} = ? AND at > ? ORDER BY at",
                    (key, since))]
                if len(times) >= limit:
                    db.execute("COMMIT")
                    # the lock lifts when enough of the window's failures have aged out of it
                    return Locked(reason, times[len(times) - limit] + limits.window)
            attempt = db.execute("INSERT INTO attempts (account, address, at) VALUES (?, ?, ?)",
                                 (account, address, now)).lastrowid
            db.execute("COMMIT")
            return attempt
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def succeeded(self, attempt: int, account: str) -> None:
        """The password was right: forget this attempt and the account's earlier typos."""
        db = self._connect()
        try:
            db.execute("DELETE FROM attempts WHERE id = ? OR account = ?",
                       (attempt, account[:MAX_KEY]))
        finally:
            db.close()
