"""What a document says of itself, kept: detected languages (document and passage), PDF
title and author, HTML's Dublin Core, Open Graph and citation_* tags, a TEI file's own
language and dates; and a librarian's edit of the record, as a new version."""

from __future__ import annotations

import datetime

import pytest

from indexer.edit import EditError, RecordEdit, edit_record
from indexer.tei import XML_LANG
from indexer.teidoc import read_document

from .test_import import FIXTURES, PDF, run_import, search, snapshot


def _doc(scratch, report):
    (done,) = report.imported
    return read_document(scratch.sources / f"{done.doc_id}.xml")


def test_a_russian_passage_in_an_english_document_is_marked_russian(scratch, tmp_path):
    text = tmp_path / "report.txt"
    text.write_text(
        "Report on the conversation with the Soviet ambassador about the harvest.\n\n"
        "The ambassador then read out a statement in Russian, which we give as he read it:\n\n"
        "Советское правительство считает необходимым немедленно прекратить огонь.\n\n"
        "He added nothing further, and the meeting ended at five in the afternoon.",
        encoding="utf-8")
    doc = _doc(scratch, run_import(scratch, text))
    assert doc.language == "en"
    langs = [p.element.get(XML_LANG) for p in doc.passages if p.kind == "p"]
    assert langs == [None, None, "ru", None]


def test_html_keeps_dublin_core_open_graph_and_citation_tags(scratch, tmp_path):
    page = tmp_path / "article.html"
    page.write_text(
        '<html><head><title>x</title><meta name="DC.title" content="The Doctors\' Plot">'
        '<meta name="citation_author" content="Jonathan Brent">'
        '<meta name="citation_author" content="Vladimir Naumov">'
        '<meta name="citation_publication_date" content="2003-02-04">'
        '<meta property="og:site_name" content="Archive">'
        '<meta name="DC.language" content="en"></head>'
        "<body><main><p>Stalin's last crime began in the autumn of 1952.</p></main></body>"
        "</html>", encoding="utf-8")
    doc = _doc(scratch, run_import(scratch, page))
    assert doc.authors == ["Jonathan Brent", "Vladimir Naumov"] and doc.date == "2003-02-04"
    kept = {i.get("n"): i.text for i in doc.root.iter("{*}item")}
    assert kept["og:site_name"] == "Archive" and kept["DC.title"] == "The Doctors' Plot"


def test_a_pdfs_title_is_used_and_its_creation_date_is_the_files(scratch):
    doc = _doc(scratch, run_import(scratch, PDF / "015-arabic_habibi.pdf"))
    assert doc.title == "habibi"
    doc = _doc(scratch, run_import(scratch, PDF / "004-pdflatex-4-pages_pdflatex-4-pages.pdf"))
    assert doc.date == "undated" and "created 2022-04-03" in doc.provenance


def test_imported_tei_keeps_its_languages_and_dates(scratch):
    original = (FIXTURES / "tei" / "milestones-1953-1960.xml").read_bytes()
    doc = _doc(scratch, run_import(scratch, FIXTURES / "tei" / "milestones-1953-1960.xml"))
    stored = doc.path.read_bytes()
    assert stored.count(b"<date") == original.count(b"<date")  # every date kept as given
    # the file states no language: detected and written where TEI states it
    assert original.count(b"<langUsage") == 0 and stored.count(b"<langUsage") == 1
    assert doc.language == "en"


def test_an_edit_is_a_new_version_with_who_and_when(scratch, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("A note about the Beria affair, written in the summer.", encoding="utf-8")
    doc = _doc(scratch, run_import(scratch, note))
    before = snapshot(scratch)
    with pytest.raises(EditError, match="language: 'Russian' is not a language code"):
        edit_record(scratch, doc.doc_id, RecordEdit("A note", language="Russian",
                                                    rights="x"), "anna")
    assert snapshot(scratch) == before  # refused whole: nothing written
    when = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC)
    changed = edit_record(scratch, doc.doc_id, RecordEdit(
        "Note on the Beria affair", ["Pavel Sudoplatov"], "1953-07", "note", "en",
        "Public domain", "Beria papers"), "anna", now=when)
    # exactly the fields that changed (the import's rights words were kept as a note)
    assert changed == ["title", "authors", "date", "type", "rights", "rights_note",
                       "collection"]
    edited = read_document(doc.path)
    assert (edited.title, edited.authors, edited.date, edited.type, edited.rights,
            edited.collection) == ("Note on the Beria affair", ["Pavel Sudoplatov"], "1953-07",
                                   "note", "public-domain", "Beria papers")
    change = next(edited.root.iter("{*}change"))
    assert (change.get("when"), change.get("who")) == ("2026-11-28T09:30:00Z", "#anna")
    kept = list((scratch.sources / "versions" / doc.doc_id).glob("*.xml"))
    assert [k.read_bytes() for k in kept] == [before[f"{doc.doc_id}.xml"]]
    hits = search(scratch, 'collection:"Beria papers"')
    assert [g.title for g in hits.groups] == ["Note on the Beria affair"]
    assert edit_record(scratch, doc.doc_id, RecordEdit(
        "Note on the Beria affair", ["Pavel Sudoplatov"], "1953-07", "note", "en",
        "Public domain", "Beria papers"), "anna") == []  # the same again: no new version
