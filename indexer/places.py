"""The register of places and organisations (TEI ``listPlace`` and ``listOrg`` in
``places.xml``), and what each document names of them.

A document names a place or an organisation in three ways, all gathered here at indexing time:
a ``placeName``/``orgName`` element in its text (``@ref`` to the register, or a name), a
place in its record (``keywords/term[@type='place']``, the edit form's "places"), and a
registered form in its running text ("the Politburo", «Кремль»: matched on folded words as
persons are, so an inflected Russian form is found). Names the register does not hold are kept
as they were written, so that the register page can show what the documents name that no entry
covers yet. The index keeps one small file of these per document (``places.json``, written by
``indexer.index``), read once per index generation by the pages: a request never reads the
store or walks passages.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .persons import NameForm, Person, Register, authorities, words
from .tei import NS, XML_ID, XML_LANG, text_of
from .xmlsafe import parse_file

PLACES_ID = "places"
PLACES_FILE = "places.json"  # in the index folder: doc_id → [[key, name], ...]
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


def load_names(index_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """What each indexed document names (``places.json``); {} when the index has none."""
    try:
        data = json.loads((Path(index_dir) / PLACES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {d: [(k, n) for k, n in pairs] for d, pairs in data.items()} \
        if isinstance(data, dict) else {}


def save_names(index_dir: Path, names: dict[str, list[tuple[str, str]]]) -> None:
    """Write ``places.json`` whole, renamed into place: a reader sees the old or the new."""
    tmp = Path(index_dir) / f".{PLACES_FILE}.tmp"
    tmp.write_text(json.dumps(names, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, Path(index_dir) / PLACES_FILE)
