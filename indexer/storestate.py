"""What an import batch needs to know before it writes: the files a batch names (folders
walked), what the store already holds (originals by sha256, import keys, ids), and the fixity
of the kept originals."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .formats import KNOWN_SUFFIXES
from .report import Outcome
from .store import document_paths

_SHA_IN_HEADER = re.compile(rb'<idno[^>]*type="sha256"[^>]*>([0-9a-f]{64})</idno>')
_KEY_IN_HEADER = re.compile(rb'<idno[^>]*type="import-key"[^>]*>([0-9a-f]{32})</idno>')
_RECORD_IN_HEADER = re.compile(rb'<idno[^>]*type="record"[^>]*>([0-9a-f]{32})</idno>')
_XML_ID = re.compile(rb"""xml:id=["']([^"']+)["']""")


def collect(paths: list[Path], exclude: set[Path] = frozenset()
            ) -> tuple[list[Path], list[Outcome], list[Outcome]]:
    """Files named, and importable files inside folders named (recursively, hidden ones left
    out): (files, problems, files of a folder passed over for their format)."""
    files, problems, passed = [], [], []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts))
            for p in found:
                if p.resolve() in exclude:
                    continue
                if p.suffix.lower() in KNOWN_SUFFIXES:
                    files.append(p)
                else:
                    passed.append(Outcome(str(p), reason="not an importable format "
                                          f"({p.suffix or 'no extension'})"))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Outcome(str(path), error="no such file or folder"))
    return files, problems, passed


@dataclass
class StoreState:
    """What id allocation needs to know of the store, read once per batch under the lock."""

    known: dict[str, str] = field(default_factory=dict)  # original's sha256 → doc id
    keys: dict[str, str] = field(default_factory=dict)  # import key → doc id
    owners: dict[str, str] = field(default_factory=dict)  # every xml:id → its document
    taken: set[str] = field(default_factory=set)  # document ids
    records: set[str] = field(default_factory=set)  # record digests of multi-record files

    @classmethod
    def scan(cls, sources: Path) -> StoreState:
        state = cls()
        for path in document_paths(sources):
            data = path.read_bytes()
            head = data[:200_000]
            state.taken.add(path.stem)
            for digest in _SHA_IN_HEADER.findall(head):
                state.known.setdefault(digest.decode(), path.stem)
            for key in _KEY_IN_HEADER.findall(head):
                state.keys.setdefault(key.decode(), path.stem)
            state.records.update(r.decode() for r in _RECORD_IN_HEADER.findall(head))
            for xml_id in _XML_ID.findall(data):
                state.owners.setdefault(xml_id.decode(), path.stem)
        # a withdrawn document keeps its id: its tombstone stays at its address
        state.taken.update(p.stem for p in (sources / "withdrawn").glob("*.xml"))
        return state


def record_digest(digest: str, hint: str) -> str:
    """Names one record of a file of several (a CSV row) by the file's content and the row."""
    return hashlib.sha256(f"{digest}\0{hint}".encode()).hexdigest()[:32]


def import_key(path: Path, collection: str, hint: str) -> str:
    """Names a file by where it was imported from and into which collection (a digest: the
    librarian's folders are not published in the TEI header)."""
    text = f"{path.resolve()}\0{collection}\0{hint}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def fixity(sources: Path) -> list[str]:
    """Every original recorded in a header, checked against its kept copy: faults found."""
    faults = []
    originals = sources / "originals"
    for path in document_paths(sources):
        for digest in _SHA_IN_HEADER.findall(path.read_bytes()[:200_000]):
            digest = digest.decode()
            kept = list(originals.glob(f"{digest}*")) if originals.exists() else []
            if not kept:
                continue  # seeds are made from files kept in seeds/, not imported originals
            actual = hashlib.sha256(kept[0].read_bytes()).hexdigest()
            if actual != digest:
                faults.append(f"{kept[0]}: sha256 is {actual}, {path.name} records {digest}")
    return faults
