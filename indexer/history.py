"""A record's history: every version of an imported document (the current TEI and those kept
under ``sources/versions/<doc_id>/``), who made each and what it changed; the difference
between two; restoring an earlier one (a new version, the current one kept); withdrawing a
document (its TEI moved to ``sources/withdrawn/``, with the reason, and out of the index: its
address answers with a tombstone). Nothing is erased: every byte a librarian replaces is kept.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field

from lxml import etree

from .bibliography import MAX_DOC_ID
from .edit import FIELDS, EditError, add_change, editable, keep_version, record_values
from .formats.compose import _child, xml_text
from .index import update_index
from .paths import Paths
from .store import doc_path, write_document
from .tei import NS, E
from .teidoc import read_document
from .writelock import write_lock
from .xmlsafe import parse_bytes

WITHDRAWN = "withdrawn"
_VERSION = re.compile(r"^[0-9a-f]{16}$")
MAX_DIFF_LINES = 400


@dataclass
class Version:
    id: str  # the first 16 hex digits of its sha256
    when: str  # of its newest change ('' for a version no edit made: the import)
    who: str
    what: str
    fields: list[str] = field(default_factory=list)
    current: bool = False


def version_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def withdrawn_path(paths: Paths, doc_id: str):
    return paths.sources / WITHDRAWN / f"{doc_id}.xml"


def _versions_dir(paths: Paths, doc_id: str):
    return paths.sources / "versions" / doc_id


def _describe(data: bytes, where: str, current: bool) -> Version:
    root = parse_bytes(data, where=where).getroot()
    change = root.find("tei:teiHeader/tei:revisionDesc/tei:change", NS)
    if change is None:
        return Version(version_id(data), "", "", "Imported", [], current)
    text = " ".join("".join(change.itertext()).split())
    return Version(version_id(data), change.get("when", ""), change.get("who", "").lstrip("#"),
                   text, (change.get("n") or "").split(), current)


def versions(paths: Paths, doc_id: str) -> list[Version]:
    """Every version of ``doc_id``, newest first (the current one first of all)."""
    current = doc_path(paths.sources, doc_id)
    if not current.is_file():
        current = withdrawn_path(paths, doc_id)
    found: dict[str, Version] = {}
    if current.is_file():
        data = current.read_bytes()
        v = _describe(data, current.name, True)
        found[v.id] = v
    folder = _versions_dir(paths, doc_id)
    for path in sorted(folder.glob("*.xml")) if folder.is_dir() else []:
        data = path.read_bytes()
        v = _describe(data, path.name, False)
        found.setdefault(v.id, v)
    return sorted(found.values(), key=lambda v: (v.current, v.when), reverse=True)


def version_bytes(paths: Paths, doc_id: str, vid: str) -> bytes | None:
    """The TEI of one version (the current one by its id too), or None."""
    if not _VERSION.match(vid or ""):
        return None
    for path in (doc_path(paths.sources, doc_id), withdrawn_path(paths, doc_id)):
        if path.is_file():
            data = path.read_bytes()
            if version_id(data) == vid:
                return data
    kept = _versions_dir(paths, doc_id) / f"{vid}.xml"
    return kept.read_bytes() if kept.is_file() else None


@dataclass
class Diff:
    fields: list[tuple[str, str, str]]  # (field, in the older, in the newer) where they differ
    lines: list[str]  # a unified diff of the TEI header, at most MAX_DIFF_LINES
    cut: bool = False


def _shown(value) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value or "")


def _header_lines(data: bytes) -> list[str]:
    root = parse_bytes(data, where="version").getroot()
    header = root.find("tei:teiHeader", NS)
    if header is None:
        return []
    for el in header.iter():  # re-indented, so that a diff is by element, not by file layout
        if isinstance(el.tag, str) and len(el):
            el.text = (el.text or "").strip() or None
            for child in el:
                child.tail = (child.tail or "").strip() or None
    etree.indent(header)
    return etree.tostring(header, encoding="unicode").splitlines()


def diff(paths: Paths, doc_id: str, older: str, newer: str) -> Diff | None:
    """What differs between two versions: the record's fields, then the header line by line."""
    a, b = version_bytes(paths, doc_id, older), version_bytes(paths, doc_id, newer)
    if a is None or b is None:
        return None
    path = doc_path(paths.sources, doc_id)
    va, vb = record_values(read_document(path, a)), record_values(read_document(path, b))
    fields = [(name, _shown(va[name]), _shown(vb[name])) for name in FIELDS
              if va[name] != vb[name]]
    lines = list(difflib.unified_diff(_header_lines(a), _header_lines(b), older, newer,
                                      lineterm="", n=2))
    return Diff(fields, lines[:MAX_DIFF_LINES], len(lines) > MAX_DIFF_LINES)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)


