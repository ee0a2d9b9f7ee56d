"""Scans a historian can work with, with the real Tesseract and real files: OCR as printed
paragraphs (a phrase across a printed line found), words kept with their boxes, a scan's title
and date, IIIF Content Search, hits lit on the page image (real server, real Chromium)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from iiif_prezi3 import Manifest
from PIL import Image

from indexer.ingest import Importer, ImportOptions
from indexer.manifest import read_manifest
from indexer.paths import Paths
from indexer.report import Report, report_text, to_json
from indexer.teidoc import read_document
from library.search.searcher import Searcher, SearchRequest

from .conftest import ROOT, start_server, stop_server

OCR = ROOT / "tests" / "fixtures" / "ocr"
NARA = OCR / "104-10003-10041.pdf"
MEMO = OCR / "two-column-memo.pdf"  # made by make_memo.py: two pages, two columns on page 1
pytestmark = pytest.mark.skipif(not shutil.which("tesseract") and not os.environ.get("CI"),
                                reason="tesseract not installed (apt-get install tesseract-ocr)")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A copy of the store with the NARA scan (its language from a manifest) and the memo."""
    root = tmp_path_factory.mktemp("scans")
    shutil.copytree(ROOT / "sources", root / "sources")
    batch = root / "batch"
    batch.mkdir()
    shutil.copy(NARA, batch / NARA.name)
    shutil.copy(MEMO, batch / MEMO.name)
    (root / "manifest.csv").write_text(f"file,language,rights\n{NARA.name},en,Public domain\n"
                                       f"{MEMO.name},en,Public domain\n")
    manifest, problems = read_manifest(root / "manifest.csv")
    assert not problems
    paths = Paths(seeds=ROOT / "seeds", sources=root / "sources", home=root / "var")
    report = Importer(paths, ImportOptions(), manifest).run([batch])
    assert not report.failed, report.failed
    (root / "report.json").write_text(to_json(report))
    ids = {o.path.rsplit("/", 1)[-1]: o.doc_id for o in report.imported}
    return paths, ids[NARA.name], ids[MEMO.name]


def _search(paths, q, within=None):
    return Searcher.for_store(paths.index, paths.sources).search(
        SearchRequest(q, within=within))


def _doc(paths, doc_id):
    return read_document(paths.sources / f"{doc_id}.xml")


