"""Pages as images: rendered once at import (PDF pages with pypdfium2, frames of TIFF, JPEG
and PNG files with Pillow), read by OCR where they have no text, and kept as facsimiles
(``sources/facsimiles/<doc_id>/``) that the TEI points to (``facsimile/surface/graphic``,
``pb/@facs``).

Each page is a task of its own (``read_pdf_page``, ``read_image_page``): rendered once, tested
for blankness, machine-read, and handed back as plain data (a JPEG and the OCR's PageText), so
that a worker on another machine needs no access to the store. The writer puts the images in a
scratch folder, where they wait for their document's id, and moves them into the store, under
the write lock, when the TEI is written. The page task also cuts the image's deep-zoom tiles
(``indexer.tiles``), which the writer unpacks beside it in the scratch folder before it takes
the lock: under the lock, pages are only renamed into place. A page is rendered at most at
``LIBRARY_PAGE_MAX_PIXELS`` pixels (a larger one at a lower resolution, with a warning).
"""

from __future__ import annotations

import atexit
import io
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from PIL import Image

from . import limits, ocr, ocrtext, tiles
from .processes import alive
from .tei import NS, XML_ID, E

OCR_DPI = 300  # what Tesseract reads best
# what is kept and shown: the resolution OCR read, so that zooming into a carbon copy shows
# what the machine saw (deep zoom, from tiles: indexer.tiles)
FACSIMILE_DPI = OCR_DPI
MAX_SIDE = 10000  # facsimiles of image files are scaled down to this many pixels at most
JPEG_QUALITY = 80


@dataclass
class PageImage:
    n: int
    path: str  # the facsimile, in the scratch folder until it is moved into the store
    width: int
    height: int
    ocr: ocr.PageText | None = None


@dataclass
class PageResult:
    """What one page task gives back (plain data: it crosses from a worker to the writer)."""

    n: int
    facsimile: bytes = b""  # JPEG, when the page is kept as an image
    width: int = 0
    height: int = 0
    ocr: ocr.PageText | None = None  # None: not machine-read (a text layer, or blank)
    tiles: bytes = b""  # the facsimile's deep-zoom tiles and thumbnail (indexer.tiles.cut)
    blank: bool = False  # nothing on the page: not machine-read
    warning: str = ""  # e.g. rendered at a lower resolution than asked (too many pixels)
    worker: str = ""
    seconds: float = 0.0  # the whole task: render, blank test, OCR


def facsimile_image(image: Image.Image) -> Image.Image:
    """A page as it is kept: gray or RGB, at most ``MAX_SIDE`` pixels a side."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK") else "L")
    if max(image.size) > MAX_SIDE:
        scale = MAX_SIDE / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)),
                             Image.LANCZOS)
    return image


def facsimile_jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def save_facsimile(result: PageResult, scratch: Path) -> PageImage:
    """A page task's image (and its tiles) into the scratch folder, where it waits for its
    document's id: outside the write lock."""
    fd, name = tempfile.mkstemp(prefix=f"p{result.n}-", suffix=".jpg", dir=scratch)
    with os.fdopen(fd, "wb") as fh:
        fh.write(result.facsimile)
    if result.tiles:
        tiles.unpack(result.tiles, Path(name))
    return PageImage(result.n, name, result.width, result.height, result.ocr)


def is_blank(image: Image.Image) -> bool:
    """Too few dark pixels to hold a word (a blank or nearly blank page)."""
    gray = image if image.mode == "L" else image.convert("L")
    histogram = gray.histogram()
    return sum(histogram[:128]) < limits.blank_ink() * gray.width * gray.height


def machine_read(n: int, image: Image.Image, lang: str) -> ocr.PageText:
    """OCR of one page image, through a grayscale PNM in the worker's own temporary folder
    (raw pixels: Tesseract reads the same words as from a PNG, and writing it takes 2 ms
    against a PNG's 120 ms for a 300 dpi page)."""
    fd, name = tempfile.mkstemp(prefix=f"ocr{n}-", suffix=".pnm")
    try:
        with os.fdopen(fd, "wb") as fh:
            (image if image.mode in ("L", "1") else image.convert("L")).save(fh, "PPM")
        return ocr.read_page(n, Path(name), lang)
    finally:
        Path(name).unlink(missing_ok=True)


