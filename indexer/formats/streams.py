"""Text and CSV read as streams, within settable limits.

The bytes of a file are decoded as they are read (an incremental decoder checks UTF-8 over the
whole file without making a second copy of it; the Russian single-byte encodings are told
apart on the first megabyte), so a text or a CSV file is held once, as its bytes, and then as
the paragraphs or records made of it, never also as one decoded string.

Limits (environment variables, each settable; a file over one is refused with its name, its
size and the setting that moves the limit, and nothing changes):

* ``LIBRARY_IMPORT_TEXT_MB`` (default 16): the largest plain-text file. Measured: a 10 MB
  text (one document of about 20,000 passages) peaked at 525 MB in its import process, so a
  16 MB one stays under about 1 GB (the document's TEI and index entries, not the reading,
  are most of it).
* ``LIBRARY_IMPORT_CSV_ROWS`` (default 20,000): the most records one CSV file may hold (split
  larger files; each record is a document, and a batch's records are written together).
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import RefusedInput

DEFAULT_TEXT_MB = 16
DEFAULT_CSV_ROWS = 20_000
_CHUNK = 1 << 20
_CYRILLIC = re.compile(r"[А-яЁё]")
_LOWER_CYRILLIC = re.compile(r"[а-яё]")


def _setting(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def text_limit() -> int:
    """The largest plain-text file, in bytes (``LIBRARY_IMPORT_TEXT_MB``)."""
    return _setting("LIBRARY_IMPORT_TEXT_MB", DEFAULT_TEXT_MB) * 1024 * 1024


def csv_rows() -> int:
    return _setting("LIBRARY_IMPORT_CSV_ROWS", DEFAULT_CSV_ROWS)


def _valid(data: bytes, encoding: str, start: int = 0) -> bool:
    """Whether ``data[start:]`` decodes as ``encoding``, checked a megabyte at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for at in range(start, len(data), _CHUNK):
            decoder.decode(view[at:at + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def encoding_of(data: bytes) -> tuple[str, int, str]:
    """(codec, bytes to skip, how to say it) for ``data``: a byte-order mark, else UTF-8 when
    the whole file is UTF-8, else CP1251 or KOI8-R when one reads as running Russian text, else
    Latin-1 (as ``text.decode`` decides, without decoding the whole file at once)."""
    from .text import bom_encoding

    marked = bom_encoding(data)
    if marked:
        if not _valid(data, marked[0], marked[1]):
            raise RefusedInput(f"marked as {marked[0]} by its byte-order mark, but not "
                               f"{marked[0]} throughout")
        return marked[0], marked[1], f"{marked[0]} (with BOM)"
    if _valid(data, "utf-8"):
        return "utf-8", 0, "utf-8"
    sample = data[:_CHUNK]
    best = None
    for encoding in ("cp1251", "koi8_r"):
        text = sample.decode(encoding, errors="replace")
        letters = len(_CYRILLIC.findall(text))
        score = len(_LOWER_CYRILLIC.findall(text)) / letters if letters else 0
        if best is None or score > best[0]:
            best = (score, encoding)
    if best and best[0] > 0.5 and _valid(data, best[1]):
        return best[1], 0, best[1]
    return "latin-1", 0, "latin-1"


def open_text(path: Path, data: bytes, kind: str, limit: int | None = None
              ) -> tuple[io.TextIOWrapper, str]:
    """A decoding stream over ``data`` and the encoding's name; refuses empty, binary and (with
    ``limit``) over-large files, saying which."""
    from .text import bom_encoding, looks_binary

    if limit is not None and len(data) > limit:
        raise RefusedInput(f"{path.name}: {len(data):,} bytes of {kind} is over the limit of "
                           f"{limit:,} (LIBRARY_IMPORT_TEXT_MB); split the file or raise the "
                           "limit")
    if not data.strip():
        raise RefusedInput(f"{path.name}: the file is empty")
    if bom_encoding(data) is None and looks_binary(data):
        raise RefusedInput(f"{path.name}: binary content, not {kind} (is it really "
                           f"a {path.suffix} file?)")
    try:
        codec, skip, said = encoding_of(data)
    except RefusedInput as exc:
        raise RefusedInput(f"{path.name}: {exc}") from None
    raw = io.BytesIO(data)
    raw.seek(skip)
    return io.TextIOWrapper(raw, encoding=codec, newline=""), said


def lines(stream: io.TextIOBase) -> Iterator[str]:
    """Lines with their ends removed (\\r\\n, \\r and \\n all end a line: the stream is
    opened with ``newline=""``, which splits at each and keeps it)."""
    for line in stream:
        yield line.rstrip("\r\n")
