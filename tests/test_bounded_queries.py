"""Issue 16: a query's repeated words count once, and the time budget falls for queries of many
terms, which cannot be answered well (a word pasted 111 times held every thread for 5 s)."""

from __future__ import annotations

from library.search import limits
from library.search.searcher import Searcher, SearchRequest


def test_a_repeated_word_counts_once(repo_paths):
    searcher = Searcher.for_store(repo_paths.index, repo_paths.sources)
    once = searcher.builder.build("patrušev")
    many = searcher.builder.build("patrušev " * 111)
    assert many.mode == "query" and many.rewritten == once.rewritten
    assert searcher.builder.build("Stalin war Stalin war").rewritten == \
        searcher.builder.build("Stalin war").rewritten
    r = searcher.search(SearchRequest(q="patrušev " * 111))
    assert r.total == searcher.search(SearchRequest(q="patrušev")).total > 0


def test_a_pasted_quotation_counts_each_word_once(repo_paths):
    searcher = Searcher.for_store(repo_paths.index, repo_paths.sources)
    q = "you are blind kittens, after me you will lose the country, blind kittens"
    parsed = searcher.builder.build(q)
    assert parsed.mode == "quotation"
    assert parsed.rewritten.count("'kitten'") == 1
    assert searcher.search(SearchRequest(q=q)).groups[0].doc_id == "malyshev-1952-12-01-diary"


def test_the_budget_falls_for_queries_of_many_terms(repo_paths, monkeypatch):
    monkeypatch.delenv("LIBRARY_QUERY_SECONDS", raising=False)
    searcher = Searcher.for_store(repo_paths.index, repo_paths.sources)
    ordinary = searcher.builder.build("Stalin Gottwald Korea")
    assert limits.seconds_for(ordinary.query) == limits.DEFAULT_SECONDS
    words = " ".join(f"w{i}x" for i in range(150))
    heavy = searcher.builder.build(words)
    assert limits.MIN_SECONDS <= limits.seconds_for(heavy.query) < 2
