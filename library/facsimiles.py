"""A document's pages as images (``facsimile/surface`` in its TEI): what the reader shows beside
the transcription, what the IIIF manifest lists, and where each image lies in the store."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from indexer.tei import NS, XML_ID
from indexer.teidoc import Document

_SAFE = re.compile(r"^facsimiles/[a-z0-9][a-z0-9.-]*/[A-Za-z0-9._-]+\.(jpg|png)$")
_SAFE_WORDS = re.compile(r"^facsimiles/[a-z0-9][a-z0-9.-]*/[A-Za-z0-9._-]+\.words\.json$")


@dataclass
class Page:
    n: str
    surface_id: str
    url: str  # relative to the store: facsimiles/<doc_id>/<name>.jpg
    width: int
    height: int
    confidence: float | None = None  # mean OCR word confidence, 0-1, when machine-read
    ocr_lang: str = ""
    ocr_note: str = ""
    words_url: str = ""  # its OCR's words and their boxes (indexer.ocrtext), when machine-read

    @property
    def percent(self) -> int | None:
        return round(self.confidence * 100) if self.confidence is not None else None


def _pixels(value: str | None) -> int:
    m = re.match(r"^(\d+)", value or "")
    return int(m.group(1)) if m else 0


def _confidence(cert: str | None) -> float | None:
    """A surface's OCR confidence, 0-1, when the file gives one that is: ``nan``, ``1e400``
    (infinite) or ``7`` are none (a page of an imported file must not fail on them)."""
    try:
        value = float(cert) if cert else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) and 0 <= value <= 1 else None


def pages(doc: Document) -> list[Page]:
    """The document's page images, in order (only those the store may hold: no path leaves
    ``sources/facsimiles/``)."""
    found = []
    for surface in doc.root.iterfind("tei:facsimile/tei:surface", NS):
        graphic = surface.find("tei:graphic", NS)
        url = graphic.get("url", "") if graphic is not None else ""
        if not _SAFE.match(url) or ".." in url:
            continue
        note = surface.find("tei:note[@type='ocr']", NS)
        cert = note.get("cert") if note is not None else None
        confidence = _confidence(cert)
        media = surface.find("tei:media[@type='ocr-words']", NS)
        words = media.get("url", "") if media is not None else ""
        found.append(Page(
            n=surface.get("n") or str(len(found) + 1), surface_id=surface.get(XML_ID, ""),
            url=url, width=_pixels(graphic.get("width")), height=_pixels(graphic.get("height")),
            confidence=confidence, ocr_lang=note.get("n", "") if note is not None else "",
            ocr_note="".join(note.itertext()) if note is not None else "",
            words_url=words if _SAFE_WORDS.match(words) and ".." not in words else ""))
    return found


def page(doc: Document, n: str) -> Page | None:
    return next((p for p in pages(doc) if p.n == n), None)


def image_path(sources: Path, p: Page) -> Path:
    return sources / p.url


def mean_confidence(found: list[Page]) -> int | None:
    confs = [p.confidence for p in found if p.confidence is not None]
    return round(100 * sum(confs) / len(confs)) if confs else None


def original(sources: Path, doc: Document) -> tuple[str, Path] | None:
    """(name it was imported under, the kept copy) of the document's original file."""
    for name, digest in doc.inputs:
        if not re.fullmatch(r"[0-9a-f]{64}", digest or ""):
            continue
        kept = sorted((sources / "originals").glob(f"{digest}.*"))
        if kept:
            return name, kept[0]
    return None
