"""No adapter hands every match to Python: a query matching 100,000 passages (6,000 on Whoosh,
whose pure-Python build of more would take minutes) is answered — total, documents,
per-document counts, facets, the page — with memory that does not grow with the matches.
Memory is what tracemalloc sees Python allocate during the query, compared with what a list of
one small tuple per match would take."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from indexer import engines
from indexer import querytree as qt

SIZE = {"tantivy": 100_000, "whoosh": 6_000}
DOCUMENTS = 200
# One (key, score) tuple per match alone would take about 100 bytes each.
PER_MATCH = 100


def record(n: int) -> dict:
    doc = n % DOCUMENTS
    # every document holds "alpha" in each passage, "beta" in a tenth of them
    text = f"alpha w{n % 997} {'beta' if n // DOCUMENTS % 10 == 0 else 'gamma'}"
    return {
        "lead": n < DOCUMENTS, "passage_id": f"d{doc}-p{n}", "doc_id": f"d{doc}",
        "tei_sha": "0", "kind": "p", "position": n // DOCUMENTS, "title": f"Document {doc}",
        "author": "", "authors": f"Author {doc % 7}", "date": f"{1900 + doc % 90}-01-01",
        "year": 1900 + doc % 90, "type": "letter" if doc % 2 else "report", "language": "en",
        "collection": "", "rights": "cc-by-4.0", "persons": "stalin" if n % 3 == 0 else "",
        "text": text, "text_exact": text, "_words": (text, text),
    }


@pytest.fixture(scope="module")
def big(tmp_path_factory, engine) -> Path:
    folder = tmp_path_factory.mktemp(f"big-{engine}")
    writer = engines.get(engine).create(folder, frozenset())
    for n in range(SIZE[engine]):
        r = record(n)
        if engine == "whoosh":
            r = {k: v for k, v in r.items() if k != "_words"}
        writer.add_passage(r)
    writer.commit()
    engines.mark(folder, engine, frozenset())
    return folder


def answer(folder: Path, engine: str, word: str) -> tuple[engines.Answer, int]:
    reader = engines.get(engine).reader(folder)
    plan = engines.Plan(qt.Term("text", word), sort="relevance", limit=10,
                        facets=("type", "year", "decade", "authors", "persons"), ranked=50)
    with reader.session() as s:  # the generation's state is read here, before measuring
        tracemalloc.start()
        try:
            got = s.query(plan)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return got, peak


def test_a_query_matching_every_passage_does_not_materialise_the_matches(big, engine):
    got, peak = answer(big, engine, "alpha")
    passages = SIZE[engine]
    assert got.passages == passages and got.documents == DOCUMENTS
    assert [d.count for d in got.page] == [passages // DOCUMENTS] * 10
    assert sum(got.facets["type"].values()) == DOCUMENTS
    assert got.facets["persons"] == {"stalin": DOCUMENTS}
    assert len(got.ranked) == 50 and all(1 <= len(d.passages) <= 3 for d in got.page)
    assert peak < passages * PER_MATCH / 4, f"{peak:,} bytes for {passages:,} matches"


def test_memory_does_not_grow_with_the_matches(big, engine):
    few, few_peak = answer(big, engine, "beta")  # a tenth of the passages
    many, many_peak = answer(big, engine, "alpha")
    assert few.passages == SIZE[engine] // 10 and many.passages == SIZE[engine]
    # a tenth of what one tuple per extra match would cost
    extra = many.passages - few.passages
    assert many_peak - few_peak < extra * PER_MATCH / 10, (few_peak, many_peak)


def test_documents_and_persons_counted_apart_give_the_same_answer(big, engine, monkeypatch):
    """Past half of tantivy's bucket limit the per-document and per-person counts are asked
    for in two requests rather than one (which tantivy would refuse); the answer is the same."""
    if engine != "tantivy":
        pytest.skip("tantivy's aggregations")
    from indexer.engines import answers, tantivy_engine

    together, _ = answer(big, engine, "beta")
    answers._COUNTED.clear()
    asked = []
    real = tantivy_engine.TantivySession._aggregate
    monkeypatch.setattr(tantivy_engine, "BUCKETS", 100)  # "beta" matches 10,000 passages
    monkeypatch.setattr(tantivy_engine.TantivySession, "_aggregate",
                        lambda self, q, spec, budget: asked.append(set(spec)) or
                        real(self, q, spec, budget))
    apart, _ = answer(big, engine, "beta")
    assert asked == [{"d"}, {"p"}]
    assert (apart.passages, apart.documents, apart.facets, apart.page) == \
        (together.passages, together.documents, together.facets, together.page)
