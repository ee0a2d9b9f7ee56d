"""A small thread-safe cache, least recently used first out, bounded by a weight: what an
adapter computed for an index segment or a generation, kept for the requests that follow."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Kept:
    """Values kept while the total of ``weigh`` over them stays within ``most`` (the least
    recently used goes first; one entry is always kept)."""

    def __init__(self, most: int, weigh: Callable[[object], int] = lambda value: 1):
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._most, self._weigh, self._weight = most, weigh, 0
        # keys being computed: a second request for one waits for the first instead of doing
        # the same work beside it (eight readers searching the same word at once)
        self._busy: dict[Hashable, threading.Event] = {}

    def get(self, key: Hashable):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            if key in self._values:
                return
            self._values[key] = value
            self._weight += self._weigh(value)
            while self._weight > self._most and len(self._values) > 1:
                self._weight -= self._weigh(self._values.popitem(last=False)[1])

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._weight = 0

    def compute(self, key: Hashable, make: Callable[[], object],
                wait: Callable[[], float | None] = lambda: None):
        """The value kept for ``key``, else ``make()`` kept. While another thread makes the
        same key, wait for it (at most ``wait()`` seconds; None: as long as it takes); if it
        failed, make it here."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
                return value
            busy = self._busy.get(key)
            if busy is None:
                busy = self._busy[key] = threading.Event()
                mine = True
            else:
                mine = False
        if not mine:
            busy.wait(wait())
            value = self.get(key)
            if value is None:  # the maker failed, or is slower than our wait
                value = make()
                self.put(key, value)
            return value
        try:
            value = make()
            self.put(key, value)
            return value
        finally:
            with self._lock:
                self._busy.pop(key, None)
            busy.set()
