"""Links out and rights in the record: each cited work's authoritative source (where the
research states one) on its page, in the essay's notes list and in the citation exports; a
file that stated no rights is "Copyright Not Evaluated" in the exports and in OAI-PMH."""

from __future__ import annotations

import json
import urllib.request

import bibtexparser
import rispy
from lxml import etree

from indexer.teidoc import read_document
from library import cite
from library.documents import DocumentStore
from library.oai import Repository

from .conftest import ESSAY
from .test_import import run_import

CNE = "http://rightsstatements.org/vocab/CNE/1.0/"


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode()


def test_a_works_authoritative_source_is_on_its_page_and_in_its_exports(server):
    page = get(f"{server}/doc/putin-2022-03-16-regions")
    assert ('Authoritative source: <a class="source-link" '
            'href="http://en.kremlin.ru/events/president/news/67996">') in page
    zhou = get(f"{server}/doc/stalin-1952-09-19-zhou-enlai")
    assert "Authoritative source: Wilson Center Digital Archive, doc. 111247" in zhou
    bib = bibtexparser.parse_string(get(f"{server}/doc/stalin-1952-09-19-zhou-enlai/cite.bib"))
    assert "Wilson Center Digital Archive, doc. 111247" in bib.entries[0]["note"]
    (ris,) = rispy.loads(get(f"{server}/doc/putin-2022-03-16-regions/cite.ris"))
    assert "http://en.kremlin.ru/events/president/news/67996" in " ".join(ris["notes"])
    csl = json.loads(get(f"{server}/doc/putin-2022-03-16-regions/cite.json"))[0]
    assert csl["source"].endswith("<http://en.kremlin.ru/events/president/news/67996>")


def test_the_notes_list_says_where_a_cited_work_may_be_read(server):
    page = get(f"{server}/doc/{ESSAY}")
    note4 = page.split(f'id="{ESSAY}-fn4"', 1)[1].split("</li>", 1)[0]
    assert "Source: Wilson Center Digital Archive" in note4
    note7 = page.split(f'id="{ESSAY}-fn7"', 1)[1].split("</li>", 1)[0]
    assert "note-source" not in note7  # Sergo Beria's memoir: no source stated, none invented


def test_copyright_not_evaluated_travels_to_exports_and_oai(scratch, tmp_path):
    note = tmp_path / "unlicensed.txt"
    note.write_text("An unlicensed note on the plenum of July 1953 and its stenogram.")
    (done,) = run_import(scratch, note, rights="").imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    it = cite.item(doc, "https://library.example.org")
    assert f"Copyright Not Evaluated ({CNE})" in bibtexparser.parse_string(
        cite.bibtex(it)).entries[0]["note"]
    assert f"Copyright Not Evaluated ({CNE})" in rispy.loads(cite.ris(it))[0]["notes"][0]
    assert json.loads(cite.csl_json(it))[0]["license"] == CNE  # the URI (rights as URIs)
    oai = Repository(DocumentStore(scratch.sources), "https://library.example.org/oai")
    xml = oai.respond({"verb": ["GetRecord"], "identifier": [
        oai.identifier(done.doc_id)], "metadataPrefix": ["oai_dc"]})
    rights = etree.fromstring(xml.encode() if isinstance(xml, str) else xml).findall(
        ".//{http://purl.org/dc/elements/1.1/}rights")
    assert [r.text for r in rights] == ["Copyright Not Evaluated", CNE]
