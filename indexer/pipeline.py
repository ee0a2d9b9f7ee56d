"""The import's tasks on their way out and back: files read ahead of the writer (bounded in
files and bytes), each file of pages spread into page tasks (bounded in pages in flight, so
that rendering never runs ahead of OCR), results taken as they complete, and documents handed
to the writer (indexer/ingest.py) in the batch's order, in batches."""

from __future__ import annotations

import hashlib
import heapq
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import limits, tasks
from .formats import KNOWN_SUFFIXES, ReadOptions, RefusedInput, reader_for
from .pages import save_facsimile
from .storestate import StoreState
from .tasks import PAGED

MAX_BYTES = 512 * 1024 * 1024
INDEX_EVERY = 50  # documents written before the index is brought up to date
# seconds: documents done are written at least this often (each write commits the index,
# measured at 1-8 s on a loaded machine: more often costs more than a crash would lose)
WRITE_EVERY = 30.0
AHEAD_BYTES = 256 * 1024 * 1024  # file bytes held for tasks ahead of the writer
PAGED_WEIGHT = 25  # a file of pages (PDF, image) counts as this many files of text
SHARE_ABOVE = 1024 * 1024  # bytes sent to the cluster once for all the tasks that read them
# Small files of text go this many to a task (and at most SHARE_ABOVE bytes): Dask costs the
# importing process about 15 ms a task (py-spy, 600 HTML files), more than reading one takes
GROUP_FILES = 16


@dataclass
class FileWork:
    """One file of the batch on its way: read, its pages, composed, then written in order."""

    index: int
    path: Path
    digest: str = ""
    data: object = None  # its bytes (or their handle on the cluster) while tasks need them
    size: int = 0
    kind: str = ""
    layer: object = None
    pages: list = field(default_factory=list)  # (n, OCR languages or None) still to submit
    page_results: list = field(default_factory=list)
    pages_left: int = 0
    result: object = None  # (digest, records) or RefusedInput, once done
    worker: str = ""
    ocr_seconds: float | None = None

    @property
    def done(self) -> bool:
        return self.result is not None


