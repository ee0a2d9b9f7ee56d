"""Validation against TEI P5 (``tei_all``), compiled once per process from the form
``indexer/schemacache.py`` derives once per machine (0.1 s instead of 10 s or more)."""

from __future__ import annotations

import threading
from pathlib import Path

from lxml import etree

from .schemacache import compile_schema

SCHEMA = Path(__file__).parent / "schemas" / "tei_all.rng"
_lock = threading.Lock()
_schema: etree.RelaxNG | None = None


def schema() -> etree.RelaxNG:
    global _schema
    with _lock:
        if _schema is None:
            _schema = compile_schema(SCHEMA)
    return _schema


def tei_errors(tree: etree._ElementTree, where: str = "", limit: int = 5) -> list[str]:
    """The schema's complaints about ``tree`` (empty when it is valid TEI P5), each with its
    line: 'file:12: Did not expect element date there'."""
    rng = schema()
    with _lock:  # the error log belongs to the compiled schema, so one validation at a time
        if rng.validate(tree):
            return []
        return [f"{where or e.filename}:{e.line}: {e.message}" for e in rng.error_log][:limit]
