"""The error a reader's query can be refused with. It is defined beside the query tree in
``indexer`` (the engine adapters refuse a wildcard that expands too far with it, and ``indexer``
never imports ``library``); the query language and the limits raise it from here."""

from __future__ import annotations

from indexer.querytree import QueryError

__all__ = ["QueryError"]
