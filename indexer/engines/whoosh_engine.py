"""The Whoosh adapter (``whoosh3``, pure Python, embedded): one of the two modules that import
an engine. Whoosh analyses text itself, so its fields are given the library's analysers,
wrapped as Whoosh tokenizers: it indexes the same words tantivy is handed.

``Session.query`` runs one Whoosh collector over the matches: it keeps the best passages in a
heap (Whoosh's own top-N collector, its score-skipping turned off so that every match is
counted) and counts, per match, the document and the persons named, in arrays indexed by
document, so nothing is kept per match. Whoosh is pure Python, so each match still costs
Python time; what a generation needs (the document of each passage, the persons each names,
one row per document) is read when the generation is first opened."""

from __future__ import annotations

import copy
import heapq
import queue
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.analysis import Token as WToken
from whoosh.analysis import Tokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.collectors import (
    Collector,
    ScoredCollector,
    TopCollector,
    WrappingCollector,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar, WrappingMatcher
from whoosh.util.numeric import byte_to_length

from .. import querytree as qt
from ..analysis import ExactAnalyzer, TextAnalyzer, fold
from ..generations import Generations
from . import Answer, Budget, DocumentInfo, Plan, answers
from .catalogue import Catalogue
from .kept import Kept

PASSAGES = "passages"
CITATIONS = "citations"


class LibraryTokenizer(Tokenizer):
    """One of the library's analysers as a Whoosh tokenizer (pickled with the schema)."""

    def __init__(self, analyzer: ExactAnalyzer):
        self.analyzer = analyzer

    def __eq__(self, other) -> bool:
        return other.__class__ is self.__class__ and other.analyzer == self.analyzer

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs) -> Iterator[WToken]:
        t = WToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # a word taken whole (never asked by the library's own parser)
            words = [(fold(value), 0, 0, len(value))]
        else:
            words = [(w.text, w.pos, w.startchar, w.endchar)
                     for w in self.analyzer(value, chars, removestops)]
        for text, pos, start, end in words:
            t.text, t.boost, t.stopped = text, 1.0, False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def passage_schema(names: frozenset[str] = frozenset()) -> Schema:
    """One entry per passage. ``names``: folded words never to stem (see ``analysis``)."""
    exact = LibraryTokenizer(ExactAnalyzer())
    return Schema(
        passage_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True, sortable=True),
        tei_sha=ID(sortable=True),  # the stored TEI's sha256: tells a stale index entry
        kind=ID(stored=True),
        position=NUMERIC(stored=True),
        title=TEXT(stored=True, analyzer=exact, field_boost=2.0),
        author=TEXT(stored=True, analyzer=exact),
        authors=KEYWORD(commas=True),
        date=ID(stored=True, sortable=True),
        year=NUMERIC(sortable=True),
        # every year a document's date can be (a range "1952/1953" spans two): what year
        # searches and filters match, so that a range matches each year it spans
        years=NUMERIC(),
        year_to=STORED(),  # the range's last year, for the year facet (DocumentInfo.year_to)
        type=ID(stored=True, sortable=True),
        language=ID(sortable=True),
        collection=ID(sortable=True),
        rights=ID(),
        persons=KEYWORD(commas=True),
        places=KEYWORD(commas=True),  # the document's places and organisations (keys)
        # phrases and proximity go to text_exact, so the stemmed field keeps no positions
        text=TEXT(stored=True, analyzer=LibraryTokenizer(TextAnalyzer(names)), phrase=False),
        text_exact=TEXT(analyzer=exact, phrase=True),
    )


def citation_schema() -> Schema:
    return Schema(
        note_id=ID(stored=True), n=STORED(), source_doc=ID(stored=True),
        source_passage=ID(stored=True), target_doc=ID(stored=True),
        target_passage=ID(stored=True), status=STORED(), cert=STORED(), text=STORED(),
    )


