"""Each server process streams at most ``LIBRARY_EXPORTS_AT_ONCE`` whole-result exports at
once (library/streams.py): another is answered 429 with Retry-After until the first is done,
whichever address asks; other pages are never refused for it."""

from __future__ import annotations

import pytest

from library.app import create_app


@pytest.fixture
def app(indexed_copy, monkeypatch):
    monkeypatch.setenv("LIBRARY_EXPORTS_AT_ONCE", "1")
    return create_app(indexed_copy, prepare_index=False)


def test_a_second_export_waits_for_the_first(app):
    one, two = app.test_client(), app.test_client()
    first = one.get("/search/export.csv?q=Stalin", buffered=False,
                    environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert first.status_code == 200
    busy = two.get("/search/export.ris?q=Beria", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert busy.status_code == 429 and int(busy.headers["Retry-After"]) > 0
    assert "other exports" in busy.text
    # reading is not refused meanwhile
    assert two.get("/search?q=Beria").status_code == 200
    assert two.get("/api/search?q=Beria").status_code == 200
    body = b"".join(first.response)
    first.close()  # the last row sent: the slot is given back
    assert body.startswith(b"rank,doc_id") and b"Stalin" in body
    again = two.get("/search/export.ris?q=Beria", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert again.status_code == 200 and again.text.startswith("TY  -")


def test_a_refused_query_gives_its_slot_back(app):
    c = app.test_client()
    assert c.get("/search/export.csv?q=" + "(" * 40 + "x").status_code == 400
    assert c.get("/search/export.csv?q=Stalin").status_code == 200


def test_no_limit_when_set_to_zero(indexed_copy, monkeypatch):
    monkeypatch.setenv("LIBRARY_EXPORTS_AT_ONCE", "0")
    c = create_app(indexed_copy, prepare_index=False).test_client()
    first = c.get("/search/export.csv?q=Stalin", buffered=False)
    assert c.get("/search/export.csv?q=Beria").status_code == 200
    first.close()
