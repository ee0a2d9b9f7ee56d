"""The running server, over real HTTP: pages, the JSON API, errors, escaping."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import ESSAY, ROOT


def get(base: str, path: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def get_json(base: str, path: str):
    status, ctype, body = get(base, path)
    assert "application/json" in ctype
    return status, json.loads(body)


def test_notes_api_lists_17_notes_each_landing_on_a_page_with_that_id(server):
    status, notes = get_json(server, f"/api/doc/{ESSAY}/notes")
    assert status == 200
    assert [n["n"] for n in notes] == list(range(1, 18))
    for note in notes:
        assert note["status"] == "inferred" and note["text"]
        (target,) = note["targets"]
        assert target["doc_id"] != ESSAY
        assert target["url"] == f"/doc/{target['doc_id']}#{target['passage_id']}"
        code, _, page = get(server, f"/doc/{target['doc_id']}")
        assert code == 200
        assert f'id="{target["passage_id"]}"'.encode() in page, note["n"]
        # and the cited passage links back to the footnote marker in the essay
        assert f'href="/doc/{ESSAY}#{ESSAY}-fn{note["n"]}-ref"'.encode() in page


def test_essay_page_has_superscript_links_and_a_notes_list(server):
    code, ctype, page = get(server, f"/doc/{ESSAY}")
    html = page.decode()
    assert code == 200 and "text/html" in ctype
    pattern = r'<sup class="fn"><a id="(ESSAY-fn\d+)-ref" class="fn-link" href="([^"]+)"'
    links = re.findall(pattern.replace("ESSAY", ESSAY), html)
    assert len(links) == 17
    assert links[3][1] == "/doc/stalin-1950-08-27-gottwald#stalin-1950-08-27-gottwald-q1"
    # each attribution in plain words; the grades and caveats explained once, in the key
    assert html.count('class="note-status status-inferred">Inferred by the library') == 17
    assert html.count("How to read these notes") == 1
    assert "Editor&#39;s note: Stalin&#39;s message for Gottwald is dated 27 August 1950" in html


def test_excerpt_only_work_says_so(server):
    _, _, page = get(server, "/doc/beria-1999-mon-pere")
    assert b"Only quoted excerpts are held." in page
    _, _, putin = get(server, "/doc/putin-2022-03-16-regions")
    assert b"Only quoted excerpts are held." not in putin
    assert b"Creative Commons Attribution 4.0" in putin


def test_docs_and_doc_api(server):
    _, docs = get_json(server, "/api/docs")
    # every document but the registers of persons and of places (not documents of the
    # collection: /persons, /places)
    assert len(docs) == len(list((ROOT / "sources").glob("*.xml"))) - 2
    assert {"persons", "places"}.isdisjoint(d["doc_id"] for d in docs)
    assert set(docs[0]) == {"doc_id", "title", "author", "date", "type", "language"}
    assert docs[0]["doc_id"] == ESSAY
    _, doc = get_json(server, "/api/doc/stalin-1950-08-27-gottwald")
    assert doc["date"] == "1950-08-27" and doc["rights"] == "copyright"
    assert any(p["passage_id"] == "stalin-1950-08-27-gottwald-q1" for p in doc["passages"])


def test_search_page_and_api(server):
    code, _, page = get(server, "/search?q=Gottwald")
    assert code == 200 and b"<mark>Gottwald</mark>" in page
    assert b'href="/doc/stalin-1950-08-27-gottwald#stalin-1950-08-27-gottwald-' in page
    _, data = get_json(server, "/api/search?q=Gottwald&limit=1&page=1")
    assert data["query"] == "Gottwald" and data["total"] >= 3 and data["pages"] == 2
    assert len(data["groups"]) == 1 and len(data["hits"]) == len(data["groups"][0]["passages"])
    assert set(data["hits"][0]) == {"doc_id", "passage_id", "title", "author", "date",
                                    "snippet", "url"}


@pytest.mark.parametrize("q", ['"blind kittens', "(Stalin OR Beria", "Stalin)"])
def test_malformed_queries_give_400_with_a_message(server, q):
    code, _, page = get(server, "/search?q=" + urllib.parse.quote(q))
    assert code == 400 and b"This query cannot be read" in page
    code, data = get_json(server, "/api/search?q=" + urllib.parse.quote(q))
    assert code == 400 and data["error"] and data["position"] >= 1


def test_unknown_documents_give_404(server):
    for path in ("/doc/no-such-doc", "/doc/no-such-doc.xml", "/doc/..%2Fpyproject"):
        code, ctype, page = get(server, path)
        assert code == 404 and "text/html" in ctype
    code, data = get_json(server, "/api/doc/no-such-doc")
    assert code == 404 and data["error"] == "not found"


def test_tei_is_served_as_stored(server):
    code, ctype, body = get(server, f"/doc/{ESSAY}.xml")
    assert code == 200 and ctype.startswith("application/tei+xml")
    assert body == (ROOT / "sources" / f"{ESSAY}.xml").read_bytes()


def test_queries_are_escaped_in_the_page(server):
    q = '<script>alert(1)</script>"'
    code, _, page = get(server, "/search?q=" + urllib.parse.quote(q))
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;" in page
    code, _, page = get(server, "/search?q=" + urllib.parse.quote("<b>bold</b> Stalin"))
    assert code == 200 and b"<b>bold</b>" not in page


def test_security_headers(server):
    with urllib.request.urlopen(server + "/", timeout=10) as r:
        assert "default-src 'self'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