def restore(paths: Paths, doc_id: str, vid: str, who: str,
            now: datetime.datetime | None = None) -> list[str]:
    """Make version ``vid`` the current one again, as a new version (the current one kept);
    returns the record fields that changed."""
    with write_lock(paths.home, "record restore"):
        path = doc_path(paths.sources, doc_id)
        if not path.is_file():
            raise EditError(f"there is no document {doc_id} to restore (a withdrawn "
                            "document is not restored here)")
        current = path.read_bytes()
        if not editable(current):
            raise EditError("this document is made from the library's seed files")
        wanted = version_bytes(paths, doc_id, vid)
        if wanted is None:
            raise EditError(f"there is no version {vid!r} of {doc_id}")
        if wanted == current:
            return []
        before = record_values(read_document(path, current))
        after = record_values(read_document(path, wanted))
        changed = [name for name in FIELDS if before[name] != after[name]]
        root = parse_bytes(wanted, where=f"{vid}.xml").getroot()
        old = _describe(wanted, vid, False)
        add_change(root, f"Restored by {who}: the version of {old.when or 'the import'} "
                   f"({vid}); changed {', '.join(changed) or 'no field of the record'}.",
                   who, now, changed, kind="restored")
        data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
        keep_version(paths.sources, doc_id, current)
        write_document(paths.sources, doc_id, data)
        update_index(paths.sources, paths.index, [path])
    return changed


def withdraw(paths: Paths, doc_id: str, reason: str, who: str,
             now: datetime.datetime | None = None) -> None:
    """Take ``doc_id`` out of the library with ``reason``: its TEI (with the reason and a
    change saying who and when) moves to ``sources/withdrawn/``, the TEI as it was is kept
    with its versions, and the index drops it."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise EditError("reason: say why the document is withdrawn (readers will see it)")
    if len(reason) > 1000:
        raise EditError("reason: at most 1,000 characters")
    with write_lock(paths.home, "withdrawal"):
        path = doc_path(paths.sources, doc_id)
        if not path.is_file():
            raise EditError(f"there is no document {doc_id}")
        current = path.read_bytes()
        if not editable(current):
            raise EditError("this document is made from the library's seed files")
        root = parse_bytes(current, where=path.name).getroot()
        when = _now(now)
        file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
        notes = _child(file_desc, "notesStmt", before=("sourceDesc",))
        notes.append(E.note(xml_text(reason), type="withdrawn",
                            when=when.isoformat().replace("+00:00", "Z"), resp=f"#{who}"))
        add_change(root, f"Withdrawn by {who}: {xml_text(reason)}", who, when,
                   kind="withdrawn")
        data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
        keep_version(paths.sources, doc_id, current)
        folder = paths.sources / WITHDRAWN
        folder.mkdir(parents=True, exist_ok=True)
        write_document(folder, doc_id, data)
        os.remove(path)  # its bytes are kept under versions/, the tombstone under withdrawn/
        update_index(paths.sources, paths.index, [], removed=[doc_id])


@dataclass
class Tombstone:
    doc_id: str
    title: str
    authors: list[str]
    date: str
    collection: str
    reason: str
    when: str
    who: str
    date_edtf: str = ""  # the date as stored, for the reader's words (``date`` is English)


def tombstone(paths: Paths, doc_id: str) -> Tombstone | None:
    """What a withdrawn document's address says of it, or None when it was not withdrawn."""
    # (a name past the file system's limit is no document: asking for it raises)
    if len(doc_id) > MAX_DOC_ID or not re.match(r"^[A-Za-z][A-Za-z0-9._-]*$", doc_id):
        return None
    path = withdrawn_path(paths, doc_id)
    if not path.is_file():
        return None
    doc = read_document(path)
    note = doc.root.find("tei:teiHeader/tei:fileDesc/tei:notesStmt/tei:note"
                         "[@type='withdrawn']", NS)
    return Tombstone(doc.doc_id, doc.title, doc.authors, doc.date_words, doc.collection,
                     " ".join("".join(note.itertext()).split()) if note is not None else "",
                     note.get("when", "") if note is not None else "",
                     (note.get("resp") or "").lstrip("#") if note is not None else "",
                     doc.date_edtf)


def withdrawn_ids(paths_sources) -> list[str]:
    folder = paths_sources / WITHDRAWN
    return sorted(p.stem for p in folder.glob("*.xml")) if folder.is_dir() else []
