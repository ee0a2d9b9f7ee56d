"""The facets of matching documents, counted from each document's numbered values
(``catalogue.Catalogue``), agree with counting each field over the documents' rows."""

from __future__ import annotations

import random
from collections import Counter

from indexer.engines import DocumentInfo
from indexer.engines.catalogue import Catalogue, DocCounts, decade, facets

FIELDS = ("type", "language", "collection", "year", "decade", "authors", "persons")


def _row(i: int, rng: random.Random) -> DocumentInfo:
    year = rng.choice([0, 1917, 1952, 1953, 1999, 2022])
    return DocumentInfo(
        f"d{i}", f"T{i}", "", "", year, rng.choice(["", "letter", "memoir"]),
        rng.choice(["", "en", "ru"]), rng.choice(["", "kremlin"]),
        tuple(rng.sample(["Beria", "Shepilov", "Mikoyan", ""], rng.randrange(3))),
        year + rng.choice([0, 0, 1, 12]) if year else 0)


def _by_rows(counts, rows, persons) -> dict:
    out = {}
    for name in FIELDS:
        got: Counter = Counter()
        for d in counts:
            row = rows[d]
            if name == "authors":
                got.update(row.authors)
            elif name == "year":
                got.update(row.years())
            elif name == "decade":
                got.update({decade(y) for y in row.years()})
            elif name == "persons":
                got = Counter(persons)
                break
            else:
                got[getattr(row, name)] += 1
        got.pop("", None)
        got.pop(0, None)
        out[name] = dict(got)
    return out


def test_catalogue_counts_as_the_rows_do() -> None:
    rng = random.Random(5)
    rows = {f"d{i}": _row(i, rng) for i in range(400)}
    catalogue = Catalogue(rows)
    persons = {"stalin": 3, "": 2, "beria": 1}
    for _ in range(20):
        counts = {d: 1 for d in rng.sample(sorted(rows), rng.randrange(0, 400))}
        got = facets(FIELDS, counts, catalogue, {"persons": persons})
        assert got == _by_rows(counts, rows, persons)
    # a range spanning two decades counts once in each, and in each of its years
    assert facets(("year", "decade"), {"d": 1}, Catalogue({"d": DocumentInfo(
        "d", "", "", "", 1958, "", "", "", (), 1961)}), {}) == {
        "year": {1958: 1, 1959: 1, 1960: 1, 1961: 1}, "decade": {1950: 1, 1960: 1}}


def test_counts_held_as_arrays_read_as_a_mapping_and_count_the_same_facets() -> None:
    import numpy as np

    rng = random.Random(9)
    rows = {f"d{i}": _row(i, rng) for i in range(300)}
    catalogue = Catalogue(rows)
    chosen = rng.sample(sorted(rows), 120)
    plain = {d: rng.randrange(1, 50) for d in chosen}
    # positions given in any order, as an engine's buckets come
    arrays = DocCounts(catalogue, np.array([catalogue.position[d] for d in chosen]),
                       np.array([plain[d] for d in chosen]))
    assert len(arrays) == 120 and set(arrays) == set(plain)
    assert all(arrays[d] == n for d, n in plain.items())
    assert "d-none" not in arrays and next(d for d in rows if d not in plain) not in arrays
    assert dict(arrays.items()) == plain
    assert facets(FIELDS, arrays, catalogue, {}) == facets(FIELDS, plain, catalogue, {})
    empty = DocCounts(catalogue, np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert len(empty) == 0 and facets(("type",), empty, catalogue, {}) == {"type": {}}
