"""A results page is made once per index generation and kept (``Searcher.search``): readers
asking for the same page at once wait for the first instead of making it beside it; exports'
pages are not kept."""

from __future__ import annotations

import threading
import time

from library.search.searcher import Searcher, SearchRequest


def test_the_same_page_asked_at_once_is_made_once(repo_paths, monkeypatch):
    searcher = Searcher.for_store(repo_paths.index, repo_paths.sources)
    made = []
    original = Searcher._search

    def slow(self, s, parsed, req):
        made.append(req.q)
        time.sleep(0.3)  # long enough for every reader to ask meanwhile
        return original(self, s, parsed, req)

    monkeypatch.setattr(Searcher, "_search", slow)
    got = []
    readers = [threading.Thread(target=lambda: got.append(
        searcher.search(SearchRequest("Gottwald")))) for _ in range(8)]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    assert len(got) == 8 and all(r is got[0] for r in got) and got[0].total > 0
    assert made == ["Gottwald"]
    # an export's page is made each time, and not kept
    searcher.search(SearchRequest("Gottwald", page=2), keep=False)
    searcher.search(SearchRequest("Gottwald", page=2), keep=False)
    assert made.count("Gottwald") == 3
