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
from pathlib import Path

from indexer import engines
from indexer import querytree as qt
from indexer.analysis import TextAnalyzer
from indexer.engines.kept import Kept
from indexer.generations import Generations
from indexer.index import ensure_index
from indexer.persons import REGISTER_ID, Register
from indexer.places import OTHER, PLACES_ID, PlaceRegister

from ..i18n import N_
from . import limits, suggest
from .facets import BY_KEY, FACETS, LANGUAGE_NAMES, FacetSpec, decade_label
from .highlight import KWIC_LINES, TermMatcher, kwic, snippet
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
RANKED = 50  # passage ids by score reported with a response (the relevance test reads them)


def _weight(response: SearchResponse) -> int:
    """Roughly the characters a kept answer holds (its passages' texts dominate)."""
    return 2_000 + sum(len(p.text) for g in response.groups for p in g.passages)


# Answers as shown, per index generation: (generation serial, request) → response. Readers ask
# for the same pages again (the essay's names, a person's page, the next page and back), and
# making a page's snippets and KWIC lines from long memoir chapters costs more than counting;
# a generation never changes, so an answer kept for it is never stale. About 32 million
# characters of passage text per process (Solr's queryResultCache and documentCache, in one).
_ANSWERED = Kept(32_000_000, _weight)


class _Links:
    """Per index generation: the citation links (as many as the collection's footnotes)."""

    def __init__(self, session):
        self.generation = session.generation
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


