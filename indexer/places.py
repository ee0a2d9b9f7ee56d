"""The register of places and organisations (TEI ``listPlace`` and ``listOrg`` in
``places.xml``), and what each document names of them.

A document names a place or an organisation in three ways, all gathered here at indexing time:
a ``placeName``/``orgName`` element in its text (``@ref`` to the register, or a name), a
place in its record (``keywords/term[@type='place']``, the edit form's "places"), and a
registered form in its running text ("the Politburo", «Кремль»: matched on folded words as
persons are, so an inflected Russian form is found). Names the register does not hold are kept
as they were written, so that the register page can show what the documents name that no entry
covers yet. The index keeps these as rows of a small SQLite table beside it (``places.sqlite``,
written by ``indexer.index``: an import or an edit replaces its own documents' rows only);
the pages count them once per index generation and read one page of a place's documents per
request: a request never reads the store or walks passages.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from .persons import NameForm, Person, Register, authorities, words
from .tei import NS, XML_ID, XML_LANG, text_of
from .xmlsafe import parse_file

PLACES_ID = "places"
PLACES_FILE = "places.sqlite"  # in the index folder: (doc_id, key, name, sort) rows
KINDS = ("place", "org")
# a name the register lacks is keyed by its folded words, after this prefix (an entry's key
# is its xml:id, which never holds a colon)
OTHER = "name:"
MAX_NAMES = 200  # names kept per document (a list of thousands of places is not a record)


@dataclass
class Entry:
    id: str
    kind: str  # "place" or "org"
    display: str
    forms: list[NameForm] = field(default_factory=list)
    note: str = ""
    source: str = ""  # where the library's sources name it: the entry's stated basis
    authorities: list[tuple[str, str, str]] = field(default_factory=list)


class PlaceRegister:
    """Places and organisations, with the forms that identify each in running text."""

    def __init__(self, entries: list[Entry]):
        self.entries = {e.id: e for e in entries}
        self.matcher = Register([Person(e.id, e.display, e.forms) for e in entries])

    @classmethod
    def load(cls, path: Path) -> PlaceRegister:
        """Read the register from its TEI file; an absent file is an empty register."""
        if not Path(path).exists():
            return cls([])
        root = parse_file(path).getroot()
        entries = []
        for kind, element, name in (("place", "place", "placeName"), ("org", "org", "orgName")):
            for el in root.iter(f"{{{NS['tei']}}}{element}"):
                names = el.findall(f"tei:{name}", NS)
                if not names or not el.get(XML_ID):
                    continue
                display = next((text_of(n) for n in names if n.get("type") == "display"),
                               text_of(names[0]))
                note = el.find("tei:note[@type='description']", NS)
                source = el.find("tei:note[@type='source']", NS)
                entries.append(Entry(
                    el.get(XML_ID), kind, display,
                    [NameForm(text_of(n), n.get(XML_LANG, ""), n.get("type", ""),
                              n.get("subtype", "")) for n in names],
                    text_of(note) if note is not None else "",
                    text_of(source) if source is not None else "",
                    authorities(el)))
        return cls(entries)

    def key_of(self, name: str, ref: str = "") -> str:
        """The entry a name (or a ``@ref`` to ``places.xml#ID``) stands for, else the name's
        own key."""
        target = ref.rsplit("#", 1)
        if len(target) == 2 and target[0] in ("", f"{PLACES_ID}.xml") and \
                target[1] in self.entries:
            return target[1]
        found = self.matcher.lookup(name)
        return found if found else OTHER + " ".join(words(name))


def document_names(doc, register: PlaceRegister) -> list[tuple[str, str]]:
    """(key, name as written) of each place and organisation ``doc`` names, once each, in
    order of first mention: tagged names, the record's places, registered forms in its running
    text (not in bibliographic records, whose titles name places they are not about)."""
    found: dict[str, str] = {}

    def add(key: str, name: str) -> None:
        if len(found) < MAX_NAMES and key != OTHER and name:
            found.setdefault(key, name)

    body = doc.body
    if body is not None:
        for tag in ("placeName", "orgName"):
            for el in body.iter(f"{{{NS['tei']}}}{tag}"):
                name = " ".join("".join(el.itertext()).split())
                add(register.key_of(name, el.get("ref") or ""), name)
    for name in doc.places:
        add(register.key_of(name), name)
    for passage in doc.passages:
        if passage.kind != "bibl" and passage.text:
            for entry in register.matcher.persons_in(passage.text):
                add(entry, register.entries[entry].display)
    return list(found.items())


def _connect(index_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(Path(index_dir) / PLACES_FILE, timeout=30)


def sort_key(doc) -> str:
    """The order of a place's documents: oldest first, then by title (undated last)."""
    return f"{doc.date or '9999'}\t{doc.title.casefold()}\t{doc.doc_id}"


def save_names(index_dir: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """A new table of (doc_id, key, name, sort) rows, for a new index folder."""
    with closing(_connect(index_dir)) as db, db:
        db.execute("CREATE TABLE names (doc_id TEXT, key TEXT, name TEXT, sort TEXT)")
        db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", rows)
        # made after the rows (faster than kept up row by row): a place's page reads (key,
        # sort), the counts scan (key, name) alone, an update finds a document's rows
        db.execute("CREATE INDEX by_key ON names (key, sort)")
        db.execute("CREATE INDEX by_name ON names (key, name)")
        db.execute("CREATE INDEX by_doc ON names (doc_id)")


def replace_names(index_dir: Path, doc_ids: list[str], rows: list[tuple[str, str, str, str]]
                  ) -> None:
    """Drop what ``doc_ids`` named and add ``rows``, in one transaction: an import or an
    edit costs its own documents' rows, whatever the size of the store."""
    with closing(_connect(index_dir)) as db, db:
        db.executemany("DELETE FROM names WHERE doc_id = ?", [(d,) for d in doc_ids])
        db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", rows)


def rows_of(doc, register: PlaceRegister) -> list[tuple[str, str, str, str]]:
    """The table's rows for ``doc``."""
    order = sort_key(doc)
    return [(doc.doc_id, key, name, order) for key, name in document_names(doc, register)]


def counts(index_dir: Path) -> dict[str, tuple[int, str]]:
    """Documents naming each key, with the commonest way of writing it (one pass in SQLite:
    called once per index generation). A document names a key once (``document_names``)."""
    try:
        with closing(_connect(index_dir)) as db:
            got = db.execute("SELECT key, name, count(*) FROM names GROUP BY key, name")
            out: dict[str, tuple[int, str, int]] = {}
            for key, name, n in got:
                total, best, most = out.get(key, (0, name, 0))
                out[key] = (total + n, name, n) if n > most else (total + n, best, most)
    except sqlite3.Error:
        return {}
    return {k: (v[0], v[1]) for k, v in out.items()}


def documents_naming(index_dir: Path, key: str, offset: int, limit: int) -> list[str]:
    """One page of the documents naming ``key``, in ``sort_key`` order (through the index on
    (key, sort))."""
    try:
        with closing(_connect(index_dir)) as db:
            return [d for (d,) in db.execute(
                "SELECT doc_id FROM names WHERE key = ? ORDER BY sort LIMIT ? OFFSET ?",
                (key, limit, offset))]
    except sqlite3.Error:
        return []


def names_of(index_dir: Path, doc_id: str) -> list[tuple[str, str]]:
    """(key, name) of what one document names."""
    try:
        with closing(_connect(index_dir)) as db:
            return list(db.execute("SELECT key, name FROM names WHERE doc_id = ?", (doc_id,)))
    except sqlite3.Error:
        return []
