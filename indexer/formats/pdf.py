"""PDF (pypdf): the text layer, one page at a time, with a page break before each page so that
passages cite pages. A PDF with no text layer is refused (it needs OCR); an encrypted one is
read only with its password."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from . import Block, Extracted, ReadOptions, RefusedInput
from .text import paragraphs

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are ours to report
MIN_TEXT = 20  # characters of text, over the whole document, below which there is no text layer


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
        blocks: list[Block] = []
        chars = 0
        for number, page in enumerate(reader.pages, start=1):  # one page in memory at a time
            text = page.extract_text() or ""
            chars += len(text.strip())
            blocks.append(Block("pb", str(number)))
            blocks.extend(Block("p", p) for p in paragraphs(text))
        pages = number if reader.pages else 0
    except RefusedInput:
        raise
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError, OSError) as exc:
        raise RefusedInput(f"{path.name}: damaged or truncated PDF ({exc})") from None
    if chars < MIN_TEXT:
        raise RefusedInput(f"{path.name}: no text layer (scanned?) — OCR needed")
    title = str(meta.get("/Title") or "").strip()
    author = str(meta.get("/Author") or "").strip()
    return [Extracted(
        id_hint=path.stem,
        title=title or path.stem.replace("_", " "),
        creators=[a.strip() for a in re.split(r";| and ", author) if a.strip()],
        date=_date(meta.get("/CreationDate")),
        blocks=blocks,
        notes=[f"PDF text layer, {pages} pages, extracted with pypdf"],
    )]