class Searcher:
    """Read-only access to the index of ``index_dir`` (thread-safe: one engine session per
    request, shared per-generation caches)."""

    def __init__(self, index_dir: Path, register: Register | None = None,
                 sources: Path | None = None):
        self.index_dir = Path(index_dir)
        self.sources = Path(sources) if sources else None
        self.register = register if register is not None else Register([])
        self._lock = threading.Lock()
        self._snapshots: Generations[_Links] = Generations()
        # the place register as of each generation: the place facet's labels
        self._places: Generations[PlaceRegister] = Generations()
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
                        self._places.clear()
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

    def _state(self, s) -> _Links:
        return self._snapshots.get(s.generation, lambda: _Links(s))

    # -- search -------------------------------------------------------------------------------
    def search(self, req: SearchRequest, keep: bool = True) -> SearchResponse:
        """The page of results ``req`` asks for. Kept for the index generation unless ``keep``
        is False (an export's pages, read once, would push out what readers ask again)."""
        parsed = self.builder.build(req.q)
        # the session first: a generation's state is read when it is opened, not on the
        # request's time
        with self.session() as s:
            self._state(s)
            key = (s.serial, parsed.text, tuple(sorted((k, tuple(v)) for k, v in
                                                       req.filters.items())),
                   req.sort, req.page, req.per_page, req.within, req.documents_only, req.ranked,
                   limits.MAX_EXPANSION)  # a query refused under one bound is not another's
            with limits.budget(limits.seconds_for(parsed.query)):
                if not keep:
                    return self._search(s, parsed, req)
                # readers asking for the same page at once wait (within their budget) for the
                # first to make it, as they do for a count
                return _ANSWERED.compute(key, lambda: self._search(s, parsed, req),
                                         limits.remaining)

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
                # years a date spans (index.py): a "1952/1953" range is in 1953 and its decade
                if spec.key == "decade":
                    terms.append(qt.NumericRange("years", int(value), int(value) + 9))
                elif spec.key == "year":
                    terms.append(qt.Term("years", int(value)))
                elif spec.numeric:
                    terms.append(qt.Term(spec.field, int(value)))
                else:
                    terms.append(qt.Term(spec.field, value))
            parts.append(qt.Or(tuple(terms)) if len(terms) > 1 else terms[0])
        if within:
            parts.append(qt.Term("doc_id", within))
        return parts

    def _run(self, s, snap: _Links, parsed: ParsedQuery, req: SearchRequest,
             filters: dict[str, list[str]]) -> SearchResponse:
        budget = limits.engine_budget()
        per_page = max(1, min(req.per_page, 100))
        page = max(1, req.page)
        plan = engines.Plan(
            parsed.query, tuple(self._filter(filters, req.within)), req.sort,
            (page - 1) * per_page, per_page,
            0 if req.documents_only else None if req.within else PASSAGES_PER_DOC,
            tuple(spec.field for spec in FACETS), RANKED, TOP_K, budget)
        answer = s.query(plan)
        pages = max(1, -(-answer.documents // per_page))
        if page > pages:  # past the last page: the last page
            page = pages
            plan.offset = (page - 1) * per_page
            answer = s.query(plan)
        matcher = TermMatcher(parsed.query, s, self.builder.stemmed, self.register, budget)
        groups = []
        for doc in answer.page:
            limits.check()
            if req.documents_only:  # the document's row: no passage read
                row = s.documents()[doc.doc_id]
                groups.append(DocumentGroup(doc.doc_id, row.title, row.author, row.date,
                                            row.type, doc.count, []))
                continue
            shown = [(s.stored(key), score) for key, score in doc.passages]
            meta = shown[0][0]
            groups.append(DocumentGroup(
                doc.doc_id, meta["title"], meta["author"], meta["date"], meta["type"],
                doc.count, [self._passage(hit, score, matcher, snap) for hit, score in shown]))
        matched_passages = []
        if req.within:
            matched_passages = [p.passage_id for g in groups for p in g.passages]
        return SearchResponse(
            query=parsed.text, parsed=parsed, total=answer.passages,
            documents=answer.documents, page=page, pages=pages, per_page=per_page,
            sort=req.sort, groups=groups, facets=self._facets(s, answer.facets, filters),
            filters=filters, also_searched=parsed.also_searched,
            matched_passages=matched_passages, matcher=matcher,
            ranked=[s.stored(key)["passage_id"] for key, _ in answer.ranked[: req.ranked]],
        )

    def _passage(self, hit: dict, score: float, matcher: TermMatcher, snap: _Links
                 ) -> PassageHit:
        text = hit["text"]
        spans = matcher.spans(text, enough=KWIC_LINES)
        pid = hit["passage_id"]
        return PassageHit(hit["doc_id"], pid, hit["kind"], text, snippet(text, spans),
                          kwic(text, spans), score or 0.0,
                          list(snap.cited_by.get(pid, ())), list(snap.cites.get(pid, ())))

    def _facets(self, s, counted: dict[str, dict], filters: dict[str, list[str]]
                ) -> dict[str, list[FacetValue]]:
        out = {}
        places = self._place_register(s) if counted.get("places") or "place" in filters \
            else None
        for spec in FACETS:
            counts = counted.get(spec.field, {})
            selected = set(filters.get(spec.key, []))
            items = sorted(counts.items(), key=(lambda kv: kv[0]) if spec.by_value
                           else (lambda kv: (-kv[1], str(kv[0]))))
            values = [FacetValue(str(v), self._label(spec, v, places), n, str(v) in selected)
                      for v, n in items[: spec.limit]]
            values += [FacetValue(v, self._label(spec, v, places), 0, True) for v in selected
                       if v not in {fv.value for fv in values}]
            out[spec.key] = values
        return out

    def _place_register(self, s) -> PlaceRegister:
        if self.sources is None:
            return PlaceRegister([])
        return self._places.get(s.generation,
                                lambda: PlaceRegister.load(self.sources / f"{PLACES_ID}.xml"))

    def place_register(self) -> PlaceRegister:
        """The register of places and organisations as of the index's generation (read once
        per generation: the place facet's labels and the register's pages)."""
        with self.session() as s:
            return self._place_register(s)

    def _label(self, spec: FacetSpec, value, places: PlaceRegister | None = None) -> str:
        if spec.key == "person":
            person = self.register.persons.get(value)
            return person.display if person else str(value)
        if spec.key == "place":  # a registered entry, else the name's own words
            entry = places.entries.get(value) if places else None
            return entry.display if entry else str(value).removeprefix(OTHER)
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
        with self.session() as s, limits.budget():
            return s.matching_documents(parsed.query, limits.engine_budget())

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
            return Counter(s.person_passages())

    def documents(self) -> dict[str, engines.DocumentInfo]:
        """One row per indexed document (its metadata as indexed), kept per generation."""
        with self.session() as s:
            return s.documents()

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
                raise QueryError(N_("filter %(key)s=%(value)s is not a number (a year of up "
                                    "to four digits, as in 1953)"), key=key, value=repr(bad[0]))
        if values:
            clean[key] = values
    return clean


_YEAR = re.compile(r"^-?[0-9]{1,4}$")


def _num(n: str) -> tuple[int, str]:
    return (int(n), "") if n.isdigit() else (10**9, n)
