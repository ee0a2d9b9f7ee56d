"""The advanced search form (issue 19): what it builds is an ordinary query, shown to the reader;
nothing typed into a box can make it unreadable; and it runs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from library.search.advanced import Advanced, build, from_args
from library.search.query import check, lex


def test_each_box_has_its_meaning():
    form = Advanced(all="Stalin Korea", phrase="blind kittens", any="Malenkov Beria",
                    none="Sergo", year_from=1950, year_to=1953)
    assert build(form) == ('Stalin Korea "blind kittens" (Malenkov OR Beria) '
                           "date:[1950 TO 1953] NOT Sergo")
    assert build(Advanced(all="Gottwald", field="title")) == "title:Gottwald"
    assert build(Advanced(all="Iosif Stalin", field="person")) == 'person:"Iosif Stalin"'
    assert build(Advanced(any="war")) == "war"


def test_the_url_gives_the_form_and_slider_ends_do_not_limit():
    form = from_args(MultiDict({"all": "war", "from": "1800", "to": "2030", "type": "letter"}))
    assert (form.year_from, form.year_to) == (None, None)
    assert form.filters == {"type": ["letter"]}
    swapped = from_args(MultiDict({"from": "1953", "to": "1950", "field": "bogus"}))
    assert (swapped.year_from, swapped.year_to, swapped.field) == (1950, 1953, "text")
    assert build(from_args(MultiDict({"to": "1952"}))) == "date:[1000 TO 1952]"


@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40), st.text(max_size=40),
       st.sampled_from(["text", "title", "author"]))
def test_nothing_typed_makes_the_query_unreadable(all_, any_, none, phrase, field):
    q = build(Advanced(all=all_, any=any_, none=none, phrase=phrase, field=field))
    if q:
        check(lex(q))  # raises QueryError on a malformed query


@pytest.fixture(scope="module")
def client(repo_paths):
    from library.app import create_app

    return create_app(repo_paths, prepare_index=False).test_client()


def test_the_form_page_and_its_search(client):
    page = client.get("/search/advanced").get_data(as_text=True)
    assert 'type="range"' in page and "<legend>" in page
    shown = client.get("/search/advanced?all=Stalin&from=1950&to=1953").get_data(as_text=True)
    assert "<code>Stalin date:[1950 TO 1953]</code>" in shown
    go = client.get("/search/advanced?all=Stalin&from=1950&to=1953&type=letter&go=1")
    assert go.status_code == 303
    assert go.headers["Location"].startswith("/search?q=Stalin+date")
    assert "type=letter" in go.headers["Location"]
    results = client.get(go.headers["Location"]).get_data(as_text=True)
    assert "Letter from Filippov" in results
    empty = client.get("/search/advanced?go=1")
    assert empty.status_code == 400  # nothing to search: the form again, saying why
    assert 'role="alert"' in empty.get_data(as_text=True)
