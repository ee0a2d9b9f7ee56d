"""Imports have bounded costs, and say so (issue 16, item 5): a page's rendered pixels are
capped (a 14400 × 14400 pt page is rendered smaller, with a warning), a file's pages are
capped (settable), blank pages are not machine-read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from indexer.ingest import Importer, ImportOptions

from .conftest import ROOT
from .pdfmake import text_pdf

needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"),
                                     reason="tesseract not installed")


def _run(paths, *inputs, **options):
    options.setdefault("rights", "Public domain")
    return Importer(paths, ImportOptions(**options)).run([Path(i) for i in inputs])


def test_a_huge_page_is_rendered_within_the_pixel_limit_and_the_report_says_so(scratch,
                                                                              tmp_path):
    """The 728-byte PDF of a 14400 × 14400 pt page took 6.2 GB and 82 s: now a bounded render
    (measured in a process of its own: its peak memory)."""
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(text_pdf([(14400, 14400, "A sheet of the Wolfram survey map")]))
    assert len(huge.read_bytes()) < 1000
    probe = ("import json, resource, sys\n"
             "from library.cli import main\n"
             "code = main(sys.argv[1:])\n"
             "print(json.dumps({'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
             " 'code': code}), file=sys.stderr)\n")
    env = dict(os.environ, LIBRARY_HOME=str(scratch.home), LIBRARY_SOURCES=str(scratch.sources))
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", probe, "import", str(huge), "--json",
                          "--rights", "Public domain"], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    seconds = time.monotonic() - started
    (measured,) = [json.loads(line) for line in out.stderr.splitlines()
                   if line.startswith('{"rss_kb"')]
    assert measured["code"] == 0, out.stderr
    (done,) = json.loads(out.stdout)["imported"]
    assert "LIBRARY_PAGE_MAX_PIXELS" in done["warning"] and "14400 × 14400 pt" in done["warning"]
    assert measured["rss_kb"] < 1_000_000  # under 1 GB (was 6.2 GB)
    assert seconds < 120  # (was 82 s of rendering alone; most of this is starting up)
    (image,) = (scratch.sources / "facsimiles" / done["doc_id"]).glob("p1-*.jpg")
    with Image.open(image) as kept:
        assert kept.width * kept.height <= 40_000_000
    tei = (scratch.sources / f"{done['doc_id']}.xml").read_text()
    assert "Wolfram survey map" in tei and "LIBRARY_PAGE_MAX_PIXELS" in tei  # provenance too


@needs_tesseract
def test_a_page_read_by_ocr_is_also_capped(scratch, tmp_path, monkeypatch):
    monkeypatch.setenv("LIBRARY_PAGE_MAX_PIXELS", "2000000")
    big = tmp_path / "big.pdf"
    big.write_bytes(text_pdf([(3000, 3000, "GRAIN PLAN FOR THE YEAR 1953")]))
    (done,) = _run(scratch, big, ocr="force", ocr_lang="eng").imported
    assert "rendered at 34 dpi, not 300" in done.warning


@needs_tesseract
def test_blank_pages_are_not_machine_read(scratch, tmp_path):
    """2,000 blank pages took over an hour (2 s of OCR each): blank pages are now found on
    the rendered image and never reach Tesseract."""
    pages = [(298, 420, "Inventory of the Harbinger folder, page one.")]
    pages += [(298, 420, None)] * 80
    blanks = tmp_path / "blanks.pdf"
    blanks.write_bytes(text_pdf(pages))
    (done,) = _run(scratch, blanks).imported
    assert done.ocr_seconds is None  # Tesseract never ran
    tei = (scratch.sources / f"{done.doc_id}.xml").read_text()
    assert "80 blank page(s) not machine-read: 2, 3, 4" in tei
    assert "Harbinger" in tei and 'type="ocr"' not in tei
    assert tei.count("<surface ") == 81  # every page still kept as an image


def test_a_pdf_over_the_page_limit_is_refused_and_changes_nothing(scratch, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setenv("LIBRARY_MAX_PAGES", "50")
    many = tmp_path / "many.pdf"
    many.write_bytes(text_pdf([(298, 420, f"Page {n} of the ledger") for n in range(60)]))
    before = sorted(p.name for p in scratch.sources.iterdir())
    (failed,) = _run(scratch, many).failed
    assert "60 pages, over the limit of 50 pages a file (LIBRARY_MAX_PAGES)" in failed.error
    assert sorted(p.name for p in scratch.sources.iterdir()) == before
