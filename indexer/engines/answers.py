"""What both adapters do the same way once their engine has counted: put the matching
documents in the plan's order (only as far as the page asked for), count the facets of
documents' metadata from one row per document, and fill the page with each document's best
passages. Everything here costs in proportion to matching *documents*, never passages.

What the engine counted for a query (:class:`Counted`) is kept per index generation
(:func:`counted`): the next page of the same search, an export walking its pages, the reader
page searching one of its documents, and readers asking for the same word at once pay for the
count once, as Solr's result cache does. A generation never changes, so what is kept is never
stale; a new generation has new keys, and the old entries age out."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .. import querytree as qt
from . import Answer, DocumentHits, DocumentInfo, Plan
from .catalogue import Catalogue, facets
from .kept import Kept


@dataclass(frozen=True)
class Counted:
    """What the engine counted for one query (with its filters): the matching passages, the
    matching passages per document, the best passages as (key, score, doc_id) in the defined
    order, and the documents per person named (when asked)."""

    total: int
    counts: Mapping[str, int]
    hits: list[tuple[int, float, str]]
    persons: Mapping[str, int]
    # facet counts already made from these documents (the same for every page)
    made: dict = field(default_factory=dict, compare=False, repr=False)

    def weight(self) -> int:
        return len(self.counts) + len(self.hits) + len(self.persons) + 64


NOTHING = Counted(0, {}, [], {})
# Each generation an adapter opens takes the next number: the key of what is counted in it
# (an opstamp or a segment list can recur in another folder, or in a rebuilt one).
SERIALS = itertools.count()
# Bounded by entries held (a document's count is about 100 bytes): about 100 MB a process.
_COUNTED = Kept(1_000_000, weigh=Counted.weight)


def counted(generation: int, plan: Plan, count: Callable[[], Counted]) -> Counted:
    """What ``count()`` counts for ``plan``'s query and filters in ``generation`` (its
    ``SERIALS`` number), counted once and kept. The key is everything the count depends on:
    the query tree and filters (frozen, so hashable), how many best passages, whether persons
    are counted, and the bound on a wildcard's words (a query refused under one bound is not
    answered from another's)."""
    budget = plan.budget
    key = (generation, plan.query, plan.filters, max(plan.top, plan.ranked, 1),
           "persons" in plan.facets, budget.max_expansion if budget else None)
    return _COUNTED.compute(key, count, budget.remaining if budget else lambda: None)


def order(plan: Plan, counts: Mapping[str, int], leading: list[str],
          docs: Mapping[str, DocumentInfo]) -> list[str]:
    """The first ``plan.offset + plan.limit`` matching documents in the plan's order
    (``leading``: documents of the best passages, in the order of their best one)."""
    n = plan.offset + plan.limit
    if plan.sort in ("date", "date-desc"):
        dated = [d for d in counts if docs[d].date]
        pick = heapq.nlargest if plan.sort == "date-desc" else heapq.nsmallest
        out = pick(n, dated, key=lambda d: (docs[d].date, d))
        if len(out) < n:
            out += heapq.nsmallest(n - len(out), (d for d in counts if not docs[d].date))
        return out
    if plan.sort == "title":
        return heapq.nsmallest(n, counts, key=lambda d: (docs[d].title.casefold(), d))
    out = leading[:n]
    if len(out) < n:
        seen = set(out)
        out += heapq.nsmallest(n - len(out), (d for d in counts if d not in seen),
                               key=lambda d: (-counts[d], d))
    return out


def answer(plan: Plan, found: Counted, catalogue: Catalogue,
           best: Callable[[qt.Node, dict[str, int]], dict[str, list[tuple[int, float]]]]
           ) -> Answer:
    """The answer to ``plan`` from what the engine counted, with ``best`` for the best
    passages of the page's documents whose best are not among the best overall (the
    session's ``best_passages``, one call for the whole page)."""
    counts, hits, total = found.counts, found.hits, found.total
    docs = catalogue.rows
    leading = list(dict.fromkeys(d for _, _, d in hits[: plan.top]))
    by_doc: dict[str, list[tuple[int, float]]] = {}
    for key, score, d in hits[: plan.top]:
        by_doc.setdefault(d, []).append((key, score))
    shown_ids = order(plan, counts, leading, docs)[plan.offset:]
    wanted = {d: counts[d] if plan.passages is None else plan.passages for d in shown_ids}
    missing = {d: n for d, n in wanted.items()
               if n and (not by_doc.get(d) or plan.passages is None and len(by_doc[d]) < n)}
    if missing:
        if plan.budget:
            plan.budget.check()
        by_doc.update(best(qt.with_filter(plan.query, list(plan.filters)), missing))
    page = [DocumentHits(d, counts[d], by_doc.get(d, [])[: wanted[d]]) for d in shown_ids]
    made = found.made.get(plan.facets)
    if made is None:
        made = found.made[plan.facets] = facets(plan.facets, counts, catalogue,
                                                {"persons": found.persons})
    return Answer(total, len(counts), page, made,
                  [(k, s) for k, s, _ in hits[: plan.ranked]])
