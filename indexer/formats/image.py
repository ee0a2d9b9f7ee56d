"""Images of pages (TIFF, several pages to a file; JPEG; PNG): each frame is a page, machine-read
(Tesseract) and kept as a facsimile. Pillow refuses images past its decompression-bomb limit
(about 179 million pixels), which is this file's failure, not the batch's; a frame over
``LIBRARY_PAGE_MAX_PIXELS`` is scaled down before it is read. Like a PDF's, each frame is a
task of its own (indexer/tasks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .. import limits, ocr, ocrtext
from ..pages import PageImage, image_frame_count, read_image_page
from . import Block, Extracted, ReadOptions, RefusedInput
from .pdf import blank_summary, gather, ocr_blocks, ocr_summary

BAD_IMAGE = (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
             EOFError, ValueError)


@dataclass
class ImageLayer:
    pages: int
    lang: str


def read_layer(path: Path, data: bytes, options: ReadOptions) -> ImageLayer:
    if not data:
        raise RefusedInput(f"{path.name}: the file is empty")
    if options.ocr == "off":
        raise RefusedInput(f"{path.name}: an image has no text without OCR (OCR is off)")
    try:
        lang = ocr.languages_for(options.ocr_lang)
    except ocr.OCRUnavailable as exc:
        raise RefusedInput(f"{path.name}: images need OCR: {exc}") from None
    try:
        frames = image_frame_count(data)
    except BAD_IMAGE as exc:
        raise RefusedInput(f"{path.name}: not a readable image ({exc})") from None
    if frames > limits.max_pages():
        raise RefusedInput(f"{path.name}: more than {limits.max_pages():,} pages "
                           f"({frames:,} frames; LIBRARY_MAX_PAGES)")
    return ImageLayer(frames, lang)


def page_tasks(layer: ImageLayer) -> list[tuple[int, str]]:
    return [(n, layer.lang) for n in range(1, layer.pages + 1)]


def compose(path: Path, layer: ImageLayer, pages: list[PageImage],
            read_pages: dict[int, ocr.PageText], blank: list[int],
            warnings: list[str]) -> list[Extracted]:
    blocks: list[Block] = []
    machine_read = ocr_blocks(read_pages)  # PageText → Blocks (OCR content)
    for n in range(1, layer.pages + 1):
        blocks.append(Block("pb", str(n)))
        blocks.extend(machine_read.get(n, []))
    if not any(b.kind == "p" for b in blocks):
        raise RefusedInput(f"{path.name}: machine reading found no text in the image"
                           + (f" ({len(blank)} blank page(s))" if blank else ""))
    languages = [ocr.ISO_LANG.get(r.lang, "") for r in read_pages.values() if r.text]
    notes = [f"image, {layer.pages} page(s)", ocr_summary(read_pages)]
    if blank:
        notes.append(blank_summary(blank))
    first = read_pages[1].text if 1 in read_pages else ""
    title, title_from = ocrtext.scan_title("", first, path.stem)
    notes.append(f"title from {title_from}")
    return [Extracted(
        id_hint=path.stem, title=title, title_from=title_from,
        date=ocrtext.date_line(first),
        language=max(set(languages), key=languages.count) if languages else "",
        blocks=blocks, pages=pages, notes=notes + list(warnings), warnings=list(warnings),
    )]


def read(path: Path, data: bytes, options: ReadOptions) -> list[Extracted]:
    """The whole file in this process, frame after frame."""
    layer = read_layer(path, data, options)
    try:
        results = [read_image_page(data, n, lang, bool(options.scratch))
                   for n, lang in page_tasks(layer)]
    except BAD_IMAGE as exc:
        raise RefusedInput(f"{path.name}: not a readable image ({exc})") from None
    return compose(path, layer, *gather(results, options.scratch))