def _read(path: Path) -> tuple[bytes, str]:
    """(bytes, sha256) of a file; RefusedInput with the reason."""
    if reader_for(path) is None:
        raise RefusedInput(f"{path.name}: unknown format {path.suffix or '(no extension)'!r}; "
                           f"known: {', '.join(KNOWN_SUFFIXES)}")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RefusedInput(f"{path.name}: {size:,} bytes is over the limit of "
                               f"{MAX_BYTES:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise RefusedInput(f"{path.name}: cannot read: {exc.strerror}") from None
    return data, hashlib.sha256(data).hexdigest()


def _work_estimate(files: list[Path]) -> int:
    """Tasks a batch will make, roughly (a file of pages counts as many)."""
    return sum(PAGED_WEIGHT if f.suffix.lower() in PAGED else 1 for f in files)


class Pipeline:
    """Sends out an import's tasks and takes their results (mixed into the Importer, which
    provides ``executor``, ``progress``, ``options``, ``state``, ``scratch`` and the writer's
    ``_write_batch``)."""

    def _run(self, files: list[Path]) -> None:
        """Tasks go out a bounded distance ahead of the writer (files, bytes and pages in
        flight), results are taken as they complete, and documents are written in the batch's
        order, in batches, each under the write lock: ids come out the same whichever worker
        finishes first, and a crash loses only what was in flight."""
        self._stamp = self._store_stamp()
        self._group: list[FileWork] = []  # small files waiting to go out as one task
        self.state = StoreState.scan(self.paths.sources)  # re-read under the lock if it changed
        works = [FileWork(i, f) for i, f in enumerate(files)]
        workers = self.executor.workers
        # files read ahead of the writer: a batch's worth beyond what is being written, so
        # that the workers go on while the writer writes (with 12, they stood idle through
        # each batch's writing: an HTML batch ran slower on two workers than in one process)
        ahead = 2 * INDEX_EVERY + 4 * workers
        page_limit = limits.pages_in_flight(workers)
        flight: dict[object, tuple[str, object, int]] = {}  # (kind, FileWork or group, page)
        queued_pages: list[tuple[int, int, str | None]] = []  # heap: earliest file first
        submitted = head = 0
        ready: list[FileWork] = []
        last_write = time.monotonic()
        while head < len(works):
            held = sum(w.size for w in works[head:submitted] if w.data is not None)
            while submitted < len(works) and submitted - head < ahead and (
                    held < AHEAD_BYTES or submitted == head):
                work = works[submitted]
                self._submit_file(work, flight)
                held += work.size
                submitted += 1
            self._send_group(flight)  # (a group never waits for files not yet submitted)
            pages_out = sum(1 for kind, _, _ in flight.values() if kind == "page")
            while queued_pages and pages_out < page_limit:
                index, n, lang = heapq.heappop(queued_pages)
                work = works[index]
                flight[self.executor.submit(
                    tasks.page, work.kind, work.data, self.options.pdf_password, n, lang,
                    True)] = ("page", work, n)
                pages_out += 1
            for future in self.executor.next_done(list(flight)):
                kind, work, n = flight.pop(future)
                self._collect(kind, work, n, future, flight, queued_pages)
            while head < len(works) and works[head].done:
                ready.append(works[head])
                head += 1
            if ready and (len(ready) >= INDEX_EVERY or head == len(works)
                          or time.monotonic() - last_write >= WRITE_EVERY):
                self._write_batch(ready)
                ready, last_write = [], time.monotonic()

    def _submit_file(self, work: FileWork, flight: dict) -> None:
        try:
            data, work.digest = _read(work.path)
        except RefusedInput as exc:
            work.result = exc
            return
        if (work.digest in self.state.known and not self.options.replace
                and work.path.suffix.lower() != ".csv"):
            # already in the store (a rerun resumes): nothing to read, the writer says so
            work.result = (work.digest, [])
            return
        work.size = len(data)
        if work.path.suffix.lower() not in PAGED and len(data) < SHARE_ABOVE:
            self._group.append(work)
            work.data = data
            if (len(self._group) >= GROUP_FILES
                    or sum(w.size for w in self._group) >= SHARE_ABOVE):
                self._send_group(flight)
            return
        work.data = data if len(data) < SHARE_ABOVE else self.executor.share(data)
        flight[self.executor.submit(tasks.read_file, work.path.name, data,
                                    self._read_options(work.path))] = ("file", work, 0)

    def _send_group(self, flight: dict) -> None:
        group = self._group
        self._group = []
        if group:
            flight[self.executor.submit(tasks.read_files, [
                (w.path.name, w.data, self._read_options(w.path)) for w in group])] = (
                "files", group, 0)

    def _collect(self, kind: str, work, n: int, future, flight: dict,
                 queued_pages: list) -> None:
        try:
            answer = future.result()
        except Exception as exc:  # noqa: BLE001  (a task that failed on every try)
            what = f"page {n} " if kind == "page" else ""
            for one in work if kind == "files" else [work]:
                self._fail(one, f"{one.path.name}: {what}could not be read "
                                f"({type(exc).__name__}: {exc})")
            return
        if kind == "files":
            for one, read in zip(work, answer, strict=True):
                self._take(one, "file", read, flight, queued_pages)
        elif not work.done:  # (else the file failed already: another of its pages)
            self._take(work, kind, answer, flight, queued_pages)

    def _take(self, work: FileWork, kind: str, answer, flight: dict,
              queued_pages: list) -> None:
        if kind == "page":
            self._page_done(work, answer, flight)
            return
        if kind == "file":
            work.worker = answer.worker
        if answer.error:
            self._fail(work, answer.error)
        elif answer.records is not None:
            work.result = (work.digest, tasks.unpack(answer.records, work.path.name))
            work.data = None
        else:  # a file of pages: each page a task
            work.kind, work.layer, work.pages_left = answer.kind, answer.layer, len(answer.pages)
            self.progress.pages_total += len(answer.pages)
            for n, lang in answer.pages:
                heapq.heappush(queued_pages, (work.index, n, lang))
            self.on_progress(self.progress)
            if not answer.pages:
                self._finish(work, flight)

    def _page_done(self, work: FileWork, result, flight: dict) -> None:
        work.page_results.append(result)
        if result.ocr is not None:
            work.ocr_seconds = (work.ocr_seconds or 0.0) + result.ocr.seconds
        work.pages_left -= 1
        self.progress.pages_done += 1
        self.on_progress(self.progress)
        if work.pages_left == 0:
            self._finish(work, flight)

    def _finish(self, work: FileWork, flight: dict) -> None:
        """Every page read: the images into the scratch folder, the document composed (a task:
        it detects languages)."""
        images = [save_facsimile(r, Path(self.scratch))
                  for r in sorted(work.page_results, key=lambda r: r.n) if r.facsimile]
        results = [replace(r, facsimile=b"", tiles=b"") for r in work.page_results]
        work.data = None
        flight[self.executor.submit(tasks.finish_file, work.path.name, work.kind, work.layer,
                                    images, results)] = ("finish", work, 0)

    def _fail(self, work: FileWork, error: str) -> None:
        work.result = RefusedInput(error)
        work.data = None

    def _read_options(self, path: Path) -> ReadOptions:
        options = self._options_for(path)
        return ReadOptions(options.pdf_password, options.validate_tei, options.strict,
                           options.ocr, options.ocr_lang, self.scratch)