def test_a_phrase_across_a_printed_line_is_found_on_the_nara_scan(store):
    paths, nara, _ = store
    for q in ('"murder of President Kennedy"', "murder Kennedy"):
        found = _search(paths, q, within=nara)
        assert found.total == 1, q
    (passage,) = [p for p in _doc(paths, nara).passages if "murder" in p.text]
    assert "organise the murder of President Kennedy" in passage.text
    assert passage.text.startswith("Note that")  # the memo's second paragraph, whole
    # the command line finds it too
    env = dict(os.environ, LIBRARY_SOURCES=str(paths.sources), LIBRARY_HOME=str(paths.home),
               LIBRARY_SEEDS=str(paths.seeds))
    out = subprocess.run([sys.executable, "-m", "library.cli", "search",
                          '"murder of President Kennedy"', "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total"] >= 1


def test_paragraphs_as_printed_columns_in_order_hyphens_joined(store):
    paths, _, memo = store
    doc = _doc(paths, memo)
    texts = [p.text for p in doc.passages if p.kind == "p"]
    left = next(i for i, t in enumerate(texts) if t.startswith("The ministry asked"))
    right = next(i for i, t in enumerate(texts) if t.startswith("The second column"))
    assert right == left + 1  # the left column whole, then the right one
    assert texts[left].endswith("Soviet-American talks of the spring.")  # a compound kept
    assert "what information it had" in texts[left]  # "informa-/tion": the document's word
    assert texts[right].endswith("in March and in April.")
    page2 = [t for t in texts if "Kennedy" in t]
    assert page2 == ["A separate paragraph on page two says that rumors suggest it was the "
                     "Agency to organise the murder of President Kennedy, which the memo does "
                     "not believe."]
    assert _search(paths, '"murder of President Kennedy"', within=memo).total == 1
    assert _search(paths, '"informa tion"', within=memo).total == 0


def test_a_scans_title_and_date_come_from_its_first_page(store):
    paths, nara, memo = store
    doc = _doc(paths, memo)
    assert doc.title == "Grain purchases, 1963"  # the SUBJECT: line, not the file name
    assert doc.date == "1963-04-12"
    assert "title from a title line machine-read on page 1" in doc.provenance
    # the NARA PDF's /Title is blank, and no title line is read: its file name
    assert "title from the file name" in _doc(paths, nara).provenance
    # and the import report says the same, in JSON and in words
    report = Report.from_json(json.loads((paths.home.parent / "report.json").read_text()))
    assert {o.doc_id: o.title_from for o in report.imported} == {
        memo: "a title line machine-read on page 1", nara: "the file name"}
    assert f"title of {memo} from a title line machine-read on page 1" in report_text(report)


def test_every_word_keeps_its_box_beside_the_page_image(store):
    paths, _, memo = store
    doc = _doc(paths, memo)
    media = [m for m in doc.root.iter("{*}media") if m.get("type") == "ocr-words"]
    assert len(media) == 2  # one per page, named in the TEI
    data = json.loads((paths.sources / media[1].get("url")).read_text(encoding="utf-8"))
    assert data["width"] == 2550 and abs(data["height"] - 3300) <= 1  # OCR read 300 dpi
    words = {w[0]: w for w in data["words"]}
    # make_memo.py draws page 2 from x=250, y=300, a line every 56 px: "President" starts
    # line 4, at y = 300 + 3 * 56
    text, x, y, w, h, conf = words["President"][:6]
    assert abs(x - 250) < 15 and abs(y - 468) < 25 and 150 < w < 260 and conf > 80
    assert all(0 <= r[1] and r[1] + r[3] <= data["width"] for r in data["words"])


# -- IIIF Content Search 2.0 -------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(store):
    paths, nara, memo = store
    proc, base = start_server(paths.home, paths.sources)
    _SERVED[base] = paths
    yield base, nara, memo
    stop_server(proc)


_SERVED: dict = {}


def store_paths(served) -> Paths:
    return _SERVED[served[0]]


def _words_of(paths: Paths, doc_id: str, n: int) -> dict:
    media = [m for m in _doc(paths, doc_id).root.iter("{*}media")
             if m.get("type") == "ocr-words"]
    return json.loads((paths.sources / media[n - 1].get("url")).read_text(encoding="utf-8"))


def _get(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, json.loads(r.read())


XYWH = re.compile(r"^(?P<canvas>.+)#xywh=(\d+),(\d+),(\d+),(\d+)$")


def check_annotation_page(data: dict, canvases: dict[str, tuple[int, int]]) -> list[tuple]:
    """The shape IIIF Content Search 2.0 gives a response (§ 3.3, "Presentation 3 annotation
    pages"): its context, an AnnotationPage with an id, Annotations with id, motivation, a
    TextualBody and a target on a canvas of the manifest, inside it. Returns the boxes."""
    assert data["@context"] == "http://iiif.io/api/search/2/context.json"
    assert data["type"] == "AnnotationPage" and data["id"].startswith("http")
    boxes = []
    ids = set()
    for anno in data["items"]:
        assert anno["type"] == "Annotation" and anno["id"].startswith("http")
        assert anno["id"] not in ids
        ids.add(anno["id"])
        assert anno["motivation"] in ("supplementing", "painting", "highlighting", "commenting")
        assert anno["body"]["type"] == "TextualBody" and anno["body"]["value"]
        m = XYWH.match(anno["target"])
        assert m and m["canvas"] in canvases, anno["target"]
        x, y, w, h = (int(v) for v in m.groups()[1:])
        width, height = canvases[m["canvas"]]
        assert w > 0 and h > 0 and x + w <= width and y + h <= height
        boxes.append((m["canvas"], x, y, w, h, anno["body"]["value"]))
    return boxes


def _canvases(base: str, doc_id: str) -> tuple[dict, dict]:
    _, manifest = _get(f"{base}/iiif/{doc_id}/manifest.json")
    Manifest(**manifest)  # still Presentation 3 to the reference model, service and all
    return manifest, {c["id"]: (c["width"], c["height"]) for c in manifest["items"]}


def test_the_manifest_declares_content_search_and_it_answers_with_boxes(served):
    base, nara, _ = served
    manifest, canvases = _canvases(base, nara)
    (service,) = [s for s in manifest["service"] if s["type"] == "SearchService2"]
    assert service["id"] == f"{base}/iiif/{nara}/search"
    q = urllib.parse.quote('"murder of President Kennedy"')
    _, data = _get(f"{service['id']}?q={q}")
    boxes = check_annotation_page(data, canvases)
    # one box per printed line the phrase covers
    assert [b[5] for b in boxes] == ["murder of", "President Kennedy."]
    murder, kennedy = boxes
    # the words' place on the page image: where OCR read them (both 300 dpi)
    words = _words_of(store_paths(served), nara, 1)
    ocr = next(w for w in words["words"] if w[0] == "murder")
    assert abs(murder[1] - ocr[1]) <= 1 and abs(murder[2] - ocr[2]) <= 1
    assert kennedy[2] > murder[2] + murder[4] / 2  # on the next printed line


def test_content_search_on_a_multi_page_scan_targets_the_right_canvas(served):
    base, _, memo = served
    _, canvases = _canvases(base, memo)
    _, data = _get(f"{base}/iiif/{memo}/search?q=Kennedy&motivation=painting")
    (box,) = check_annotation_page(data, canvases)
    assert box[0].endswith(f"/iiif/{memo}/canvas/2") and box[5] == "Kennedy,"
    assert data["ignored"] == ["motivation"]
    # a word joined across a line end lights both halves, one box each
    _, data = _get(f"{base}/iiif/{memo}/search?q=information")
    halves = [b for b in check_annotation_page(data, canvases) if b[5] == "information"]
    assert len(halves) == 3 and halves[1][2] < halves[2][2]  # once whole, once in halves
    _, data = _get(f"{base}/iiif/{memo}/search?q=zanzibar")
    assert data["items"] == []


def test_content_search_refuses_what_it_cannot_answer(served):
    base, nara, _ = served
    for url, code in ((f"{base}/iiif/{nara}/search", 400),
                      (f"{base}/iiif/{nara}/search?q=" + "a" * 600, 400),
                      (f"{base}/iiif/{nara}/search?q=%22unclosed", None),
                      (f"{base}/iiif/no-such-doc/search?q=x", 404)):
        try:
            status, _ = _get(url)
        except urllib.error.HTTPError as err:
            status = err.code
            assert err.headers["Content-Type"].startswith("application/json") or code == 404
        assert status == code if code else status in (200, 400)


# -- reading a scan again -----------------------------------------------------------------------
def _cli(paths: Paths, *args: str):
    env = dict(os.environ, LIBRARY_SOURCES=str(paths.sources), LIBRARY_HOME=str(paths.home),
               LIBRARY_SEEDS=str(paths.seeds))
    return subprocess.run([sys.executable, "-m", "library.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_reocr_reads_a_scan_again_as_a_new_version_keeping_its_record(scratch, tmp_path):
    (tmp_path / "m.csv").write_text(f"file,language,rights,collection\n{MEMO.name},en,"
                                    "Public domain,Memos\n")
    manifest, _ = read_manifest(tmp_path / "m.csv")
    (done,) = Importer(scratch, ImportOptions(), manifest).run([MEMO]).imported
    tei = scratch.sources / f"{done.doc_id}.xml"
    licence = _doc(scratch, done.doc_id).licence
    assert licence.startswith("Public")
    # as a document imported before its words were kept: one passage per printed line
    old = tei.read_text(encoding="utf-8").replace(
        "the Agency to organise the murder of President Kennedy",
        "the Agency to organise the murder of</p><p>President Kennedy")
    tei.write_text(old.replace('type="ocr-words"', 'type="gone"'), encoding="utf-8")
    out = _cli(scratch, "reocr", done.doc_id)
    assert out.returncode == 0, out.stderr
    assert f"a new version of {done.doc_id}" in out.stdout
    doc = _doc(scratch, done.doc_id)
    assert any("murder of President Kennedy" in p.text for p in doc.passages)
    assert doc.licence == licence and doc.collection == "Memos"
    assert len([m for m in doc.root.iter("{*}media") if m.get("type") == "ocr-words"]) == 2
    kept = list((scratch.sources / "versions" / done.doc_id).glob("*.xml"))
    assert len(kept) == 1 and "murder of</p>" in kept[0].read_text(encoding="utf-8")
    # and what it cannot do, it says, changing nothing
    for args, message in ((("reocr", "no-such-doc"), "no document no-such-doc"),
                          (("reocr", "hughes-1963-ordeal-of-power"), "no kept original")):
        out = _cli(scratch, *args)
        assert out.returncode == 2 and message in out.stderr, out.stderr


# -- hits on the page image, in Chromium ---------------------------------------------------------
STABLE_RECT = """(sel) => new Promise(done => {
  let last = null, same = 0;
  const tick = () => {
    const el = document.querySelector(sel);
    const r = el ? el.getBoundingClientRect() : null;
    const now = r ? [r.left, r.top, r.width, r.height].map(Math.round).join(",") : "";
    same = (now && now === last) ? same + 1 : 0;
    last = now;
    if (same >= 5) { done(r && {x: r.left, y: r.top, w: r.width, h: r.height}); }
    else { setTimeout(tick, 100); }
  };
  tick();
})"""


def _open(browser, url: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error"
            and "Failed to load resource" not in m.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400
            and not r.url.endswith("/favicon.ico") else None)
    page.goto(url)
    page.wait_for_selector("#facsimile.fx-ready .openseadragon-canvas canvas")
    return context, page, errors


@pytest.mark.browser
def test_a_hit_is_outlined_on_the_page_image_where_the_word_is(served, browser):
    base, _, memo = served
    _, data = _get(f"{base}/iiif/{memo}/search?q=Kennedy")
    (anno,) = data["items"]
    x, y, w, h = (int(v) for v in anno["target"].rsplit("=", 1)[1].split(","))
    context, page, errors = _open(browser, f"{base}/doc/{memo}?q=Kennedy", 1280, 900)
    try:
        # arriving from a search: the page with the hit, whole, the hit outlined
        page.wait_for_function("() => document.querySelector('#facsimile')"
                               ".getAttribute('data-current') === '2'")
        page.wait_for_selector(".fx-hit")
        got = page.evaluate(STABLE_RECT, ".fx-hit")
        # where the word must be, measured on the screen: the white page drawn on the
        # viewer's dark ground, and the word's box scaled with it
        view = page.locator("#facsimile-viewer .openseadragon-container")
        origin = view.bounding_box()
        shot = Image.open(io.BytesIO(view.screenshot())).convert("L")
        ratio = shot.width / origin["width"]  # device pixels per CSS pixel
        left, top, right, bottom = shot.point(lambda v: 255 if v > 200 else 0).getbbox()
        scale = (right - left) / ratio / 2550  # the page image is 2550 px wide (300 dpi)
        want = {"x": origin["x"] + left / ratio + x * scale,
                "y": origin["y"] + top / ratio + y * scale, "w": w * scale, "h": h * scale}
        for k in "xywh":
            assert abs(got[k] - want[k]) <= 3, (k, got, want)
        assert "1 hit on the page images" in page.inner_text(".fx-hit-status")
        assert page.inner_text(".fx-hit-pages") == "p. 2 (1)"
        # by keyboard: n goes to the hit, up close, and says so
        page.focus("#facsimile-viewer")
        page.keyboard.press("n")
        page.wait_for_function("() => document.querySelector('.fx-hit-status').textContent"
                               ".includes('Hit 1 of 1, on page 2: Kennedy,')")
        close = page.evaluate(STABLE_RECT, ".fx-hit.fx-hit-current")
        assert close["w"] > 2 * got["w"]  # the overlay scaled with the zoom
        assert page.get_attribute(".fx-hit-status", "role") == "status"
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.browser
def test_the_scan_viewer_on_a_laptop_and_a_phone(served, browser):
    from .ui_pages import axe_violations

    base, nara, memo = served
    # a laptop: the text and the page image side by side, both begun above the fold
    context, page, _ = _open(browser, f"{base}/doc/{nara}", 1280, 800)
    try:
        text = page.locator("#text p").first.bounding_box()
        viewer = page.locator("#facsimile-viewer").bounding_box()
        assert text["y"] < 800 - 100 and viewer["y"] < 800 - 300, (text, viewer)
        assert viewer["x"] >= text["x"] + text["width"]
        assert axe_violations(page) == []
        page.goto(f"{base}/doc/{memo}?q=Kennedy")
        page.wait_for_selector(".fx-hit")
        assert axe_violations(page) == []
    finally:
        context.close()
    # a phone: the toolbar in one row; the image full screen and back
    context, page, _ = _open(browser, f"{base}/doc/{memo}?q=Kennedy", 390, 844)
    try:
        page.wait_for_selector(".fx-hit")
        tops = page.evaluate("() => [...document.querySelectorAll('.facsimile-bar > *')]"
                             ".map(e => Math.round(e.getBoundingClientRect().top))")
        heights = page.evaluate("() => [...document.querySelectorAll('.facsimile-bar button')]"
                                ".map(e => e.getBoundingClientRect().height)")
        assert max(tops) - min(tops) < max(heights), tops
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        page.click(".fx-full")
        page.wait_for_function("() => document.querySelector('#facsimile')"
                               ".classList.contains('fx-fullscreen')")
        full = page.evaluate(STABLE_RECT, "#facsimile-viewer")
        assert full["h"] > 0.75 * 844 and full["w"] > 0.9 * 390
        assert page.get_attribute(".fx-full", "aria-pressed") == "true"
        page.click(".fx-full")
        page.wait_for_function("() => !document.querySelector('#facsimile')"
                               ".classList.contains('fx-fullscreen')")
    finally:
        context.close()


# -- deep zoom ----------------------------------------------------------------------------------
@pytest.mark.skipif(not shutil.which("vips") and not os.environ.get("CI"),
                    reason="libvips not installed (apt-get install libvips-tools)")
def test_pages_are_served_as_300_dpi_tiles_with_a_thumbnail(served):
    base, nara, _ = served
    _, info = _get(f"{base}/iiif/{nara}/1/info.json")
    assert info["profile"] == "level0" and (info["width"], info["height"]) == (2449, 3320)
    (tiles,) = info["tiles"]
    assert tiles["width"] == 512 and tiles["scaleFactors"][:2] == [1, 2]
    thumb, full = info["sizes"][0], info["sizes"][-1]
    assert thumb["width"] == 160 and (full["width"], full["height"]) == (2449, 3320)
    # a tile at full resolution, as IIIF names it (region x,y,w,h; size w,h), then one of the
    # smallest level, and the thumbnail
    for path, size in (("0,0,512,512/512,512", (512, 512)),
                       (f"0,0,{512 * tiles['scaleFactors'][-1]},"
                        f"{512 * tiles['scaleFactors'][-1]}/512,512", (512, 512)),
                       (f"full/{thumb['width']},", (thumb["width"], thumb["height"]))):
        with urllib.request.urlopen(f"{base}/iiif/{nara}/1/{path}/0/default.jpg") as r:
            assert r.headers["Content-Type"] == "image/jpeg"
            assert Image.open(io.BytesIO(r.read())).size == size, path
    # what the service does not hold is refused, not made up
    for path in ("0,0,100,100/100,100", "0,0,512,512/256,256", "../../x/512,512",
                 "full/90,"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{base}/iiif/{nara}/1/{path}/0/default.jpg")
        assert err.value.code in (400, 404)
    # the reader shows the thumbnails as a strip
    with urllib.request.urlopen(f"{base}/doc/{nara}") as r:
        assert f"/iiif/{nara}/1/full/160,/0/default.jpg" in r.read().decode()
