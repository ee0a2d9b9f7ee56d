"""PDF (pypdf): the text layer, one page at a time, with a page break before each page so that
passages cite pages. Pages without a text layer are machine-read (Tesseract; every page with
``--ocr force``); every page is kept as an image (pypdfium2). An encrypted PDF is read only
with its password. Reading the text layer, each page (a task of its own: render, blank test,
OCR) and composing the document are separate steps, so that the pages of one PDF spread over
every worker (indexer/tasks.py)."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from .. import limits, ocr, ocrtext
from ..pages import PageImage, PageResult, read_pdf_page, save_facsimile
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


@dataclass
class PdfLayer:
    """What reading a PDF's text layer found: all a page task and the composing step need."""

    pages: int
    texts: list[str]
    wanted: list[int]  # pages to machine-read
    lang: str  # Tesseract languages for them ('' = chosen per page)
    title: str = ""
    author: str = ""
    created: str = ""


def read_layer(path: Path, data: bytes, options: ReadOptions) -> PdfLayer:
    """The text layer, page by page, and which pages need OCR; RefusedInput with the reason."""
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
        count = len(reader.pages)
        if count > limits.max_pages():
            raise RefusedInput(f"{path.name}: {count:,} pages, over the limit of "
                               f"{limits.max_pages():,} pages a file (LIBRARY_MAX_PAGES)")
        texts = [page.extract_text() or "" for page in reader.pages]  # one page at a time
    except RefusedInput:
        raise
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError, OSError) as exc:
        raise RefusedInput(f"{path.name}: damaged or truncated PDF ({exc})") from None
    chars = sum(len(t.strip()) for t in texts)
    if options.ocr == "off" and chars < MIN_TEXT:
        raise RefusedInput(f"{path.name}: no text layer (scanned?) — OCR needed (OCR is off)")
    wanted = [n for n, t in enumerate(texts, start=1)
              if options.ocr == "force" or (options.ocr == "auto"
                                            and len(t.strip()) < MIN_PAGE_TEXT)]
    try:
        lang = ocr.languages_for(options.ocr_lang) if wanted else ""
    except ocr.OCRUnavailable as exc:
        raise RefusedInput(f"{path.name}: pages without a text layer need OCR: {exc}") from None
    return PdfLayer(count, texts, wanted, lang, str(meta.get("/Title") or "").strip(),
                    str(meta.get("/Author") or "").strip(), _date(meta.get("/CreationDate")))


def page_tasks(layer: PdfLayer, facsimiles: bool) -> list[tuple[int, str | None]]:
    """(page, its OCR languages or None) of every page to render."""
    wanted = set(layer.wanted)
    return [(n, layer.lang if n in wanted else None) for n in range(1, layer.pages + 1)
            if facsimiles or n in wanted]


def ocr_blocks(read: dict[int, ocr.PageText]) -> dict[int, list[Block]]:
    """The machine-read pages' text as blocks, by page (paragraphs as printed, joined across
    pages: indexer/ocrtext.py), each in the language OCR read its page in."""
    paragraphs_by_page = ocrtext.document_paragraphs(read)
    return {n: [Block("p", p, ocr.ISO_LANG.get(read[n].lang, "")) for p in paragraphs_by_page[n]]
            for n in read}


def compose(path: Path, layer: PdfLayer, pages: list[PageImage], read: dict[int, ocr.PageText],
            blank: list[int], warnings: list[str]) -> list[Extracted]:
    """One document of the text layer and the pages' OCR (``read``, by page number)."""
    blocks: list[Block] = []
    machine_read = ocr_blocks(read)  # PageText → Blocks: the one place (OCR content)
    for n, text in enumerate(layer.texts, start=1):
        blocks.append(Block("pb", str(n)))
        if n in read and len(read[n].text.strip()) >= min(MIN_PAGE_TEXT, len(text.strip()) + 1):
            # (forced OCR that found next to nothing where there is a layer: the layer)
            blocks.extend(machine_read[n])
        else:
            blocks.extend(Block("p", p) for p in paragraphs(text))
    if sum(len(b.text) for b in blocks if b.kind == "p") < MIN_TEXT:
        raise RefusedInput(f"{path.name}: no text layer (scanned?), and machine reading found "
                           "no text either" + (f" ({len(blank)} blank page(s))" if blank else "")
                           if layer.wanted else
                           f"{path.name}: no text layer (scanned?) — OCR needed")
    notes = [f"PDF, {layer.pages} pages; text layer extracted with pypdf"
             + (f" ({layer.pages - len(layer.wanted)} pages)" if layer.wanted else "")]
    if read:
        notes.append(ocr_summary(read))
    if blank:
        notes.append(blank_summary(blank))
    notes.extend(warnings)
    title, title_from = ocrtext.scan_title(layer.title, read[1].text if 1 in read else "",
                                           path.stem)
    notes.append(f"title from {title_from}")  # (the manifest's title overrides it)
    if layer.created:
        # the file's date, not the document's: a scan made in 2025 of a memo of 1964
        notes.append(f"PDF file created {layer.created}")
    languages = [ocr.ISO_LANG.get(r.lang, "") for r in read.values() if r.text]
    return [Extracted(
        id_hint=path.stem,
        title=title, date=ocrtext.date_line(read[1].text) if 1 in read else "",
        creators=[a.strip() for a in re.split(r";| and ", layer.author) if a.strip()],
        language=max(set(languages), key=languages.count) if languages else "",
        blocks=blocks, notes=notes, pages=pages, warnings=list(warnings), title_from=title_from,
    )]


def read(path: Path, data: bytes, options: ReadOptions) -> list[Extracted]:
    """The whole file in this process, page after page (the import runs the same steps as
    tasks: indexer/tasks.py)."""
    layer = read_layer(path, data, options)
    results = []
    try:
        for n, lang in page_tasks(layer, bool(options.scratch)):
            results.append(read_pdf_page(data, options.pdf_password, n, lang,
                                         bool(options.scratch)))
    except Exception as exc:  # noqa: BLE001  (PDFium's faults are this file's)
        raise RefusedInput(f"{path.name}: its pages cannot be rendered ({exc})") from None
    return compose(path, layer, *gather(results, options.scratch))


def gather(results: list[PageResult], scratch: str
           ) -> tuple[list[PageImage], dict[int, ocr.PageText], list[int], list[str]]:
    """Page results → (facsimiles saved in ``scratch``, OCR by page, blank pages, warnings)."""
    results = sorted(results, key=lambda r: r.n)
    pages = [save_facsimile(r, Path(scratch)) for r in results if scratch and r.facsimile]
    return (pages, {r.n: r.ocr for r in results if r.ocr is not None},
            [r.n for r in results if r.blank], [r.warning for r in results if r.warning])


def blank_summary(blank: list[int]) -> str:
    shown = ", ".join(map(str, blank[:20])) + (", …" if len(blank) > 20 else "")
    return f"{len(blank)} blank page(s) not machine-read: {shown}"


def ocr_summary(read: dict) -> str:
    """What the provenance says of the machine reading."""
    confs = [r.confidence for r in read.values() if r.confidence is not None]
    langs = sorted({r.lang for r in read.values() if r.lang})
    failed = [str(r.n) for r in read.values() if r.error]
    return (f"{len(read)} page(s) machine-read with Tesseract {ocr.version()} "
            f"({', '.join(langs)})"
            + (f", mean word confidence {sum(confs) / len(confs):.0f}%" if confs else "")
            + (f"; no text from page(s) {', '.join(failed)}" if failed else ""))
