"""The curated seed records: the essay (``essay.toml``), the works it cites (``works.toml``) and
the footnote table (``footnotes.toml``).

These are the files a librarian edits. Loading checks every cross-reference so that a typo is
reported with the file and the entry, before anything is written to the store.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Ids are made from names cut to 80 characters (plus "-N"); a longer one cannot be stored, and
# asking the file system for it fails with "file name too long" past 255 bytes.
MAX_DOC_ID = 200
RIGHTS = ("public-domain", "cc-by-4.0", "copyright", "uncertain")
CERTAINTY = {"H": "high", "M": "medium", "L": "low"}


class SeedError(ValueError):
    """A curated seed file is wrong; ``str()`` names the file and the entry."""


@dataclass(frozen=True)
class Excerpt:
    id: str
    quote: str
    locator: str = ""
    note: str = ""


@dataclass(frozen=True)
class EditorialNote:
    id: str
    text: str
    at: str = ""


@dataclass
class Work:
    """A document of the collection as curated: record, rights, and the text or excerpts held."""

    id: str
    type: str
    title: str
    authors: list[str]
    date: str
    language: str
    text_language: str
    rights: str
    licence: str
    provenance: str
    holding: str
    bibl: dict
    title_original: str = ""
    licence_url: str = ""
    text: str = ""
    chunker: str = ""
    skip_lines: int = 0
    sha256: str = ""
    excerpts: list[Excerpt] = field(default_factory=list)
    editorial_notes: list[EditorialNote] = field(default_factory=list)

    @property
    def record_id(self) -> str:
        """xml:id of the work's bibliographic record, the target of footnotes without a quote."""
        return f"{self.id}-bibl"


@dataclass(frozen=True)
class Footnote:
    n: int
    work: str
    passage: str
    locator: str
    status: str
    confidence: str
    basis: str
    alternatives: tuple[str, ...] = ()

    @property
    def cert(self) -> str:
        return CERTAINTY.get(self.confidence, "unknown")


