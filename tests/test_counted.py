"""What the engine counts for a query is counted once per index generation and kept
(``indexer.engines.answers.counted``): the next page, an export walking its pages and readers
asking for the same word at once pay for one count. A new generation is counted anew, so
nothing kept is ever stale. Whoosh's length-array scorer gives Whoosh's own scores."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from indexer import engines
from indexer import querytree as qt
from indexer.engines.kept import Kept


def record(n: int, doc: int, text: str) -> dict:
    return {
        "lead": n == 0, "passage_id": f"d{doc}-p{n}", "doc_id": f"d{doc}", "tei_sha": "0",
        "kind": "p", "position": n, "title": f"Document {doc}", "author": "", "authors": "",
        "date": f"{1950 + doc}-01-01", "year": 1950 + doc, "type": "letter", "language": "en",
        "collection": "", "rights": "cc-by-4.0", "persons": "", "text": text,
        "text_exact": text, "_words": (text, text),
    }


def add(writer, engine: str, rec: dict) -> None:
    writer.add_passage(rec if engine == "tantivy" else
                       {k: v for k, v in rec.items() if k != "_words"})


@pytest.fixture
def folder(tmp_path: Path, engine: str) -> Path:
    writer = engines.get(engine).create(tmp_path, frozenset())
    for doc in range(20):
        for n in range(5):
            # passages of varied lengths, so that BM25's length norm orders them
            add(writer, engine, record(n, doc, "alpha " + "filler " * (n * 7 + doc)))
    writer.commit()
    engines.mark(tmp_path, engine, frozenset())
    return tmp_path


def spy(monkeypatch, engine: str) -> list[int]:
    """Each time the adapter asks its engine to count (calling through to it)."""
    if engine == "whoosh":
        from indexer.engines.whoosh_engine import WhooshSession as cls
    else:
        from indexer.engines.tantivy_engine import TantivySession as cls
    calls: list[int] = []
    real = cls._count

    def counting(self, plan):
        calls.append(1)
        return real(self, plan)
    monkeypatch.setattr(cls, "_count", counting)
    return calls


def plan(offset: int = 0) -> engines.Plan:
    return engines.Plan(qt.Term("text", "alpha"), offset=offset, limit=5,
                        facets=("type", "year"), ranked=10)


def test_pages_of_one_search_are_counted_once(folder, engine, monkeypatch):
    calls = spy(monkeypatch, engine)
    with engines.get(engine).reader(folder).session() as s:
        first, second = s.query(plan()), s.query(plan(5))
    assert calls == [1]
    assert first.passages == second.passages == 100 and first.documents == 20
    assert not {d.doc_id for d in first.page} & {d.doc_id for d in second.page}
    assert first.facets == second.facets and sum(first.facets["year"].values()) == 20


def test_a_new_generation_is_counted_anew(folder, engine, monkeypatch):
    calls = spy(monkeypatch, engine)
    reader = engines.get(engine).reader(folder)
    with reader.session() as s:
        assert s.query(plan()).passages == 100
    writer = engines.get(engine).writer(folder)
    writer.delete_document("d3")
    add(writer, engine, record(0, 99, "alpha beta"))
    writer.commit()
    with reader.session() as s:
        got = s.query(plan())
    assert calls == [1, 1]
    assert got.passages == 96 and got.documents == 20
    assert 1953 not in got.facets["year"] and got.facets["year"][2049] == 1


def test_readers_asking_at_once_count_once(folder, engine, monkeypatch):
    calls = spy(monkeypatch, engine)
    reader = engines.get(engine).reader(folder)
    start = threading.Barrier(8)
    got: list[engines.Answer] = []

    def ask():
        with reader.session() as s:
            start.wait()
            got.append(s.query(plan()))
    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and calls == [1]
    assert all(a.ranked == got[0].ranked and a.passages == 100 for a in got)


def test_a_failed_count_is_not_kept_and_the_others_count_themselves():
    kept = Kept(10)
    release = threading.Event()
    made: list[str] = []

    def fail():
        release.wait(5)
        made.append("failed")
        raise TimeoutError("out of time")

    def succeed():
        made.append("made")
        return "value"
    errors: list[BaseException] = []

    def first():
        try:
            kept.compute("k", fail)
        except TimeoutError as exc:
            errors.append(exc)
    t = threading.Thread(target=first)
    t.start()
    while not kept._busy:  # the first is making it
        threading.Event().wait(0.01)
    waiter_got: list[str] = []
    w = threading.Thread(target=lambda: waiter_got.append(kept.compute("k", succeed)))
    w.start()
    release.set()
    t.join()
    w.join()
    assert errors and waiter_got == ["value"] and made == ["failed", "made"]
    assert kept.get("k") == "value" and not kept._busy


def test_whoosh_scores_are_whooshs_own(folder, engine):
    if engine != "whoosh":
        pytest.skip("the length-array scorer is Whoosh's")
    from whoosh import scoring

    from indexer.engines.whoosh_engine import _BM25F, _LENGTHS, to_whoosh
    reader = engines.get(engine).reader(folder)
    q = to_whoosh(qt.Or((qt.Term("text", "alpha"), qt.Term("text", "filler"))))
    with reader.passages.searcher(weighting=scoring.BM25F()) as plain, \
            reader.passages.searcher(weighting=_BM25F()) as fast:
        want = [(h.docnum, h.score) for h in plain.search(q, limit=None)]
        got = [(h.docnum, h.score) for h in fast.search(q, limit=None)]
    assert len(want) == 100 and len({s for _, s in want}) > 20
    assert got == want  # the same floats, not merely close
    assert any(key[1] == "text" for key in _LENGTHS._values)  # and the arrays were used


def test_a_pages_best_passages_in_one_pass_are_each_documents_own(folder, engine):
    """``best_passages`` answers for the whole page what a search per document answered."""
    query = qt.Or((qt.Term("text", "alpha"), qt.Term("text", "filler")))
    wanted = {f"d{doc}": 1 + doc % 4 for doc in range(0, 20, 3)}
    with engines.get(engine).reader(folder).session() as s:
        got = s.best_passages(query, {**wanted, "nowhere": 2})
        for doc_id, n in wanted.items():
            alone = s.search(qt.And((query, qt.Term("doc_id", doc_id))), n)
            assert [k for k, _ in got[doc_id]] == [k for k, _ in alone], doc_id
            assert [round(v, 6) for _, v in got[doc_id]] == [round(v, 6) for _, v in alone]
            assert len(got[doc_id]) == n
    assert not got.get("nowhere")


def test_a_quotation_is_traced_once_per_generation(repo_paths, monkeypatch):
    from library.search.searcher import Searcher
    from library.trace import Tracer
    tracer = Tracer(Searcher.for_store(repo_paths.index, repo_paths.sources))
    calls: list[str] = []
    real = Tracer._trace

    def counting(self, s, text, limit, exclude):
        calls.append(text)
        return real(self, s, text, limit, exclude)
    monkeypatch.setattr(Tracer, "_trace", counting)
    quote = "a new world war is not inevitable"
    first, _ = tracer.trace(quote)
    again, _ = tracer.trace(quote)
    other, _ = tracer.trace(quote, limit=2)
    assert first and again == first and other == first[:2]
    assert calls == [quote, quote]  # the second limit is another question


def test_whoosh_matches_a_query_asked_again_once_with_the_same_scores(tmp_path):
    """``Or(Q, And(Q, Not(X))^f)`` (the ranking's "own text first") is matched in one pass over
    Q, and every score is the float Whoosh's two passes gave."""
    from whoosh import query as wq

    from indexer.engines.whoosh_engine import _AskedAgain, to_whoosh
    writer = engines.get("whoosh").create(tmp_path, frozenset())
    for doc in range(12):
        for n, kind in enumerate(("bibl", "p", "p", "editorial", "p")):
            rec = record(n, doc, "alpha " + "filler " * (n * 5 + doc) + "beta " * (doc % 3))
            add(writer, "whoosh", dict(rec, kind=kind))
    writer.commit()
    reader = engines.get("whoosh").reader(tmp_path)
    theirs = qt.Or((qt.Term("kind", "bibl"), qt.Term("kind", "editorial")))
    for q in (qt.Term("text", "alpha"), qt.Or((qt.Term("text", "beta"), qt.Term("text", "filler"))),
              qt.And((qt.Term("text", "alpha"), qt.Term("text", "beta")))):
        tree = qt.Or((q, qt.And((q, qt.Not(theirs)), 0.5)))
        once = to_whoosh(tree)
        assert isinstance(once, _AskedAgain)
        twice = wq.Or([to_whoosh(item) for item in tree.items])
        with reader.session() as s:
            want = {h.docnum: h.score for h in s.s.search(twice, limit=None)}
            got = {h.docnum: h.score for h in s.s.search(once, limit=None)}
            assert len(want) > 10 and got == want  # the same floats, not merely close
            in_d4 = s.s.search(wq.And([twice, wq.Term("doc_id", "d4")]), limit=3)
            assert s.best_passages(tree, {"d4": 3})["d4"] == [(h.docnum, h.score)
                                                              for h in in_d4]
    # another shape is left to Whoosh
    other = qt.Or((qt.Term("text", "alpha"), qt.And((qt.Term("text", "beta"), qt.Not(theirs)),
                                                     0.5)))
    assert not isinstance(to_whoosh(other), _AskedAgain)
