"""OCR with the real Tesseract (a few small pages: each costs about a second), page images
kept as facsimiles, the confidence recorded in the TEI."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from indexer import ocr
from indexer.teidoc import read_document

from .test_import import PDF, run_import, search, snapshot

OCR = Path(__file__).parent / "fixtures" / "ocr"
# in CI a missing Tesseract is a failure (.ci/run installs it), not a skip
pytestmark = pytest.mark.skipif(not shutil.which("tesseract") and not os.environ.get("CI"),
                                reason="tesseract not installed (apt-get install tesseract-ocr)")


def _ocr_notes(doc):
    return [n for n in doc.root.iter("{*}note") if n.get("type") == "ocr"]


def test_a_russian_scan_is_read_as_russian_without_being_told(scratch):
    report = run_import(scratch, OCR / "ru-typescript-scan.pdf")
    (done,) = report.imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert doc.language == "ru"  # the page's script, detected: Cyrillic → rus
    text = "\n".join(p.text for p in doc.passages if p.kind == "p")
    truth = " ".join((OCR / "ru-typescript-scan.txt").read_text(encoding="utf-8").split())
    assert difflib.SequenceMatcher(None, " ".join(text.split()), truth).ratio() > 0.9
    (note,) = _ocr_notes(doc)
    assert note.get("n") == "rus" and float(note.get("cert")) > 0.85
    assert "Tesseract" in doc.provenance and "confidence" in doc.provenance
    # the page kept as an image, and the page break points to it
    (surface,) = doc.root.iter("{*}surface")
    pb = next(doc.root.iter("{*}pb"))
    assert pb.get("facs") == f"#{surface.get('{http://www.w3.org/XML/1998/namespace}id')}"
    graphic = surface.find("{*}graphic")
    assert (scratch.sources / graphic.get("url")).read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    assert search(scratch, "Маленков").total >= 1


def test_a_jbig2_scan_is_read_in_the_manifests_language(scratch, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(OCR / "104-10003-10041.pdf", batch / "routing.pdf")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,language,rights,title\nrouting.pdf,en,Public domain,"
                        "CIA routing sheet 104-10003-10041\n")
    (done,) = run_import(scratch, batch, manifest=manifest).imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    # the manifest's title, and the report and the provenance say so (not "the file name")
    assert doc.title == "CIA routing sheet 104-10003-10041"
    assert done.title_from == "the manifest"
    assert "title from the manifest" in doc.provenance
    assert "title from the file name" not in doc.provenance
    (note,) = _ocr_notes(doc)
    assert note.get("n") == "eng" and 0.3 < float(note.get("cert")) < 0.95
    assert "Communist" in " ".join(p.text for p in doc.passages)


def test_a_text_layer_is_not_ocrd_unless_forced(scratch, tmp_path):
    arabic = PDF / "015-arabic_habibi.pdf"
    (auto,) = run_import(scratch, arabic).imported
    assert not _ocr_notes(read_document(scratch.sources / f"{auto.doc_id}.xml"))
    again = tmp_path / "habibi-again.pdf"  # another file (one byte more), not a duplicate
    again.write_bytes(arabic.read_bytes() + b"\n")
    (forced,) = run_import(scratch, again, ocr="force", ocr_lang="eng").imported
    notes = _ocr_notes(read_document(scratch.sources / f"{forced.doc_id}.xml"))
    assert [n.get("n") for n in notes] == ["eng"]


def test_an_image_file_is_a_page(scratch, tmp_path):
    page = pdfium.PdfDocument(str(OCR / "ru-typescript-scan.pdf"))[0]
    tiff = tmp_path / "protocol.tiff"
    page.render(scale=300 / 72, grayscale=True).to_pil().save(tiff)
    (done,) = run_import(scratch, tiff, ocr_lang="rus").imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert done.title_from and f"title from {done.title_from}" in doc.provenance
    assert "Булганин" in " ".join(p.text for p in doc.passages)
    assert len(list(doc.root.iter("{*}surface"))) == 1


def test_an_ocr_language_that_is_not_installed_is_refused_and_changes_nothing(scratch):
    before = snapshot(scratch)
    report = run_import(scratch, OCR / "ru-typescript-scan.pdf", ocr_lang="xyz")
    assert "no OCR language data for xyz" in report.failed[0].error
    assert snapshot(scratch) == before


def test_a_page_over_its_time_limit_gives_up_with_a_reason(tmp_path):
    image = tmp_path / "page.png"
    page = pdfium.PdfDocument(str(OCR / "ru-typescript-scan.pdf"))[0]
    page.render(scale=300 / 72, grayscale=True).to_pil().save(image)
    result = ocr.read_page(1, image, "rus", timeout=0.05)
    assert result.text == "" and "stopped after" in result.error
