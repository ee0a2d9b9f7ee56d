"""Read access to the TEI store for the reader: documents by id, parsed once and kept while the
file is unchanged."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from indexer.bibliography import DOC_ID
from indexer.store import doc_path, document_paths
from indexer.teidoc import Document, read_document

_TYPE_ORDER = {"essay": 0}
log = logging.getLogger("library.documents")
# Ids are made from names cut to 80 characters (plus "-N"); a longer one cannot be stored, and
# asking the file system for it fails with "file name too long" past 255 bytes.
MAX_DOC_ID = 200


def _valid(doc_id: str) -> bool:
    return len(doc_id) <= MAX_DOC_ID and bool(DOC_ID.match(doc_id))


class DocumentStore:
    def __init__(self, sources: Path):
        self.sources = Path(sources)
        self._cache: dict[str, tuple[float, Document]] = {}
        self._faults: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def fault(self, doc_id: str) -> str | None:
        """Why the stored file of ``doc_id`` cannot be read, when it cannot."""
        self.get(doc_id)
        entry = self._faults.get(doc_id)
        return entry[1] if entry else None

    def get(self, doc_id: str) -> Document | None:
        """The document ``doc_id``, or None when there is no such document or its file cannot
        be read (``fault`` says why: one damaged file must not take other pages down)."""
        if not _valid(doc_id):
            return None
        path = doc_path(self.sources, doc_id)
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return None
        with self._lock:
            cached = self._cache.get(doc_id)
            if cached and cached[0] == mtime:
                return cached[1]
            known = self._faults.get(doc_id)
            if known and known[0] == mtime:
                return None
        try:
            doc = read_document(path)
        except Exception as exc:  # noqa: BLE001  (any fault of the file: reported, not raised)
            log.warning("cannot show %s: %s", path.name, exc)
            with self._lock:
                self._faults[doc_id] = (mtime, str(exc))
            return None
        with self._lock:
            self._cache[doc_id] = (mtime, doc)
            self._faults.pop(doc_id, None)
        return doc

    def raw(self, doc_id: str) -> bytes | None:
        """The stored TEI bytes, exactly as stored."""
        if not _valid(doc_id):
            return None
        path = doc_path(self.sources, doc_id)
        return path.read_bytes() if path.is_file() else None

    def withdrawn(self) -> list[Document]:
        """Documents withdrawn from the library (their tombstones), kept in ``withdrawn/``."""
        folder = self.sources / "withdrawn"
        found = []
        for path in sorted(folder.glob("*.xml")) if folder.is_dir() else []:
            try:
                found.append(read_document(path))
            except Exception as exc:  # noqa: BLE001  (one damaged file: logged, left out)
                log.warning("cannot read the withdrawn %s: %s", path.name, exc)
        return found

    def all(self) -> list[Document]:
        """Every document: essays first, then by date and title."""
        docs = [d for d in (self.get(p.stem) for p in document_paths(self.sources)) if d]
        return sorted(docs, key=lambda d: (_TYPE_ORDER.get(d.type, 1), d.date, d.title))