# -- the query tree in Whoosh's classes --------------------------------------------------------
class _Bounded:
    """A wildcard or fuzzy query that stands for at most ``budget.max_expansion`` words."""

    budget: Budget = Budget()
    typed: str = ""

    def _btexts(self, ixreader) -> Iterator[bytes]:
        limit = self.budget.max_expansion
        key = _expansion_key(self, ixreader, limit)
        known = _EXPANDED.get(key) if key is not None else None
        if known is not None:
            yield from known
            return
        found = []
        for n, btext in enumerate(super()._btexts(ixreader)):
            if n >= limit:
                raise qt.QueryError("'%(word)s' matches more than %(limit)s different "
                                    "words; add letters to narrow it", word=self.typed,
                                    limit=limit)
            if n % 128 == 0:
                self.budget.check()
            found.append(btext)
            yield btext
        if key is not None:
            _EXPANDED.put(key, found)

    def _matched(self, reader) -> array | None:
        """The passages of one segment holding any of the words, sorted; kept per segment (a
        search evaluates and estimates the query more than once: the own-text alternative,
        the passages of each document shown), since building a posting reader, or even
        looking up the frequency, of each of thousands of words every time was most of a
        wildcard search's cost. None for a reader over several segments."""
        key = _expansion_key(self, reader, self.budget.max_expansion)
        if key is None or not self.constantscore:
            return None
        key = (*key, len(reader.deleted_docs_set))  # a segment's deletions only grow
        ids = _MATCHED.get(key)
        if ids is not None:
            return ids
        found: set[int] = set()
        for n, btext in enumerate(self._btexts(reader)):
            if n % 128 == 0:
                self.budget.check()
            found.update(reader.postings(self.fieldname, btext).all_ids())
        ids = array("i", sorted(found))
        _MATCHED.put(key, ids)
        return ids

    def estimate_size(self, ixreader) -> int:
        ids = self._matched(ixreader)
        return super().estimate_size(ixreader) if ids is None else len(ids)

    def estimate_min_size(self, ixreader) -> int:
        return self.estimate_size(ixreader)

    def matcher(self, searcher, context=None):
        """The passages holding any of the words, at one constant score (as tantivy scores a
        wildcard or fuzzy word)."""
        ids = self._matched(searcher.reader())
        if ids is None:
            return super().matcher(searcher, context)
        return _SortedIds(ids, all_weights=self.boost) if ids else NullMatcher


class _SortedIds(ListMatcher):
    """Whoosh's list matcher, skipping by bisection instead of one step at a time."""

    def skip_to(self, id):
        if not self.is_active():
            raise ReadTooFar
        if id > self.id():
            self._i = bisect_left(self._ids, id, self._i)

    def score(self):
        return self._all_weights


# A search expands the same wildcard or fuzzy word several times (estimating, matching, then
# the passages of each document shown), and reading the term dictionary is the slow part. A
# segment's words never change once written, so its expansions are kept, by segment id.
_EXPANDED = Kept(512)
# ... and the passages they match, bounded by the number of passage numbers held (4 bytes each)
_MATCHED = Kept(8_000_000, weigh=len)