def _load(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SeedError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{path}: not valid TOML: {exc}") from None


def _need(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if value in (None, ""):
        raise SeedError(f"{where}: missing '{key}'")
    return value


def load_works(path: Path) -> dict[str, Work]:
    """Works by id, in file order; raises :class:`SeedError` on any inconsistency."""
    data = _load(path)
    works: dict[str, Work] = {}
    for i, entry in enumerate(data.get("work", []), start=1):
        where = f"{path}: work #{i} ({entry.get('id', '?')})"
        wid = _need(entry, "id", where)
        if not DOC_ID.match(wid):
            raise SeedError(f"{where}: id must match {DOC_ID.pattern}")
        if wid in works:
            raise SeedError(f"{where}: duplicate id")
        rights = _need(entry, "rights", where)
        if rights not in RIGHTS:
            raise SeedError(f"{where}: rights must be one of {', '.join(RIGHTS)}")
        holding = _need(entry, "holding", where)
        if holding == "full" and rights not in ("public-domain", "cc-by-4.0"):
            raise SeedError(f"{where}: full text held for a work that is not free to publish")
        if holding == "full" and not entry.get("text"):
            raise SeedError(f"{where}: holding = 'full' needs 'text'")
        work = Work(
            id=wid,
            type=_need(entry, "type", where),
            title=_need(entry, "title", where),
            authors=list(entry.get("authors", [])),
            date=_need(entry, "date", where),
            language=_need(entry, "language", where),
            text_language=entry.get("text_language", entry["language"]),
            rights=rights,
            licence=_need(entry, "licence", where),
            provenance=_need(entry, "provenance", where),
            holding=holding,
            bibl=dict(entry.get("bibl", {})),
            title_original=entry.get("title_original", ""),
            licence_url=entry.get("licence_url", ""),
            text=entry.get("text", ""),
            chunker=entry.get("chunker", "lines"),
            skip_lines=int(entry.get("skip_lines", 0)),
            sha256=entry.get("sha256", ""),
            excerpts=[
                Excerpt(
                    id=_need(x, "id", where),
                    quote=_need(x, "quote", where),
                    locator=x.get("locator", ""),
                    note=x.get("note", ""),
                )
                for x in entry.get("excerpt", [])
            ],
            editorial_notes=[
                EditorialNote(id=_need(x, "id", where), text=_need(x, "text", where))
                for x in entry.get("editorial_note", [])
            ],
        )
        ids = [x.id for x in work.excerpts] + [x.id for x in work.editorial_notes]
        for xid in ids:
            if not xid.startswith(wid + "-"):
                raise SeedError(f"{where}: passage id {xid!r} must start with '{wid}-'")
        if len(set(ids)) != len(ids):
            raise SeedError(f"{where}: duplicate excerpt or note ids")
        works[wid] = work
    return works


def load_footnotes(path: Path, works: dict[str, Work]) -> list[Footnote]:
    """The footnote table, checked against ``works``: numbers 1..N, targets that exist."""
    data = _load(path)
    notes: list[Footnote] = []
    for i, entry in enumerate(data.get("footnote", []), start=1):
        where = f"{path}: footnote #{i}"
        n = entry.get("n")
        if n != i:
            raise SeedError(f"{where}: n = {n!r}, expected {i} (footnotes run 1, 2, 3, … in order)")
        wid = _need(entry, "work", where)
        if wid not in works:
            raise SeedError(f"{where}: work {wid!r} is not in works.toml")
        work = works[wid]
        passage = _need(entry, "passage", where)
        if passage not in {x.id for x in work.excerpts} | {work.record_id}:
            raise SeedError(
                f"{where}: passage {passage!r} is neither an excerpt of {wid!r} nor its record "
                f"{work.record_id!r}"
            )
        status = _need(entry, "status", where)
        if status not in ("inferred", "confirmed"):
            raise SeedError(f"{where}: status must be 'inferred' or 'confirmed'")
        notes.append(
            Footnote(
                n=n,
                work=wid,
                passage=passage,
                locator=entry.get("locator", ""),
                status=status,
                confidence=entry.get("confidence", ""),
                basis=entry.get("basis", ""),
                alternatives=tuple(entry.get("alternatives", [])),
            )
        )
    return notes


@dataclass(frozen=True)
class Event:
    when: str
    label: str
    passage: str = ""


@dataclass
class EssayRecord:
    id: str
    file: str
    title: str
    authors: list[str]
    date: str
    language: str
    type: str
    rights: str
    licence: str
    provenance: str
    bibl: dict
    editorial_notes: list[EditorialNote]
    events: list[Event] = field(default_factory=list)


def load_essay(path: Path) -> EssayRecord:
    data = _load(path)
    entry = data.get("essay")
    if not entry:
        raise SeedError(f"{path}: missing [essay] table")
    where = f"{path}: [essay]"
    eid = _need(entry, "id", where)
    notes = [
        EditorialNote(
            id=f"{eid}-ed{i}",
            text=_need(x, "text", f"{path}: editorial_note #{i}"),
            at=_need(x, "at", f"{path}: editorial_note #{i}"),
        )
        for i, x in enumerate(data.get("editorial_note", []), start=1)
    ]
    return EssayRecord(
        id=eid,
        file=_need(entry, "file", where),
        title=_need(entry, "title", where),
        authors=list(entry.get("authors", [])),
        date=_need(entry, "date", where),
        language=entry.get("language", "en"),
        type=entry.get("type", "essay"),
        rights=_need(entry, "rights", where),
        licence=_need(entry, "licence", where),
        provenance=_need(entry, "provenance", where),
        bibl=dict(entry.get("bibl", {})),
        editorial_notes=notes,
        events=[Event(_need(x, "when", f"{path}: event #{i}"),
                      _need(x, "label", f"{path}: event #{i}"), x.get("passage", ""))
                for i, x in enumerate(data.get("event", []), start=1)],
    )
