"""The import's work as pure tasks: plain data in (a file's bytes and the settings), plain data
out (records, page images, OCR text, a report entry), nothing read from or written to the
store. Any process can run them: this one, a LocalCluster worker, or a Dask worker on another
machine that has the library and Tesseract installed and no access to the store.

- ``read_file``: one per file. A file of pages (PDF, image) gives back its text layer and the
  pages to render; every other format, its records. Small files go several to a task
  (``read_files``): an HTML page takes 10 ms to read, less than Dask's own cost of a task.
- ``page``: one per page to render (and OCR unless it has a text layer or is blank), so that
  the pages of a 1,000-page PDF spread over every worker.
- ``finish_file``: one per file of pages, once its pages are read: the document composed of
  them (and its languages detected).

The writer (indexer/ingest.py) takes the results as they complete.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .cluster import worker_name
from .formats import Extracted, ReadOptions, RefusedInput, reader_for
from .formats import image as image_format
from .formats import pdf as pdf_format
from .language import annotate
from .pages import PageImage, PageResult, read_image_page, read_pdf_page
from .xmlsafe import parse_bytes

PAGED = {".pdf": "pdf", **dict.fromkeys((".tif", ".tiff", ".jpg", ".jpeg", ".png"), "image")}


@dataclass
class FileRead:
    """A file task's answer: its records, or the layer whose pages are tasks of their own, or
    why it cannot be imported."""

    records: list[Extracted] | None = None
    kind: str = ""  # "pdf" or "image" when its pages are still to be read
    layer: object | None = None  # pdf.PdfLayer or image.ImageLayer
    pages: list[tuple[int, str | None]] = field(default_factory=list)  # (n, OCR langs or None)
    error: str = ""
    worker: str = ""
    seconds: float = 0.0


def read_file(name: str, data: bytes, options: ReadOptions) -> FileRead:
    """Never raises: a fault of one file (pypdf, lxml, decoding, a decompression bomb) is that
    file's failure, not the batch's."""
    path = Path(name)
    result = FileRead(worker=worker_name())
    with _fails_alone(result, path):
        kind = PAGED.get(path.suffix.lower())
        if kind == "pdf":
            layer = pdf_format.read_layer(path, data, options)
            result.kind, result.layer = kind, layer
            result.pages = pdf_format.page_tasks(layer, bool(options.scratch))
        elif kind == "image":
            layer = image_format.read_layer(path, data, options)
            result.kind, result.layer = kind, layer
            result.pages = image_format.page_tasks(layer)
        else:
            reader = reader_for(path)
            if reader is None:
                raise RefusedInput(f"{path.name}: unknown format")
            result.records = [_annotated(r) for r in reader(path, data, options)]
            for record in result.records:
                if record.tei is not None:  # a tree does not cross processes; its bytes do
                    record.tei = etree.tostring(record.tei, xml_declaration=True,
                                                encoding="UTF-8")
    return result


def read_files(files: list[tuple[str, bytes, ReadOptions]]) -> list[FileRead]:
    """``read_file`` of each; each still fails alone."""
    return [read_file(name, data, options) for name, data, options in files]


def page(kind: str, data: bytes, password: str | None, n: int, lang: str | None,
         facsimile: bool) -> PageResult:
    """Render page ``n`` (with its facsimile), and machine-read it unless ``lang`` is None or
    the page is blank."""
    if kind == "pdf":
        return read_pdf_page(data, password, n, lang, facsimile)
    return read_image_page(data, n, lang or "", facsimile)


def finish_file(name: str, kind: str, layer: object, pages: list[PageImage],
                results: list[PageResult]) -> FileRead:
    """The document of a file of pages, once every page is read (the images are already in the
    writer's scratch folder: ``pages`` only names them)."""
    path = Path(name)
    result = FileRead(worker=worker_name())
    results = sorted(results, key=lambda r: r.n)
    read = {r.n: r.ocr for r in results if r.ocr is not None}
    blank = [r.n for r in results if r.blank]
    warnings = [r.warning for r in results if r.warning]
    compose = pdf_format.compose if kind == "pdf" else image_format.compose
    with _fails_alone(result, path):
        result.records = [_annotated(r) for r in compose(path, layer, pages, read, blank,
                                                          warnings)]
    return result


@contextmanager
def _fails_alone(result: FileRead, path: Path) -> Iterator[None]:
    """A file task's body, timed into ``result.seconds``; any fault of the file becomes
    ``result.error`` instead of raising, so that it fails alone."""
    start = time.monotonic()
    try:
        yield
    except RefusedInput as exc:
        result.error = str(exc)
    except Exception as exc:  # noqa: BLE001
        result.error = f"{path.name}: could not be read ({type(exc).__name__}: {exc})"
    finally:
        result.seconds = time.monotonic() - start


def _annotated(record: Extracted) -> Extracted:
    if record.tei is None:  # TEI keeps the langUsage it states
        annotate(record)
    return record


def unpack(records: list[Extracted], name: str) -> list[Extracted]:
    """TEI records as trees again, in the writer (parsed as safely as the first time)."""
    for record in records:
        if isinstance(record.tei, bytes):
            record.tei = parse_bytes(record.tei, where=name)
    return records
