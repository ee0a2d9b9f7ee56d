"""A full build holds the passage records once and lets each go as it is written: the
analysed words come a chunk at a time (never a million passages' words at once), and the
words of the whole store are counted for names a batch at a time. Same results either way."""

from __future__ import annotations

import pytest

from indexer import analysis, buildjobs
from indexer.analysis import ExactAnalyzer, TextAnalyzer, capitalised_words

TEXTS = [f"In {year} Comrade Molotov met Gottwald in Prague; the comrades of Prague agreed. "
         f"Moscow answered on day {n}, and Stalin wrote again." for n, year in
         enumerate(range(1945, 1960))] * 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_chunks_are_analysed_in_order_and_let_go(monkeypatch, jobs):
    monkeypatch.setattr(buildjobs, "CHUNK", 7)
    records = [{"passage_id": f"p{i}", "text": t} for i, t in enumerate(TEXTS)]
    names = frozenset({"molotov", "gottwald"})
    stem, exact = TextAnalyzer(names), ExactAnalyzer()
    seen = []
    for chunk in buildjobs.analysed(records, names, jobs):
        # what came before this chunk (more than ``jobs`` chunks back) is no longer held
        before = len(seen) - 7 * jobs
        assert all(r is None for r in records[: max(before, 0)])
        seen += chunk
    assert [r["passage_id"] for r in seen] == [f"p{i}" for i in range(len(TEXTS))]
    for r in seen:
        assert r["_words"] == (" ".join(stem.words(r["text"])), " ".join(exact.words(r["text"])))
    assert records == [None] * len(TEXTS)


def test_without_names_the_records_pass_unanalysed():
    records = [{"text": t} for t in TEXTS]
    out = [r for chunk in buildjobs.analysed(records, None, 1) for r in chunk]
    assert len(out) == len(TEXTS) and not any("_words" in r for r in out)


def test_names_counted_in_batches_are_the_names_counted_at_once(monkeypatch):
    whole = capitalised_words(TEXTS)
    monkeypatch.setattr(analysis, "_BATCH", 50)  # a batch of about one text
    assert capitalised_words(iter(TEXTS)) == whole
    assert {"gottwald", "prague", "molotov"} <= whole and "comrades" not in whole