def _segment_id(reader) -> str | None:
    """The id of the one segment ``reader`` reads, the key of what is kept for it; None for a
    reader over several segments (nothing kept)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else None


def _expansion_key(q: wq.Query, ixreader, limit: int) -> tuple | None:
    segment = _segment_id(ixreader)
    if segment is None:
        return None
    return (segment, type(q).__name__, q.fieldname, q.text,
            getattr(q, "maxdist", None), getattr(q, "prefixlength", None), limit)


_BOUNDED: dict[type, type] = {}


def _bounded(q: wq.Query, typed: str, budget: Budget) -> wq.Query:
    cls = type(q)
    bounded = _BOUNDED.get(cls)
    if bounded is None:
        bounded = _BOUNDED[cls] = type(f"Bounded{cls.__name__}", (_Bounded, cls), {})
    q = copy.copy(q)
    q.__class__ = bounded
    q.budget, q.typed = budget, typed
    return q


def to_whoosh(node: qt.Node, budget: Budget | None = None) -> wq.Query:
    budget = budget or Budget()
    b = node.boost
    again = _asked_again(node)
    if again is not None:
        query, unless, factor = again
        return _AskedAgain(to_whoosh(query, budget), to_whoosh(unless, budget), factor)
    if isinstance(node, qt.Term):
        return wq.Term(node.field, node.text, boost=b)
    if isinstance(node, qt.Phrase):
        return wq.Phrase(node.field, list(node.words), slop=node.slop, boost=b)
    if isinstance(node, qt.Prefix):
        return _bounded(wq.Prefix(node.field, node.text, boost=b), qt.typed(node), budget)
    if isinstance(node, qt.Wildcard):
        return _bounded(wq.Wildcard(node.field, node.pattern, boost=b), qt.typed(node), budget)
    if isinstance(node, qt.Fuzzy):
        return _bounded(wq.FuzzyTerm(node.field, node.text, boost=b, maxdist=node.maxdist,
                                     prefixlength=node.prefixlength), qt.typed(node), budget)
    if isinstance(node, qt.NumericRange):
        return wq.NumericRange(node.field, node.start, node.end, boost=b)
    if isinstance(node, qt.TermRange):
        return wq.TermRange(node.field, node.start, node.end, boost=b)
    if isinstance(node, qt.Every):
        return wq.Every()
    if isinstance(node, qt.Not):
        return wq.Not(to_whoosh(node.item, budget), boost=b)
    if isinstance(node, qt.Or):
        return wq.Or([to_whoosh(n, budget) for n in node.items], boost=b, scale=node.scale)
    if isinstance(node, qt.And):
        return wq.And([to_whoosh(n, budget) for n in node.items], boost=b)
    raise TypeError(f"no Whoosh query for {node!r}")


# -- a query asked again ----------------------------------------------------------------------
def _asked_again(node: qt.Node) -> tuple[qt.Node, qt.Node, float] | None:
    """(Q, X, f) when ``node`` is ``Or(Q, And(Q, Not(X))^f)``: a query ORed with itself
    restricted (the ranking's "own text first"), which Whoosh would match twice."""
    if not (isinstance(node, qt.Or) and len(node.items) == 2 and node.boost == 1.0
            and node.scale is None):
        return None
    query, second = node.items
    if not (isinstance(second, qt.And) and len(second.items) == 2
            and second.items[0] == query and isinstance(second.items[1], qt.Not)
            and second.items[1].boost == 1.0):
        return None
    return query, second.items[1].item, second.boost


class _AskedAgain(wq.Query):
    """``Or(Q, And(Q, Not(X))^f)`` in one pass over Q's matches. Whoosh matched Q twice, and
    the union of the two cost a common word's first count half its time. The scores are
    Whoosh's own, the same floats: a match of Q that X does not match scores
    ``s + (s + 1.0) * f``, its score plus the boosted intersection's (Q's score plus the
    inverse matcher's weight of 1.0); one that X matches scores ``s``."""

    def __init__(self, query: wq.Query, unless: wq.Query, factor: float):
        self.query, self.unless, self.factor = query, unless, factor
        self.boost = 1.0

    def __eq__(self, other) -> bool:
        return (type(other) is _AskedAgain and self.query == other.query
                and self.unless == other.unless and self.factor == other.factor)

    def __hash__(self) -> int:
        return hash((self.query, self.unless, self.factor))

    def __repr__(self) -> str:
        return f"_AskedAgain({self.query!r}, unless={self.unless!r}, factor={self.factor})"

    def children(self):
        return [self.query, self.unless]

    def estimate_size(self, ixreader) -> int:
        return self.query.estimate_size(ixreader)

    def matcher(self, searcher, context=None):
        m = self.query.matcher(searcher, context)
        if not m.is_active():
            return m
        return _AskedAgainMatcher(m, self._excluded(searcher), self.factor)

    def _excluded(self, searcher) -> frozenset[int]:
        """The passages of this segment X matches (a few per document), kept per segment."""
        segment = _segment_id(searcher.reader())
        key = (segment, repr(self.unless)) if segment is not None else None
        found = _EXCLUDED.get(key) if key else None
        if found is None:
            m = self.unless.matcher(searcher, searcher.boolean_context())
            found = frozenset(m.all_ids()) if m.is_active() else frozenset()
            if key:
                _EXCLUDED.put(key, found)
        return found


_EXCLUDED = Kept(4_000_000, weigh=lambda ids: len(ids) + 1)  # passage numbers held


class _AskedAgainMatcher(WrappingMatcher):
    def __init__(self, child, excluded: frozenset[int], factor: float):
        super().__init__(child)
        self._excluded, self._factor = excluded, factor

    def _replacement(self, newchild):
        return _AskedAgainMatcher(newchild, self._excluded, self._factor)

    def copy(self):
        return _AskedAgainMatcher(self.child.copy(), self._excluded, self._factor)

    def supports_block_quality(self) -> bool:
        return False  # the child's block bounds do not bound these scores

    def score(self) -> float:
        s = self.child.score()
        return s if self.child.id() in self._excluded else s + (s + 1.0) * self._factor


# -- scoring -----------------------------------------------------------------------------------
class _BM25F(scoring.BM25F):
    """Whoosh's BM25F, the same scores, with each passage's field length read from an array
    kept per segment: Whoosh reads it from the segment file per match (a seek and a read,
    since segments are not memory-mapped), which was a third of a common word's search."""

    def scorer(self, searcher, fieldname: str, text, qf: int = 1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if type(scorer) is scoring.BM25FScorer:
            lengths = _lengths(searcher.reader(), fieldname)
            if lengths is not None:
                _fast(scorer, lengths)
        return scorer


def _fast(scorer: scoring.BM25FScorer, lengths: bytes) -> None:
    # the terms of scoring.bm25, in its order, so that every score is the same float
    idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    k1p = K1 + 1
    norm = [K1 * ((1 - B) + B * (byte_to_length(b) if b else 1) / avgfl) for b in range(256)]

    def score(matcher) -> float:
        tf = matcher.weight()
        return idf * ((tf * k1p) / (tf + norm[lengths[matcher.id()]]))
    scorer.score = score


def _lengths(reader, fieldname: str) -> bytes | None:
    """One segment's length bytes of ``fieldname`` (one per passage), read once and kept; None
    where the segment's files are not laid out as whoosh3 writes them (Whoosh's own path is
    then used)."""
    segment = _segment_id(reader)
    if segment is None:
        return None
    key = (segment, fieldname)
    got = _LENGTHS.get(key)
    if got is None:
        try:
            col = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            if col is None or col._fixedlen != 1:
                return None
            # passages past the column's end have no length (0)
            got = col._dbfile.get(col._basepos, col._count)
        except AttributeError:
            return None
        n = reader.doc_count_all()
        got = bytes(got[:n]).ljust(n, b"\0")
        _LENGTHS.put(key, got)
    return got


_LENGTHS = Kept(64_000_000, weigh=len)  # a byte per passage and field


# -- reading -----------------------------------------------------------------------------------
class _Generation:
    """One generation's per-passage arrays (document number of each passage; the persons
    each names, for passages naming any) and one row per document."""

    def __init__(self, searcher):
        self.serial = next(answers.SERIALS)  # names this generation of this index
        reader = searcher.reader()
        n = reader.doc_count_all()
        ids = reader.column_reader("doc_id", translate=True) if n else []
        self.doc_ids: list[str] = []  # document number → doc_id
        self.number: dict[str, int] = {}  # doc_id → document number
        number = self.number
        self.docnum_of = array("i", bytes(4 * n))  # passage → document number (-1: deleted)
        first: dict[str, int] = {}
        for docnum in range(n):
            if reader.is_deleted(docnum):
                self.docnum_of[docnum] = -1
                continue
            doc_id = ids[docnum]
            d = number.get(doc_id)
            if d is None:
                d = number[doc_id] = len(self.doc_ids)
                self.doc_ids.append(doc_id)
                first[doc_id] = docnum
            self.docnum_of[docnum] = d
        self.persons: dict[int, tuple[str, ...]] = {}
        person_passages: Counter = Counter()
        authors: dict[int, list[str]] = {}
        places: dict[int, list[str]] = {}
        leads = set(first.values())  # a document's metadata is read from its first passage
        for name, into in (("persons", None), ("authors", authors), ("places", places)):
            for term in reader.lexicon(name):
                value = term.decode("utf-8")
                for docnum in reader.postings(name, term).all_ids():
                    if self.docnum_of[docnum] < 0 or into is not None and docnum not in leads:
                        continue
                    if into is None:
                        self.persons[docnum] = (*self.persons.get(docnum, ()), value)
                        person_passages[value] += 1
                    else:
                        into.setdefault(docnum, []).append(value)
        self.person_passages = dict(person_passages)
        cols = {f: reader.column_reader(f, translate=True) if n else []
                for f in ("date", "year", "type", "language", "collection")}
        self.documents: dict[str, DocumentInfo] = {}
        for doc_id, docnum in first.items():
            stored = searcher.stored_fields(docnum)
            self.documents[doc_id] = DocumentInfo(
                doc_id, stored.get("title") or "", stored.get("author") or "",
                cols["date"][docnum] or "", int(cols["year"][docnum] or 0),
                cols["type"][docnum] or "", cols["language"][docnum] or "",
                cols["collection"][docnum] or "", tuple(authors.get(docnum, ())),
                int(stored.get("year_to") or 0), tuple(places.get(docnum, ())))
        self.catalogue = Catalogue(self.documents)


class _Budgeted(WrappingCollector):
    """A collector that checks the search's budget every ``EVERY`` matches. Whoosh's
    TimeLimitCollector watches the wall clock from a timer thread; the budget also counts the
    search thread's own CPU time, which only that thread can read."""

    EVERY = 256

    def __init__(self, child: Collector, budget: Budget):
        super().__init__(child)
        self._check = budget.check

    def collect_matches(self) -> None:
        child, check = self.child, self._check
        for n, sub_docnum in enumerate(child.matches(), start=1):
            child.collect(sub_docnum)
            if not n % self.EVERY:
                check()


class _Counting(TopCollector):
    """Whoosh's top-N collector that also counts every match by document (and the documents
    per person named). Score-skipping is off: it would leave matches uncounted."""

    def __init__(self, limit: int, state: _Generation, persons: bool):
        super().__init__(limit=max(limit, 1), usequality=False)
        self.state = state
        self.per_doc = array("i", bytes(4 * len(state.doc_ids)))
        self.want_persons = persons
        self.named: set[tuple[int, str]] = set()  # (document number, person)

    def _collect(self, global_docnum, score):
        d = self.state.docnum_of[global_docnum]
        self.per_doc[d] += 1
        if self.want_persons:
            for person in self.state.persons.get(global_docnum, ()):
                self.named.add((d, person))
        got = super()._collect(global_docnum, score)
        self.minscore = 0  # never let Whoosh skip matches below the top N
        return got


class _Documents(Collector):
    """The documents of every match, as a set of document numbers."""

    def __init__(self, state: _Generation):
        super().__init__()
        self.state = state
        self.found: set[int] = set()

    def collect(self, sub_docnum: int):
        self.found.add(self.state.docnum_of[self.offset + sub_docnum])

    def results(self):
        return self.found


class _Best(ScoredCollector):
    """The best ``wanted[d]`` matches of each document number ``d`` asked for, in heaps."""

    def __init__(self, state: _Generation, wanted: dict[int, int]):
        super().__init__()
        self.state, self.wanted = state, wanted
        self.best: dict[int, list[tuple[float, int]]] = {d: [] for d in wanted}

    def _collect(self, global_docnum, score):
        d = self.state.docnum_of[global_docnum]
        heap = self.best.get(d)
        if heap is None:
            return
        item = (score or 0.0, -global_docnum)  # ties: the earlier passage first
        if len(heap) < self.wanted[d]:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)


class WhooshSession:
    """One Whoosh searcher: one generation of the passages, for one request at a time."""

    def __init__(self, reader: WhooshReader, searcher):
        self._reader = reader
        self.s = searcher
        self.generation = (reader.citations.latest_generation(),
                           *(_segment_id(r) or "" for r, _ in
                             searcher.reader().leaf_readers()))
        self._state = reader.state(self.generation, searcher)
        self.serial = self._state.serial

    def _run(self, q, collector, budget: Budget | None):
        """``collector`` over the matches of ``q``, stopped when the budget runs out."""
        if budget is None:
            self.s.search_with_collector(q, collector)
            return
        budget.check()
        self.s.search_with_collector(q, _Budgeted(collector, budget))
        budget.check()  # expanding terms before the collect loop is not timed

    def search(self, query: qt.Node, limit: int, budget: Budget | None = None
               ) -> list[tuple[int, float]]:
        results = self.s.search(to_whoosh(query, budget), limit=limit)
        if budget:
            budget.check()
        return [(docnum, score or 0.0) for score, docnum in results.top_n]

    def best_passages(self, query: qt.Node, wanted: Mapping[str, int],
                      budget: Budget | None = None) -> dict[str, list[tuple[int, float]]]:
        """One pass over the matches of the documents asked for, each keeping its best: a
        search per document cost every segment's matchers for the whole query each time."""
        number = self._state.number
        known = {doc_id: number[doc_id] for doc_id in wanted if doc_id in number}
        if not known:
            return {}
        docs = tuple(qt.Term("doc_id", d) for d in known)
        collector = _Best(self._state, {known[d]: wanted[d] for d in known})
        self._run(to_whoosh(qt.And((query, docs[0] if len(docs) == 1 else qt.Or(docs))),
                            budget), collector, budget)
        return {doc_id: [(-negated, score) for score, negated in
                         sorted(collector.best[d], reverse=True)]
                for doc_id, d in known.items()}

    def count(self, query: qt.Node, budget: Budget | None = None) -> int:
        collector = _Counting(1, self._state, False)
        self._run(to_whoosh(query, budget), collector, budget)
        return collector.total

    def query(self, plan: Plan) -> Answer:
        found = answers.counted(self.serial, plan, lambda: self._count(plan))
        return answers.answer(plan, found, self._state.catalogue,
                              lambda q, wanted: self.best_passages(q, wanted, plan.budget))

    def _count(self, plan: Plan) -> answers.Counted:
        state = self._state
        collector = _Counting(max(plan.top, plan.ranked), state, "persons" in plan.facets)
        self._run(to_whoosh(qt.with_filter(plan.query, list(plan.filters)), plan.budget),
                  collector, plan.budget)
        if not collector.total:
            return answers.NOTHING
        collector.items.sort(key=lambda item: (-item[0], -item[1]))
        hits = [(-negated, score or 0.0, state.doc_ids[state.docnum_of[-negated]])
                for score, negated in collector.items]
        counts = {state.doc_ids[d]: n for d, n in enumerate(collector.per_doc) if n}
        named = Counter(person for _, person in collector.named)
        return answers.Counted(collector.total, counts, hits, named)

    def matching_documents(self, query: qt.Node, budget: Budget | None = None) -> set[str]:
        collector = _Documents(self._state)
        self._run(to_whoosh(query, budget), collector, budget)
        return {self._state.doc_ids[d] for d in collector.found}

    def documents(self) -> dict[str, DocumentInfo]:
        return self._state.documents

    def person_passages(self) -> dict[str, int]:
        return dict(self._state.person_passages)

    def stored(self, key: int) -> dict:
        return self.s.stored_fields(key)

    def find(self, field: str, value: str) -> dict | None:
        return self.s.document(**{field: value})

    def citations(self) -> list[dict]:
        with self._reader.citations.searcher() as cs:
            return list(cs.all_stored_fields())

    def doc_count(self) -> int:
        return self.s.doc_count()

    def doc_frequency(self, field: str, word: str) -> int:
        return self.s.reader().doc_frequency(field, word)

    def expand(self, node: qt.Node, budget: Budget | None = None) -> list[str]:
        q = to_whoosh(node, budget)
        fieldobj = self.s.schema[node.field]
        return [b if isinstance(b, str) else fieldobj.from_bytes(b)
                for b in q._btexts(self.s.reader())]

    def near_words(self, field: str, word: str, maxdist: int) -> list[str]:
        return list(self.s.reader().terms_within(field, word, maxdist, prefix=0))


class WhooshReader:
    """The two Whoosh indexes of a folder, with searchers kept between requests: opening one
    costs time in proportion to the index (on 209k passages, about 150 ms)."""

    def __init__(self, folder: Path):
        # Segments are read, not memory-mapped: a segment truncated under a mapping is SIGBUS
        # (the worker dies mid-request), a truncated read is an error the searcher turns
        # into 503 and a rebuild (issue 16; measured cost in the README)
        storage = FileStorage(str(folder), supports_mmap=False, readonly=True)
        self.passages = storage.open_index(PASSAGES)
        self.citations = storage.open_index(CITATIONS)
        self.names = self.passages.schema["text"].analyzer.analyzer.names \
            if isinstance(self.passages.schema["text"].analyzer, LibraryTokenizer) \
            else frozenset()
        self._pool: queue.LifoQueue = queue.LifoQueue()
        self._states: Generations[_Generation] = Generations()
        with self.session():  # the current generation's arrays, read at start
            pass

    def state(self, generation: tuple, searcher) -> _Generation:
        return self._states.get(generation, lambda: _Generation(searcher))

    @contextmanager
    def session(self) -> Iterator[WhooshSession]:
        try:
            s = self._pool.get_nowait()
            if not s.up_to_date():
                # a fresh searcher, not s.refresh(): refresh reuses the readers of segments it
                # knows, with their deletions as they were, so a re-indexed document (an edited
                # record, a new version) would show its old passages too
                s.close()
                s = self.passages.searcher(weighting=_BM25F())
        except queue.Empty:
            s = self.passages.searcher(weighting=_BM25F())
        healthy = False
        try:
            yield WhooshSession(self, s)
            healthy = True
        finally:
            if healthy:  # a searcher that read a damaged file goes, not back to the pool
                self._pool.put(s)


# -- writing -----------------------------------------------------------------------------------
class WhooshWriter:
    def __init__(self, passages, citations, limitmb: int):
        self.pw = passages.writer(limitmb=limitmb)
        self.cw = citations.writer()

    def delete_document(self, doc_id: str) -> None:
        self.pw.delete_by_term("doc_id", doc_id)
        self.cw.delete_by_term("source_doc", doc_id)

    def add_passage(self, record: dict) -> None:
        self.pw.add_document(**{k: v for k, v in record.items() if k != "lead"})

    def add_citation(self, record: dict) -> None:
        self.cw.add_document(**record)

    def commit(self) -> None:
        # Whoosh commits are atomic per index: citations first, so that a crash between the
        # two leaves passages stale (re-indexed on the next start), never citations missing
        self.cw.commit()
        self.pw.commit()

    def cancel(self) -> None:
        self.pw.cancel()
        self.cw.cancel()


class WhooshEngine:
    name = "whoosh"

    def create(self, folder: Path, names: frozenset[str]) -> WhooshWriter:
        passages = whoosh_index.create_in(folder, passage_schema(names), indexname=PASSAGES)
        citations = whoosh_index.create_in(folder, citation_schema(), indexname=CITATIONS)
        return WhooshWriter(passages, citations, 256)

    def writer(self, folder: Path) -> WhooshWriter:
        return WhooshWriter(whoosh_index.open_dir(folder, indexname=PASSAGES),
                            whoosh_index.open_dir(folder, indexname=CITATIONS), 128)

    def exists(self, folder: Path) -> bool:
        return whoosh_index.exists_in(folder, indexname=PASSAGES)

    def reader(self, folder: Path) -> WhooshReader:
        return WhooshReader(folder)

    def merge(self, folder: Path) -> tuple[int, int]:
        """The passages' segments merged into one (every query pays for each segment: at
        10,629 documents in 14 segments, a rare word took 161 ms, in one 16 ms): (segments
        before, after). Whoosh rewrites every posting in Python, minutes at that size."""
        ix = whoosh_index.open_dir(folder, indexname=PASSAGES)
        before = len(ix._segments())
        if before > 1:
            ix.optimize()
        return before, len(whoosh_index.open_dir(folder, indexname=PASSAGES)._segments())

    def indexed(self, folder: Path) -> dict[str, str]:
        """doc_id → sha256 of the TEI each indexed document was made from."""
        ix = whoosh_index.open_dir(folder, indexname=PASSAGES)
        indexed: dict[str, str] = {}
        with ix.searcher() as s:
            reader = s.reader()
            if reader.doc_count():
                ids = reader.column_reader("doc_id", translate=True)
                shas = reader.column_reader("tei_sha", translate=True)
                for docnum in reader.all_doc_ids():
                    indexed.setdefault(ids[docnum], shas[docnum])
        return indexed

    def fault(self, folder: Path) -> str | None:
        for name in (PASSAGES, CITATIONS):
            if not whoosh_index.exists_in(folder, indexname=name):
                return f"the {name} index is missing"
        try:
            ix = whoosh_index.open_dir(folder, indexname=PASSAGES)
            if set(ix.schema.names()) != set(passage_schema().names()) or \
                    not isinstance(ix.schema["text"].analyzer, LibraryTokenizer):
                return "the index was made by another version of the library"
            with ix.searcher() as s:
                reader = s.reader()
                n = reader.doc_count_all()
                for column in ("doc_id", "tei_sha", "date", "year"):
                    list(reader.column_reader(column, translate=True))
                for fieldname in ("doc_id", "persons", "authors", "places"):
                    for term in reader.lexicon(fieldname):
                        reader.postings(fieldname, term).all_ids()
                if n:
                    s.stored_fields(n - 1)
            with whoosh_index.open_dir(folder, indexname=CITATIONS).searcher() as s:
                list(s.all_stored_fields())
        except Exception as exc:  # noqa: BLE001  (any fault of a damaged file means: rebuild)
            return f"the index is damaged ({type(exc).__name__}: {exc})"
        return None

