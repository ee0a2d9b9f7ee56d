"""Pages as images: rendered once at import (PDF pages with pypdfium2, frames of TIFF, JPEG
and PNG files with Pillow), read by OCR where they have no text, and kept as facsimiles
(``sources/facsimiles/<doc_id>/``) that the TEI points to (``facsimile/surface/graphic``,
``pb/@facs``).

Extraction happens before the document has its id, so the images wait in a scratch folder
and are moved into the store, under the write lock, when the TEI is written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from PIL import Image

from . import ocr, ocrtext, tiles
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


def save_facsimile(image: Image.Image, scratch: Path, n: int) -> PageImage:
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK") else "L")
    if max(image.size) > MAX_SIDE:
        scale = MAX_SIDE / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)),
                             Image.LANCZOS)
    fd, name = tempfile.mkstemp(prefix=f"p{n}-", suffix=".jpg", dir=scratch)
    with os.fdopen(fd, "wb") as fh:
        image.save(fh, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return PageImage(n, name, image.width, image.height)


def ocr_image(image: Image.Image, scratch: Path, n: int) -> Path:
    """A grayscale PNG for Tesseract (deleted once read)."""
    fd, name = tempfile.mkstemp(prefix=f"ocr{n}-", suffix=".png", dir=scratch)
    with os.fdopen(fd, "wb") as fh:
        (image if image.mode in ("L", "1") else image.convert("L")).save(fh, "PNG")
    return Path(name)


class PageReader:
    """Pages fed in order; OCR runs on ``jobs`` pages at once while the next are rendered."""

    def __init__(self, scratch: str, lang: str, jobs: int,
                 on_page: Callable[[str], None] | None = None):
        self.scratch = Path(scratch) if scratch else None
        self.lang = lang
        self.pool = ThreadPoolExecutor(max(1, jobs))  # threads: each waits on a process
        self.pages: list[PageImage] = []
        self.futures: dict[int, object] = {}
        self.on_page = on_page or (lambda message: None)
        self.total = 0

    def add(self, n: int, facsimile: Image.Image | None, for_ocr: Image.Image | None) -> None:
        if self.scratch is not None and facsimile is not None:
            self.pages.append(save_facsimile(facsimile, self.scratch, n))
        if for_ocr is not None:
            where = self.scratch or Path(tempfile.gettempdir())
            image = ocr_image(for_ocr, where, n)
            self.futures[n] = self.pool.submit(self._read, n, image)

    def _read(self, n: int, image: Path) -> ocr.PageText:
        try:
            return ocr.read_page(n, image, self.lang)
        finally:
            image.unlink(missing_ok=True)

    def finish(self) -> dict[int, ocr.PageText]:
        """Every page's OCR (by page number), waiting for the last."""
        results = {}
        for done, (n, fut) in enumerate(sorted(self.futures.items()), start=1):
            results[n] = fut.result()
            self.on_page(f"machine-read page {done} of {len(self.futures)}")
        self.pool.shutdown()
        for page in self.pages:
            page.ocr = results.get(page.n)
        return results


def pdf_pages(data: bytes, password: str | None) -> Iterator[tuple[int, object]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data, password=password)
    try:
        for index in range(len(pdf)):
            yield index + 1, pdf[index]
    finally:
        pdf.close()


def render(page, dpi: int, grayscale: bool = False) -> Image.Image:
    return page.render(scale=dpi / 72, grayscale=grayscale).to_pil()


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
        tiles.make(target)


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
