"""Bookmarks and saved searches kept in a librarian's account (CSRF-protected, capped per
account), and a bookmark list exported as CSV, RIS, BibTeX and CSL-JSON, injection-safe, through
the Flask test client. The browser side (localStorage, reload, the page, the Cite button) is in
test_ui_bookmarks.py."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from indexer.paths import Paths
from library import bookmarks
from library.app import create_app
from library.bookmarks import BookmarkError, Bookmarks
from library.users import Users

from .conftest import ESSAY

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def app(repo_paths, tmp_path_factory):
    """One app for the module; each test uses an account of its own."""
    home = tmp_path_factory.mktemp("bookmarks-home")
    (home / "index").symlink_to(repo_paths.index, target_is_directory=True)
    for name in ("anna", "boris"):
        Users(home).add(name, PASSWORD)
    return create_app(Paths(seeds=repo_paths.seeds, sources=repo_paths.sources, home=home),
                      prepare_index=False)


def logged_in(app, name: str = "anna") -> tuple:
    client = app.test_client()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"csrf": token, "name": name, "password": PASSWORD})
    meta = re.search(r'name="library-account" content="([^"]+)"', client.get("/bookmarks").text)
    return client, meta.group(1)


def change(client, token, **body):
    return client.post("/bookmarks/account", json=body, headers={"X-CSRF-Token": token})


def first_passage(app) -> str:
    with app.app_context():
        doc = app.extensions["library"].store.get(ESSAY)
        return next(p.id for p in doc.passages if p.id and p.kind == "p")


def test_a_librarians_bookmarks_live_in_the_account(app):
    client, token = logged_in(app)
    pid = first_passage(app)
    assert change(client, token, action="add", doc=ESSAY, title="The essay").status_code == 200
    lists = change(client, token, action="add", doc=ESSAY, passage=pid, title="<b>x</b>").json
    assert [(b["doc"], b["passage"]) for b in lists["bookmarks"]] == [(ESSAY, pid), (ESSAY, "")]
    lists = change(client, token, action="save-search", query="?q=Stalin&page=3",
                   label="Stalin", documents=7).json
    assert lists["searches"][0]["query"] == "q=Stalin"  # the page is not part of a search
    # another client of the same account sees the same lists: they are the server's
    other, _token = logged_in(app)
    assert other.get("/bookmarks/account").json == lists
    lists = change(client, token, action="remove", doc=ESSAY, passage=pid).json
    assert len(lists["bookmarks"]) == 1
    assert change(client, token, action="forget-search", query="q=Stalin").json["searches"] == []


def test_changes_need_the_token_and_a_librarian(app):
    client, token = logged_in(app, "boris")
    refused = client.post("/bookmarks/account", json={"action": "add", "doc": ESSAY},
                          headers={"X-CSRF-Token": "forged"})
    assert refused.status_code == 400 and "expired" in refused.json["error"]
    assert client.get("/bookmarks/account").json["bookmarks"] == []
    reader = app.test_client()
    assert reader.post("/bookmarks/account", json={"action": "add", "doc": ESSAY}
                       ).status_code == 403
    assert reader.get("/bookmarks/account").status_code == 403
    bad = change(client, token, action="add", doc="../etc/passwd")
    assert bad.status_code == 400 and "not a document" in bad.json["error"]
    assert change(client, token, action="drop-table").status_code == 400


def test_an_account_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(bookmarks, "MAX_BOOKMARKS", 3)
    store = Bookmarks(tmp_path)
    for n in range(3):
        store.add("anna", f"doc-{n}")
    store.add("anna", "doc-1", title="again")  # a bookmark kept again is no new one
    with pytest.raises(BookmarkError):
        store.add("anna", "doc-9")
    store.add("bob", "doc-9")  # the cap is per account
    assert len(store.lists("anna")["bookmarks"]) == 3


HOSTILE = '=HYPERLINK("http://evil.example","x")'


def test_a_bookmark_list_exports_in_every_format_injection_safe(app):
    client = app.test_client()
    pid = first_passage(app)
    items = {"item": [ESSAY, f"{ESSAY}#{pid}", "withdrawn-doc"]}
    got = client.post("/bookmarks/export.csv", data=items)
    assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(got.text)))
    assert rows[0][:3] == ["n", "doc_id", "title"]
    assert [r[1] for r in rows[1:3]] == [ESSAY, ESSAY] and rows[2][6] == pid
    assert rows[2][9]  # the passage's own text
    assert rows[-1][0].startswith("# 1 bookmarked item")  # the withdrawn one is said, not lost
    ris = client.get("/bookmarks/export.ris", query_string=items).text
    assert ris.count("ER  -") == 2 and f"#{pid}" in ris
    bib = client.get("/bookmarks/export.bib", query_string=items).text
    assert bib.count("@") == 2
    data = client.get("/bookmarks/export.json", query_string=items)
    assert len(json.loads(data.text)) == 2 and data.headers["X-Bookmarks-Missing"] == "1"
    # the values are the store's, escaped as the search exports are; a hostile id is refused
    assert client.get("/bookmarks/export.csv",
                      query_string={"item": HOSTILE}).status_code == 400
    assert client.get("/bookmarks/export.csv").status_code == 400
    too_many = {"item": [ESSAY] * (bookmarks.MAX_BOOKMARKS + 1)}
    assert client.post("/bookmarks/export.csv", data=too_many).status_code == 400


def test_the_csv_cell_of_a_hostile_title_is_text(app, monkeypatch):
    client = app.test_client()
    with app.app_context():
        doc = app.extensions["library"].store.get(ESSAY)
    monkeypatch.setattr(doc, "title", HOSTILE)  # the store keeps one parsed copy
    rows = list(csv.reader(io.StringIO(client.get(
        "/bookmarks/export.csv", query_string={"item": ESSAY}).text)))
    assert rows[1][2] == "'" + HOSTILE


def test_a_browsers_lists_merge_into_the_account_within_its_caps(app, monkeypatch):
    client, token = logged_in(app, "boris")
    monkeypatch.setattr(bookmarks, "MAX_BOOKMARKS", 3)
    sent = [{"doc": f"doc-{n}", "passage": "", "title": "t"} for n in range(4)]
    sent += [{"doc": "../bad"}, "not an object"]
    got = change(client, token, action="merge", bookmarks=sent,
                 searches=[{"query": "q=Gottwald", "label": "Gottwald", "documents": 10**30}])
    assert got.status_code == 200
    kept = {b["doc"] for b in got.json["bookmarks"]}
    assert len(kept) == 3 and "../bad" not in kept  # up to the cap, bad ids left out
    assert got.json["added"] == 4 and got.json["left_out"] == 2  # 3 bookmarks, 1 search
    assert got.json["searches"][0]["documents"] == 10**9  # a count the client made up, bounded
    # sent again: nothing doubles, nothing more fits
    again = change(client, token, action="merge", bookmarks=sent[:3], searches=[]).json
    assert again["added"] == 0 and len(again["bookmarks"]) == 3
    too_many = change(client, token, action="merge", bookmarks=sent * 200, searches=[])
    assert too_many.status_code == 400
