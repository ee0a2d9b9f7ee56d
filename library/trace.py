"""Quotation provenance: which passages a quotation most probably comes from.

Lexical, in two steps. Candidates come from the index (the quotation's words, any of them,
ranked by BM25 on the stemmed text). Each candidate is then aligned with the quotation: the
window of the passage that holds the most of the quotation's words, weighted by rarity, with
partial credit for near-misses (OCR noise, a different inflection) and a share of the score for
keeping the quotation's word order. Ellipses, bracketed insertions, quotation marks and
hyphenation are removed first. A different translation of the same words scores what the two
translations share: enough to find Putin's speech from the essay's re-translation, and said so
by a score well below 1.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from indexer import querytree as qt
from indexer.analysis import ExactAnalyzer
from indexer.engines.kept import Kept
from indexer.paths import Paths
from indexer.provenance import footnote_quotations, quotation_text

from .i18n import N_
from .search import limits
from .search.errors import QueryError
from .search.searcher import Searcher

CANDIDATES = 40
BUILD_SECONDS = 600.0  # one quotation traced by ``library build`` (readers' get the web's)
RETRIEVAL_WORDS = 15
NEAR = 0.8  # similarity above which a misspelt or noisy word counts as (0.8 of) a match
# quotations traced, per index generation: (generation serial, text, limit, exclude) → matches
_TRACED = Kept(256)
_BRACKETED = re.compile(r"\[[^\]]*\]")
_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…")


@dataclass(frozen=True)
class Match:
    doc_id: str
    passage_id: str
    title: str
    score: float
    start: int
    end: int

    @property
    def url(self) -> str:
        return f"/doc/{self.doc_id}#{self.passage_id}"


def clean(quotation: str) -> str:
    """The quotation without ellipses, bracketed insertions, quotation marks and line-break
    hyphens."""
    text = _BRACKETED.sub(" ", quotation)
    text = _ELLIPSIS.sub(" ", text)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    text = re.sub(r"[\"“”„«»‘’']", " ", text)
    return " ".join(text.split())


class Tracer:
    def __init__(self, searcher: Searcher):
        self.searcher = searcher

    def trace(self, quotation: str, limit: int = 5, exclude: str | None = None
              ) -> tuple[list[Match], float]:
        """Ranked matches for ``quotation`` (``exclude``: a document not to look in, such as
        the one that quotes), and the seconds it took. A trace over the time budget raises
        ``limits.QueryTooSlow``; readers' quotations are checked first with ``check_length``."""
        started = time.perf_counter()
        text = clean(quotation)
        # the session first: opening a new index generation is not the trace's time
        with self.searcher.session() as s:
            # a generation never changes, so a quotation traced in it is traced once (the
            # essay's quotations are asked for again and again)
            found = _TRACED.compute((s.serial, text, limit, exclude),
                                    lambda: self._trace(s, text, limit, exclude))
        return list(found), time.perf_counter() - started

    def _trace(self, s, text: str, limit: int, exclude: str | None) -> tuple[Match, ...]:
        with limits.budget():
            analyzer = self.searcher.builder.stemmed
            q_tokens = [t.text for t in analyzer(text)]
            if not q_tokens:
                return ()
            n_docs = max(s.doc_count(), 1)
            freq = {w: s.doc_frequency("text", w) for w in set(q_tokens)}
            weights = {w: math.log(1 + n_docs / (1 + freq[w])) for w in freq}
            # the words themselves lead; near spellings (OCR noise) only help a little, or
            # their many expansions would crowd the candidates out
            # the rarest words carry the quotation; BM25 over all of them would favour short
            # passages full of common ones
            present = [w for w in freq if freq[w]]
            rare = sorted(present, key=lambda w: -weights[w])[:RETRIEVAL_WORDS]
            words = qt.Or(tuple(qt.Term("text", w, boost=weights[w]) for w in rare))
            near = [qt.Fuzzy("text_exact", w, maxdist=1, prefixlength=2, boost=0.2)
                    for w in ExactAnalyzer().words(text)
                    if 5 < len(w) <= limits.MAX_FUZZY_WORD][:20]
            candidates_q: qt.Node = qt.Or((words, *near))
            if exclude:
                candidates_q = qt.And((candidates_q, qt.Not(qt.Term("doc_id", exclude))))
            hits = s.search(candidates_q, CANDIDATES, limits.engine_budget())
            found, near_cache = [], {}
            for key, _ in hits:
                limits.check()
                found.append(self._align(s.stored(key), q_tokens, weights, analyzer,
                                         near_cache))
        found = [m for m in found if m and m.score > 0.05]
        found.sort(key=lambda m: -m.score)
        return tuple(found[:limit])

    def _align(self, hit, q_tokens: list[str], weights: dict[str, float], analyzer,
               near_cache: dict[str, str | None]):
        text = hit["text"]
        tokens = _tokens(analyzer, text)
        if not tokens:
            return None
        wanted = set(q_tokens)
        total = sum(weights[w] for w in wanted)
        # credit of each passage token: 1 for a word of the quotation, 0.8 for a near one
        # (the nearest quotation word depends on the word alone: one look per distinct word)
        credit = []
        for word, _, _ in tokens:
            if word in wanted:
                credit.append((word, 1.0))
                continue
            if word not in near_cache:
                near_cache[word] = _near(word, wanted)
            near = near_cache[word]
            credit.append((near, NEAR) if near else (None, 0.0))
        # the window about as long as the quotation that holds most of its weight
        span = max(len(q_tokens) + 4, int(len(q_tokens) * 1.5))
        best_score, best_window = 0.0, (0, min(len(tokens), span))
        for i in range(0, max(1, len(tokens) - span + 1)):
            seen: dict[str, float] = {}
            for word, c in credit[i : i + span]:
                if word and c > seen.get(word, 0):
                    seen[word] = c
            covered = sum(weights[w] * c for w, c in seen.items()) / total
            if covered > best_score:
                best_score, best_window = covered, (i, min(len(tokens), i + span))
        i, j = best_window
        while i < j and not credit[i][0]:
            i += 1
        while j > i and not credit[j - 1][0]:
            j -= 1
        if i >= j:
            return None
        order = SequenceMatcher(None, q_tokens, [w for w, _ in credit[i:j] if w]).ratio()
        score = round(0.8 * best_score + 0.2 * order, 4)
        return Match(hit["doc_id"], hit["passage_id"], hit["title"], min(1.0, score),
                     tokens[i][1], tokens[j - 1][2])


