"""Every search call goes through here, and from here through the engine interface of
``indexer.engines`` (Whoosh or tantivy, on disk, embedded): grouping, KWIC, highlighting, name
widening, facets and "did you mean" are the library's own, the same whichever engine answers.

A search returns passages grouped by document (documents ordered by their best passage, or by
date), each passage with KWIC lines and its cross-references, plus facet counts over every
matching passage, the name variants that were also searched, and a spelling correction when
a word matches nothing.
"""

from __future__ import annotations

import logging
import os
import re
import struct
import threading
import zlib
from collections import Counter, defaultdict
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

from indexer import engines
from indexer import querytree as qt
from indexer.analysis import TextAnalyzer
from indexer.index import ensure_index
from indexer.persons import REGISTER_ID, Register

from . import limits, suggest
from .facets import BY_KEY, FACETS, LANGUAGE_NAMES, FacetSpec, decade_label
from .highlight import TermMatcher, kwic, snippet
from .query import ParsedQuery, QueryBuilder, QueryError, lex
from .searchtypes import (
    Citation,
    DocumentGroup,
    FacetValue,
    PassageHit,
    SearchRequest,
    SearchResponse,
)

__all__ = ["SORTS", "Citation", "IndexUnavailable", "QueryError", "Searcher", "SearchRequest",
           "SearchResponse"]

log = logging.getLogger("library.search.searcher")
# What reading a damaged index file raises (truncated, garbled, a segment gone).
DAMAGE = (EOFError, struct.error, zlib.error, OSError)


class IndexUnavailable(RuntimeError):
    """The index cannot answer now (found damaged; a rebuild from the store is under way)."""

# Scored passages from which documents are ordered and their best passages taken; documents
# beyond them follow by their number of matching passages.
TOP_K = 120
SORTS = {"relevance": "relevance", "date": "date, oldest first",
         "date-desc": "date, newest first", "title": "title"}
PASSAGES_PER_DOC = 3
# Facets of the document's metadata, the same in each of its passages (persons are per passage).
PER_DOCUMENT = frozenset({"authors", "type", "language", "collection", "year", "decade"})


