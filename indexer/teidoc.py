"""TEI → documents, passages and notes: the one reading of the store.

Both the index build and the reader use this module, so what is searched is what is shown.
A *passage* is the outermost citable block with an ``xml:id`` (paragraph, quotation excerpt,
epigraph, figure, editorial note) plus the document's bibliographic record; footnote ``note``
elements are not part of a passage's text but records of their own, with their targets.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .dates import document_date, in_words, try_parse
from .header import rights_code
from .rights import by_uri
from .tei import NS, TEI_NS, XML_ID, XML_LANG, local, text_of
from .xmlsafe import parse_bytes

PASSAGE_TAGS = frozenset({"p", "ab", "cit", "epigraph", "figure", "lg", "sp", "table", "list"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass
class Passage:
    id: str | None
    kind: str
    text: str
    element: etree._Element = field(repr=False)


@dataclass
class Note:
    """A footnote: where it stands, what it says, where it points."""

    n: str
    id: str | None
    passage_id: str | None
    status: str  # inferred | confirmed | "" (not stated)
    cert: str
    text: str
    targets: list[tuple[str, str]]
    element: etree._Element = field(repr=False)


@dataclass
class Document:
    doc_id: str
    path: Path
    title: str
    title_original: str
    authors: list[str]
    date: str
    type: str
    language: str
    rights: str
    availability: str
    licence: str
    licence_url: str
    provenance: str
    holding: str
    inputs: list[tuple[str, str]]
    collection: str
    root: etree._Element = field(repr=False)
    sha256: str = ""  # of the stored TEI file: what the index was built from
    events: list[tuple[str, str, str]] = field(default_factory=list)  # (when, label, passage)
    passages: list[Passage] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rights_note: str = ""  # the rights words as given, beside the statement named for them
    date_edtf: str = ""  # the document's date as EDTF ('' when undated)
    year_to: int | None = None  # the last year the date can be (a range's end)

    @property
    def date_words(self) -> str:
        """The date for readers: "about March 1953", "1952 or 1953", "5 March 1953"."""
        return in_words(self.date_edtf) if self.date_edtf else self.date

    @property
    def rights_label(self) -> str:
        """The label of the rights statement the document's URI names ('' for none)."""
        statement = by_uri(self.licence_url)
        return statement.label if statement else ""

    @property
    def year(self) -> int | None:
        m = _DATE.match(self.date)
        return int(m.group(1)) if m else None

    @property
    def author(self) -> str:
        return "; ".join(self.authors)

    @property
    def body(self) -> etree._Element | None:
        return self.root.find("tei:text/tei:body", NS)

    @property
    def record(self) -> etree._Element | None:
        return self.root.find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl", NS)

    def passage(self, passage_id: str) -> Passage | None:
        return next((p for p in self.passages if p.id == passage_id), None)


def parse_target(target: str, base: str) -> tuple[str, str] | None:
    """``other.xml#p3`` → (``other``, ``p3``); ``#p3`` → (``base``, ``p3``); else None."""
    m = re.match(r"^(?:(?P<doc>[^#/\s]+)\.xml)?#(?P<id>[^\s#]+)$", target)
    if not m:
        return None
    return (m["doc"] or base, m["id"])


def _first(root: etree._Element, *paths: str) -> etree._Element | None:
    for path in paths:
        found = root.find(path, NS)
        if found is not None:
            return found
    return None


def _text(el: etree._Element | None) -> str:
    return text_of(el, frozenset()) if el is not None else ""


def _passages(body: etree._Element) -> list[Passage]:
    found: list[Passage] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            name = local(child)
            if name in PASSAGE_TAGS or (name == "note" and child.get("type") == "editorial"):
                kind = "editorial" if name == "note" else name
                # an excerpt's text is its quotation; the locator and notes are apparatus
                quote = child.find("tei:quote", NS) if name == "cit" else None
                text = text_of(quote if quote is not None else child)
                found.append(Passage(child.get(XML_ID), kind, text, child))
            elif name and name not in ("note",):
                walk(child)

    walk(body)
    return found


def _containing_passage(el: etree._Element) -> str | None:
    for anc in el.iterancestors():
        if local(anc) in PASSAGE_TAGS and anc.get(XML_ID):
            return anc.get(XML_ID)
    return None


