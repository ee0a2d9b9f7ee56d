"""A work's authoritative source (``sourceDesc/bibl/idno[@type='source']``, its URL in
``@corresp``): what the record, the notes list and the citation exports point readers to."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from indexer.teidoc import Document


@dataclass
class Source:
    label: str
    url: str = ""  # only http(s) links are given out


def authoritative(doc: Document | None) -> Source | None:
    record = doc.record if doc is not None else None
    if record is None:
        return None
    idno = record.find("{*}idno[@type='source']")
    if idno is None:
        return None
    url = idno.get("corresp", "")
    label = " ".join("".join(idno.itertext()).split())
    return Source(label, url if urlparse(url).scheme in ("http", "https") else "")


def as_text(source: Source | None) -> str:
    if source is None:
        return ""
    return source.label + (f" <{source.url}>" if source.url else "")
