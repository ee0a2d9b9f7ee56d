"""Result sets over HTTP: facet counts are documents, every sort, exports of the whole result
set read back with real parsers (csv, rispy, bibtexparser), the home list paged and sorted,
"also searched" without the excluded forms, and words found in one document but no passage."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
import urllib.request

import bibtexparser
import rispy

from .conftest import ESSAY


def get(server: str, path: str, **params) -> str:
    url = f"{server}{path}" + (f"?{urllib.parse.urlencode(params, doseq=True)}" if params else "")
    with urllib.request.urlopen(url, timeout=20) as r:
        return r.read().decode()


def api(server: str, **params) -> dict:
    return json.loads(get(server, "/api/search", **params))


def test_facet_counts_are_documents_not_passages(server):
    r = api(server, q="Stalin")
    assert r["total"] > r["documents"]  # several passages in some documents
    # every document has one type and one language: the counts add up to the documents
    assert sum(v["count"] for v in r["facets"]["type"]) == r["documents"]
    assert sum(v["count"] for v in r["facets"]["lang"]) == r["documents"]
    stalin = next(v for v in r["facets"]["person"] if v["value"] == "stalin")
    assert stalin["count"] <= r["documents"]
    memoirs = next(v for v in r["facets"]["type"] if v["value"] == "memoir")["count"]
    assert api(server, q="Stalin", type="memoir")["documents"] == memoirs


def test_every_sort(server):
    def order(sort):
        return [(g["date"], g["title"]) for g in api(server, q="Stalin", sort=sort,
                                                     limit=100)["groups"]]
    dates = [d for d, _ in order("date") if d]
    assert dates == sorted(dates)
    newest = [d for d, _ in order("date-desc") if d]
    assert newest == sorted(newest, reverse=True)
    titles = [t for _, t in order("title")]
    assert titles == sorted(titles, key=str.casefold)
    assert len(order("relevance")) == len(titles)
    page = get(server, "/search", q="Stalin")
    for value in ("relevance", "date", "date-desc", "title"):
        assert f'<option value="{value}"' in page


def test_exports_hold_the_whole_result_set(server):
    r = api(server, q="Stalin", limit=100)
    docs = {g["doc_id"] for g in r["groups"]}
    page = get(server, "/search", q="Stalin", limit=3)  # the export is not only the page shown
    assert 'href="/search/export.csv?q=Stalin&amp;limit=3"' in page
    rows = list(csv.DictReader(io.StringIO(get(server, "/search/export.csv", q="Stalin",
                                               limit=3))))
    assert {row["doc_id"] for row in rows} == docs
    # KWIC lines: the match (a form of the name, Filipov his pseudonym) and its context
    kwic = [row for row in rows if row["match"]]
    assert len(kwic) >= len(docs) and {"Stalin", "Сталин"} <= {row["match"] for row in kwic}
    assert all(row["left"] or row["right"] for row in kwic)
    assert all(row["url"].startswith("http") and "#" in row["url"] for row in rows)
    records = rispy.loads(get(server, "/search/export.ris", q="Stalin"))
    assert len(records) == len(docs)
    assert {r["title"] for r in records} == {g["title"] for g in r["groups"]}
    entries = bibtexparser.parse_string(get(server, "/search/export.bib", q="Stalin")).entries
    assert len(entries) == len(docs) and len({e.key for e in entries}) == len(docs)
    # filters and sort are those of the search
    memoirs = list(csv.DictReader(io.StringIO(get(server, "/search/export.csv", q="Stalin",
                                                  type="memoir"))))
    assert {row["type"] for row in memoirs} == {"memoir"}


def test_home_list_is_paged_and_sorted(server):
    first = get(server, "/", sort="date", limit=5)
    date_cell = r'<td data-label="Date">(?:<time datetime=")?([^<"]*)'
    dates = re.findall(date_cell, first)
    assert len(dates) == 5 and dates == sorted(dates)
    assert "Page 1 of" in first and 'rel="next" href="/?sort=date&amp;page=2&amp;limit=5"' in first
    second = get(server, "/", sort="date", limit=5, page=2)
    assert re.findall(date_cell, second)[0] >= dates[-1]
    titles = re.findall(r'<td><a href="/doc/[^"]+">(.*?)</a>', get(server, "/", sort="title"))
    plain = [re.sub(r"<[^>]+>", "", t) for t in titles]
    assert plain == sorted(plain, key=str.casefold)


def test_also_searched_leaves_out_the_excluded_forms(server):
    r = api(server, q="Stalin NOT Putin")
    assert "Сталин" in r["also_searched"]
    assert not [v for v in r["also_searched"] if "Put" in v or "Пут" in v or "Pout" in v]
    grouped = api(server, q="Stalin NOT (Putin OR Beria)")
    assert not [v for v in grouped["also_searched"] if "Beri" in v or "Бери" in v]


def test_words_in_one_document_but_no_one_passage(server):
    page = get(server, "/search", q="Gottwald Eisenhower")
    assert "No single passage holds all of" in page
    assert f'href="/doc/{ESSAY}?q=Gottwald+OR+Eisenhower"' in page
    apart = get(server, "/search", q="Malenkov funeral")
    assert "No document holds all of these words" in apart
    assert re.search(r"Malenkov</span>?</q></a> \(\d documents?\)", apart) or \
        "Malenkov</q></a> (" in apart
