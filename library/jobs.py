"""Web imports run as background jobs, one at a time (the store has one writer), each with its
progress and, at the end, the same report the command prints."""

from __future__ import annotations

import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from indexer.ingest import Importer, ImportOptions, Report
from indexer.manifest import Manifest
from indexer.paths import Paths


@dataclass
class Job:
    id: str
    user: str
    folder: Path
    names: dict[str, str]  # saved file name → the name it was uploaded under
    options: ImportOptions
    manifest: Manifest | None
    state: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int = 0
    current: str = ""
    report: Report | None = None
    error: str = ""
    created: float = field(default_factory=time.time)


class JobRunner:
    def __init__(self, paths: Paths):
        self.paths = paths
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job: Job) -> Job:
        with self._lock:
            self.jobs[job.id] = job
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="import-jobs",
                                                daemon=True)
                self._worker.start()
        self._queue.put(job)
        return job

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            job.state = "running"

            def progress(done: int, total: int, name: str, job=job) -> None:
                job.done, job.total, job.current = done, total, job.names.get(name, name)

            try:
                importer = Importer(self.paths, job.options, job.manifest, progress)
                job.report = importer.run([job.folder])
                job.state = "done"
            except Exception as exc:  # noqa: BLE001  (a job must end with a message, not hang)
                job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
            finally:
                self._queue.task_done()


def new_job_id() -> str:
    return uuid.uuid4().hex[:12]
