"""Plain text: encoding detected (UTF-8, else CP1251 or KOI8-R for Russian, else Latin-1),
paragraphs from blank lines, or from lines when the text keeps one paragraph per line."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from . import Block, Extracted, ReadOptions, RefusedInput, streams

_CYRILLIC = re.compile(r"[А-яЁё]")
_LOWER_CYRILLIC = re.compile(r"[а-яё]")


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, in the first 8 KB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.02


# Byte-order marks, UTF-32 first (its little-endian mark begins with UTF-16's).
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be")]


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, length of the mark) when ``data`` begins with a byte-order mark."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). A byte-order mark names UTF-8, UTF-16 or UTF-32; Russian single-byte
    encodings are told apart by which decoding gives mostly lower-case letters, as running
    text has."""
    marked = bom_encoding(data)
    if marked:
        encoding, skip = marked
        try:
            return data[skip:].decode(encoding), f"{encoding} (with BOM)"
        except UnicodeDecodeError as exc:
            raise RefusedInput(f"marked as {encoding} by its byte-order mark, but byte "
                               f"{exc.start + skip:,} is not {encoding}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = None
    for encoding in ("cp1251", "koi8_r"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        letters = len(_CYRILLIC.findall(text))
        score = len(_LOWER_CYRILLIC.findall(text)) / letters if letters else 0
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best and best[0] > 0.5:
        return best[1], best[2]
    return data.decode("latin-1"), "latin-1"


def paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs; hard-wrapped lines inside them are joined (a hyphen at a line end
    that splits a word is removed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = re.split(r"\n\s*\n", text)
    if len(chunks) == 1 and text.count("\n") > 3:
        lines = [line for line in text.split("\n") if line.strip()]
        long_lines = sum(len(line) > 200 for line in lines)
        if long_lines > len(lines) / 3:  # one paragraph per line
            chunks = lines
    out = []
    for chunk in chunks:
        joined = re.sub(r"(\w)-\n(\w)", r"\1\2", chunk.strip())
        joined = " ".join(joined.split())
        if joined:
            out.append(joined)
    return out


def decode_text_file(path: Path, data: bytes, kind: str) -> tuple[str, str]:
    """(text, encoding) of a file that should hold ``kind`` text; refuses empty and binary
    files, saying which."""
    if not data.strip():
        raise RefusedInput(f"{path.name}: the file is empty")
    if bom_encoding(data) is None and looks_binary(data):  # UTF-16/32 text holds NUL bytes
        raise RefusedInput(f"{path.name}: binary content, not {kind} (is it really "
                           f"a {path.suffix} file?)")
    try:
        return decode(data)
    except RefusedInput as exc:
        raise RefusedInput(f"{path.name}: {exc}") from None


def stream_paragraphs(stream) -> tuple[list[str], int, int]:
    """``paragraphs`` over a stream, line by line: (paragraphs, Cyrillic letters, characters),
    the text never held whole."""
    chunks: list[list[str]] = [[]]
    cyrillic = chars = 0
    for line in streams.lines(stream):
        chars += len(line)
        cyrillic += len(_CYRILLIC.findall(line))
        if line.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    if not chunks[-1]:
        chunks.pop()
    if len(chunks) == 1 and len(chunks[0]) > 3:
        only = chunks[0]
        if sum(len(line) > 200 for line in only) > len(only) / 3:  # one paragraph per line
            chunks = [[line] for line in only]
    out = []
    for chunk in chunks:
        joined = re.sub(r"(\w)-\n(\w)", r"\1\2", "\n".join(chunk).strip())
        joined = " ".join(joined.split())
        if joined:
            out.append(joined)
    return out, cyrillic, chars


def read(path: Path, data: bytes, options: ReadOptions) -> list[Extracted]:
    stream, encoding = streams.open_text(path, data, "text", streams.text_limit())
    paras, cyrillic, chars = stream_paragraphs(stream)
    first = paras[0] if paras else path.stem
    return [Extracted(
        id_hint=path.stem,
        title=first if len(first) < 120 else path.stem.replace("_", " "),
        language="ru" if cyrillic > chars * 0.3 else "",
        blocks=[Block("p", p) for p in paras],
        notes=[f"plain text, decoded as {encoding}"],
    )]
