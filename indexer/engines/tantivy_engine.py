"""The tantivy adapter (``tantivy`` 0.27, Rust, embedded): one of the two modules that import an
engine. tantivy is handed words the library analysed, never text to analyse its own way: its
folding and stemmers break the library's rules (ñ, ё, names never stemmed).

Each analysed field is given as its words joined by spaces to tantivy's whitespace tokenizer
(words hold no spaces), faster than a token object per word; a passage's stored fields are one
JSON blob (one read per hit). The fields counted and grouped on are fast fields, so that
``Session.query`` asks tantivy for the top hits with the total, and for the matching passages
per document and the documents per person as one terms aggregation: Python sees the best
passages and one row per matching document, never every match. Each document's metadata (one
row per document, read from its lead passage) is kept per generation, read when the generation
is opened. Wildcards, prefixes, fuzzy words and date ranges
are expanded to index words here (tantivy's term list, Levenshtein distance as Whoosh counts
it), so that the bound on their expansion and the words highlighted are the same as with Whoosh.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import numpy as np
import tantivy
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .. import querytree as qt
from ..analysis import ExactAnalyzer, TextAnalyzer
from . import FIELD_BOOSTS, Answer, Budget, DocumentInfo, Plan, answers, load_names
from .catalogue import Catalogue, DocCounts
from .kept import Kept

PASSAGES = "passages"
CITATIONS = "citations"
RAW = ("passage_id", "doc_id", "kind", "date", "type", "language", "collection", "rights")
FAST = frozenset({"doc_id", "persons"})  # counted by aggregations
STORED = ("passage_id", "doc_id", "kind", "position", "title", "author", "date", "type",
          "language", "collection", "year", "year_to", "authors", "places", "text")
MULTI_RAW = ("authors", "persons", "places")
TOKENIZED = ("title", "author", "text", "text_exact")
POSITIONS = {"title", "author", "text_exact"}  # the stemmed text keeps no positions
_TOKENIZER = "library"  # pre-tokenised fields still name a tokenizer: whitespace
_HEAP = 128_000_000
# Fields an index made by an earlier version of the adapter lacks (it is then rebuilt).
NEWEST = ("lead", "docpart", "places")
# tantivy refuses an aggregation of more buckets than this; past it, the documents are
# counted in parts (by ``docpart``, a hash of the document's id).
BUCKETS = 65_000
PARTS = 1024
_KEY, _DOC_COUNT = itemgetter("key"), itemgetter("doc_count")  # of an aggregation's bucket
_NONE = np.zeros(0, np.int64)
# The words each wildcard, prefix, fuzzy word or date range stood for, per generation: about
# 2 million words a process.
_EXPANDED = Kept(2_000_000, weigh=lambda words: len(words) + 1)


@lru_cache(maxsize=65_536)  # per-document values recur for every passage
def code(value: str) -> int:
    """A value as a signed 64-bit integer (fast fields hold numbers)."""
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big",
                          signed=True)


def passage_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in RAW + MULTI_RAW:
        sb.add_text_field(name, stored=False, tokenizer_name="raw", fast=name in FAST)
    sb.add_text_field("doc_sha", stored=False, tokenizer_name="raw")
    for name in TOKENIZED:
        sb.add_text_field(name, stored=False, tokenizer_name=_TOKENIZER,
                          index_option="position" if name in POSITIONS else "freq")
    sb.add_bytes_field("stored", stored=True)
    sb.add_integer_field("docno", fast=True)  # a hash of doc_id: the document of a hit
    sb.add_integer_field("docpart", indexed=True, fast=True)  # docno mod PARTS
    sb.add_integer_field("lead", indexed=True)  # 1 on a document's first passage
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("years", indexed=True)  # every year the date spans (see index.py)
    return sb.build()


def citation_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("source_doc", stored=False, tokenizer_name="raw")
    sb.add_bytes_field("record", stored=True)
    return sb.build()


def _open(folder: Path, schema: tantivy.Schema | None = None) -> tantivy.Index:
    folder.mkdir(parents=True, exist_ok=True)
    ix = tantivy.Index(schema, path=str(folder), reuse=False) if schema is not None \
        else tantivy.Index.open(str(folder))
    # custom tokenizers are not saved with the index: registered on every open
    ix.register_tokenizer(_TOKENIZER,
                          tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return ix


def _opstamp(folder: Path) -> int:
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))["opstamp"]
    except (OSError, ValueError, KeyError):
        return -1


# -- writing -----------------------------------------------------------------------------------
class TantivyWriter:
    def __init__(self, folder: Path, names: frozenset[str], create: bool):
        self.folder = folder
        self.passages = _open(folder / PASSAGES, passage_schema() if create else None)
        self.citations = _open(folder / CITATIONS, citation_schema() if create else None)
        self.pw = self.passages.writer(_HEAP, 1)
        self.cw = self.citations.writer(15_000_000, 1)
        self.stemmed = TextAnalyzer(names)
        self.exact = ExactAnalyzer()
        self._meta: dict[str, str] = {}  # a document's title and author words, analysed once

    def delete_document(self, doc_id: str) -> None:
        self.pw.delete_documents_by_term("doc_id", doc_id)
        self.cw.delete_documents_by_term("source_doc", doc_id)

    def add_passage(self, record: dict) -> None:
        d = tantivy.Document()
        for name in RAW:
            d.add_text(name, record[name])
        docno = code(record["doc_id"])
        d.add_integer("docno", docno)
        d.add_integer("docpart", docno % PARTS)
        d.add_integer("lead", 1 if record.get("lead") else 0)
        d.add_text("doc_sha", f"{record['doc_id']}\t{record['tei_sha']}")
        for name in MULTI_RAW:
            for value in (record.get(name) or "").split(","):
                if value.strip():
                    d.add_text(name, value.strip())
        d.add_integer("year", int(record["year"] or 0))
        for year in record.get("years") or [int(record["year"] or 0)]:
            d.add_integer("years", int(year))
        for name in ("title", "author"):
            value = record[name] or ""
            key = f"{name}\0{value}"
            words = self._meta.get(key)
            if words is None:
                if len(self._meta) > 10_000:
                    self._meta.clear()
                words = self._meta[key] = " ".join(self.exact.words(value))
            d.add_text(name, words)
        words = record.get("_words")  # analysed beforehand, maybe by another process
        if words is None:
            exact = self.exact.words(record["text"] or "")
            words = (" ".join(self.stemmed.stemmed(exact)), " ".join(exact))
        d.add_text("text", words[0])
        d.add_text("text_exact", words[1])
        d.add_bytes("stored", json.dumps({k: record.get(k) for k in STORED},
                                         ensure_ascii=False).encode())
        self.pw.add_document(d)

    def add_citation(self, record: dict) -> None:
        d = tantivy.Document()
        d.add_text("source_doc", record["source_doc"])
        d.add_bytes("record", json.dumps(record, ensure_ascii=False).encode())
        self.cw.add_document(d)

    def commit(self) -> None:
        # citations first: a crash between the two leaves passages stale (re-indexed on the
        # next start), never citations missing
        self.cw.commit()
        self.pw.commit()
        self.cw.wait_merging_threads()
        self.pw.wait_merging_threads()

    def cancel(self) -> None:
        self.pw.rollback()
        self.cw.rollback()


# -- the query tree in tantivy's classes -------------------------------------------------------
class _Translator:
    def __init__(self, session: TantivySession, budget: Budget | None):
        self.s = session
        self.schema = session.schema
        self.budget = budget or Budget()

    def __call__(self, node: qt.Node) -> tantivy.Query:
        q = self._query(node)
        boost = node.boost * (FIELD_BOOSTS.get(getattr(node, "field", ""), 1.0)
                              if isinstance(node, (qt.Term, qt.Phrase)) else 1.0)
        return q if boost == 1.0 else tantivy.Query.boost_query(q, boost)

    def _term(self, field: str, text) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, text)

    def _query(self, node: qt.Node) -> tantivy.Query:
        Q = tantivy.Query
        if isinstance(node, qt.Term):
            return self._term(node.field, node.text)
        if isinstance(node, qt.Phrase):
            if node.field not in POSITIONS:  # no positions kept: every word, anywhere
                return Q.boolean_query([(tantivy.Occur.Must, self._term(node.field, w))
                                        for w in node.words])
            # tantivy counts the words allowed between, Whoosh (and the tree) the distance
            return Q.phrase_query(self.schema, node.field, list(node.words), slop=node.slop - 1)
        if isinstance(node, (qt.Prefix, qt.Wildcard, qt.TermRange)):
            words = self.s.expand(node, self.budget)
            if not words:
                return Q.empty_query()
            # constant score, as Whoosh scores a wildcard
            return Q.const_score_query(Q.term_set_query(self.schema, node.field, words), 1.0)
        if isinstance(node, qt.Fuzzy):
            words = self.s.expand(node, self.budget)
            if not words:
                return Q.empty_query()
            return Q.boolean_query([(tantivy.Occur.Should, self._term(node.field, w))
                                    for w in words])
        if isinstance(node, qt.NumericRange):
            if node.start is None and node.end is None:
                return Q.all_query()
            return Q.range_query(self.schema, node.field, tantivy.FieldType.Integer,
                                 node.start, node.end)
        if isinstance(node, qt.Every):
            return Q.all_query()
        if isinstance(node, qt.Not):
            return Q.boolean_query([(tantivy.Occur.Must, Q.all_query()),
                                    (tantivy.Occur.MustNot, self(node.item))])
        if isinstance(node, qt.And):
            parts = [(tantivy.Occur.MustNot, self(n.item)) if isinstance(n, qt.Not)
                     else (tantivy.Occur.Must, self(n)) for n in node.items]
            if all(o == tantivy.Occur.MustNot for o, _ in parts):
                parts.append((tantivy.Occur.Must, Q.all_query()))
            return Q.boolean_query(parts)
        if isinstance(node, qt.Or):
            return Q.boolean_query([(tantivy.Occur.Should, self(n)) for n in node.items])
        raise TypeError(f"no tantivy query for {node!r}")


# -- reading -----------------------------------------------------------------------------------
def _key(addr) -> int:
    return (addr.segment_ord << 32) | addr.doc


def _addr(key: int):
    return tantivy.DocAddress(key >> 32, key & 0xFFFFFFFF)


class TantivySession:
    def __init__(self, reader: TantivyReader, generation: tuple, state: _Generation):
        self._reader = reader
        self.schema = reader.schema
        self.s = state.searcher
        self.generation = generation
        self._state = state
        self.serial = state.serial

    def _all(self, query, limit: int | None = None) -> list[tuple[int, float]]:
        n = self.s.num_docs
        limit = n if limit is None else min(limit, n)
        if limit <= 0:  # tantivy panics on limit=0
            return []
        hits = [(_key(a), score) for score, a in self.s.search(query, limit, count=False).hits]
        hits.sort(key=lambda h: (-h[1], h[0]))  # equal scores: index order
        return hits

    def _translate(self, query: qt.Node, budget: Budget | None) -> tantivy.Query:
        if budget:
            budget.check()
        return _Translator(self, budget)(query)

    def search(self, query: qt.Node, limit: int, budget: Budget | None = None
               ) -> list[tuple[int, float]]:
        found = self._all(self._translate(query, budget), limit)
        if budget:
            budget.check()
        return found

    def best_passages(self, query: qt.Node, wanted: Mapping[str, int],
                      budget: Budget | None = None) -> dict[str, list[tuple[int, float]]]:
        # a search per document: a millisecond or two each in tantivy
        return {doc_id: self.search(qt.And((query, qt.Term("doc_id", doc_id))), n, budget)
                for doc_id, n in wanted.items()}

    def count(self, query: qt.Node, budget: Budget | None = None) -> int:
        return self.s.search(self._translate(query, budget), 1, count=True).count

    def _per_document(self, query: tantivy.Query, persons: bool, budget: Budget | None,
                      matching: int = 0) -> tuple[DocCounts, Counter]:
        """Matching passages per document, and documents per person named, as tantivy's terms
        aggregation counts them (in parts when there are more buckets than it allows). With
        ``matching`` passages past half that many buckets, the two are asked for apart: one
        request for both would be refused, and made again in four parts (the name Путин at
        1,003,386 passages: five scans of its 177,787 passages, 200 ms)."""
        size = max(len(self._state.documents), 1)
        # by the integer docno: faster than by the doc_id text (no term dictionary to read)
        by_doc = {"terms": {"field": "docno", "size": size, "segment_size": size}}
        specs: list[dict] = [{"d": by_doc}]
        if persons:
            n = max(len(self._state.persons), 1)
            by_person = {"terms": {"field": "persons", "size": n, "segment_size": n},
                         "aggs": {"d": by_doc}}
            if matching > BUCKETS // 2:
                specs.append({"p": by_person})
            else:
                specs[0]["p"] = by_person
        keys: list[np.ndarray] = []
        numbers: list[np.ndarray] = []
        named: Counter = Counter()
        for spec in specs:
            for got in self._aggregate(query, spec, budget):
                buckets = got.get("d", {}).get("buckets")
                if buckets is not None:  # tens of thousands: read without a loop
                    keys.append(np.fromiter(map(_KEY, buckets), np.int64, len(buckets)))
                    numbers.append(np.fromiter(map(_DOC_COUNT, buckets), np.int64,
                                               len(buckets)))
                for b in got.get("p", {}).get("buckets", ()):
                    named[b["key"]] += len(b["d"]["buckets"])
        return self._state.counts(np.concatenate(keys) if keys else _NONE,
                                  np.concatenate(numbers) if numbers else _NONE), named

    def _aggregate(self, query: tantivy.Query, spec: dict, budget: Budget | None
                   ) -> list[dict]:
        """``spec`` over the matches of ``query``: one answer, or one per part of the
        documents (by ``docpart``) when tantivy refuses so many buckets at once."""
        parts = 1
        while True:
            try:
                out = []
                for part in range(parts):
                    q = query if parts == 1 else tantivy.Query.boolean_query([
                        (tantivy.Occur.Must, query),
                        (tantivy.Occur.Must, tantivy.Query.range_query(
                            self.schema, "docpart", tantivy.FieldType.Integer,
                            part * PARTS // parts, (part + 1) * PARTS // parts - 1))])
                    out.append(self.s.aggregate(q, spec))
                    if budget:
                        budget.check()
                return out
            except ValueError as exc:
                if "bucket limit" not in str(exc) or parts >= PARTS:
                    raise
                parts *= 4

    def query(self, plan: Plan) -> Answer:
        found = answers.counted(self.serial, plan, lambda: self._count(plan))
        return answers.answer(plan, found, self._state.catalogue,
                              lambda q, wanted: self.best_passages(q, wanted, plan.budget))

    def _count(self, plan: Plan) -> answers.Counted:
        budget = plan.budget
        tq = self._translate(qt.with_filter(plan.query, list(plan.filters)), budget)
        want = max(plan.top, plan.ranked, 1)
        found = self.s.search(tq, min(want, max(self.s.num_docs, 1)), count=True)
        if budget:
            budget.check()
        if not found.count:
            return answers.NOTHING
        addrs = [a for _, a in found.hits]
        doc_of = self._state.docno
        hits = sorted(((_key(a), score, doc_of[n]) for (score, a), n in
                       zip(found.hits, self.s.fast_field_values("docno", addrs), strict=True)),
                      key=lambda h: (-h[1], h[0]))
        counts, named = self._per_document(tq, "persons" in plan.facets, budget, found.count)
        return answers.Counted(found.count, counts, hits, named)

    def matching_documents(self, query: qt.Node, budget: Budget | None = None) -> set[str]:
        return set(self._per_document(self._translate(query, budget), False, budget)[0])

    def documents(self) -> dict[str, DocumentInfo]:
        return self._state.documents

    def person_passages(self) -> dict[str, int]:
        return dict(self._state.persons)

    def stored(self, key: int) -> dict:
        return json.loads(bytes(self.s.doc(_addr(key)).to_dict()["stored"][0]))

    def find(self, field: str, value: str) -> dict | None:
        hits = self._all(tantivy.Query.term_query(self.schema, field, value), 1)
        return self.stored(hits[0][0]) if hits else None

    def citations(self) -> list[dict]:
        cs = self._reader.citations.searcher()
        n = cs.num_docs
        if not n:
            return []
        return [json.loads(bytes(cs.doc(a).to_dict()["record"][0]))
                for _, a in cs.search(tantivy.Query.all_query(), n, count=False).hits]

    def doc_count(self) -> int:
        return self.s.num_docs

    def doc_frequency(self, field: str, word: str) -> int:
        return self.s.doc_freq(field, word)

    def expand(self, node: qt.Node, budget: Budget | None = None) -> list[str]:
        """The index words a wildcard, prefix, fuzzy word or date range stands for, refused
        past ``budget.max_expansion`` of them. Kept per generation: the query and its
        highlighting ask for the same words, and a fuzzy word reads every index word that
        shares its first letters."""
        budget = budget or Budget()
        words = _EXPANDED.compute((self.serial, node), lambda: self._expand(node),
                                  budget.remaining)
        budget.check()
        if not isinstance(node, qt.TermRange) and len(words) > budget.max_expansion:
            raise qt.QueryError("'%(word)s' matches more than %(limit)s different "
                                "words; add letters to narrow it", word=qt.typed(node),
                                limit=budget.max_expansion)
        return words

    def _expand(self, node: qt.Node) -> list[str]:
        if isinstance(node, qt.Prefix):
            words = [t for t, _ in self.s.terms_with_prefix(node.field, node.text)]
        elif isinstance(node, qt.Wildcard):
            head = re.split(r"[*?[]", node.pattern, maxsplit=1)[0]  # fnmatch: * ? [..]
            match = re.compile(fnmatch.translate(node.pattern)).match
            words = [t for t, _ in self.s.terms_with_prefix(node.field, head) if match(t)]
        elif isinstance(node, qt.Fuzzy):
            head = node.text[: node.prefixlength]
            words = [w for w, _, _ in process.extract(
                node.text, [t for t, _ in self.s.terms_with_prefix(node.field, head)],
                scorer=Levenshtein.distance, score_cutoff=node.maxdist, limit=None)]
        elif isinstance(node, qt.TermRange):
            words = [t for t, _ in self.s.terms_with_prefix(node.field, "")
                     if (node.start is None or t >= node.start)
                     and (node.end is None or t <= node.end)]
        else:
            return []
        return words

    def near_words(self, field: str, word: str, maxdist: int) -> list[str]:
        return [w for w, _, _ in process.extract(
            word, self._reader.lexicon(self, field), scorer=Levenshtein.distance,
            score_cutoff=maxdist, limit=None)]


class _Generation:
    """What one generation keeps: its searcher, one row per document (read from each
    document's lead passage), documents by the hash of their id, passages per person."""

    def __init__(self, passages: tantivy.Index, schema: tantivy.Schema):
        self.serial = next(answers.SERIALS)  # names this generation of this index
        self.searcher = s = passages.searcher()
        lead = tantivy.Query.term_query(schema, "lead", 1)
        n = s.search(lead, 1, count=True).count if s.num_docs else 0
        self.documents: dict[str, DocumentInfo] = {}
        for _, addr in (s.search(lead, n, count=False).hits if n else ()):
            f = json.loads(bytes(s.doc(addr).to_dict()["stored"][0]))
            self.documents[f["doc_id"]] = DocumentInfo(
                f["doc_id"], f.get("title") or "", f.get("author") or "", f.get("date") or "",
                int(f.get("year") or 0),
                f.get("type") or "", f.get("language") or "", f.get("collection") or "",
                tuple(a.strip() for a in (f.get("authors") or "").split(",") if a.strip()),
                int(f.get("year_to") or 0),  # absent from an index made before it: year alone
                tuple(p for p in (f.get("places") or "").split(",") if p))
        self.catalogue = Catalogue(self.documents)
        ids = self.catalogue.ids
        codes = np.fromiter(map(code, ids), np.int64, len(ids))
        self.docno = dict(zip(codes.tolist(), ids, strict=True))
        # the documents' docno codes, sorted, and each one's position in the catalogue: what
        # turns the aggregation's buckets into catalogue positions in one vector step
        self._by_code = np.argsort(codes, kind="stable")
        self._codes = codes[self._by_code]
        self.persons: dict[str, int] = {}
        if s.num_docs:
            terms = [t for t, _ in s.terms_with_prefix("persons", "")]
            if terms:
                got = s.aggregate(tantivy.Query.all_query(), {"p": {"terms": {
                    "field": "persons", "size": len(terms), "segment_size": len(terms)}}})
                self.persons = {b["key"]: b["doc_count"] for b in got["p"]["buckets"]}

    def counts(self, keys: np.ndarray, numbers: np.ndarray) -> DocCounts:
        """Matching passages per document from the aggregation's (docno, number) buckets."""
        at = np.minimum(np.searchsorted(self._codes, keys), max(len(self._codes) - 1, 0))
        known = self._codes[at] == keys if len(self._codes) else np.zeros(len(keys), bool)
        return DocCounts(self.catalogue, self._by_code[at[known]], numbers[known])


class TantivyReader:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.passages = _open(self.folder / PASSAGES)
        self.citations = _open(self.folder / CITATIONS)
        self.schema = self.passages.schema
        self.names = load_names(self.folder)
        self._lock = threading.Lock()
        self._generation = self._stamp()
        self._state = _Generation(self.passages, self.schema)
        self._lexicons: dict[tuple, list[str]] = {}

    def _stamp(self) -> tuple:
        return (_opstamp(self.folder / PASSAGES), _opstamp(self.folder / CITATIONS))

    @contextmanager
    def session(self) -> Iterator[TantivySession]:
        stamp = self._stamp()
        if stamp != self._generation:
            with self._lock:
                if stamp != self._generation:
                    self.passages.reload()
                    self.citations.reload()
                    self._state = _Generation(self.passages, self.schema)
                    self._generation = stamp
                    self._lexicons.clear()
        yield TantivySession(self, self._generation, self._state)

    def lexicon(self, session: TantivySession, field: str) -> list[str]:
        """Every word of ``field`` (the spelling corrector looks near words up in it)."""
        key = (session.generation, field)
        words = self._lexicons.get(key)
        if words is None:
            words = self._lexicons[key] = [t for t, _ in session.s.terms_with_prefix(field, "")]
        return words


class TantivyEngine:
    name = "tantivy"

    def create(self, folder: Path, names: frozenset[str]) -> TantivyWriter:
        return TantivyWriter(Path(folder), names, create=True)

    def writer(self, folder: Path) -> TantivyWriter:
        return TantivyWriter(Path(folder), load_names(folder), create=False)

    def merge(self, folder: Path) -> tuple[int, int]:
        """tantivy merges its segments itself as it commits (its log merge policy): nothing to
        do. (segments before, after)."""
        n = tantivy.Index.open(str(Path(folder) / PASSAGES)).searcher().num_segments
        return n, n

    def exists(self, folder: Path) -> bool:
        return all((Path(folder) / part / "meta.json").exists()
                   for part in (PASSAGES, CITATIONS))

    def reader(self, folder: Path) -> TantivyReader:
        return TantivyReader(folder)

    def indexed(self, folder: Path) -> dict[str, str]:
        """doc_id → sha256 of the TEI each indexed document was made from (a deleted
        document's words stay in tantivy's term list until its segment is merged, so each
        is checked for a live passage)."""
        reader = TantivyReader(folder)
        with reader.session() as s:
            out = {}
            for term, _ in s.s.terms_with_prefix("doc_sha", ""):
                if s._all(tantivy.Query.term_query(s.schema, "doc_sha", term), 1):
                    doc_id, _, sha = term.partition("\t")
                    out[doc_id] = sha
            return out

    def fault(self, folder: Path) -> str | None:
        if not self.exists(folder):
            return "the index is missing"
        try:
            schema = json.loads((Path(folder) / PASSAGES / "meta.json").read_text(
                encoding="utf-8"))["schema"]
            if not set(NEWEST) <= {f["name"] for f in schema}:
                return "the index was made by another version of the library"
            reader = TantivyReader(folder)
            # an index made before the years field: rebuilt (ValueError: not in the schema)
            tantivy.Query.range_query(reader.schema, "years", tantivy.FieldType.Integer, 0, 0)
            with reader.session() as s:
                for doc_id in list(s.documents())[-1:]:
                    s.find("doc_id", doc_id)
                s.citations()
        except Exception as exc:  # noqa: BLE001  (any fault of a damaged file means: rebuild)
            return f"the index is damaged ({type(exc).__name__}: {exc})"
        return None
