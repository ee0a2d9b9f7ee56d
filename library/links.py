"""A work's authoritative source (``sourceDesc/bibl/idno[@type='source']``, its URL in
``@corresp``): what the record, the notes list and the citation exports point readers to."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from indexer.teidoc import Document

from .escaping import safe_url


@dataclass
class Source:
    label: str
    url: str = ""  # only http(s) and mailto links are given out (escaping.safe_url)


def authoritative(doc: Document | None) -> Source | None:
    record = doc.record if doc is not None else None
    if record is None:
        return None
    idno = record.find("{*}idno[@type='source']")
    if idno is None:
        return None
    url = idno.get("corresp", "")
    label = " ".join("".join(idno.itertext()).split())
    return Source(label, url if urlsplit(url).scheme and safe_url(url) else "")


def as_text(source: Source | None) -> str:
    if source is None:
        return ""
    return source.label + (f" <{source.url}>" if source.url else "")
