"""What is made once per index generation and shared by the requests reading it: the current
generation's and the one before it (a request that opened the older one still reads it while
the next commit lands), never more."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Generations(Generic[T]):
    def __init__(self, keep: int = 2) -> None:
        self._keep = keep
        self._made: dict[Hashable, T] = {}
        self._lock = threading.Lock()

    def get(self, generation: Hashable, make: Callable[[], T]) -> T:
        """The value of ``generation``, made by ``make`` the first time (by one thread)."""
        got = self._made.get(generation)
        if got is None:
            with self._lock:
                got = self._made.get(generation)
                if got is None:
                    got = make()
                    while len(self._made) >= self._keep:  # the oldest first
                        self._made.pop(next(iter(self._made)))
                    self._made[generation] = got
        return got

    def clear(self) -> None:
        with self._lock:
            self._made.clear()
