"""The TEI store of record: one ``<doc_id>.xml`` per document in ``sources/``.

Writes go to a temporary file in the same folder and are renamed into place, so a reader (or a
crash) never sees half a document.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import tiles


def doc_path(sources: Path, doc_id: str) -> Path:
    return sources / f"{doc_id}.xml"


def write_document(sources: Path, doc_id: str, data: bytes) -> bool:
    """Store ``data`` as ``doc_id``; return False when the stored bytes were already identical."""
    sources.mkdir(parents=True, exist_ok=True)
    target = doc_path(sources, doc_id)
    if target.exists() and target.read_bytes() == data:
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{doc_id}.", suffix=".tmp", dir=sources)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def document_paths(sources: Path) -> list[Path]:
    """Every stored TEI document, in a stable order."""
    return sorted(p for p in sources.glob("*.xml") if not p.name.startswith("."))


def clean_temporaries(sources: Path) -> int:
    """Remove temporary files a killed writer left (call under the write lock: then no write
    is under way). Returns how many were removed."""
    removed = 0
    for folder in (sources, sources / "originals", sources / "withdrawn",
                   *sources.glob("versions/*"), *sources.glob("facsimiles/*")):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed += 1
    for folder in sources.glob("facsimiles/*"):
        removed += tiles.clean_stale(folder)
    return removed
