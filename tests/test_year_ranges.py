"""A document whose date is a range ("1952/1953") is counted by the year and decade facets
under every year it spans, on both engines, exactly as the ``years`` filter finds it: each
facet count equals the number of documents its filter returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import engines
from indexer import querytree as qt

# doc_id → (first year, last year); 0 is undated
DATES = {"range": (1952, 1953), "single": (1953, 1953), "decades": (1949, 1951),
         "undated": (0, 0)}


def record(doc_id: str, first: int, last: int) -> dict:
    text = f"memorandum {doc_id}"
    years = list(range(first, last + 1)) if first else [0]
    return {
        "lead": True, "passage_id": f"{doc_id}-p1", "doc_id": doc_id, "tei_sha": "0",
        "kind": "p", "position": 0, "title": doc_id, "author": "", "authors": "",
        "date": str(first) if first else "", "year": first, "years": years,
        "year_to": years[-1], "type": "letter", "language": "en", "collection": "",
        "rights": "", "persons": "", "text": text, "text_exact": text,
    }


@pytest.fixture(scope="module")
def folder(tmp_path_factory, engine) -> Path:
    where = tmp_path_factory.mktemp(f"ranges-{engine}")
    writer = engines.get(engine).create(where, frozenset())
    for doc_id, (first, last) in DATES.items():
        writer.add_passage(record(doc_id, first, last))
    writer.commit()
    engines.mark(where, engine, frozenset())
    return where


def test_a_range_counts_under_every_year_and_decade_it_spans(folder, engine):
    reader = engines.get(engine).reader(folder)
    with reader.session() as s:
        got = s.query(engines.Plan(qt.Term("text", "memorandum"), limit=10,
                                   facets=("year", "decade")))
        assert got.facets["year"] == {1949: 1, 1950: 1, 1951: 1, 1952: 1, 1953: 2}
        assert got.facets["decade"] == {1940: 1, 1950: 3}
        # the filter agrees with every count the facet shows
        for year, n in got.facets["year"].items():
            hits = s.matching_documents(qt.And((qt.Term("text", "memorandum"),
                                                qt.Term("years", year))))
            assert len(hits) == n, year
        for decade, n in got.facets["decade"].items():
            hits = s.matching_documents(qt.NumericRange("years", decade, decade + 9))
            assert len(hits) == n, decade
        assert s.documents()["range"].year_to == 1953
