"""The search engine behind the library, as one interface with an adapter per engine.

Only the adapters (``whoosh_engine``, ``tantivy_engine``) import an engine. Everything else —
the build in ``indexer/index.py``, the searcher, highlighting, name widening, spelling
correction, tracing — speaks to this interface, in the engine-neutral query tree of
``indexer.querytree`` and with words analysed by ``indexer.analysis`` (engines are handed
analysed words, so both index exactly the same terms).

An index folder holds ``engine.json`` naming the engine that made it; a folder made by
another engine than the one chosen is rebuilt (``ensure_index``).

Write side: :class:`Writer` (delete a document's passages and citations, add passages and
citations, commit one generation).

Read side: :class:`Session`, one generation of the index, for one request at a time.
``Session.query(Plan) -> Answer`` answers the whole question a results page asks, inside the
engine, and never hands every match to Python:

- the plan: the query tree (boosts in it are honoured by both engines), filters (more trees,
  each required, unscored), the sort (``relevance``, ``date``, ``date-desc``, ``title``), the
  page of *documents* wanted (``offset``, ``limit``), the best passages wanted per document
  (``passages``; None: every matching passage of the page's documents, in score order), the
  facets wanted (index fields, each counted by documents), how many of the best passages
  overall to report (``ranked``) and the :class:`Budget`;
- the answer: the total of matching passages and of matching documents, the page of
  documents, each with its exact number of matching passages and its best passages (keys and
  scores), the facet counts (documents per value), and the best passages overall.

Order, defined so that both engines agree wherever their scores do: passages by score
descending, then index order (their key, ascending). Documents by relevance: those holding one
of the ``top`` best passages, in the order of their best passage; then the others by their
number of matching passages, descending, then ``doc_id``. By date: dated documents by (date,
``doc_id``), ascending or both descending for ``date-desc``, then the undated by ``doc_id``.
By title: (casefolded title, ``doc_id``).

Facets: ``type``, ``language``, ``collection``, ``year``, ``decade`` (from ``year``),
``authors`` and ``places`` (the places and organisations it names) are a document's
metadata, the same in each of its passages: a document counts once for its value(s); a date
that is a range counts once under each year (and decade) it spans, as the ``years`` filter
finds it. ``persons`` is per passage: a document counts once for each person one of its
matching passages names. Values ``""`` and year ``0`` (unknown)
are not counted.

Besides ``query``: stored fields of a passage by key, one passage found by a field, the
citations, per-document metadata (``documents``: the lists the library's pages show, one row
per document, without walking passages), and the term statistics spelling correction needs
(``doc_frequency``, ``near_words``; ``expand`` for the words a wildcard stands for). Whatever
an adapter keeps per index generation is built when the generation is first opened
(``Reader.session``), before a request's budget starts.
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
# A title word counts twice a text word (as Whoosh's field boost did).
FIELD_BOOSTS = {"title": 2.0}
SORTS = ("relevance", "date", "date-desc", "title")
# Facet fields that are a document's metadata (the same in each of its passages), and those
# holding several values.
PER_DOCUMENT = ("type", "language", "collection", "year", "decade", "authors", "places")
PER_PASSAGE = ("persons",)
MULTI = ("authors", "persons", "places")


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


@dataclass
class Plan:
    """What one results page asks of the index (see the module's docstring)."""

    query: Node
    filters: tuple[Node, ...] = ()
    sort: str = "relevance"
    offset: int = 0  # documents skipped
    limit: int = 10  # documents wanted
    passages: int | None = 3  # best passages per document; None: all of them; 0: none
    facets: tuple[str, ...] = ()  # fields of PER_DOCUMENT and PER_PASSAGE
    ranked: int = 0  # best passages overall to report
    top: int = 120  # best passages whose documents lead the relevance order
    budget: Budget | None = None


@dataclass
class DocumentHits:
    doc_id: str
    count: int  # its matching passages
    passages: list[tuple[int, float]]  # its best passages: (key, score), best first


@dataclass
class Answer:
    passages: int  # matching passages
    documents: int  # matching documents
    page: list[DocumentHits]
    facets: dict[str, dict[object, int]]  # field → value → matching documents
    ranked: list[tuple[int, float]] = field(default_factory=list)  # best passages overall


@dataclass(frozen=True)
class DocumentInfo:
    """One document's metadata as indexed (every passage of it carries the same)."""

    doc_id: str
    title: str
    author: str
    date: str
    year: int
    type: str
    language: str
    collection: str
    authors: tuple[str, ...]
    # the last year the date can be (a range "1952/1953" ends in 1953; 0: ``year`` alone):
    # the year and decade facets count a document under every year it spans
    year_to: int = 0
    places: tuple[str, ...] = ()  # keys of the places and organisations it names

    def years(self) -> range:
        """Every year the document's date spans (empty when undated)."""
        return range(self.year, max(self.year_to, self.year) + 1) if self.year else range(0)


class Writer(Protocol):
    def delete_document(self, doc_id: str) -> None: ...
    def add_passage(self, record: dict) -> None: ...
    def add_citation(self, record: dict) -> None: ...
    def commit(self) -> None: ...
    def cancel(self) -> None: ...


class Session(Protocol):
    generation: tuple
    # this generation of this index, unique within the process (an opstamp or a segment list
    # can recur in another folder or a rebuilt one): the key of what is kept per generation
    serial: int

    def query(self, plan: Plan) -> Answer:
        """The page of documents, counts and facets ``plan`` asks for."""
    def search(self, query: Node, limit: int, budget: Budget | None = None
               ) -> list[tuple[int, float]]:
        """(key, score) of the ``limit`` best matches, best first."""
    def best_passages(self, query: Node, wanted: Mapping[str, int],
                      budget: Budget | None = None) -> dict[str, list[tuple[int, float]]]:
        """The best ``wanted[doc_id]`` matches of each document asked for (key, score), best
        first, then in index order."""
    def count(self, query: Node, budget: Budget | None = None) -> int:
        """How many passages match."""
    def matching_documents(self, query: Node, budget: Budget | None = None) -> set[str]:
        """The documents holding a matching passage."""
    def documents(self) -> dict[str, DocumentInfo]:
        """Every document of this generation (kept per generation: as many rows as
        documents, not passages)."""
    def person_documents(self) -> dict[str, int]:
        """Documents naming each person (per generation)."""
    def stored(self, key: int) -> dict: ...
    def find(self, field: str, value: str) -> dict | None: ...
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
    def merge(self, folder: Path) -> tuple[int, int]:
        """Merge the index's segments (segments before, after), where the engine does not."""


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

