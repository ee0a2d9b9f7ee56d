"""Where an import's tasks run: in this process, on a LocalCluster of worker processes, or on
a running Dask scheduler (``--cluster tcp://HOST:8786``, ``LIBRARY_DASK_SCHEDULER``).

The importer sees one small interface (submit, share, wait for the next results), so the same
pipeline runs everywhere. The library does not schedule anything itself: Dask distributed
places the tasks, moves the data, and runs a task again elsewhere when its worker dies.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future

RETRIES = 2  # a task that raised is run again this often (a dying worker is handled by Dask)
CONNECT_SECONDS = 5.0  # an unreachable scheduler is an error after this long
# Below this much work (files of text, a file of pages counting 25), --jobs N runs in this
# process: starting N worker processes (each importing lxml, lingua, trafilatura) costs more
# than it saves. bench/ingest_bench.py measures the cross-over (README).
IN_PROCESS_BELOW = int(os.environ.get("LIBRARY_IN_PROCESS_BELOW", "100"))
# Dask's watching of itself, made rarer: on 2 cores, its statistical profiler (a stack sample
# every 10 ms), its event-loop ticks (every 20 ms), its memory and system monitors and its
# GIL sampling took about 20 s of CPU in a 70 s import of 100 scanned pages (py-spy), time the
# pages did not get. The dashboard still updates, every few seconds.
QUIET_DASK = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}


class ClusterUnreachable(RuntimeError):
    """The scheduler named cannot be reached (exit 2 on the command line)."""


def scheduler_address(cluster: str | None = None) -> str:
    """``--cluster``, else ``LIBRARY_DASK_SCHEDULER``, else '' (no cluster)."""
    return (cluster or os.environ.get("LIBRARY_DASK_SCHEDULER", "")).strip()


def worker_name() -> str:
    """The worker running the current task: its name when it was given one (``dask worker
    --name``), else its address; ``in-process`` outside Dask."""
    if "distributed" not in sys.modules:
        return "in-process"
    from distributed import get_worker

    try:
        worker = get_worker()
    except ValueError:
        return "in-process"
    name = worker.name
    if isinstance(name, int):  # a LocalCluster's workers are numbered
        return f"local-{name} ({worker.address})"
    return str(name or worker.address)


class InProcess:
    """Runs each task when it is submitted (no processes to start: the fastest for a few
    files, and what ``--jobs 1`` does)."""

    workers = 1
    dashboard = ""
    where = "in this process"

    def submit(self, fn: Callable, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001  (the caller reads it from the future)
            future.set_exception(exc)
        return future

    def share(self, data: object) -> object:
        return data

    def next_done(self, futures: Iterable) -> list:
        return [f for f in futures if f.done()]

    def close(self) -> None:
        pass


class OnDask:
    """Tasks on a Dask cluster: a scheduler given by address, or a LocalCluster of ``jobs``
    single-threaded worker processes started here (and stopped at the end)."""

    def __init__(self, address: str = "", jobs: int = 2):
        # Dask's own log lines are for its operators: the import reports what matters
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")  # (worker processes too)
        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover  (a dependency of the project)
            raise ClusterUnreachable(f"Dask distributed is not installed ({exc})") from None
        dask.config.set(QUIET_DASK)  # (a LocalCluster's workers are started with it too)
        self.cluster = None
        if address:
            try:
                self.client = Client(address, timeout=CONNECT_SECONDS)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterUnreachable(f"cannot reach the Dask scheduler at {address} "
                                         f"within {CONNECT_SECONDS:.0f} s ({exc})") from None
            self.where = f"on the Dask scheduler {address}"
        else:
            # Tesseract's OpenMP threads stay at one: the workers, not threads, share the cores
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=":0" if _has_bokeh() else None,
                                        env={"OMP_THREAD_LIMIT": "1"})
            self.client = Client(self.cluster)
            self.where = f"on {jobs} local worker processes"
        info = self.client.scheduler_info()
        self.workers = max(1, len(info.get("workers", {})))
        self.dashboard = (self.client.dashboard_link
                          if info.get("services", {}).get("dashboard") else "")

    def submit(self, fn: Callable, *args):
        return self.client.submit(fn, *args, pure=False, retries=RETRIES)

    def share(self, data: object):
        """Sent to the workers once, however many tasks read it (a PDF's bytes)."""
        # on every worker: the bytes outlive any one of them dying
        return self.client.scatter(data, hash=False, broadcast=True)

    def next_done(self, futures: Iterable) -> list:
        from distributed import wait

        futures = list(futures)
        if not futures:
            return []
        return list(wait(futures, return_when="FIRST_COMPLETED").done)

    def close(self) -> None:
        from .pages import close_open

        if self.cluster is not None:
            # the PDF each local worker's last page task kept open: else pypdfium2 warns on
            # this command's stderr as they stop (a cluster's own workers keep theirs until
            # their next PDF: the library does not stop them)
            try:
                self.client.run(close_open, wait=True)
            except Exception:  # noqa: BLE001, S110  (a worker gone already has nothing open)
                pass
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _has_bokeh() -> bool:
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True


def open_executor(cluster: str, jobs: int, work: int):
    """Where this import runs: the scheduler named, else a LocalCluster of ``jobs`` workers
    when there is enough ``work`` to repay starting them, else this process."""
    address = scheduler_address(cluster)
    if address:
        return OnDask(address)
    if jobs > 1 and work >= IN_PROCESS_BELOW:
        try:
            return OnDask(jobs=jobs)
        except (RuntimeError, OSError, TimeoutError) as exc:
            # a loaded machine can fail to start local workers ("Nanny failed to start"): the
            # same work runs in this process, slower, rather than not at all
            print(f"library import: {jobs} local worker processes could not start "
                  f"({exc}); importing in this process", file=sys.stderr)
    return InProcess()
