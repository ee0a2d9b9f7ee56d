"""The place facet on search (issue 14's last facet): documents per place or organisation
they name, counted by each engine from the same table the register's pages read, and a
filter that keeps only the documents naming it."""

from __future__ import annotations

from indexer.places import OTHER, names_of
from library.search.searcher import Searcher, SearchRequest


def _naming(paths, doc_ids) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for d in doc_ids:
        for key, _ in names_of(paths.index, d):
            out.setdefault(key, set()).add(d)
    return out


def test_place_facet_counts_documents_and_filters(engine_paths):
    s = Searcher.for_store(engine_paths.index, engine_paths.sources)
    r = s.search(SearchRequest("Stalin", per_page=100))
    docs = {g.doc_id for g in r.groups}
    assert len(docs) == r.documents  # every matching document on the page
    naming = _naming(engine_paths, docs)
    values = r.facets["place"]
    assert values, "the documents that name Stalin name places"
    for v in values:  # each count is the documents naming it among those that match
        assert v.count == len(naming[v.value]), v
    shown = {v.value: v for v in values}
    assert shown["kremlin"].label == "the Kremlin"
    assert all(v.label == v.value.removeprefix(OTHER) for v in values
               if v.value.startswith(OTHER))
    top = max(values, key=lambda v: v.count)
    filtered = s.search(SearchRequest("Stalin", filters={"place": [top.value]}, per_page=100))
    assert filtered.documents == top.count
    assert {g.doc_id for g in filtered.groups} == naming[top.value]
    assert [v.selected for v in filtered.facets["place"] if v.value == top.value] == [True]


def test_an_unknown_place_filter_matches_nothing_and_is_shown(engine_paths):
    s = Searcher.for_store(engine_paths.index, engine_paths.sources)
    r = s.search(SearchRequest("Stalin", filters={"place": ["atlantis"]}))
    assert r.total == 0
    assert [(v.value, v.count, v.selected) for v in r.facets["place"]] == [("atlantis", 0, True)]
