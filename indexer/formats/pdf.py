"""PDF (pypdf): the text layer, one page at a time, with a page break before each page so that
passages cite pages. Pages without a text layer are machine-read (Tesseract; every page with
``--ocr force``); every page is kept as an image (pypdfium2). An encrypted PDF is read only
with its password."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from .. import ocr, ocrtext
from ..pages import FACSIMILE_DPI, OCR_DPI, PageReader, pdf_pages, render
from . import Block, Extracted, ReadOptions, RefusedInput
from .text import paragraphs

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are ours to report
MIN_TEXT = 20  # characters of text, over the whole document, below which there is no text layer
MIN_PAGE_TEXT = 10  # characters below which a page has no text layer (a scan, perhaps stamped)


def _date(value: str | None) -> str:
    m = re.match(r"^D?:?(\d{4})(\d{2})?(\d{2})?", value or "")
    if not m:
        return ""
    return "-".join(p for p in m.groups() if p)


def read(path: Path, data: bytes, options: ReadOptions) -> list[Extracted]:
    if not data:
        raise RefusedInput(f"{path.name}: the file is empty")
    if not data.startswith(b"%PDF"):
        raise RefusedInput(f"{path.name}: not a PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            if not options.pdf_password:
                raise RefusedInput(f"{path.name}: encrypted PDF; give its password with "
                                   "--pdf-password")
            if not reader.decrypt(options.pdf_password):
                raise RefusedInput(f"{path.name}: encrypted PDF; the password given does not "
                                   "open it")
        meta = reader.metadata or {}
        texts = [page.extract_text() or "" for page in reader.pages]  # one page at a time
    except RefusedInput:
        raise
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError, OSError) as exc:
        raise RefusedInput(f"{path.name}: damaged or truncated PDF ({exc})") from None
    chars = sum(len(t.strip()) for t in texts)
    if options.ocr == "off" and chars < MIN_TEXT:
        raise RefusedInput(f"{path.name}: no text layer (scanned?) — OCR needed (OCR is off)")
    wanted = {n for n, t in enumerate(texts, start=1)
              if options.ocr == "force" or (options.ocr == "auto"
                                            and len(t.strip()) < MIN_PAGE_TEXT)}
    pages, read = _pages(path, data, options, wanted)
    blocks: list[Block] = []
    ocr_paragraphs = ocrtext.document_paragraphs(read)  # as printed, not line by line
    for n, text in enumerate(texts, start=1):
        blocks.append(Block("pb", str(n)))
        if n in read and len(read[n].text.strip()) >= min(MIN_PAGE_TEXT, len(text.strip()) + 1):
            # (forced OCR that found next to nothing where there is a layer: the layer)
            lang = ocr.ISO_LANG.get(read[n].lang, "")
            blocks.extend(Block("p", p, lang) for p in ocr_paragraphs[n])
        else:
            blocks.extend(Block("p", p) for p in paragraphs(text))
    if sum(len(b.text) for b in blocks if b.kind == "p") < MIN_TEXT:
        raise RefusedInput(f"{path.name}: no text layer (scanned?), and machine reading found "
                           "no text either" if read else
                           f"{path.name}: no text layer (scanned?) — OCR needed")
    notes = [f"PDF, {len(texts)} pages; text layer extracted with pypdf"
             + (f" ({len(texts) - len(read)} pages)" if read else "")]
    if read:
        notes.append(ocr_summary(read))
    title, title_from = ocrtext.scan_title(str(meta.get("/Title") or ""),
                                           read[1].text if 1 in read else "", path.stem)
    notes.append(f"title from {title_from}")
    author = str(meta.get("/Author") or "").strip()
    created = _date(meta.get("/CreationDate"))
    if created:
        # the file's date, not the document's: a scan made in 2025 of a memo of 1964
        notes.append(f"PDF file created {created}")
    languages = [ocr.ISO_LANG.get(r.lang, "") for r in read.values() if r.text]
    return [Extracted(
        id_hint=path.stem,
        title=title, date=ocrtext.date_line(read[1].text) if 1 in read else "",
        creators=[a.strip() for a in re.split(r";| and ", author) if a.strip()],
        language=max(set(languages), key=languages.count) if languages else "",
        blocks=blocks, notes=notes, pages=pages,
    )]


def _pages(path: Path, data: bytes, options: ReadOptions, wanted: set[int]):
    """(facsimile pages, OCR results by page number) of the pages ``wanted`` for OCR."""
    if not (wanted or options.scratch):
        return [], {}
    try:
        lang = ocr.languages_for(options.ocr_lang) if wanted else ""
    except ocr.OCRUnavailable as exc:
        raise RefusedInput(f"{path.name}: pages without a text layer need OCR: {exc}") from None
    reader = PageReader(options.scratch, lang, options.ocr_jobs, options.on_page)
    try:
        for n, page in pdf_pages(data, options.pdf_password):
            if n in wanted:
                scan = render(page, OCR_DPI, grayscale=True)
                half = scan.resize((scan.width * FACSIMILE_DPI // OCR_DPI,
                                    scan.height * FACSIMILE_DPI // OCR_DPI))
                reader.add(n, half, scan)
            else:
                reader.add(n, render(page, FACSIMILE_DPI) if options.scratch else None, None)
    except Exception as exc:  # noqa: BLE001  (PDFium's faults are this file's)
        reader.finish()
        raise RefusedInput(f"{path.name}: its pages cannot be rendered ({exc})") from None
    return reader.pages, reader.finish()


def ocr_summary(read: dict) -> str:
    """What the provenance says of the machine reading."""
    confs = [r.confidence for r in read.values() if r.confidence is not None]
    langs = sorted({r.lang for r in read.values() if r.lang})
    failed = [str(r.n) for r in read.values() if r.error]
    return (f"{len(read)} page(s) machine-read with Tesseract {ocr.version()} "
            f"({', '.join(langs)})"
            + (f", mean word confidence {sum(confs) / len(confs):.0f}%" if confs else "")
            + (f"; no text from page(s) {', '.join(failed)}" if failed else ""))
