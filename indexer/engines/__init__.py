"""The search engine behind the library, as one interface with an adapter per engine.

Only the adapters (``whoosh_engine``, ``tantivy_engine``) import an engine. Everything else —
the build in ``indexer/index.py``, the searcher, highlighting, grouping, name widening, spelling
correction, tracing — speaks to this interface, in the engine-neutral query tree of
``indexer.querytree`` and with words analysed by ``indexer.analysis`` (engines are handed
analysed words, so both index exactly the same terms).

An index folder holds ``engine.json`` naming the engine that made it; a folder made by
another engine than the one chosen is rebuilt (``ensure_index``).

Write side: :class:`Writer` (delete a document's passages and citations, add passages and
citations, commit one generation). Read side: :class:`Session`, one generation of the index,
for one request at a time: every match of a query with its score (the searcher needs every
match for facets and exact per-document counts), stored fields, the columns facets count,
citations, and the term statistics spelling correction needs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..querytree import Node

ENGINES = ("whoosh", "tantivy")
DEFAULT = "whoosh"
ENGINE_FILE = "engine.json"
NAMES_FILE = "names.json"  # folded words never stemmed (names): the analysis of this index
# Per-passage columns the facets and grouping read, and those holding several values.
COLUMNS = ("doc_id", "type", "language", "collection", "year", "date")
MULTI = ("authors", "persons")
# A title word counts twice a text word (as Whoosh's field boost did).
FIELD_BOOSTS = {"title": 2.0}


class EngineError(RuntimeError):
    """The engine named is not one the library has."""


@dataclass
class Budget:
    """What a search may spend: ``check`` raises when its time is up, ``remaining`` says how
    many seconds are left (None: no limit); a wildcard or fuzzy word may stand for at most
    ``max_expansion`` index words."""

    check: Callable[[], None] = lambda: None
    remaining: Callable[[], float | None] = lambda: None
    max_expansion: int = 1_000
    on_timeout: Callable[[], BaseException] = field(default=lambda: TimeoutError())


@dataclass
class Columns:
    """One generation's per-passage values, by the engine's key of each passage."""

    values: dict[str, Mapping[int, object]]  # COLUMNS (+ "decade") → key → value
    multi: dict[str, Mapping[int, tuple[str, ...]]]  # MULTI → key → values
    first: dict[str, int]  # doc_id → key of one of its passages (its metadata)


class Writer(Protocol):
    def delete_document(self, doc_id: str) -> None: ...
    def add_passage(self, record: dict) -> None: ...
    def add_citation(self, record: dict) -> None: ...
    def commit(self) -> None: ...
    def cancel(self) -> None: ...


class Session(Protocol):
    generation: tuple

    def search(self, query: Node, limit: int | None, budget: Budget | None = None
               ) -> list[tuple[int, float]]:
        """(key, score) of matches, best first; ``limit=None``: every match."""
    def stored(self, key: int) -> dict: ...
    def find(self, field: str, value: str) -> dict | None: ...
    def columns(self) -> Columns: ...
    def citations(self) -> list[dict]: ...
    def doc_count(self) -> int: ...
    def doc_frequency(self, field: str, word: str) -> int: ...
    def expand(self, node: Node, budget: Budget | None = None) -> list[str]:
        """The index words a Prefix, Wildcard or Fuzzy node stands for."""
    def near_words(self, field: str, word: str, maxdist: int) -> list[str]: ...


class Engine(Protocol):
    name: str

    def create(self, folder: Path, names: frozenset[str]) -> Writer: ...
    def writer(self, folder: Path) -> Writer: ...
    def exists(self, folder: Path) -> bool: ...
    def fault(self, folder: Path) -> str | None: ...
    def indexed(self, folder: Path) -> dict[str, str]: ...
    def reader(self, folder: Path) -> Reader: ...


class Reader(Protocol):
    """An open index folder; ``session()`` lends one generation to one request."""

    names: frozenset[str]

    def session(self) -> AbstractContextManager[Session]: ...


def chosen(name: str | None = None, folder: Path | None = None) -> str:
    """The engine asked for: ``name``, else ``LIBRARY_ENGINE``, else the one that made the
    index in ``folder`` (so that ``library build --engine tantivy`` is remembered), else
    Whoosh."""
    name = (name or os.environ.get("LIBRARY_ENGINE")
            or (made_by(folder) if folder is not None else None) or DEFAULT).strip().lower()
    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r}: LIBRARY_ENGINE is one of "
                          + ", ".join(ENGINES))
    return name


def get(name: str | None = None) -> Engine:
    """The adapter of engine ``name`` (default: the chosen one)."""
    name = chosen(name)
    if name == "tantivy":
        from .tantivy_engine import TantivyEngine
        return TantivyEngine()
    from .whoosh_engine import WhooshEngine
    return WhooshEngine()


def made_by(folder: Path) -> str | None:
    """The engine that made the index in ``folder`` (an index from before the choice existed
    is Whoosh's)."""
    try:
        return json.loads((Path(folder) / ENGINE_FILE).read_text(encoding="utf-8"))["engine"]
    except FileNotFoundError:
        return DEFAULT if Path(folder).is_dir() and any(Path(folder).glob("*.toc")) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def mark(folder: Path, engine: str, names: frozenset[str]) -> None:
    """Record which engine made the index in ``folder``, and the names its analysis keeps."""
    (Path(folder) / ENGINE_FILE).write_text(json.dumps({"engine": engine}), encoding="utf-8")
    (Path(folder) / NAMES_FILE).write_text(json.dumps(sorted(names), ensure_ascii=False),
                                           encoding="utf-8")


def load_names(folder: Path) -> frozenset[str]:
    try:
        return frozenset(json.loads((Path(folder) / NAMES_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return frozenset()

