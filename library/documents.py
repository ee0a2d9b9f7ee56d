"""Read access to the TEI store for the reader: documents by id, parsed once and kept while the
file is unchanged, the most recently read first, up to a bound (``LIBRARY_DOCUMENT_CACHE``
documents, and as many characters of text): a server's memory does not grow with the store,
however many documents its exports and pages have read."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path

from indexer.bibliography import DOC_ID, MAX_DOC_ID
from indexer.store import doc_path, document_paths
from indexer.teidoc import Document, read_document

from .ratelimit import setting

_TYPE_ORDER = {"essay": 0}
log = logging.getLogger("library.documents")
# documents kept parsed, and characters of their text at most: a page reads at most a few
# hundred documents, and an export reads each of its documents once
CACHE_DOCUMENTS = 2_000
CACHE_CHARACTERS = 200_000_000


def _valid(doc_id: str) -> bool:
    return len(doc_id) <= MAX_DOC_ID and bool(DOC_ID.match(doc_id))


class DocumentStore:
    def __init__(self, sources: Path):
        self.sources = Path(sources)
        self._cache: OrderedDict[str, tuple[float, Document, int]] = OrderedDict()
        self._characters = 0  # of the text of the documents in the cache
        self._limit = max(1, int(setting("LIBRARY_DOCUMENT_CACHE", CACHE_DOCUMENTS)))
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
                self._cache.move_to_end(doc_id)
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
            self._keep(doc_id, mtime, doc)
            self._faults.pop(doc_id, None)
        return doc

    def _keep(self, doc_id: str, mtime: float, doc: Document) -> None:
        """Into the cache (under the lock), the least recently read going past the bounds."""
        old = self._cache.pop(doc_id, None)
        if old:
            self._characters -= old[2]
        size = sum(len(p.text or "") for p in doc.passages)
        self._cache[doc_id] = (mtime, doc, size)
        self._characters += size
        while len(self._cache) > 1 and (len(self._cache) > self._limit
                                        or self._characters > CACHE_CHARACTERS):
            _, (_, _, gone) = self._cache.popitem(last=False)
            self._characters -= gone

    def cached(self) -> int:
        """Documents kept parsed now."""
        return len(self._cache)

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
