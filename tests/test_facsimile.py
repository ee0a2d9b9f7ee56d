"""Page images: kept at import, listed in a IIIF Presentation 3 manifest (loaded by the
reference model, iiif-prezi3), served as IIIF Image API level 0, shown beside the
transcription in a viewer a reader can page through (real server, real Chromium)."""

from __future__ import annotations

import io
import json
import shutil
import urllib.error
import urllib.request

import pytest
from iiif_prezi3 import Manifest
from PIL import Image

from indexer.ingest import Importer, ImportOptions
from indexer.paths import Paths

from .conftest import ROOT, start_server, stop_server
from .test_import import PDF

OCR = ROOT / "tests" / "fixtures" / "ocr"
FOUR_PAGES = PDF / "004-pdflatex-4-pages_pdflatex-4-pages.pdf"


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """A server over a copy of the store holding a 4-page PDF and a machine-read scan."""
    root = tmp_path_factory.mktemp("facsimiles")
    shutil.copytree(ROOT / "sources", root / "sources")
    paths = Paths(seeds=ROOT / "seeds", sources=root / "sources", home=root / "var")
    report = Importer(paths, ImportOptions(rights="CC BY-SA 4.0")).run(
        [FOUR_PAGES, OCR / "ru-typescript-scan.pdf"])
    assert not report.failed, report.failed
    pdf, scan = (o.doc_id for o in report.imported)
    proc, base = start_server(paths.home, paths.sources)
    yield base, pdf, scan
    stop_server(proc)


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers, r.read()


def test_the_manifest_is_iiif_presentation_3_with_a_canvas_per_page(scans):
    base, pdf, _ = scans
    status, headers, body = get(f"{base}/iiif/{pdf}/manifest.json")
    data = json.loads(body)
    manifest = Manifest(**data)  # the reference model refuses what is not Presentation 3
    assert manifest.type == "Manifest" and len(manifest.items) == 4
    canvas = data["items"][1]
    image = canvas["items"][0]["items"][0]["body"]
    assert canvas["label"] == {"none": ["p. 2"]} and image["service"][0]["profile"] == "level0"
    # the Image API answers for that canvas: info.json, then the image at the size it states
    _, _, info = get(image["service"][0]["id"] + "/info.json")
    info = json.loads(info)
    assert (info["width"], info["height"]) == (canvas["width"], canvas["height"])
    _, headers, jpeg = get(image["id"])
    assert headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(jpeg)).size == (info["width"], info["height"])


def test_the_image_service_refuses_what_level_0_does_not_serve(scans):
    base, pdf, _ = scans
    for path in (f"/iiif/{pdf}/1/0,0,10,10/max/0/default.jpg",
                 f"/iiif/{pdf}/1/full/50,/0/default.jpg"):
        with pytest.raises(urllib.error.HTTPError) as err:
            get(base + path)
        assert err.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as err:
        get(f"{base}/iiif/{pdf}/99/info.json")
    assert err.value.code == 404


def test_the_original_is_downloaded_byte_for_byte(scans):
    base, pdf, _ = scans
    _, headers, body = get(f"{base}/doc/{pdf}/original")
    assert body == FOUR_PAGES.read_bytes()
    assert headers["Content-Disposition"].startswith("attachment")
    _, _, page = get(f"{base}/doc/{pdf}")
    assert f'href="/doc/{pdf}/original"'.encode() in page


def test_a_machine_read_page_says_how_sure_the_reading_is(scans):
    base, _, scan = scans
    _, _, page = get(f"{base}/doc/{scan}")
    text = page.decode()
    assert "Machine-read text (OCR), confidence 9" in text
    assert "machine-read text, confidence 9" in text


@pytest.mark.browser
def test_the_viewer_shows_the_page_and_turns_with_the_transcription(scans, browser):
    base, pdf, _ = scans
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    images = []
    page.on("response", lambda r: images.append(r.url) if "/default.jpg" in r.url else None)
    try:
        page.goto(f"{base}/doc/{pdf}")
        page.wait_for_selector("#facsimile.fx-ready .openseadragon-canvas canvas")
        page.wait_for_function("() => document.querySelector('#facsimile')"
                               ".getAttribute('data-current') === '1'")
        page.click(".fx-next")
        page.wait_for_function("() => document.querySelector('#facsimile')"
                               ".getAttribute('data-current') === '2'")
        assert "pb-current" in page.locator(f"#pb-{pdf}-page2").get_attribute("class")
        assert page.locator(".fx-n").inner_text() == "2"
        # by keyboard: the viewer takes focus, ] turns the page
        page.focus("#facsimile-viewer")
        page.keyboard.press("]")
        page.wait_for_function("() => document.querySelector('#facsimile')"
                               ".getAttribute('data-current') === '3'")
        page.wait_for_function("() => performance.getEntriesByType('resource')"
                               ".some(e => e.name.includes('/3/full/'))")
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()


def test_page_images_left_by_a_killed_import_are_cleared_and_a_live_ones_kept(tmp_path):
    import os
    import subprocess
    import sys

    from indexer.pages import clean_scratch

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    dead, live = tmp_path / f"import-{gone}-x1", tmp_path / f"import-{os.getpid()}-x2"
    for folder in (dead, live):
        folder.mkdir()
        (folder / "p1.jpg").write_bytes(b"\xff\xd8")
    clean_scratch(tmp_path)
    assert not dead.exists() and (live / "p1.jpg").exists()