def capped_dpi(n: int, width_pt: float, height_pt: float, dpi: float) -> tuple[float, str]:
    """The resolution to render a page at: ``dpi``, or less when the page would have more
    pixels than the limit (a 14400 pt square page at 300 dpi is 3.6 billion)."""
    cap = limits.max_page_pixels()
    pixels = (width_pt * dpi / 72) * (height_pt * dpi / 72)
    if pixels <= cap:
        return dpi, ""
    # (a hair under: the renderer rounds each side up)
    lower = 72 * math.sqrt(cap / max(width_pt * height_pt, 1)) * 0.999
    return lower, (f"page {n} ({width_pt:.0f} × {height_pt:.0f} pt) was rendered at "
                   f"{lower:.0f} dpi, not {dpi:.0f}: at {dpi:.0f} dpi it would have "
                   f"{pixels:,.0f} pixels, over the limit of {cap:,} "
                   "(LIBRARY_PAGE_MAX_PIXELS)")


def _finish(result: PageResult, image: Image.Image, lang: str | None, facsimile: bool,
            scale: float) -> PageResult:
    """Keep the page as a facsimile (``scale``: of the render), test for a blank page, OCR."""
    if facsimile:
        kept = image if scale >= 1 else image.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))))
        kept = facsimile_image(kept)
        result.facsimile, result.width, result.height = facsimile_jpeg(kept), *kept.size
        result.tiles = tiles.cut(kept)  # from the pixels, not from the JPEG: no second decode
    if lang is not None:
        result.blank = is_blank(image)
        if not result.blank:
            result.ocr = machine_read(result.n, image, lang)
    return result


_open: list = []  # (data, password, document): the PDF a worker's last page task opened


def _pdf(data: bytes, password: str | None):
    import pypdfium2 as pdfium

    if _open and _open[0][0] is data and _open[0][1] == password:
        return _open[0][2]
    while _open:
        _open.pop()[2].close()
    document = pdfium.PdfDocument(data, password=password)
    _open.append((data, password, document))
    return document


def close_open() -> None:
    """Close the PDF this process's page tasks kept open."""
    while _open:
        _open.pop()[2].close()


atexit.register(close_open)


def pdf_page_count(data: bytes, password: str | None) -> int:
    return len(_pdf(data, password))


def read_pdf_page(data: bytes, password: str | None, n: int, lang: str | None,
                  facsimile: bool) -> PageResult:
    """The page task of a PDF: render page ``n`` once (at 300 dpi in gray when it is to be
    machine-read, else at the facsimile's resolution), keep it, OCR it unless it is blank.
    ``lang``: Tesseract languages, '' to detect them, None for no OCR."""
    from .cluster import worker_name

    start = time.monotonic()
    page = _pdf(data, password)[n - 1]
    try:
        width, height = page.get_size()
        wanted = OCR_DPI if lang is not None else FACSIMILE_DPI
        dpi, warning = capped_dpi(n, width, height, wanted)
        image = page.render(scale=dpi / 72, grayscale=lang is not None).to_pil()
    finally:
        page.close()
    result = PageResult(n, warning=warning, worker=worker_name())
    _finish(result, image, lang, facsimile, min(1.0, FACSIMILE_DPI / dpi))
    result.seconds = time.monotonic() - start
    return result


