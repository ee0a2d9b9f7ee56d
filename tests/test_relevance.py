"""Relevance, measured: the judged query set (tests/relevance/queries.toml) run against the
index of the committed store; prints recall@10 and MRR per kind, fails below the thresholds."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from library.search.searcher import Searcher, SearchRequest

QUERIES = tomllib.loads((Path(__file__).parent / "relevance" / "queries.toml").read_text(
    encoding="utf-8"))["query"]
RECALL_AT_10 = 0.95
MRR = 0.90


@pytest.fixture(scope="module")
def searcher(engine_paths):
    return Searcher.for_store(engine_paths.index, engine_paths.sources)


def evaluate(searcher: Searcher):
    rows = []
    for q in QUERIES:
        ranked = searcher.search(SearchRequest(q["q"], ranked=10)).ranked
        must = q["must"]
        found = [p for p in must if p in ranked]
        first = min((ranked.index(p) + 1 for p in found), default=None)
        rows.append((q, len(found) / len(must), 1 / first if first else 0.0, ranked))
    return rows


def test_judged_queries_meet_recall_and_mrr(searcher, engine, capsys):
    assert len(QUERIES) >= 40
    rows = evaluate(searcher)
    by_kind = defaultdict(list)
    for q, recall, rr, _ in rows:
        by_kind[q["kind"]].append((recall, rr))
    recall = sum(r for _, r, _, _ in rows) / len(rows)
    mrr = sum(rr for _, _, rr, _ in rows) / len(rows)
    with capsys.disabled():
        print(f"\nrelevance ({engine}): {len(rows)} judged queries, recall@10 = {recall:.3f}, "
              f"MRR = {mrr:.3f}")
        for kind, vals in sorted(by_kind.items()):
            n = len(vals)
            print(f"  {kind:<13} n={n:>2}  recall@10={sum(v[0] for v in vals) / n:.2f}"
                  f"  MRR={sum(v[1] for v in vals) / n:.2f}")
        for q, r, _, ranked in rows:
            if r < 1:
                missing = [p for p in q["must"] if p not in ranked]
                print(f"  missed: {q['q']!r} ({q['kind']}): {missing}")
    assert recall >= RECALL_AT_10
    assert mrr >= MRR
