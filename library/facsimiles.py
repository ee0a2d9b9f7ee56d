"""A document's pages as images (``facsimile/surface`` in its TEI): what the reader shows beside
the transcription, what the IIIF manifest lists, and where each image lies in the store."""

from __future__ import annotations

import json
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


# -- deep zoom: the tiles libvips cut at import (indexer.tiles) ----------------------------------
_REGION = re.compile(r"^\d{1,6},\d{1,6},\d{1,6},\d{1,6}$")
_SIZE = re.compile(r"^(\d{1,6}),(\d{0,6})$")


def tiles_folder(sources: Path, p: Page) -> Path:
    return sources / p.url.rsplit(".", 1)[0]


def tile_info(sources: Path, p: Page) -> tuple[list[dict], list[dict]]:
    """(``tiles``, ``sizes`` beyond the full one) of a page's IIIF info, or ([], []) when it
    has no tiles (imported before them, or libvips was missing)."""
    folder = tiles_folder(sources, p)
    try:
        data = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        thumbs = [d.name for d in (folder / "full").iterdir() if _SIZE.match(d.name)]
    except (OSError, ValueError):
        return [], []
    found = []
    for t in data.get("tiles", []) if isinstance(data, dict) else []:
        if isinstance(t, dict) and isinstance(t.get("width"), int) and all(
                isinstance(f, int) for f in t.get("scaleFactors", [])):
            found.append({"width": t["width"], "height": t.get("height", t["width"]),
                          "scaleFactors": t["scaleFactors"]})
    sizes = []
    for name in sorted(thumbs, key=lambda s: int(s.split(",")[0])):
        w, h = name.split(",")
        if h:
            sizes.append({"width": int(w), "height": int(h)})
    return found, sizes


def tile_path(sources: Path, p: Page, region: str, size: str) -> Path | None:
    """The file of one tile (or the thumbnail: region ``full``), when it was made."""
    m = _SIZE.match(size)
    if not (m and (region == "full" or _REGION.match(region))):
        return None
    folder = tiles_folder(sources, p) / region
    exact = folder / size / "0" / "default.jpg"
    if m.group(2) or exact.is_file():
        return exact if exact.is_file() else None
    # "w," (the height left to the server): the one size of that width libvips wrote
    found = sorted(folder.glob(f"{m.group(1)},*/0/default.jpg"))
    return found[0] if found else None
