"""How far an import is: files and pages done and to do, failures so far, time; what the
command's progress bar and the web job page show."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field


@dataclass
class Progress:
    files_done: int = 0
    files_total: int = 0
    pages_done: int = 0
    pages_total: int = 0  # grows as files of pages are opened
    failed: int = 0
    current: str = ""  # the file last written
    where: str = ""  # in this process, on 2 local worker processes, on the Dask scheduler …
    dashboard: str = ""  # the Dask dashboard's address, when there is one
    started: float = field(default_factory=time.time)

    @property
    def elapsed(self) -> float:
        return max(0.0, time.time() - self.started)

    @property
    def remaining(self) -> float | None:
        """Seconds left, from the rate so far (files and pages weigh the same); None before
        anything is done."""
        done = self.files_done + self.pages_done
        todo = self.files_total + self.pages_total - done
        if done == 0 or self.elapsed < 1:
            return None
        return max(0.0, todo * self.elapsed / done)

    def as_json(self) -> dict:
        data = asdict(self)
        data["elapsed"] = round(self.elapsed, 1)
        remaining = self.remaining
        data["remaining"] = None if remaining is None else round(remaining, 1)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Progress:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
