"""CSV of records: one document per row. Columns are found by name (title/headline, date,
body/text, link/url/source, summary/description, author/creator, language, type); a manifest
row for the CSV file may name other columns as ``{column}`` in its cells."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from . import Block, Extracted, ReadOptions, RefusedInput, streams
from .text import paragraphs

COLUMNS = {
    "title": ("title", "headline", "name"),
    "date": ("date", "issued", "created"),
    "text": ("body", "text", "content", "fulltext"),
    "source": ("link", "url", "source", "identifier"),
    "description": ("summary", "description", "abstract"),
    "creator": ("author", "creator", "authors"),
    "language": ("language", "lang"),
    "type": ("type", "genre"),
}


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    lower = {h.lower().strip(): h for h in header}
    return next((lower[n] for n in names if n in lower), None)


def read(path: Path, data: bytes, options: ReadOptions) -> list[Extracted]:
    stream, _ = streams.open_text(path, data, "CSV")  # decoded as read, row by row
    csv.field_size_limit(sys.maxsize)  # record bodies can exceed the default 131,072
    rows = csv.DictReader(stream)
    cap = streams.csv_rows()
    header = rows.fieldnames or []
    found = {key: _column(header, names) for key, names in COLUMNS.items()}
    if not found["text"]:
        raise RefusedInput(f"{path.name}: no text column (one of {', '.join(COLUMNS['text'])}); "
                           f"columns are {', '.join(header)}")
    out = []
    try:
        for number, row in enumerate(rows, start=1):
            if number > cap:
                raise RefusedInput(f"{path.name}: more than {cap:,} records "
                                   "(LIBRARY_IMPORT_CSV_ROWS); split the file or raise the "
                                   "limit")

            def get(key: str, row=row) -> str:
                return (row.get(found[key]) or "").strip() if found[key] else ""

            body = get("text")
            if not body:
                continue
            source = get("source")
            tail = re.sub(r"[^A-Za-z0-9]+", "-", source.rstrip("/").rsplit("/", 1)[-1]) \
                if source else ""
            out.append(Extracted(
                id_hint=f"{path.stem}-{tail or number}",
                title=get("title") or f"{path.stem}, row {number}",
                creators=[c.strip() for c in get("creator").split("|") if c.strip()],
                date=get("date")[:10], language=get("language"), type=get("type"),
                source=source, description=get("description"),
                blocks=[Block("p", p) for p in paragraphs(body)],
                notes=[f"row {number} of {path.name}"],
            ))
    except csv.Error as exc:
        raise RefusedInput(f"{path.name}: not readable as CSV at line {rows.line_num}: {exc}") \
            from None
    if not out:
        raise RefusedInput(f"{path.name}: no row has text")
    return out
