"""Readers: one module per input format, each turning a file's bytes into :class:`Extracted`
records (text blocks and whatever metadata the file itself states). ``compose`` then makes TEI
of them; TEI input is kept as given (``tei``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class RefusedInput(ValueError):
    """A file that cannot be imported; ``str()`` says what is wrong and, where it can, where."""


@dataclass
class Block:
    kind: str  # "p" (a paragraph), "head" (a heading), "pb" (a page break; text = page number)
    text: str
    lang: str = ""  # when known to differ from the document's (a page read as Russian)


@dataclass
class Metadata:
    """A Dublin Core description: what a file states of itself, or what the manifest (or the
    command line) says of it, which overrides the file."""

    title: str = ""
    creators: list[str] = field(default_factory=list)
    date: str = ""
    language: str = ""
    type: str = ""
    rights: str = ""
    source: str = ""
    collection: str = ""
    description: str = ""


@dataclass
class Extracted(Metadata):
    """What a reader found in one file (or one row of a CSV file)."""

    id_hint: str = ""  # a readable base for the document id
    blocks: list[Block] = field(default_factory=list)
    tei: object | None = None  # TEI input: the parsed tree, kept as given
    notes: list[str] = field(default_factory=list)  # what the reader did, for the provenance
    # what was accepted but is not right (schema messages of TEI that is not valid): kept in
    # the header and reported, never a refusal unless --strict
    warnings: list[str] = field(default_factory=list)
    pages: list = field(default_factory=list)  # facsimile pages (indexer.pages.PageImage)
    # what the file says of itself, kept as said (HTML's Dublin Core, Open Graph, citation_*)
    source_meta: list[tuple[str, str]] = field(default_factory=list)
    # where a reader that had to choose a title found it (a scan: its PDF's /Title, a line of
    # page 1, the file name), for the import report
    title_from: str = ""


@dataclass
class ReadOptions:
    pdf_password: str | None = None
    validate_tei: bool = True
    strict: bool = False  # refuse TEI that is not valid against tei_all
    ocr: str = "auto"  # auto: pages without text; force: every page; off: none
    ocr_lang: str = ""  # Tesseract languages ("eng", "rus", "eng+rus"); '' = chosen per page
    scratch: str = ""  # a folder for page images until the document has its id


Reader = Callable[[Path, bytes, ReadOptions], list[Extracted]]


def reader_for(path: Path) -> Reader | None:
    from . import html, pdf, records, tei, text

    return {
        ".xml": tei.read, ".tei": tei.read, ".pdf": pdf.read, ".txt": text.read,
        ".text": text.read, ".html": html.read, ".htm": html.read, ".csv": records.read,
        **dict.fromkeys(IMAGE_SUFFIXES, _image_reader()),
    }.get(path.suffix.lower())


def _image_reader() -> Reader:
    from . import image

    return image.read


IMAGE_SUFFIXES = (".tif", ".tiff", ".jpg", ".jpeg", ".png")
KNOWN_SUFFIXES = (".xml", ".tei", ".pdf", ".txt", ".text", ".html", ".htm", ".csv",
                  *IMAGE_SUFFIXES)
