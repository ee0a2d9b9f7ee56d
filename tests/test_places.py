"""The register of places and organisations: seeded with its sources stated, fed by tagged
names, the record's places and registered forms in running text; kept in the index per
document and updated with it; its pages served over HTTP (escaped, paginated, Cyrillic
marked, axe-clean at 390 and 1280 px)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from indexer.index import build_index, update_index
from indexer.places import PLACES_FILE, PlaceRegister, document_names, names_of
from indexer.teidoc import read_document

from .conftest import ESSAY, ROOT, http_get, start_server, stop_server

DOC = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="places-memo" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title type="main">A memo naming places</title></titleStmt>
      <publicationStmt><publisher>Test</publisher><idno type="doc_id">places-memo</idno>
        <availability status="free"><licence
          target="https://creativecommons.org/publicdomain/mark/1.0/">Public domain</licence>
        </availability>
      </publicationStmt>
      <notesStmt><note type="provenance">Written for the place register's test.</note></notesStmt>
      <sourceDesc><bibl xml:id="places-memo-bibl"><title>On Korea</title></bibl></sourceDesc>
    </fileDesc>
    <profileDesc>
      <creation><date when="1952-10-01">1952</date></creation>
      <langUsage><language ident="en">English</language></langUsage>
      <textClass><keywords><term type="doctype">letter</term>
        <term type="place">Berlin &lt;b&gt;</term></keywords></textClass>
    </profileDesc>
  </teiHeader>
  <text xml:lang="en">
    <body>
      <div>
        <p xml:id="places-memo-p1">The embassy in <placeName
          ref="places.xml#prague">Praha</placeName> wrote to the <orgName>Cominform
          &lt;script&gt;</orgName>;
        a copy went to <foreign xml:lang="ru">Президиум ЦК</foreign>, which met в Кремле.</p>
      </div>
    </body>
  </text>
</TEI>
"""


@pytest.fixture(scope="module")
def register() -> PlaceRegister:
    return PlaceRegister.load(ROOT / "sources" / "places.xml")


def test_the_seeded_register_states_its_sources_and_invents_no_authority_ids(register):
    assert (ROOT / "seeds" / "places.xml").read_bytes() == \
        (ROOT / "sources" / "places.xml").read_bytes()
    assert {"kremlin", "prague", "korea", "politburo", "presidium", "central-committee",
            "mgb"} <= set(register.entries)
    for entry in register.entries.values():
        assert entry.source.startswith("Named in"), entry.id
        assert entry.authorities == []  # none verifiable offline, none in the corpus
    root = etree.parse(str(ROOT / "sources" / "places.xml")).getroot()
    assert root.find(".//{*}idno[@type='VIAF']") is None


def test_names_come_from_tags_the_record_and_running_text(register, tmp_path):
    path = tmp_path / "places-memo.xml"
    path.write_text(DOC, encoding="utf-8")
    names = dict(document_names(read_document(path), register))
    assert names["prague"] == "Praha"  # a tag's @ref
    assert names["name:cominform script"] == "Cominform <script>"  # kept as written
    assert names["name:berlin b"] == "Berlin <b>"  # the record's places
    assert names["presidium"] and names["kremlin"]  # forms in the text, «Кремле» inflected
    assert "korea" not in names  # the bibliographic record's title is not running text
    assert register.key_of("Политбюро") == "politburo"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The committed store and the memo, indexed, with a server on it."""
    root = tmp_path_factory.mktemp("places")
    shutil.copytree(ROOT / "sources", root / "sources")
    (root / "sources" / "places-memo.xml").write_text(DOC, encoding="utf-8")
    build_index(root / "sources", root / "var" / "index")
    return root


def test_the_index_keeps_each_documents_names_and_follows_changes(store, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(store / "var" / "index", index)
    assert ("prague", "Praha") in names_of(index, "places-memo")
    assert {k for k, _ in names_of(index, ESSAY)} >= {"politburo", "central-committee"}
    # a re-indexed document replaces its names; a removed one takes them away
    sources = tmp_path / "sources"
    shutil.copytree(store / "sources", sources)
    edited = sources / "places-memo.xml"
    edited.write_text(DOC.replace("Praha", "Prague, then Moscow"), encoding="utf-8")
    update_index(sources, index, [edited])
    assert {k for k, _ in names_of(index, "places-memo")} >= {"prague", "moscow"}
    update_index(sources, index, [], removed=["places-memo"])
    assert names_of(index, "places-memo") == []
    (index / PLACES_FILE).unlink()  # an index made before the register is rebuilt
    from indexer.index import index_fault

    assert "another version" in index_fault(index)


@pytest.fixture(scope="module")
def served(store):
    proc, base = start_server(store / "var", store / "sources")
    yield base
    stop_server(proc)


def test_the_register_and_each_entry_list_their_documents_escaped(served):
    status, body = http_get(served + "/places")
    page = body.decode()
    assert status == 200
    assert re.search(r'href="/places/kremlin">the Kremlin</a>', page)
    assert "Cominform &lt;script&gt;" in page and "<script>" not in page.split("<main")[1]
    status, body = http_get(served + "/places/prague")
    page = body.decode()
    assert status == 200 and 'href="/doc/places-memo"' in page
    assert '<td lang="ru">Прага</td>' in page and "Named in" in page
    status, body = http_get(served + "/places/names?name=cominform+script")
    assert status == 200 and 'href="/doc/places-memo"' in body.decode()
    for missing in ("/places/atlantis", "/places/names?name=atlantis", "/places/names"):
        assert http_get(served + missing)[0] == 404, missing
    status, body = http_get(served + "/places?page=99999")  # clamped, not an error
    assert status == 200
    # the register's own address shows its page; a tagged name links to its entry
    assert http_get(served + "/doc/places")[0] == 200
    assert '<a class="place" href="/places/prague">Praha</a>' in \
        http_get(served + "/doc/places-memo")[1].decode()


@pytest.mark.browser
def test_register_pages_pass_axe_and_mark_cyrillic(browser, served):
    from .ui_pages import SERIOUS, UNMARKED_CYRILLIC_JS, axe_violations, horizontal_overflow

    page = browser.new_page()
    try:
        for path in ("/places", "/places/kremlin"):
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(served + path)
                bad = [v["id"] for v in axe_violations(page) if v["impact"] in SERIOUS]
                assert bad == [], (path, width, bad)
                assert horizontal_overflow(page) <= 1, (path, width)
            assert page.evaluate(UNMARKED_CYRILLIC_JS) == [], path
        # by keyboard: the first entry is reached with Tab and opened with Enter
        page.goto(served + "/places")
        link = page.locator("table.places a").first
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/places/[a-z-]+$"))
    finally:
        page.close()
