"""A librarian's correction of a document's record (title, authors, date, type, language,
rights, collection) after import: checked whole first (bad input changes nothing), then,
under the library's write lock, the current TEI kept under ``sources/versions/<doc_id>/``, the
edited TEI written with a ``revisionDesc/change`` saying who changed what and when, and the
index brought up to date."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from . import dates
from .formats.compose import _child, xml_text
from .header import LANGUAGES, availability_element
from .index import update_index
from .paths import Paths
from .rights import Mapped, by_uri, map_rights
from .store import doc_path, write_document
from .tei import NS, XML_LANG, E
from .teidoc import Document, read_document
from .writelock import write_lock
from .xmlsafe import parse_bytes

FIELDS = ("title", "authors", "date", "type", "language", "rights", "rights_note",
          "collection", "description", "subjects", "places", "shelfmark", "archival_ref",
          "extent")
LISTS = ("authors", "subjects", "places")  # one a line in the form
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
_TYPE = re.compile(r"^[a-z][a-z0-9 -]{0,39}$")
_KEY = re.compile(rb'<idno[^>]*type="import-key"')


class EditError(ValueError):
    """The edit cannot be made; ``str()`` says which field is wrong and why."""


@dataclass
class RecordEdit:
    title: str
    authors: list[str] = field(default_factory=list)
    date: str = ""  # EDTF
    type: str = ""
    language: str = ""
    rights: str = ""  # a statement's URI (indexer.rights), or words mapped to one
    collection: str = ""
    rights_note: str = ""  # rights words kept beside the statement
    description: str = ""
    subjects: list[str] = field(default_factory=list)  # keywords, LCSH-style headings
    places: list[str] = field(default_factory=list)
    shelfmark: str = ""
    archival_ref: str = ""
    extent: str = ""

    def check(self) -> list[str]:
        """Every problem, each naming its field."""
        problems = []
        if not self.title.strip():
            problems.append("title: a document needs a title")
        if len(self.title) > 500:
            problems.append("title: at most 500 characters")
        if self.date:
            try:
                dates.parse(self.date)
            except dates.DateError as exc:
                problems.append(f"date: {exc}")
        if self.language and not _LANGUAGE.match(self.language):
            problems.append(f"language: {self.language!r} is not a language code (en, ru, fr…)")
        if self.type and not _TYPE.match(self.type):
            problems.append(f"type: {self.type!r} is not a type (lower-case words: letter, "
                            "memoir, report…)")
        if not self.rights.strip():
            problems.append("rights: choose a rights statement (or 'Copyright Not Evaluated')")
        elif self.rights.startswith("http") and by_uri(self.rights) is None:
            problems.append(f"rights: {self.rights!r} is not a rightsstatements.org statement "
                            "or a Creative Commons licence")
        if len(self.rights_note) > 1000:
            problems.append("rights note: at most 1,000 characters")
        if any(len(a) > 300 for a in self.authors) or len(self.authors) > 50:
            problems.append("authors: at most 50 names of 300 characters")
        for name in ("subjects", "places"):
            values = getattr(self, name)
            if any(len(v) > 300 for v in values) or len(values) > 100:
                problems.append(f"{name}: at most 100 of 300 characters")
        if len(self.description) > 10_000:
            problems.append("description: at most 10,000 characters")
        for name in ("shelfmark", "archival_ref", "extent"):
            if len(getattr(self, name)) > 300:
                problems.append(f"{name.replace('_', ' ')}: at most 300 characters")
        return problems


def record_values(doc: Document) -> dict[str, object]:
    """The edited fields as a document states them (what the form shows and what a change is
    measured against)."""
    return {"title": doc.title, "authors": list(doc.authors), "date": doc.date_edtf,
            "type": doc.type, "language": doc.language, "rights": doc.licence_url,
            "rights_note": doc.rights_note.removeprefix("As stated: "),
            "collection": doc.collection, "description": doc.description,
            "subjects": list(doc.subjects), "places": list(doc.places),
            "shelfmark": doc.shelfmark, "archival_ref": doc.archival_ref, "extent": doc.extent}


def editable(data: bytes) -> bool:
    """Only imported documents: the others are made by ``library build`` from seeds/, which
    would overwrite an edit."""
    return bool(_KEY.search(data[:200_000]))


def edit_record(paths: Paths, doc_id: str, edit: RecordEdit, who: str,
                now: datetime.datetime | None = None) -> list[str]:
    """Apply ``edit`` to ``doc_id``; returns the fields that changed (none: nothing written)."""
    problems = edit.check()
    if problems:
        raise EditError("; ".join(problems))
    with write_lock(paths.home, "record edit"):
        path = doc_path(paths.sources, doc_id)
        if not path.is_file():
            raise EditError(f"there is no document {doc_id}")
        old = path.read_bytes()
        if not editable(old):
            raise EditError("this document is made from the library's seed files "
                            "(seeds/), not imported: its record is edited there")
        root = parse_bytes(old, where=path.name).getroot()
        before = record_values(read_document(path, old))
        _apply(root, edit)
        data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
        after = record_values(read_document(path, data))
        # the change log names exactly what a reader of the record would see change
        changed = [name for name in FIELDS if before[name] != after[name]]
        if not changed:
            return []
        add_change(root, f"Record edited by {who}: {', '.join(changed)}.", who, now,
                   changed)
        data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
        keep_version(paths.sources, doc_id, old)
        write_document(paths.sources, doc_id, data)
        update_index(paths.sources, paths.index, [path])
    return changed


def add_change(root: etree._Element, text: str, who: str,
               now: datetime.datetime | None = None, fields: list[str] = (),
               kind: str = "") -> None:
    """A ``revisionDesc/change`` (newest first) saying who did what and when; ``fields`` are
    kept in ``@n`` for the history screen."""
    when = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
    header = root.find("tei:teiHeader", NS)
    revisions = _child(header, "revisionDesc")
    change = E.change(text, when=when.isoformat().replace("+00:00", "Z"), who=f"#{who}")
    if fields:
        change.set("n", " ".join(fields))
    if kind:
        change.set("type", kind)
    revisions.insert(0, change)


def keep_version(sources, doc_id: str, old: bytes) -> None:
    """Keep the TEI being replaced under ``sources/versions/<doc_id>/`` (never erased)."""
    versions = sources / "versions" / doc_id
    versions.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(old).hexdigest()[:16]
    if not (versions / f"{name}.xml").exists():
        write_document(versions, name, old)


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _apply(root: etree._Element, edit: RecordEdit) -> None:
    header = _child(root, "teiHeader", before=("text", "facsimile", "standOff"))
    file_desc = _child(header, "fileDesc", before=("encodingDesc", "profileDesc",
                                                   "revisionDesc", "xenoData"))
    title_stmt = _child(file_desc, "titleStmt", before=("editionStmt", "extent",
                                                        "publicationStmt", "seriesStmt",
                                                        "notesStmt", "sourceDesc"))
    title = title_stmt.find("tei:title[@type='main']", NS)
    if title is None:
        title = title_stmt.find("tei:title", NS)
    if title is None:
        title = E.title(type="main")
        title_stmt.insert(0, title)
    bibl = file_desc.find("tei:sourceDesc/tei:bibl", NS)
    old_title = _text(title)
    new_title = edit.title.strip()
    if old_title != new_title:
        for child in list(title):
            title.remove(child)
        title.text = xml_text(new_title)
        # the Source box shows the record of the source: it follows the title it repeated
        bibl_title = bibl.find("tei:title", NS) if bibl is not None else None
        if bibl_title is not None and _text(bibl_title) in (old_title, ""):
            for child in list(bibl_title):
                bibl_title.remove(child)
            bibl_title.text = xml_text(new_title)
    authors = [a.strip() for a in edit.authors if a.strip()]
    old_authors = [_text(a) for a in title_stmt.findall("tei:author", NS)]
    if old_authors != authors:
        for old in title_stmt.findall("tei:author", NS):
            title_stmt.remove(old)
        anchor = title_stmt.findall("tei:title", NS)[-1]
        for name in reversed(authors):
            anchor.addnext(E.author(xml_text(name)))
        if bibl is not None and [_text(a) for a in bibl.findall("tei:author", NS)] == \
                old_authors:
            for old in bibl.findall("tei:author", NS):
                bibl.remove(old)
            for name in reversed(authors):
                bibl.insert(0, E.author(xml_text(name)))
    profile = _child(header, "profileDesc", before=("xenoData", "revisionDesc"))
    creation = _child(profile, "creation", before=("langUsage", "textClass"))
    date = creation.find("tei:date", NS)
    if dates.from_element(date) != edit.date.strip():
        new = dates.date_element(dates.parse(edit.date) if edit.date.strip() else None)
        if date is not None:
            creation.replace(date, new)
        else:
            creation.insert(0, new)
        bibl_date = bibl.find("tei:date", NS) if bibl is not None else None
        if bibl_date is not None:
            bibl.replace(bibl_date, dates.date_element(
                dates.parse(edit.date) if edit.date.strip() else None))
    usage = _child(profile, "langUsage", before=("textClass",))
    first = usage.find("tei:language", NS)
    if edit.language and (first.get("ident") if first is not None else "") != edit.language:
        for old in list(usage):
            usage.remove(old)
        usage.append(E.language(LANGUAGES.get(edit.language, edit.language),
                                ident=edit.language))
        for el in (root, root.find("tei:text", NS)):
            if el is not None and el.get(XML_LANG):
                el.set(XML_LANG, edit.language)
    keywords = _child(_child(profile, "textClass"), "keywords")
    for kind, value in (("doctype", edit.type.strip()), ("collection", edit.collection.strip())):
        term = keywords.find(f"tei:term[@type='{kind}']", NS)
        if value and _text(term) != value:
            if term is not None:
                keywords.remove(term)
            keywords.append(E.term(xml_text(value), type=kind))
    _set_rights(file_desc, edit.rights.strip(), edit.rights_note.strip())
    _set_description(profile, edit.description.strip())
    for kind, values in (("subject", edit.subjects), ("place", edit.places)):
        wanted = [v.strip() for v in values if v.strip()]
        if [_text(t) for t in keywords.findall(f"tei:term[@type='{kind}']", NS)] != wanted:
            for old in keywords.findall(f"tei:term[@type='{kind}']", NS):
                keywords.remove(old)
            for value in wanted:
                keywords.append(E.term(xml_text(value), type=kind))
    for name, in_bibl, make in (("shelfmark", "idno[@type='shelfmark']",
                                 lambda v: E.idno(v, type="shelfmark")),
                                ("archival", "idno[@type='archival']",
                                 lambda v: E.idno(v, type="archival")),
                                ("extent", "extent", E.extent)):
        value = getattr(edit, "archival_ref" if name == "archival" else name).strip()
        _set_source_field(file_desc, in_bibl, name, make, xml_text(value))


def _put(parent: etree._Element, old: etree._Element | None, value: str,
         make: Callable[[str], etree._Element]) -> None:
    """``parent``'s child ``old`` made to say ``value``: left alone when it already does,
    else replaced by ``make(value)`` (at the end), or removed when ``value`` is empty."""
    if _text(old) == value:
        return
    if old is not None:
        parent.remove(old)
    if value:
        parent.append(make(value))


def _set_description(profile: etree._Element, text: str) -> None:
    _put(profile, profile.find("tei:abstract", NS), text,
         lambda t: E.abstract(*(E.p(xml_text(p)) for p in t.split("\n\n") if p.strip())))


def _set_source_field(file_desc: etree._Element, in_bibl: str, note_type: str, make,
                      value: str) -> None:
    """A field of the source's record in ``sourceDesc/bibl`` (made when the source has no
    record yet), or in a note where the source is described in prose."""
    source = _child(file_desc, "sourceDesc")
    bibl = source.find("tei:bibl", NS)
    if bibl is None and source.find("tei:p", NS) is None:
        bibl = E.bibl()
        source.append(bibl)
    if bibl is not None:
        _put(bibl, bibl.find(f"tei:{in_bibl}", NS), value, make)
        return
    notes = _child(file_desc, "notesStmt", before=("sourceDesc",))
    _put(notes, notes.find(f"tei:note[@type='{note_type}']", NS), value,
         lambda v: E.note(v, type=note_type))


def _set_rights(file_desc: etree._Element, rights: str, note: str) -> None:
    """The chosen statement (a URI; words are mapped as on import) with its label, and the
    librarian's note beside it."""
    statement = by_uri(rights)
    mapped = Mapped(statement, note) if statement else map_rights(rights)
    if statement is None and note:
        mapped = Mapped(mapped.statement, note)
    publication = _child(file_desc, "publicationStmt", before=("seriesStmt", "notesStmt",
                                                               "sourceDesc"))
    notes = file_desc.find("tei:notesStmt", NS)
    if notes is not None:
        for old in notes.findall("tei:note[@type='licence']", NS):
            notes.remove(old)
    if publication.find("tei:p", NS) is not None:
        # a prose publicationStmt cannot take an availability: say it in a note
        notes = _child(file_desc, "notesStmt", before=("sourceDesc",))
        notes.append(E.note(mapped.statement.label, type="licence",
                            target=mapped.statement.uri))
        return
    if not len(publication):
        publication.append(E.publisher("Primary-source library (digital edition)"))
    new = availability_element(Mapped(mapped.statement, mapped.note))
    old = publication.find("tei:availability", NS)
    if old is not None:
        publication.replace(old, new)
    else:
        publication.append(new)
