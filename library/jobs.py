"""Web imports run as background jobs, each in a process of its own, with its progress and, at
the end, the same report the command prints.

Jobs are kept in SQLite (``$LIBRARY_HOME/jobs.sqlite``), so that every server worker shows
every job and a restart loses none. A job runs in a child process (``python -m library.jobs``),
not in a thread of the web worker: reading PDFs and compiling tei_all hold the interpreter for
seconds, which would stall that worker's requests. The child takes the library's write lock
like any import, so jobs and CLI imports take turns; a job whose process died (a restart, a
kill) is started again when a server starts, and the import it runs skips what was done.
Its reading runs where the command's would: on the Dask scheduler of
``LIBRARY_DASK_SCHEDULER``, or on ``LIBRARY_IMPORT_JOBS`` local worker processes. Its progress
(files and pages, failures, the Dask dashboard) is kept with it for the job page to poll.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from indexer.cluster import ClusterUnreachable
from indexer.ingest import Importer, ImportOptions, Report
from indexer.manifest import Manifest, read_manifest
from indexer.paths import Paths
from indexer.processes import alive
from indexer.progress import Progress

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    folder TEXT NOT NULL,
    names TEXT NOT NULL,       -- JSON: saved file path → the name it was uploaded under
    options TEXT NOT NULL,     -- JSON: ImportOptions
    manifest TEXT NOT NULL,    -- path of the uploaded manifest, or ''
    state TEXT NOT NULL,       -- queued, running, done, failed
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    current TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',  -- e.g. waiting for another import
    progress TEXT NOT NULL DEFAULT '{}',  -- JSON: indexer.progress.Progress
    report TEXT,               -- JSON: Report.as_json()
    error TEXT NOT NULL DEFAULT '',
    pid INTEGER,
    created REAL NOT NULL,
    updated REAL NOT NULL
)
"""
# A queued job with no process for this long was never started (its server died first).
_NEVER_STARTED = 30.0


@dataclass
class Job:
    id: str
    user: str
    folder: Path
    names: dict[str, str]  # saved file name → the name it was uploaded under
    options: ImportOptions
    manifest: str = ""  # path of the uploaded manifest
    state: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int = 0
    current: str = ""
    message: str = ""
    progress: Progress = field(default_factory=Progress)
    report: Report | None = None
    error: str = ""
    pid: int | None = None
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)


class JobStore:
    def __init__(self, home: Path):
        self.path = Path(home) / "jobs.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(jobs)")}
            if "progress" not in columns:  # a jobs.sqlite of an earlier version
                db.execute("ALTER TABLE jobs ADD COLUMN progress TEXT NOT NULL DEFAULT '{}'")

    def _db(self) -> sqlite3.Connection:
        # a connection per use: sqlite3 connections are not to be shared between threads
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def create(self, job: Job) -> None:
        now = time.time()
        with self._db() as db:
            db.execute(
                "INSERT INTO jobs (id, user, folder, names, options, manifest, state, created, "
                "updated) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
                (job.id, job.user, str(job.folder), json.dumps(job.names),
                 json.dumps(asdict(job.options)), job.manifest, now, now))

    def get(self, job_id: str) -> Job | None:
        with self._db() as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def recent(self, limit: int = 20) -> list[Job]:
        with self._db() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM jobs ORDER BY created DESC LIMIT ?",
                              (limit,)).fetchall()
        return [_job(r) for r in rows]

    def update(self, job_id: str, **values) -> None:
        if "report" in values and values["report"] is not None:
            values["report"] = json.dumps(values["report"].as_json())
        if "progress" in values:
            values["progress"] = json.dumps(values["progress"].as_json())
        values["updated"] = time.time()
        columns = ", ".join(f"{k} = ?" for k in values)
        with self._db() as db:
            db.execute(f"UPDATE jobs SET {columns} WHERE id = ?", (*values.values(), job_id))

    def claim(self, job_id: str, pid: int) -> bool:
        """Mark a queued job as run by ``pid``; False when another process has it."""
        with self._db() as db:
            cur = db.execute("UPDATE jobs SET state = 'running', pid = ?, updated = ? "
                             "WHERE id = ? AND state = 'queued'", (pid, time.time(), job_id))
            return cur.rowcount == 1

    def orphans(self) -> list[str]:
        """Jobs whose process is gone before they ended, each requeued (atomically: of several
        server workers starting at once, one gets each job)."""
        found = []
        with self._db() as db:
            rows = db.execute("SELECT id, state, pid, updated FROM jobs "
                              "WHERE state IN ('queued', 'running')").fetchall()
            for job_id, state, pid, updated in rows:
                if pid is not None and alive(pid):
                    continue
                if state == "queued" and time.time() - updated < _NEVER_STARTED:
                    continue  # just submitted: its process may be starting
                cur = db.execute("UPDATE jobs SET state = 'queued', pid = NULL, updated = ?, "
                                 "message = 'started again after an interruption' WHERE id = ? "
                                 "AND state = ? AND pid IS ?", (time.time(), job_id, state, pid))
                if cur.rowcount == 1:
                    found.append(job_id)
        return found