def image_frame_count(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as image:
        return getattr(image, "n_frames", 1)


def read_image_page(data: bytes, n: int, lang: str, facsimile: bool) -> PageResult:
    """The page task of an image file: frame ``n``, kept and machine-read."""
    from .cluster import worker_name

    start = time.monotonic()
    with Image.open(io.BytesIO(data)) as image:
        image.seek(n - 1)
        frame = image.convert("L") if image.mode not in ("L", "RGB") else image.copy()
    warning = ""
    cap = limits.max_page_pixels()
    if frame.width * frame.height > cap:
        scale = math.sqrt(cap / (frame.width * frame.height))
        warning = (f"page {n} ({frame.width} × {frame.height} px) was scaled to "
                   f"{scale:.0%} for reading: over the limit of {cap:,} pixels "
                   "(LIBRARY_PAGE_MAX_PIXELS)")
        frame = frame.resize((max(1, int(frame.width * scale)),
                              max(1, int(frame.height * scale))))
    result = PageResult(n, warning=warning, worker=worker_name())
    _finish(result, frame, lang, facsimile, 1.0)
    result.seconds = time.monotonic() - start
    return result


# -- into the store -------------------------------------------------------------------------
def facsimile_folder(sources: Path, doc_id: str) -> Path:
    return sources / "facsimiles" / doc_id


def facsimile_url(doc_id: str, n: int, digest: str) -> str:
    """A page image's path in the store. Named by the original's sha256 too, so that an
    earlier version's TEI (kept in versions/) keeps pointing at its own pages."""
    return f"facsimiles/{doc_id}/p{n}-{digest[:12]}.jpg"


def keep(pages: list[PageImage], sources: Path, doc_id: str, digest: str) -> None:
    """Move the pages' images into the store, each renamed into place."""
    for page in pages:
        target = sources / facsimile_url(doc_id, page.n, digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.move(page.path, tmp)
        tmp.replace(target)
        if page.ocr is not None and page.ocr.words:
            ocrtext.write_words(target.with_name(ocrtext.words_name(target.name)), page.ocr)
        if not tiles.move(Path(page.path), target):
            tiles.make(target)  # a page whose task made none (no libvips there): cut here


def add_facsimile(root: etree._Element, doc_id: str, pages: list[PageImage],
                  digest: str) -> None:
    """``facsimile/surface`` per page (with its OCR's confidence), and ``pb/@facs``."""
    facsimile = E.facsimile()
    by_n = {}
    for page in pages:
        url = facsimile_url(doc_id, page.n, digest)
        surface = E.surface(E.graphic(url=url, width=f"{page.width}px",
                                      height=f"{page.height}px", mimeType="image/jpeg"),
                            n=str(page.n), ulx="0", uly="0", lrx=str(page.width),
                            lry=str(page.height))
        surface.set(XML_ID, f"{doc_id}-page{page.n}")
        if page.ocr is not None and page.ocr.words:  # the words' boxes, beside the image
            surface.append(E.media(url=ocrtext.words_name(url), mimeType="application/json",
                                   type="ocr-words"))
        if page.ocr is not None:
            surface.append(ocr_note(page.ocr))
        facsimile.append(surface)
        by_n[str(page.n)] = surface.get(XML_ID)
    root.find("tei:text", NS).addprevious(facsimile)
    for pb in root.iter(f"{{{NS['tei']}}}pb"):
        if pb.get("n") in by_n:
            pb.set("facs", f"#{by_n[pb.get('n')]}")


def ocr_note(page: ocr.PageText) -> etree._Element:
    if page.error:
        return E.note(f"No machine-read text: {page.error}.", type="ocr", resp="#tesseract")
    if page.confidence is None:
        return E.note("Machine-read: no text found on this page.", type="ocr",
                      resp="#tesseract")
    percent = round(page.confidence)
    return E.note(f"Machine-read text (Tesseract {ocr.version()}, {page.lang}), mean word "
                  f"confidence {percent}%.", type="ocr", resp="#tesseract",
                  cert=f"{page.confidence / 100:.2f}", n=page.lang)


def clean_scratch(home: Path) -> None:
    """Remove the page-image folders of imports whose process is gone (killed mid-batch): a
    live import's folder is never touched, whatever the lock says."""
    for folder in home.glob("import-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
