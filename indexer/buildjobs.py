"""The per-document Python work of a full build — reading the TEI, tagging the persons each
passage names, analysing the words — spread over ``jobs`` processes (``library build --jobs``).

The work comes in two rounds because the second depends on the whole first: the words never to
stem (names) are taken from every passage of the store before any passage is stemmed. With
``jobs=1`` everything runs in this process, in the same order, with the same result.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import ExactAnalyzer, TextAnalyzer
from .persons import Register
from .places import PLACES_ID, PlaceRegister, rows_of
from .teidoc import read_document
from .xmlsafe import XMLInputError

# Records sent to a worker at once (small enough to keep both cores busy to the end).
CHUNK = 2_000


@dataclass
class DocRecords:
    doc_id: str
    passages: list[dict]
    citations: list[dict]
    notes: int
    # running text of passages that are not indexed (no id): still read for names
    other_texts: list[str] = field(default_factory=list)
    # the places and organisations it names: rows of indexer.places' table
    places: list[tuple[str, str, str, str]] = field(default_factory=list)


_register: Register | None = None
_places: PlaceRegister | None = None
_analysers: tuple[TextAnalyzer, ExactAnalyzer] | None = None


def _init_reader(register_path: Path) -> None:
    global _register, _places
    _register = Register.load(register_path)
    # the place register lives beside the person register, in the store
    _places = PlaceRegister.load(register_path.parent / f"{PLACES_ID}.xml")


def _read(path: Path) -> tuple[Path, str | None, DocRecords | None]:
    from .index import citation_records, passage_records  # noqa: PLC0415  (no cycle at import)

    try:
        doc = read_document(path)
    except XMLInputError as exc:
        return path, str(exc), None
    rows = rows_of(doc, _places)
    passages = list(passage_records(doc, _register, [key for _, key, _, _ in rows]))
    indexed = {r["passage_id"] for r in passages}
    other = [p.text for p in doc.passages if p.kind != "bibl" and p.id not in indexed and p.text]
    return path, None, DocRecords(doc.doc_id, passages, list(citation_records(doc)),
                                  len(doc.notes), other, rows)


def _init_analyser(names: frozenset[str]) -> None:
    global _analysers
    _analysers = (TextAnalyzer(names), ExactAnalyzer())


def _analyse(texts: list[str]) -> list[tuple[str, str]]:
    stemmed, exact = _analysers
    out = []
    for t in texts:
        words = exact.words(t)
        out.append((" ".join(stemmed.stemmed(words)), " ".join(words)))
    return out


def _pool(jobs: int, initializer, initargs):
    # spawn, not fork: the build also runs inside a threaded server, where fork is unsafe
    return multiprocessing.get_context("spawn").Pool(jobs, initializer, initargs)


def read_all(paths: list[Path], register_path: Path, jobs: int = 1
             ) -> Iterator[tuple[Path, str | None, DocRecords | None]]:
    """(path, fault or None, records) for each stored document, in order."""
    if jobs <= 1 or len(paths) < 2:
        _init_reader(register_path)
        yield from map(_read, paths)
        return
    with _pool(jobs, _init_reader, (register_path,)) as pool:
        yield from pool.imap(_read, paths, chunksize=max(1, len(paths) // (jobs * 16)))


def analysed(records: list[dict], names: frozenset[str] | None, jobs: int
             ) -> Iterator[list[dict]]:
    """The passage records in chunks, in order; with ``names``, each record given its
    analysed words (``_words``: stemmed, exact), for an engine that is handed words
    (tantivy). A chunk is analysed when it is asked for (at most ``jobs`` chunks ahead), and
    let go of in ``records`` once the caller has taken it: the words of a million passages
    (a gigabyte) are never held at once, and the records go as they are written."""
    for start, chunk, words in _analysed_chunks(records, names, jobs):
        if words is not None:
            _give(chunk, words)
        yield chunk
        records[start : start + len(chunk)] = [None] * len(chunk)


def _analysed_chunks(records: list[dict], names: frozenset[str] | None, jobs: int
                     ) -> Iterator[tuple[int, list[dict], list[tuple[str, str]] | None]]:
    """(start, chunk, its words or None), analysed in this process or, with ``jobs`` > 1, by
    a pool that runs at most ``jobs`` chunks ahead of the one handed out."""
    starts = range(0, len(records), CHUNK)
    if names is None or jobs <= 1:
        if names is not None:
            _init_analyser(names)
        for start in starts:
            chunk = records[start : start + CHUNK]
            yield start, chunk, (None if names is None
                                 else _analyse([r["text"] or "" for r in chunk]))
        return
    with _pool(jobs, _init_analyser, (names,)) as pool:
        pending: list = []
        for start in [*starts, None]:
            if start is not None:
                chunk = records[start : start + CHUNK]
                pending.append((start, chunk, pool.apply_async(
                    _analyse, ([r["text"] or "" for r in chunk],))))
            while pending and (start is None or len(pending) > jobs):
                first, chunk, result = pending.pop(0)
                yield first, chunk, result.get()


def _give(chunk: list[dict], words: list[tuple[str, str]]) -> None:
    for record, pair in zip(chunk, words, strict=True):
        record["_words"] = pair
