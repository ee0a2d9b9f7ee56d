"""A librarian's bookmarks (documents and passages) and saved searches, kept in their account in
``$LIBRARY_HOME/bookmarks.sqlite`` (beside the accounts, never in the store). Anonymous readers
keep the same lists in their browser (``static/bookmarks.js``); the shapes are the same.

Each account holds at most ``MAX_BOOKMARKS`` bookmarks and ``MAX_SEARCHES`` saved searches, so
that the Bookmarks page, its exports and the checks of its saved searches cost a bounded
amount whatever an account does. Every value is the client's: it is bounded in length before
it is stored, and escaped where it is shown (the page builds its list with ``textContent``)."""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import privatedb

MAX_BOOKMARKS = 500
MAX_SEARCHES = 50
MAX_TEXT = 300  # a title or a label
MAX_QUERY = 2000  # a saved search's query string (the search box refuses far less)
DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
PASSAGE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,199}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS bookmarks (
    user TEXT NOT NULL,
    doc TEXT NOT NULL,
    passage TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    added REAL NOT NULL,
    PRIMARY KEY (user, doc, passage)
);
CREATE TABLE IF NOT EXISTS searches (
    user TEXT NOT NULL,
    query TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    saved REAL NOT NULL,
    documents INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user, query)
);
"""


class BookmarkError(ValueError):
    """A bookmark or search that cannot be kept: a bad id or query, or (``full``) the
    account's list is at its cap."""

    def __init__(self, message: str, full: bool = False):
        super().__init__(message)
        self.full = full


@dataclass(frozen=True)
class Bookmark:
    doc: str
    passage: str
    title: str
    added: float


@dataclass(frozen=True)
class SavedSearch:
    query: str  # the search's URL arguments, as the search page's address has them
    label: str
    saved: float  # when it was saved or last looked at (epoch seconds)
    documents: int  # how many documents matched then


def check_ids(doc: str, passage: str = "") -> None:
    if not DOC_ID.match(doc or "") or (passage and not PASSAGE_ID.match(passage)):
        raise BookmarkError("not a document or passage of this library")


def clean_query(query: str) -> str:
    """A search's arguments without a leading ``?``, the page number or control characters."""
    query = re.sub(r"[\x00-\x1f\x7f]", "", (query or "").lstrip("?"))[:MAX_QUERY]
    return "&".join(p for p in query.split("&") if p and not p.startswith("page="))


def _bookmark_row(doc: str, passage: str, title: str) -> tuple[str, str, str]:
    check_ids(doc, passage)
    return doc, passage, (title or "")[:MAX_TEXT]


def _search_row(query: str, label: str, documents: int) -> tuple[str, str, int]:
    query = clean_query(query)
    if not query:
        raise BookmarkError("no search to save")
    return query, (label or "")[:MAX_TEXT], min(max(0, int(documents)), 10**9)


class Bookmarks:
    def __init__(self, home: Path):
        self.path = Path(home) / "bookmarks.sqlite"

    def _connect(self) -> sqlite3.Connection:
        # what librarians keep is theirs (owner-only); a bookmark lost to a power cut is no
        # disaster, an fsync per click is a cost
        return privatedb.connect(self.path, SCHEMA, synchronous="NORMAL")

    def lists(self, user: str) -> dict:
        """The account's bookmarks (newest first) and saved searches, as plain data."""
        db = self._connect()
        try:
            marks = [Bookmark(*r) for r in db.execute(
                "SELECT doc, passage, title, added FROM bookmarks WHERE user = ? "
                "ORDER BY added DESC LIMIT ?", (user, MAX_BOOKMARKS))]
            searches = [SavedSearch(*r) for r in db.execute(
                "SELECT query, label, saved, documents FROM searches WHERE user = ? "
                "ORDER BY saved DESC LIMIT ?", (user, MAX_SEARCHES))]
        finally:
            db.close()
        return {"bookmarks": [asdict(b) for b in marks],
                "searches": [asdict(s) for s in searches]}

    def _add(self, table: str, cap: int, user: str, insert: str, values: tuple,
             exists: str, key: tuple) -> None:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")  # the count and the insert in one turn: no overshoot
            known = db.execute(exists, (user, *key)).fetchone()
            if not known and db.execute(f"SELECT count(*) FROM {table} WHERE user = ?",
                                        (user,)).fetchone()[0] >= cap:
                db.execute("ROLLBACK")
                raise BookmarkError(f"an account keeps at most {cap}", full=True)
            db.execute(insert, (user, *values))
            db.execute("COMMIT")
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")
            db.close()

    def add(self, user: str, doc: str, passage: str = "", title: str = "") -> None:
        check_ids(doc, passage)
        self._add("bookmarks", MAX_BOOKMARKS, user,
                  "INSERT OR REPLACE INTO bookmarks VALUES (?, ?, ?, ?, ?)",
                  (doc, passage, (title or "")[:MAX_TEXT], time.time()),
                  "SELECT 1 FROM bookmarks WHERE user = ? AND doc = ? AND passage = ?",
                  (doc, passage))

    def merge(self, user: str, marks: list[tuple[str, str, str]],
              searches: list[tuple[str, str, int]]) -> tuple[int, int]:
        """Adds many bookmarks (doc, passage, title) and searches (query, label, documents) in
        one transaction, those already kept left as they are, up to the caps. Returns (added,
        left out: bad ids or past a cap)."""
        now, added, left = time.time(), 0, 0
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            for table, cap, rows, insert in (
                    ("bookmarks", MAX_BOOKMARKS, marks,
                     "INSERT OR IGNORE INTO bookmarks VALUES (?, ?, ?, ?, ?)"),
                    ("searches", MAX_SEARCHES, searches,
                     "INSERT OR IGNORE INTO searches VALUES (?, ?, ?, ?, ?)")):
                room = cap - db.execute(f"SELECT count(*) FROM {table} WHERE user = ?",
                                        (user,)).fetchone()[0]
                for row in rows:
                    try:
                        values = (_bookmark_row(*row) if table == "bookmarks"
                                  else _search_row(*row))
                    except BookmarkError:
                        left += 1
                        continue
                    if room <= 0:
                        left += 1
                        continue
                    # the columns: bookmarks (…, title, added), searches (…, saved, documents)
                    row_values = ((user, *values, now) if table == "bookmarks"
                                  else (user, values[0], values[1], now, values[2]))
                    done = db.execute(insert, row_values).rowcount
                    added, room = added + done, room - done
            db.execute("COMMIT")
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")
            db.close()
        return added, left

    def remove(self, user: str, doc: str, passage: str = "") -> None:
        db = self._connect()
        try:
            db.execute("DELETE FROM bookmarks WHERE user = ? AND doc = ? AND passage = ?",
                       (user, doc, passage))
        finally:
            db.close()

    def save_search(self, user: str, query: str, label: str, documents: int) -> None:
        """Saves (or marks as seen: a new date and count) the search ``query``."""
        query = clean_query(query)
        if not query:
            raise BookmarkError("no search to save")
        self._add("searches", MAX_SEARCHES, user,
                  "INSERT OR REPLACE INTO searches VALUES (?, ?, ?, ?, ?)",
                  (query, (label or "")[:MAX_TEXT], time.time(),
                   min(max(0, int(documents)), 10**9)),
                  "SELECT 1 FROM searches WHERE user = ? AND query = ?", (query,))

    def forget_search(self, user: str, query: str) -> None:
        db = self._connect()
        try:
            db.execute("DELETE FROM searches WHERE user = ? AND query = ?",
                       (user, clean_query(query)))
        finally:
            db.close()
