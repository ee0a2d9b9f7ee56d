"""The progress bar of ``library import`` on a terminal (tqdm): files and pages done and to
do, failures so far, elapsed time and time left, and the Dask dashboard's address when a
cluster does the work. Nothing at all when output is not a terminal or ``--json`` is given."""

from __future__ import annotations

import shutil
import sys
import time

from indexer.progress import Progress


class ProgressBar:
    def __init__(self) -> None:
        self.bar = None
        self.shown = 0.0

    def __call__(self, progress: Progress) -> None:
        from tqdm import tqdm

        if self.bar is None:
            if progress.dashboard:
                print(f"library: importing {progress.where}; Dask dashboard: "
                      f"{progress.dashboard}", file=sys.stderr, flush=True)
            size = shutil.get_terminal_size((100, 20))
            # (a terminal that reports no size, 0 × 0, would hide the bar altogether)
            self.bar = tqdm(total=1, unit="", file=sys.stderr, ncols=size.columns or 100,
                            nrows=size.lines or 20,
                            bar_format="{bar:20} {desc} [{elapsed}<{remaining}]")
        now = time.monotonic()
        finished = (progress.files_done == progress.files_total
                    and progress.pages_done == progress.pages_total)
        if now - self.shown < 0.2 and not finished:
            return
        self.shown = now
        self.bar.total = max(1, progress.files_total + progress.pages_total)
        self.bar.n = progress.files_done + progress.pages_done
        pages = (f", pages {progress.pages_done}/{progress.pages_total}"
                 if progress.pages_total else "")
        self.bar.set_description_str(f"files {progress.files_done}/{progress.files_total}{pages}, "
                                 f"failed {progress.failed}", refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def progress_bar(quiet: bool) -> ProgressBar | None:
    """A bar on a terminal; None (silence) with ``--json`` or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    return ProgressBar()
