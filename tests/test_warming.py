"""A serving process makes the pictures and the busiest person pages for each new index
generation before readers ask (library/warming.py), without spending a reader's allowance."""

from __future__ import annotations

from library import warming
from library.app import create_app


def test_warming_makes_the_pictures_and_person_pages_of_this_generation(indexed_copy,
                                                                         monkeypatch):
    monkeypatch.setenv("LIBRARY_RATE_BURST", "1")
    monkeypatch.setenv("LIBRARY_RATE_PER_MINUTE", "1")
    app = create_app(indexed_copy, prepare_index=False)
    library = app.extensions["library"]
    wanted = warming.targets(app)
    persons = [args["person_id"] for endpoint, args in wanted if endpoint == "library.person"]
    assert "stalin" in persons and len(persons) <= warming.PERSONS
    assert warming.warm(app) == len(wanted)
    generation = library.searcher.generation()
    for name in ("timeline", "graph", "person_counts"):
        assert library.pictures._values[name][0] == generation
    # the warmed person page is the one a reader gets, and the reader's one request of the
    # minute is still theirs
    c = app.test_client()
    assert c.get("/persons/stalin").status_code == 200
    assert c.get("/persons/stalin").status_code == 429


def test_no_warming_when_turned_off(indexed_copy, monkeypatch):
    monkeypatch.setenv("LIBRARY_WARM_SECONDS", "0")
    assert warming.start(create_app(indexed_copy, prepare_index=False)) is None
