"""Bounds on what one query may cost: its length, nesting and number of terms, how far a
wildcard or fuzzy word may expand, which words the spelling corrector looks at, and a time
budget for the whole search. Anything over a bound is refused with a ``QueryError`` that says
which bound and how to get under it, so the pages answer 400 and the command exits 2.

Why each bound: the query parser recurses once per parenthesis (1,000 of them overflowed the
stack); the spelling corrector's cost grows with the square of a word's length (33 s for one
30,000-letter word); a short wildcard on a large index ORs together thousands of terms.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from indexer import querytree as qt
from indexer.engines import Budget

from ..i18n import N_
from .errors import QueryError

MAX_QUERY_CHARS = 1_000
MAX_DEPTH = 32  # nested parentheses
MAX_TERMS = 200  # words, phrases and ranges of one query (a pasted quotation included)
MAX_FUZZY_WORD = 40  # longer words are neither spelling-corrected nor fuzzy-expanded
MAX_EXPANSION = 1_000  # index words one wildcard or fuzzy word may stand for
MAX_TRACE_CHARS = 2_000  # a quotation to trace: a long paragraph at most
DEFAULT_SECONDS = 5.0
# A query of many terms cannot be answered well (a pasted page, a word repeated to make it
# heavy): its budget falls with the number of terms past this, down to MIN_SECONDS.
FULL_BUDGET_TERMS = 40
MIN_SECONDS = 1.0


class QueryTooSlow(QueryError):
    """The search ran past its time budget."""

    def __init__(self, seconds: float):
        super().__init__(N_("the query took too long (over %(seconds)s s); narrow it: fewer "
                            "wildcards or fuzzy words, longer stems, or a filter"),
                         seconds=f"{seconds:g}")


def query_seconds() -> float:
    """The time budget of one search: ``LIBRARY_QUERY_SECONDS``, 5 s by default."""
    try:
        seconds = float(os.environ.get("LIBRARY_QUERY_SECONDS", DEFAULT_SECONDS))
    except ValueError:
        return DEFAULT_SECONDS
    return seconds if seconds > 0 else DEFAULT_SECONDS


def seconds_for(query: qt.Node | None) -> float:
    """The budget of one search: ``query_seconds()`` for an ordinary query; for one of more
    than ``FULL_BUDGET_TERMS`` index terms, that share of it, at least ``MIN_SECONDS`` (never
    more than the whole budget). Eight clients pasting 1 KB of one word could otherwise hold
    every thread for the whole budget."""
    seconds = query_seconds()
    if query is None:
        return seconds
    terms = sum(1 for _ in qt.leaves(query, negated=True))
    if terms <= FULL_BUDGET_TERMS:
        return seconds
    return min(seconds, max(MIN_SECONDS, seconds * FULL_BUDGET_TERMS / terms))


# What a budget measures is the search's own work: the CPU time of its thread. On a busy server
# every request waits its turn for a core, and a search that costs 1.6 s alone (a first count of
# "Putin" filtered by language, at 10,629 documents) took over 5 s of wall time among eight
# clients on two cores, and was refused for the others' load. Wall time still ends a search at
# WALL_FACTOR times its budget, so nothing waits without end.
WALL_FACTOR = 2.0

# The deadlines of the search running in this thread (each request has its own thread, and a
# context variable is per thread), so deep code can check it without being handed it:
# (thread CPU deadline, wall-clock deadline, seconds).
_deadline: ContextVar[tuple[float, float, float] | None] = ContextVar("deadline", default=None)


@contextmanager
def budget(seconds: float | None = None) -> Iterator[None]:
    """Run the body under a time budget; nested budgets keep the outer deadline."""
    if _deadline.get() is not None:
        yield
        return
    seconds = seconds if seconds is not None else query_seconds()
    token = _deadline.set((time.thread_time() + seconds,
                           time.monotonic() + seconds * WALL_FACTOR, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    """Raise ``QueryTooSlow`` when the current budget is spent."""
    current = _deadline.get()
    if current is not None and (time.thread_time() >= current[0]
                                or time.monotonic() >= current[1]):
        raise QueryTooSlow(current[2])


def remaining() -> float | None:
    """Wall-clock seconds the current search may still wait (for another thread counting the
    same query, say); its CPU time is checked by ``check``."""
    current = _deadline.get()
    return None if current is None else current[1] - time.monotonic()


def engine_budget() -> Budget:
    """This search's budget as the engine adapters take it."""
    return Budget(check=check, remaining=remaining, max_expansion=MAX_EXPANSION)