class _Snapshot:
    """Per index generation: column values by passage key, and the citation links."""

    def __init__(self, session):
        cols = session.columns()
        self.generation = session.generation
        self.columns = dict(cols.values)
        years = self.columns["year"]
        self.columns["decade"] = (
            [y // 10 * 10 if y else 0 for y in years] if isinstance(years, list)
            else {k: y // 10 * 10 if y else 0 for k, y in years.items()})
        self.multi = cols.multi
        # each document's first passage: its metadata without a scan of the matches
        self.first: dict[str, int] = cols.first
        self.cited_by: dict[str, list[Citation]] = defaultdict(list)
        self.cites: dict[str, list[Citation]] = defaultdict(list)
        self.to_doc: dict[str, list[Citation]] = defaultdict(list)
        self.from_doc: dict[str, list[Citation]] = defaultdict(list)
        for fields in session.citations():
            c = Citation(**fields)
            self.cited_by[c.target_passage].append(c)
            self.cites[c.source_passage].append(c)
            self.to_doc[c.target_doc].append(c)
            self.from_doc[c.source_doc].append(c)
        for table in (self.cited_by, self.cites, self.to_doc, self.from_doc):
            for items in table.values():
                items.sort(key=lambda c: (c.source_doc, _num(c.n), c.target_passage))
        self._titles: dict[str, str] | None = None
        self._by_doc: dict[str, dict] = {}

    def titles(self, session) -> dict[str, str]:
        """Each document's title, read on first use (only a sort by title needs them)."""
        if self._titles is None:
            self._titles = {d: session.stored(n).get("title", "")
                            for d, n in self.first.items()}
        return self._titles

    def by_doc(self, field: str, multi: bool = False) -> dict:
        """A per-document facet's value for each document (read from its first passage)."""
        table = self._by_doc.get(field)
        if table is None:
            source = self.multi[field] if multi else self.columns[field]
            table = self._by_doc[field] = {d: source[k] for d, k in self.first.items()}
        return table

    def count(self, spec: FacetSpec, matched: list[int], docs) -> Counter:
        """Documents per facet value among ``matched`` passages (of the documents ``docs``): a
        document counts once for a value however many of its passages match. A document's
        metadata is the same in each of its passages, so those facets count documents, not
        passages (map, zip and set keep the loops in C)."""
        if spec.field in PER_DOCUMENT:
            values = map(self.by_doc(spec.field, spec.multi).__getitem__, docs)
            return Counter(chain.from_iterable(values) if spec.multi else values)
        doc_ids = map(self.columns["doc_id"].__getitem__, matched)
        if spec.multi:
            values = map(self.multi[spec.field].__getitem__, matched)
            pairs = {(d, v) for d, vs in zip(doc_ids, values, strict=True) for v in vs}
        else:
            pairs = set(zip(doc_ids, map(self.columns[spec.field].__getitem__, matched),
                            strict=True))
        return Counter(v for _, v in pairs)


class Searcher:
    """Read-only access to the index of ``index_dir`` (thread-safe: one engine session per
    request, shared per-generation caches)."""

    def __init__(self, index_dir: Path, register: Register | None = None,
                 sources: Path | None = None):
        self.index_dir = Path(index_dir)
        self.sources = Path(sources) if sources else None
        self.register = register if register is not None else Register([])
        self._lock = threading.Lock()
        self._snapshots: dict[tuple, _Snapshot] = {}
        self._repairing: threading.Thread | None = None
        self._open()

    def _open(self) -> None:
        """Open the index folder as it is now. A full build renames a new folder into place, so
        the folder's inode names the build; the engine's generations name commits within it."""
        self._folder = _inode(self.index_dir)
        made_by = engines.made_by(self.index_dir) or engines.chosen()
        self.engine = made_by
        self._reader = engines.get(made_by).reader(self.index_dir)
        self.builder = QueryBuilder(TextAnalyzer(self._reader.names), self.register)

    @classmethod
    def for_store(cls, index_dir: Path, sources: Path) -> Searcher:
        return cls(index_dir, Register.load(Path(sources) / f"{REGISTER_ID}.xml"), sources)

    # -- plumbing -----------------------------------------------------------------------------
    @contextmanager
    def session(self):
        """One generation of the index for one request: the engine session it holds, and the
        snapshot made from that session, never the latest generation of the moment."""
        try:
            if _inode(self.index_dir) != self._folder:  # rebuilt: a new folder
                with self._lock:
                    if _inode(self.index_dir) != self._folder:
                        self._open()
                        self._snapshots.clear()
            with self._reader.session() as s:
                yield s
        except DAMAGE as exc:
            raise self._damaged(exc) from exc

    def _damaged(self, exc: BaseException) -> IndexUnavailable:
        """Start rebuilding the index from the store (once) and say why nothing can be read."""
        log.error("the index is damaged (%s: %s): rebuilding it from the store",
                  type(exc).__name__, exc)
        with self._lock:
            if self.sources and not (self._repairing and self._repairing.is_alive()):
                self._repairing = threading.Thread(
                    target=ensure_index, args=(self.sources, self.index_dir),
                    name="index-repair", daemon=True)
                self._repairing.start()
        return IndexUnavailable("The search index is being repaired; try again in a minute.")

    def _state(self, s) -> _Snapshot:
        key = s.generation
        snap = self._snapshots.get(key)
        if snap is None:
            with self._lock:
                snap = self._snapshots.get(key)
                if snap is None:
                    snap = _Snapshot(s)
                    while len(self._snapshots) >= 2:  # the current and the one before it
                        self._snapshots.pop(next(iter(self._snapshots)))
                    self._snapshots[key] = snap
        return snap

    # -- search -------------------------------------------------------------------------------
    def search(self, req: SearchRequest) -> SearchResponse:
        parsed = self.builder.build(req.q)
        with limits.budget(limits.seconds_for(parsed.query)), self.session() as s:
            return self._search(s, parsed, req)

    def _search(self, s, parsed: ParsedQuery, req: SearchRequest) -> SearchResponse:
        snap = self._state(s)
        filters = _clean_filters(req.filters)
        response = self._run(s, snap, parsed, req, filters)
        if response.total == 0 and parsed.words:
            corrected = self._correct(s, parsed)
            if corrected:
                retry = self._run(s, snap, self.builder.build(corrected), req, filters)
                if retry.total:
                    retry.corrected_from = parsed.text
                    return retry
        elif response.total < suggest.FEW and parsed.words and not req.within:
            # issue 19: offered only when it finds clearly more (suggest.worth_offering)
            corrected = self._correct(s, parsed)
            if corrected and suggest.worth_offering(response.total, self._run(
                    s, snap, self.builder.build(corrected), req, filters).total):
                response.did_you_mean = corrected
        return response

    def _filter(self, filters: dict[str, list[str]], within: str | None) -> list[qt.Node]:
        parts: list[qt.Node] = []
        for key, values in filters.items():
            spec = BY_KEY[key]
            terms: list[qt.Node] = []
            for value in values:
                if spec.key == "decade":
                    terms.append(qt.NumericRange("year", int(value), int(value) + 9))
                elif spec.numeric:
                    terms.append(qt.Term(spec.field, int(value)))
                else:
                    terms.append(qt.Term(spec.field, value))
            parts.append(qt.Or(tuple(terms)) if len(terms) > 1 else terms[0])
        if within:
            parts.append(qt.Term("doc_id", within))
        return parts

    def _run(self, s, snap: _Snapshot, parsed: ParsedQuery, req: SearchRequest,
             filters: dict[str, list[str]]) -> SearchResponse:
        final = qt.with_filter(parsed.query, self._filter(filters, req.within))
        budget = limits.engine_budget()
        # One pass scores every match and keeps their keys (facets need all of them): a
        # second, unscored pass would evaluate phrases and wildcards twice.
        hits = s.search(final, None, budget)
        doc_of = snap.columns["doc_id"].__getitem__
        matched = [key for key, _ in hits]
        per_doc = Counter(map(doc_of, matched))
        facets = self._facets(snap, matched, per_doc, filters)
        top = hits if req.within else hits[:TOP_K]
        matcher = TermMatcher(parsed.query, s, self.builder.stemmed, self.register, budget)

        by_doc: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for key, score in top:
            by_doc[doc_of(key)].append((key, score))
        first_key = snap.first
        if req.sort in ("date", "date-desc"):
            dates = snap.columns["date"]
            dated = sorted((d for d in per_doc if dates[first_key[d]]),
                           key=lambda d: (dates[first_key[d]], d),
                           reverse=req.sort == "date-desc")
            order = dated + sorted(d for d in per_doc if not dates[first_key[d]])
        elif req.sort == "title":
            title = snap.titles(s)
            order = sorted(per_doc, key=lambda d: (title.get(d, "").casefold(), d))
        else:
            order = list(by_doc)
            order += sorted((d for d in per_doc if d not in by_doc), key=lambda d: -per_doc[d])
        per_page = max(1, min(req.per_page, 100))
        pages = max(1, -(-len(order) // per_page))
        page = max(1, min(req.page, pages))
        groups = []
        limit = None if req.within else PASSAGES_PER_DOC
        for doc_id in order[(page - 1) * per_page : page * per_page]:
            limits.check()
            shown = by_doc.get(doc_id) or s.search(
                qt.And((final, qt.Term("doc_id", doc_id))), PASSAGES_PER_DOC, budget)
            meta = s.stored(first_key[doc_id])
            groups.append(DocumentGroup(
                doc_id, meta["title"], meta["author"], meta["date"], meta["type"],
                per_doc[doc_id], [self._passage(s, key, score, matcher, snap)
                                  for key, score in shown[:limit]]))
        matched_passages = []
        if req.within:
            matched_passages = [p.passage_id for g in groups for p in g.passages]
        return SearchResponse(
            query=parsed.text, parsed=parsed, total=len(matched), documents=len(per_doc),
            page=page, pages=pages, per_page=per_page, sort=req.sort, groups=groups,
            facets=facets, filters=filters, also_searched=parsed.also_searched,
            matched_passages=matched_passages, matcher=matcher,
            ranked=[s.stored(key)["passage_id"] for key, _ in top[:50]],
        )

    def _passage(self, s, key: int, score: float, matcher: TermMatcher,
                 snap: _Snapshot) -> PassageHit:
        hit = s.stored(key)
        text = hit["text"]
        spans = matcher.spans(text)
        pid = hit["passage_id"]
        return PassageHit(hit["doc_id"], pid, hit["kind"], text, snippet(text, spans),
                          kwic(text, spans), score or 0.0,
                          list(snap.cited_by.get(pid, ())), list(snap.cites.get(pid, ())))

    def _facets(self, snap: _Snapshot, matched: list[int], docs,
                filters: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
        out = {}
        for spec in FACETS:
            counts = snap.count(spec, matched, docs)
            counts.pop("", None)
            if spec.numeric:
                counts.pop(0, None)
            selected = set(filters.get(spec.key, []))
            items = sorted(counts.items(), key=(lambda kv: kv[0]) if spec.by_value
                           else (lambda kv: (-kv[1], str(kv[0]))))
            values = [FacetValue(str(v), self._label(spec, v), n, str(v) in selected)
                      for v, n in items[: spec.limit]]
            values += [FacetValue(v, self._label(spec, v), 0, True) for v in selected
                       if v not in {fv.value for fv in values}]
            out[spec.key] = values
        return out

    def _label(self, spec: FacetSpec, value) -> str:
        if spec.key == "person":
            person = self.register.persons.get(value)
            return person.display if person else str(value)
        if spec.key == "lang":
            return LANGUAGE_NAMES.get(value, value)
        if spec.key == "decade":
            return decade_label(int(value))
        return str(value)

    def _correct(self, s, parsed: ParsedQuery) -> str | None:
        """The query with each word that matches nothing replaced by the nearest indexed word
        (within two letters; the one in most passages)."""
        text, changed, seen = parsed.text, False, set()
        for token in lex(parsed.text):
            if token.kind != "word" or not token.text.isalpha() or token.text in seen:
                continue  # a repeated word is looked up once
            seen.add(token.text)
            # the corrector's cost grows with the square of a word's length (33 s for one
            # of 30,000 letters); no real word is this long
            if len(token.text) > limits.MAX_FUZZY_WORD:
                continue
            limits.check()
            word = token.text.lower()
            if s.doc_frequency("text_exact", word) or s.doc_frequency("title", word):
                continue
            near = [w for w in s.near_words("text_exact", word, 2) if w != word]
            if near:
                fixed = max(near, key=lambda w: (s.doc_frequency("text_exact", w), w))
                if token.text[:1].isupper():
                    fixed = fixed[:1].upper() + fixed[1:]
                text = text.replace(token.text, fixed, 1)
                changed = True
        return text if changed else None

    def documents_matching(self, q: str) -> set[str]:
        """The documents holding a passage that matches ``q`` (no scoring, no grouping)."""
        parsed = self.builder.build(q)
        with self.session() as s:
            doc_ids = self._state(s).columns["doc_id"]
            return {doc_ids[key] for key, _ in s.search(parsed.query, None)}

    def all_citations(self) -> list[Citation]:
        """Every footnote link of the collection."""
        with self.session() as s:
            return [c for items in self._state(s).from_doc.values() for c in items]

    def passage_text(self, passage_id: str) -> str:
        with self.session() as s:
            fields = s.find("passage_id", passage_id)
            return fields["text"] if fields else ""

    def person_counts(self) -> Counter:
        """Passages naming each registered person."""
        with self.session() as s:
            snap = self._state(s)
            return Counter(chain.from_iterable(snap.multi["persons"].values()
                                               if isinstance(snap.multi["persons"], dict)
                                               else snap.multi["persons"]))

    def generation(self) -> tuple:
        """What names the index as it is now (its build and commit): summaries of the whole
        store are kept until it changes (library/picturecache.py)."""
        with self.session() as s:
            return (self._folder, s.generation)

    # -- cross-references ---------------------------------------------------------------------
    def citations_to(self, doc_id: str) -> list[Citation]:
        """Who cites passages of ``doc_id``."""
        with self.session() as s:
            return list(self._state(s).to_doc.get(doc_id, ()))

    def citations_from(self, doc_id: str) -> list[Citation]:
        """What ``doc_id``'s footnotes cite."""
        with self.session() as s:
            return list(self._state(s).from_doc.get(doc_id, ()))


def _inode(path: Path) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return -1


def _clean_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Only known facets, non-empty values; numeric facets must be numbers."""
    clean = {}
    for key, values in filters.items():
        spec = BY_KEY.get(key)
        if spec is None:
            continue
        values = [v for v in dict.fromkeys(values) if v]
        if spec.numeric:
            # ASCII digits only (str.isdigit takes '²'), and small enough for the index's
            # 32-bit numeric column
            bad = [v for v in values if not _YEAR.match(v)]
            if bad:
                raise QueryError(f"filter {key}={bad[0]!r} is not a number (a year of up "
                                 "to four digits, as in 1953)")
        if values:
            clean[key] = values
    return clean


_YEAR = re.compile(r"^-?[0-9]{1,4}$")


def _num(n: str) -> tuple[int, str]:
    return (int(n), "") if n.isdigit() else (10**9, n)
