"""The batch manifest: a CSV file with Dublin Core columns that says, file by file, what the
files themselves may not (title, creator, date, language, type, rights, source, collection,
description). Several values in one cell are separated by ``|``. Every problem is reported,
with its line, in one pass."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .formats import Metadata
from .formats.compose import document_date

COLUMNS = ("file", "identifier", "title", "creator", "date", "language", "type", "rights",
           "source", "collection", "description")
# ``identifier``: the document id the file is (a new document of that id, or a new version of
# the document that has it); the one way, besides --replace, to say two files are one document.
_IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")


@dataclass
class Entry:
    line: int
    file: str
    meta: Metadata
    identifier: str = ""


@dataclass
class Manifest:
    path: Path
    entries: dict[str, Entry]  # by file as written, and by file name

    def lookup(self, path: Path) -> Entry | None:
        """The entry for ``path``: by its path relative to the manifest, else its name."""
        try:
            rel = path.resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            rel = None
        return (self.entries.get(rel) if rel else None) or self.entries.get(path.name)


def read_manifest(path: Path) -> tuple[Manifest, list[str]]:
    """The manifest and every problem found in it ('manifest.csv:4: date …')."""
    problems: list[str] = []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return Manifest(path, {}), [f"{path}: cannot read the manifest: {exc.strerror}"]
    except UnicodeDecodeError as exc:
        return Manifest(path, {}), [f"{path}: the manifest is not UTF-8 (byte {exc.start})"]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "file" not in header:
        return Manifest(path, {}), [f"{path}:1: the manifest needs a 'file' column "
                                    f"(columns: {', '.join(COLUMNS)})"]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(f"{path}:1: unknown column(s) {', '.join(unknown)}; "
                        f"known: {', '.join(COLUMNS)}")
    reader.fieldnames = header
    entries: dict[str, Entry] = {}
    for row in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
        file = cells.get("file", "")
        where = f"{path}:{line}"
        if not file:
            problems.append(f"{where}: no file named")
            continue
        if file in entries:
            problems.append(f"{where}: {file} is listed twice (first at line "
                            f"{entries[file].line})")
            continue
        date = cells.get("date", "")
        if date and not document_date(date):
            problems.append(f"{where}: date {date!r} is not a date (YYYY, YYYY-MM, "
                            "YYYY-MM-DD, or EDTF: 1953-03~, 1952?, 1952/1953)")
        language = cells.get("language", "")
        if language and not _LANGUAGE.match(language):
            problems.append(f"{where}: language {language!r} is not a language code "
                            "(en, ru, fr…)")
        identifier = cells.get("identifier", "")
        if identifier and not _IDENTIFIER.match(identifier):
            problems.append(f"{where}: identifier {identifier!r} is not a document id (lower-case "
                            "letters, digits and hyphens, at most 120)")
        meta = Metadata(
            title=cells.get("title", ""),
            creators=[c.strip() for c in cells.get("creator", "").split("|") if c.strip()],
            date=date, language=language, type=cells.get("type", "").lower(),
            rights=cells.get("rights", ""), source=cells.get("source", ""),
            collection=cells.get("collection", ""), description=cells.get("description", ""),
        )
        entry = Entry(line, file, meta, identifier)
        entries[file] = entry
        entries.setdefault(Path(file).name, entry)
    return Manifest(path, entries), problems
