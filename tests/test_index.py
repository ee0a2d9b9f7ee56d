"""The index built from the store: one entry per passage, citations, searches, safe rebuilds."""

from __future__ import annotations

import pytest

from indexer import engines
from indexer import querytree as qt
from indexer.index import BuildError, build_index, ensure_index, index_fault, index_is_current
from indexer.store import document_paths
from library.search.searcher import Searcher, SearchRequest

from .conftest import ESSAY


def search(paths, q, **kw):
    return Searcher.for_store(paths.index, paths.sources).search(SearchRequest(q, **kw))


def test_one_entry_per_passage_with_document_metadata(repo_paths):
    with Searcher(repo_paths.index).session() as s:
        stored = [s.stored(key) for key, _ in s.search(qt.Every(), s.doc_count())]
    assert len({f["passage_id"] for f in stored}) == len(stored) > 300
    documents = {p.stem for p in document_paths(repo_paths.sources)} - {"persons", "places"}
    assert {f["doc_id"] for f in stored} == documents  # the registers have no passages
    gottwald = next(f for f in stored if f["passage_id"] == "stalin-1950-08-27-gottwald-q1")
    assert gottwald["date"] == "1950-08-27"
    assert gottwald["type"] == "letter" and "Stalin" in gottwald["author"]
    with Searcher(repo_paths.index).session() as s:  # persons named: indexed by id
        tagged = {s.stored(key)["passage_id"]
                  for key, _ in s.search(qt.Term("persons", "gottwald"), s.doc_count())}
    assert f"{ESSAY}-p4" in tagged and "stalin-1950-08-27-gottwald-bibl" in tagged


def test_searching_gottwald_finds_the_cited_work(repo_paths):
    results = search(repo_paths, "Gottwald")
    docs = [h.doc_id for h in results.hits]
    assert "stalin-1950-08-27-gottwald" in docs
    assert any("<mark>Gottwald</mark>" in h.snippet for h in results.hits)
    q1 = next(h for h in results.hits if h.doc_id == "stalin-1950-08-27-gottwald")
    assert q1.url.startswith("/doc/stalin-1950-08-27-gottwald#stalin-1950-08-27-gottwald-")


def test_phrase_boolean_and_paging(repo_paths):
    phrase = search(repo_paths, '"blind kittens"')
    found = [h.passage_id for h in phrase.hits]
    assert "malyshev-1952-12-01-diary-q1" in found and f"{ESSAY}-p8" in found
    assert all("<mark>blind kittens</mark>" in h.snippet for h in phrase.hits)
    both = search(repo_paths, "Stalin AND Gottwald")
    # a person's name also matches the documents by them (ranking.py): Stalin's own letter
    assert both.total >= 1 and all(
        ("Gottwald" in h.text and "Stalin" in h.text) or h.doc_id.startswith("stalin-")
        for h in both.hits)
    assert any(h.doc_id == "stalin-1950-08-27-gottwald" for h in both.hits)
    page1 = search(repo_paths, "war", per_page=2)
    page2 = search(repo_paths, "war", page=2, per_page=2)
    assert page1.total == page2.total > 10 and page1.pages > 2
    assert not {g.doc_id for g in page1.groups} & {g.doc_id for g in page2.groups}


def test_citations_both_directions(repo_paths):
    s = Searcher(repo_paths.index)
    out = s.citations_from(ESSAY)
    assert [c.n for c in out] == [str(i) for i in range(1, 18)]
    back = s.citations_to("beria-1999-mon-pere")
    assert sorted(int(c.n) for c in back) == [7, 8, 16]
    assert back[0].marker_url.startswith(f"/doc/{ESSAY}#{ESSAY}-fn")


def test_failed_build_leaves_the_previous_index(scratch):
    first = build_index(scratch.sources, scratch.index)
    assert index_is_current(scratch.sources, scratch.index)
    (scratch.sources / "zz-bad.xml").write_bytes(b"<TEI><oops></TEI>")
    with pytest.raises(BuildError, match=r"zz-bad.xml:1:\d+: not well-formed"):
        build_index(scratch.sources, scratch.index, strict=True)
    with Searcher(scratch.index).session() as s:
        assert s.doc_count() == first.passages
    assert not index_is_current(scratch.sources, scratch.index)


def test_switching_engines_rebuilds_the_index_once(scratch, monkeypatch):
    """The index records the engine that made it; choosing the other one rebuilds it from the
    store, and later commands without a choice keep it."""
    build_index(scratch.sources, scratch.index)
    assert engines.made_by(scratch.index) == "whoosh"
    monkeypatch.setenv("LIBRARY_ENGINE", "tantivy")
    assert "made by whoosh, and tantivy is chosen" in index_fault(scratch.index)
    assert not index_is_current(scratch.sources, scratch.index)
    assert ensure_index(scratch.sources, scratch.index) is True
    assert engines.made_by(scratch.index) == "tantivy"
    assert index_is_current(scratch.sources, scratch.index)
    monkeypatch.delenv("LIBRARY_ENGINE")
    assert ensure_index(scratch.sources, scratch.index) is False  # tantivy is remembered
    assert search(scratch, "Gottwald").total > 0
    monkeypatch.setenv("LIBRARY_ENGINE", "lucene")
    with pytest.raises(engines.EngineError, match="one of whoosh, tantivy"):
        engines.chosen()


def test_tantivy_reconciles_added_changed_and_removed_documents(scratch):
    """Documents changed or removed in the store are re-indexed on tantivy as on Whoosh."""
    build_index(scratch.sources, scratch.index, engine="tantivy")
    gottwald = scratch.sources / "stalin-1950-08-27-gottwald.xml"
    gottwald.unlink()
    assert not index_is_current(scratch.sources, scratch.index)
    assert ensure_index(scratch.sources, scratch.index) is True
    assert index_is_current(scratch.sources, scratch.index)
    r = search(scratch, "Gottwald")
    assert "stalin-1950-08-27-gottwald" not in {g.doc_id for g in r.groups} and r.total > 0


def test_a_large_whoosh_library_is_advised_to_move_to_tantivy(repo_paths, engine_paths,
                                                                  monkeypatch):
    from indexer import index

    assert index.engine_advice(repo_paths.index) is None  # 422 passages: Whoosh is fine
    monkeypatch.setattr(index, "TANTIVY_ABOVE", 100)
    advice = index.engine_advice(engine_paths.index)
    if engines.made_by(engine_paths.index) == "tantivy":
        assert advice is None
    else:
        assert "holds 422 passages; past 100 the README recommends" in advice
        assert "library build --engine tantivy" in advice
