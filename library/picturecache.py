"""Pictures and other whole-store summaries (timeline, citation graph, the register's counts)
computed once per index generation and kept: a request for them costs a lookup, whatever the
size of the store. Each is computed by one thread while the others asking wait for it (eight
clients asking for the timeline at once compute it once, not eight times)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any


class PerGeneration:
    def __init__(self) -> None:
        self._values: dict[str, tuple[Hashable, Any]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, name: str, generation: Hashable, compute: Callable[[], Any]) -> Any:
        """``name``'s value for ``generation``; computed once, and the one before dropped."""
        kept = self._values.get(name)
        if kept is not None and kept[0] == generation:
            return kept[1]
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            kept = self._values.get(name)
            if kept is not None and kept[0] == generation:
                return kept[1]
            value = compute()
            self._values[name] = (generation, value)
            return value