def _near(word: str, wanted: set[str]) -> str | None:
    """The quotation word ``word`` is a near spelling of, if any."""
    if len(word) <= 3:  # only words of about the same length and first letter
        return None
    for w in wanted:
        if w[0] == word[0] and abs(len(w) - len(word)) <= 2 and \
                SequenceMatcher(None, w, word).ratio() >= NEAR:
            return w
    return None


_TOKENS: OrderedDict[tuple[int, str], tuple] = OrderedDict()
_TOKENS_MAX = 4096
_tokens_lock = threading.Lock()


def _tokens(analyzer, text: str) -> tuple[tuple[str, int, int], ...]:
    """A passage's analysed words with their character spans, remembered for the last few
    thousand passages: candidates recur from one trace to the next, and analysing them was most
    of a trace's time. (The analyser is kept with its entry, so its id names it.)"""
    key = (id(analyzer), text)
    with _tokens_lock:
        entry = _TOKENS.get(key)
        if entry is not None:
            _TOKENS.move_to_end(key)
            return entry[1]
    tokens = tuple((t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True))
    with _tokens_lock:
        _TOKENS[key] = (analyzer, tokens)
        while len(_TOKENS) > _TOKENS_MAX:
            _TOKENS.popitem(last=False)
    return tokens


def check_length(quotation: str) -> None:
    """Refuse a quotation longer than a paragraph: aligning costs its length times each
    candidate's."""
    if len(quotation) > limits.MAX_TRACE_CHARS:
        raise QueryError(N_("the quotation is %(n)s characters long; the limit is %(limit)s "
                            "(trace a sentence or a paragraph)"), n=len(quotation),
                         limit=limits.MAX_TRACE_CHARS)


def quotation_before(passage_element, note_element) -> str | None:
    """The text of the quotation a footnote cites, if it cites one."""
    quote = footnote_quotations(passage_element).get(note_element)
    return quotation_text(quote) if quote is not None else None


def locator(paths: Paths) -> Callable[[str, str], tuple[str, str, float] | None]:
    """For ``library build``: the best passage for a quotation, in the index just built."""
    tracer = Tracer(Searcher.for_store(paths.index, paths.sources))

    def best(quote: str, exclude: str) -> tuple[str, str, float] | None:
        # a build's own bound, not a web request's: a large library must not fail its build
        with limits.budget(BUILD_SECONDS):
            matches, _ = tracer.trace(quote, limit=1, exclude=exclude)
        return (matches[0].doc_id, matches[0].passage_id, matches[0].score) if matches else None
    return best
