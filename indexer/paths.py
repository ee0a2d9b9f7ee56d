"""Where things live. Defaults suit a checkout (run from its root); each can be moved by an
environment variable, which is how tests build into a temporary ``LIBRARY_HOME``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    seeds: Path
    sources: Path
    home: Path

    @property
    def index(self) -> Path:
        return self.home / "index"

    @classmethod
    def from_env(cls, root: Path | None = None) -> Paths:
        root = Path(root) if root else _default_root()
        env = os.environ
        return cls(
            seeds=Path(env.get("LIBRARY_SEEDS", root / "seeds")),
            sources=Path(env.get("LIBRARY_SOURCES", root / "sources")),
            home=Path(env.get("LIBRARY_HOME", root / "var")),
        )


def _default_root() -> Path:
    """The working directory if it holds a store, else the checkout this code came from."""
    cwd = Path.cwd()
    if (cwd / "sources").is_dir() or (cwd / "seeds").is_dir():
        return cwd
    return Path(__file__).resolve().parent.parent
