"""The error a reader's query can be refused with (its own module, so that the query language
and the limits on what a query may cost can both raise it)."""

from __future__ import annotations


class QueryError(ValueError):
    """A query that cannot be read; ``str()`` says which token, where, and what was expected."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position
