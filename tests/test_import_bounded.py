"""Issue 16: imports accept what archives hold and cost a bounded amount: text in UTF-16 or
UTF-32 with a byte-order mark is read (it was refused as "binary content")."""

from __future__ import annotations

import codecs

import pytest

from indexer.formats.text import decode
from indexer.teidoc import read_document

from .test_import import run_import

TEXT = "Письмо Сталина Готвальду.\n\nThe letter of 27 August 1950 about Korea.\n"


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", codecs.BOM_UTF16_LE),
                                          ("utf-16-be", codecs.BOM_UTF16_BE),
                                          ("utf-32-le", codecs.BOM_UTF32_LE),
                                          ("utf-32-be", codecs.BOM_UTF32_BE),
                                          ("utf-8", codecs.BOM_UTF8)])
def test_text_with_a_byte_order_mark_is_decoded(encoding, bom):
    text, said = decode(bom + TEXT.encode(encoding))
    assert text == TEXT and encoding in said


def test_a_utf16_text_file_is_imported(scratch, tmp_path):
    path = tmp_path / "letter-utf16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))
    report = run_import(scratch, path)
    (done,) = report.imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert "Готвальду" in " ".join(p.text for p in doc.passages)
    assert "utf-16-le" in doc.provenance or any("utf-16" in n for n in done.warnings + [
        doc.provenance])


# -- nothing replaced by accident ---------------------------------------------------------------
@pytest.mark.parametrize("target", ["thom-2022-lessons", "persons",
                                    "stalin-1952-economic-problems"])
def test_no_import_replaces_a_seed_document(scratch, tmp_path, target):
    before = (scratch.sources / f"{target}.xml").read_bytes()
    text = tmp_path / "intruder.txt"
    text.write_text("An intruder about Quixotic matters.", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,identifier\nintruder.txt,{target}\n", encoding="utf-8")
    from indexer.manifest import read_manifest
    by_manifest = run_import(scratch, text, manifest=manifest)
    by_replace = run_import(scratch, text, replace=target)
    for report in (by_manifest, by_replace):
        assert report.imported == [] and "seed documents" in report.failed[0].error
    assert (scratch.sources / f"{target}.xml").read_bytes() == before
    assert read_manifest  # the manifest was read by the importer itself


def test_importing_a_damaged_documents_original_with_replace_repairs_it(scratch, tmp_path):
    original = tmp_path / "memo.txt"
    original.write_text("A memorandum about Zanzibarite matters.", encoding="utf-8")
    (done,) = run_import(scratch, original).imported
    stored = scratch.sources / f"{done.doc_id}.xml"
    data = stored.read_bytes()
    stored.write_bytes(data.replace(b"<body>", b"<body><<garbled"))  # damaged on disk
    again = run_import(scratch, original)
    assert again.imported == [] and "already imported" in again.skipped[0].reason
    repaired = run_import(scratch, original, replace=done.doc_id)
    assert [o.doc_id for o in repaired.imported] == [done.doc_id]
    doc = read_document(stored)
    assert "Zanzibarite" in " ".join(p.text for p in doc.passages)


# -- bounded imports ----------------------------------------------------------------------------
def test_text_over_the_settable_limit_is_refused_with_the_setting_named(scratch, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setenv("LIBRARY_IMPORT_TEXT_MB", "1")
    big = tmp_path / "big.txt"
    # just over 1 MB in 500 long paragraphs (30,000 short ones cost a minute to index)
    big.write_text(("A line of an enormous text about Zanzibar. " * 50 + "\n\n") * 500,
                   encoding="utf-8")
    assert 1024 * 1024 < big.stat().st_size < 2 * 1024 * 1024
    report = run_import(scratch, big)
    assert report.imported == [] and "LIBRARY_IMPORT_TEXT_MB" in report.failed[0].error
    monkeypatch.setenv("LIBRARY_IMPORT_TEXT_MB", "4")
    assert [o.doc_id for o in run_import(scratch, big).imported] == ["big"]


def test_a_csv_over_the_row_limit_is_refused_and_nothing_changes(scratch, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setenv("LIBRARY_IMPORT_CSV_ROWS", "5")
    rows = tmp_path / "rows.csv"
    rows.write_text("title,body\n" + "".join(f"Row {i},Text of row {i} about Quokkas.\n"
                                             for i in range(8)), encoding="utf-8")
    before = sorted(p.name for p in scratch.sources.glob("*.xml"))
    report = run_import(scratch, rows)
    assert report.imported == [] and "LIBRARY_IMPORT_CSV_ROWS" in report.failed[0].error
    assert sorted(p.name for p in scratch.sources.glob("*.xml")) == before


def test_csv_and_text_streams_read_every_line_ending(tmp_path):
    from pathlib import Path

    from indexer.formats import records, text
    data = "title,body\r\nOne,\"First\r\nbody\"\r\nTwo,Second body\r\n".encode("utf-16")
    got = records.read(Path("r.csv"), data, None)
    assert [r.title for r in got] == ["One", "Two"]
    (doc,) = text.read(Path("t.txt"), b"Head\r\rPara one\rcontinued\r\rPara two", None)
    assert [b.text for b in doc.blocks] == ["Head", "Para one continued", "Para two"]


def test_a_paragraph_the_source_lost_is_cut_into_passages_and_said(scratch, tmp_path):
    """A CSV body of one 40,000-character line (a transcript whose paragraphs the source lost)
    becomes passages of whole sentences, with a warning and a provenance note; a body of
    ordinary paragraphs is kept as it is."""
    from indexer.formats.compose import LONG_PARAGRAPH
    sentence = "The President spoke about the harvest of {n} and the roads of Quixote county. "
    body = "".join(sentence.format(n=i) for i in range(500))
    assert len(body) > 9 * LONG_PARAGRAPH
    rows = tmp_path / "transcripts.csv"
    rows.write_text('title,body\nLong transcript,"' + body + '"\nShort note,"A short note '
                    'about Quokkas."\n', encoding="utf-8")
    report = run_import(scratch, rows)
    long_one, short = sorted(report.imported, key=lambda d: "long" not in d.doc_id)
    doc = read_document(scratch.sources / f"{long_one.doc_id}.xml")
    texts = [p.text for p in doc.passages if p.kind == "p"]
    assert len(texts) > 10 and max(len(t) for t in texts) <= 2_500
    assert " ".join(texts) == " ".join(body.split())  # every word kept, in order
    assert all(t.endswith(".") for t in texts)  # cut between sentences
    assert f"cut into {len(texts)} passages" in long_one.warning, long_one.warning
    assert "paragraph breaks" in doc.provenance
    short_doc = read_document(scratch.sources / f"{short.doc_id}.xml")
    assert [p.text for p in short_doc.passages if p.kind == "p"] == [
        "A short note about Quokkas."]
    assert "paragraph breaks" not in short.warning