def read_document(path: Path, data: bytes | None = None) -> Document:
    """Read a stored TEI file (or ``data``, its bytes); raises ``XMLInputError`` for XML that
    cannot be accepted."""
    data = Path(path).read_bytes() if data is None else data
    root = parse_bytes(data, where=str(path)).getroot()
    doc_id = root.get(XML_ID) or Path(path).stem
    header = "tei:teiHeader/tei:fileDesc/"
    title = _first(root, header + "tei:titleStmt/tei:title[@type='main']",
                   header + "tei:titleStmt/tei:title[@type='complete']",
                   header + "tei:titleStmt/tei:title")
    # the document's own date, never the digital file's (indexer.dates)
    date_edtf = document_date(root)[0]
    parsed = try_parse(date_edtf) if date_edtf else None
    creation = root.find("tei:teiHeader/tei:profileDesc/tei:creation/tei:date", NS)
    date = parsed.iso if parsed else _text(creation)
    lang_el = root.find("tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language", NS)
    availability = root.find(header + "tei:publicationStmt/tei:availability", NS)
    licence = availability.find("tei:licence", NS) if availability is not None else None
    holding = root.find(header + "tei:notesStmt/tei:note[@type='holding']", NS)
    licence_note = root.find(header + "tei:notesStmt/tei:note[@type='licence']", NS)
    provenance = root.find(header + "tei:notesStmt/tei:note[@type='provenance']", NS)
    profile = "tei:teiHeader/tei:profileDesc/"
    doctype = root.find(profile + "tei:textClass//tei:term[@type='doctype']", NS)

    doc = Document(
        doc_id=doc_id,
        path=Path(path),
        title=_text(title) or doc_id,
        title_original=_text(root.find(header + "tei:titleStmt/tei:title[@type='original']", NS)),
        authors=[_text(a) for a in root.findall(header + "tei:titleStmt/tei:author", NS)],
        date=date,
        type=_text(doctype) or "document",
        language=(lang_el.get("ident") if lang_el is not None else None)
        or root.get(XML_LANG, ""),
        rights=(availability.get("n", "") if availability is not None else "")
        or (rights_code(_text(licence) or _text(availability) or _text(licence_note))
            if (availability is not None or licence_note is not None) else ""),
        availability=availability.get("status", "") if availability is not None else "",
        licence=_text(licence) or _text(availability) or _text(licence_note),
        licence_url=(licence.get("target", "") if licence is not None else "")
        or (licence_note.get("target", "") if licence_note is not None else ""),
        provenance=text_of(provenance, frozenset({"idno"})) if provenance is not None else "",
        holding=holding.get("n", "full") if holding is not None else "full",
        inputs=[(i.get("n", ""), _text(i)) for i in provenance.findall("tei:idno", NS)]
        if provenance is not None else [],
        collection=_text(root.find(profile + "tei:textClass//tei:term[@type='collection']", NS))
        or "Unsorted",
        root=root,
        sha256=hashlib.sha256(data).hexdigest(),
        rights_note=_text(availability.find("tei:p", NS)) if availability is not None
        and licence is not None else "",
        date_edtf=date_edtf if parsed else "",
        year_to=parsed.last_year if parsed else None,
    )
    for ev in root.iterfind("tei:standOff/tei:listEvent/tei:event", NS):
        doc.events.append((ev.get("when", ""), _text(ev.find("tei:label", NS)),
                           (ev.get("corresp") or "").lstrip("#")))
    record = doc.record
    if record is not None and record.get(XML_ID):
        fields = (_text(child) for child in record if isinstance(child.tag, str))
        text = ". ".join(f.rstrip(".") for f in fields if f) + "."
        doc.passages.append(Passage(record.get(XML_ID), "bibl", text, record))
    body = doc.body
    if body is not None:
        doc.passages.extend(_passages(body))
        for el in body.iter(f"{{{TEI_NS}}}note"):
            if el.get("type") != "footnote":
                continue
            targets = []
            for ref in el.iter(f"{{{TEI_NS}}}ref", f"{{{TEI_NS}}}ptr"):
                for target in (ref.get("target") or "").split():
                    parsed = parse_target(target, doc_id)
                    if parsed:
                        targets.append(parsed)
            doc.notes.append(Note(
                n=el.get("n", ""), id=el.get(XML_ID), passage_id=_containing_passage(el),
                status=el.get("subtype", ""), cert=el.get("cert", ""),
                text=_text(el.find("tei:bibl", NS)) or text_of(el, frozenset()),
                targets=targets, element=el,
            ))
    return doc