def _job(row: sqlite3.Row) -> Job:
    report = json.loads(row["report"]) if row["report"] else None
    return Job(
        id=row["id"], user=row["user"], folder=Path(row["folder"]),
        names=json.loads(row["names"]), options=ImportOptions(**json.loads(row["options"])),
        manifest=row["manifest"], state=row["state"], done=row["done"], total=row["total"],
        current=row["current"], message=row["message"],
        progress=Progress.from_json(json.loads(row["progress"] or "{}")),
        report=Report.from_json(report) if report is not None else None, error=row["error"],
        pid=row["pid"], created=row["created"], updated=row["updated"])


class JobRunner:
    """Submits jobs (as child processes) and reads them back, for any worker."""

    def __init__(self, paths: Paths):
        self.paths = paths
        self.store = JobStore(paths.home)
        for job_id in self.store.orphans():
            self._start(job_id)

    def submit(self, job: Job) -> Job:
        self.store.create(job)
        self._start(job.id)
        return job

    def get(self, job_id: str) -> Job | None:
        return self.store.get(job_id)

    def _start(self, job_id: str) -> None:
        env = dict(os.environ, LIBRARY_HOME=str(self.paths.home),
                   LIBRARY_SOURCES=str(self.paths.sources), LIBRARY_SEEDS=str(self.paths.seeds))
        logs = self.paths.home / "jobs"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / f"{job_id}.log", "ab") as log:
            # a session of its own: a server worker restarting does not take the job with it
            proc = subprocess.Popen([sys.executable, "-m", "library.jobs", job_id], env=env,
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    start_new_session=True)
        # reap it when it ends, so that it leaves no zombie behind
        threading.Thread(target=proc.wait, name=f"job-{job_id}", daemon=True).start()


def run_job(paths: Paths, job_id: str) -> int:
    """The body of a job's process: claim it, import, record the report."""
    store = JobStore(paths.home)
    if not store.claim(job_id, os.getpid()):
        return 0  # another process runs it, or it has ended
    job = store.get(job_id)
    # where the reading runs: the same setting as the command's (a Dask scheduler, or
    # LIBRARY_IMPORT_JOBS local worker processes)
    job.options = replace(job.options, cluster=job.options.cluster or "",
                          jobs=max(job.options.jobs, _env_jobs()))

    shown = [0.0]

    def progress(p: Progress) -> None:
        now = time.monotonic()
        if now - shown[0] < 0.5 and p.files_done < p.files_total:
            return  # the page asks once a second: no need to write more often
        shown[0] = now
        name = p.current
        for saved, uploaded in job.names.items():  # the name it was uploaded under
            if Path(saved).name == name:
                name = uploaded
                break
        store.update(job_id, done=p.files_done, total=p.files_total, current=name,
                     progress=replace(p, current=name), message="")

    def waiting(message: str) -> None:
        store.update(job_id, message=message.replace("waiting for", "Waiting for", 1))

    try:
        manifest = _manifest(job)
        importer = Importer(paths, job.options, manifest, progress, on_wait=waiting)
        report = importer.run([job.folder])
        store.update(job_id, state="done", report=report, message="", current="")
    except ClusterUnreachable as exc:
        store.update(job_id, state="failed", error=str(exc), message="")
        return 1
    except Exception as exc:  # noqa: BLE001  (a job must end with a message, not hang)
        store.update(job_id, state="failed", error=f"{type(exc).__name__}: {exc}", message="")
        return 1
    return 0


def _manifest(job: Job) -> Manifest | None:
    if not job.manifest:
        return None
    manifest, _ = read_manifest(Path(job.manifest))  # checked when it was uploaded
    manifest.path = job.folder / "manifest.csv"  # entries resolve against the batch
    return manifest


def _env_jobs() -> int:
    try:
        return max(1, int(os.environ.get("LIBRARY_IMPORT_JOBS", "1")))
    except ValueError:
        return 1


def new_job_id() -> str:
    return uuid.uuid4().hex[:12]


if __name__ == "__main__":
    sys.exit(run_job(Paths.from_env(), sys.argv[1]))
