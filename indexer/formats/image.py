"""Images of pages (TIFF, several pages to a file; JPEG; PNG): each frame is a page, machine-read
(Tesseract) and kept as a facsimile. Pillow refuses images past its decompression-bomb limit
(about 179 million pixels), which is this file's failure, not the batch's."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from .. import ocr, ocrtext
from ..pages import PageReader
from . import Block, Extracted, ReadOptions, RefusedInput
from .pdf import ocr_summary

MAX_FRAMES = 2000


def read(path: Path, data: bytes, options: ReadOptions) -> list[Extracted]:
    if not data:
        raise RefusedInput(f"{path.name}: the file is empty")
    if options.ocr == "off":
        raise RefusedInput(f"{path.name}: an image has no text without OCR (OCR is off)")
    try:
        lang = ocr.languages_for(options.ocr_lang)
    except ocr.OCRUnavailable as exc:
        raise RefusedInput(f"{path.name}: images need OCR: {exc}") from None
    reader = PageReader(options.scratch, lang, options.ocr_jobs, options.on_page)
    try:
        with Image.open(io.BytesIO(data)) as image:
            for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if n > MAX_FRAMES:
                    raise RefusedInput(f"{path.name}: more than {MAX_FRAMES} pages")
                page = frame.convert("L") if frame.mode not in ("L", "RGB") else frame.copy()
                reader.add(n, page, page)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        reader.finish()
        raise RefusedInput(f"{path.name}: not a readable image ({exc})") from None
    read_pages = reader.finish()
    blocks: list[Block] = []
    ocr_paragraphs = ocrtext.document_paragraphs(read_pages)  # as printed, not line by line
    for n, page in sorted(read_pages.items()):
        blocks.append(Block("pb", str(n)))
        lang = ocr.ISO_LANG.get(page.lang, "")
        blocks.extend(Block("p", p, lang) for p in ocr_paragraphs[n])
    if not any(b.kind == "p" for b in blocks):
        raise RefusedInput(f"{path.name}: machine reading found no text in the image")
    languages = [ocr.ISO_LANG.get(r.lang, "") for r in read_pages.values() if r.text]
    first = read_pages[1].text if 1 in read_pages else ""
    return [Extracted(
        id_hint=path.stem, title=ocrtext.scan_title("", first, path.stem)[0],
        date=ocrtext.date_line(first),
        language=max(set(languages), key=languages.count) if languages else "",
        blocks=blocks, pages=reader.pages,
        notes=[f"image, {len(read_pages)} page(s)", ocr_summary(read_pages)],
    )]
