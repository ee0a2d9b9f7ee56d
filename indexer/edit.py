"""A librarian's correction of a document's record (title, authors, date, type, language,
rights, collection) after import: checked whole first (bad input changes nothing), then,
under the library's write lock, the current TEI kept under ``sources/versions/<doc_id>/``, the
edited TEI written with a ``revisionDesc/change`` saying who changed what and when, and the
index brought up to date."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from lxml import etree

from .formats.compose import _child, normalise_date, xml_text
from .header import AVAILABILITY, CNE_URI, LANGUAGES, rights_code
from .index import update_index
from .paths import Paths
from .store import doc_path, write_document
from .tei import NS, XML_LANG, E
from .writelock import write_lock
from .xmlsafe import parse_bytes

FIELDS = ("title", "authors", "date", "type", "language", "rights", "collection")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
_TYPE = re.compile(r"^[a-z][a-z0-9 -]{0,39}$")
_KEY = re.compile(rb'<idno[^>]*type="import-key"')


class EditError(ValueError):
    """The edit cannot be made; ``str()`` says which field is wrong and why."""


@dataclass
class RecordEdit:
    title: str
    authors: list[str] = field(default_factory=list)
    date: str = ""
    type: str = ""
    language: str = ""
    rights: str = ""
    collection: str = ""

    def check(self) -> list[str]:
        """Every problem, each naming its field."""
        problems = []
        if not self.title.strip():
            problems.append("title: a document needs a title")
        if len(self.title) > 500:
            problems.append("title: at most 500 characters")
        if self.date and not normalise_date(self.date):
            problems.append(f"date: {self.date!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if self.language and not _LANGUAGE.match(self.language):
            problems.append(f"language: {self.language!r} is not a language code (en, ru, fr…)")
        if self.type and not _TYPE.match(self.type):
            problems.append(f"type: {self.type!r} is not a type (lower-case words: letter, "
                            "memoir, report…)")
        if not self.rights.strip():
            problems.append("rights: say what may be done with the document (or 'Copyright "
                            "Not Evaluated')")
        if any(len(a) > 300 for a in self.authors) or len(self.authors) > 50:
            problems.append("authors: at most 50 names of 300 characters")
        return problems


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
        changed = _apply(root, edit)
        if not changed:
            return []
        when = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
        header = root.find("tei:teiHeader", NS)
        revisions = _child(header, "revisionDesc")
        change = E.change(f"Record edited by {who}: {', '.join(changed)}.",
                          when=when.isoformat().replace("+00:00", "Z"), who=f"#{who}")
        revisions.insert(0, change)  # newest first
        data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
        versions = paths.sources / "versions" / doc_id
        versions.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(old).hexdigest()[:16]
        if not (versions / f"{name}.xml").exists():
            write_document(versions, name, old)
        write_document(paths.sources, doc_id, data)
        update_index(paths.sources, paths.index, [path])
    return changed


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _apply(root: etree._Element, edit: RecordEdit) -> list[str]:
    changed = []
    header = root.find("tei:teiHeader", NS)
    file_desc = header.find("tei:fileDesc", NS)
    title_stmt = file_desc.find("tei:titleStmt", NS)
    title = title_stmt.find("tei:title[@type='main']", NS)
    if title is None:
        title = title_stmt.find("tei:title", NS)
    if _text(title) != edit.title.strip():
        for child in list(title):
            title.remove(child)
        title.text = xml_text(edit.title.strip())
        changed.append("title")
    authors = [a.strip() for a in edit.authors if a.strip()]
    if [_text(a) for a in title_stmt.findall("tei:author", NS)] != authors:
        for old in title_stmt.findall("tei:author", NS):
            title_stmt.remove(old)
        anchor = title_stmt.findall("tei:title", NS)[-1]
        for name in reversed(authors):
            anchor.addnext(E.author(xml_text(name)))
        changed.append("authors")
    profile = _child(header, "profileDesc", before=("xenoData", "revisionDesc"))
    creation = _child(profile, "creation", before=("langUsage", "textClass"))
    date = creation.find("tei:date", NS)
    when = normalise_date(edit.date) if edit.date else ""
    if (date.get("when", "") if date is not None else "") != when:
        if date is not None:
            creation.remove(date)
        creation.insert(0, E.date(edit.date, when=when) if when else E.date("undated"))
        changed.append("date")
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
        changed.append("language")
    keywords = _child(_child(profile, "textClass"), "keywords")
    for kind, value in (("doctype", edit.type.strip()), ("collection", edit.collection.strip())):
        term = keywords.find(f"tei:term[@type='{kind}']", NS)
        if value and _text(term) != value:
            if term is not None:
                keywords.remove(term)
            keywords.append(E.term(xml_text(value), type=kind))
            changed.append("type" if kind == "doctype" else "collection")
    if _set_rights(file_desc, edit.rights.strip()):
        changed.append("rights")
    return changed


def _set_rights(file_desc: etree._Element, rights: str) -> bool:
    publication = file_desc.find("tei:publicationStmt", NS)
    availability = publication.find("tei:availability", NS)
    licence = availability.find("tei:licence", NS) if availability is not None else None
    note = file_desc.find("tei:notesStmt/tei:note[@type='licence']", NS)
    current = _text(licence) or _text(availability) or _text(note)
    if current == rights:
        return False
    code = rights_code(rights)
    target = CNE_URI if code == "not-evaluated" else (rights if rights.startswith("http") else "")
    new = E.licence(xml_text(rights), **({"target": target} if target else {}))
    if availability is None and note is not None:
        note.text = xml_text(rights)
        return True
    if availability is None:
        availability = E.availability()
        publication.append(availability)
    for child in list(availability):
        availability.remove(child)
    availability.text = None
    availability.append(new)
    availability.set("status", AVAILABILITY[code])
    availability.set("n", code)
    return True
