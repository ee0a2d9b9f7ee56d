"""The TEI header every document carries: title, authors, date, languages, type, the full
bibliographic record of the source (``sourceDesc/bibl``), licence (``availability``) and
provenance with the sha256 of each input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .dates import date_element, try_parse
from .rights import FOR_CODE, Mapped, map_rights
from .tei import XML_ID, XML_LANG, E

AVAILABILITY = {
    "public-domain": "free",
    "cc-by-4.0": "free",
    "open": "free",  # another open licence (CC BY-SA, CC BY-NC…): its words are in the licence
    "copyright": "restricted",
    "uncertain": "unknown",
    "other": "unknown",
    "not-evaluated": "unknown",  # rightsstatements.org CNE: no statement came with the file
}
CNE_LABEL = "Copyright Not Evaluated"
CNE_URI = "http://rightsstatements.org/vocab/CNE/1.0/"
LANGUAGES = {"en": "English", "ru": "Russian", "fr": "French", "de": "German", "cs": "Czech",
             "hu": "Hungarian", "zh": "Chinese", "ar": "Arabic"}


def rights_code(text: str) -> str:
    """The store's rights category for a free-text rights statement: that of the statement it
    names (``indexer.rights``), else a guess from its words."""
    mapped = map_rights(text)
    if not mapped.warning:
        return mapped.statement.code
    t = text.lower()
    if "not evaluated" in t or "rightsstatements.org/vocab/cne" in t:
        return "not-evaluated"
    if "public domain" in t or "cc0" in t or t.strip() in ("pd", "public-domain"):
        return "public-domain"
    if re.search(r"cc[ -]?by(?:[ -]?4\.0)?$", t.strip()) or "cc-by-4.0" in t:
        return "cc-by-4.0"
    if "creative commons" in t or re.search(r"\bcc[ -]?by", t) or "open licen" in t:
        return "open"
    if "copyright" in t or "©" in t or "all rights reserved" in t:
        return "copyright"
    return "other"


@dataclass
class HeaderRecord:
    doc_id: str
    title: str
    authors: list[str]
    date: str
    language: str  # of the original work
    text_language: str  # of the text held
    type: str
    rights: str
    licence: str
    provenance: str
    bibl: dict
    holding: str = "full"
    title_original: str = ""
    licence_url: str = ""
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (file name, sha256)
    collection: str = "The essay and its sources"
    rights_note: str = ""  # rights words as given that no statement could be named for


def availability_element(mapped: Mapped) -> etree._Element:
    """``availability`` stating a rights statement by its URI and label, with the words as
    given kept beside it when they say more (or could not be mapped)."""
    s = mapped.statement
    el = E.availability(E.licence(s.label, target=s.uri), status=AVAILABILITY[s.code], n=s.code)
    if mapped.note:
        el.append(E.p(f"As stated: {mapped.note}"))
    return el


def bibl_element(bibl: dict, xml_id: str) -> etree._Element:
    """A TEI ``bibl`` from the curated record's keys (see ``seeds/works.toml``)."""
    el = E.bibl()
    el.set(XML_ID, xml_id)
    for name in bibl.get("author", []):
        el.append(E.author(name))
    for role in ("editor", "translator"):
        for name in bibl.get(role, []):
            el.append(E.editor(name, role=role))
    el.append(E.title(bibl.get("title", "")))
    if bibl.get("title_original"):
        el.append(E.title(bibl["title_original"], type="original"))
    for key, make in (("pub_place", E.pubPlace), ("publisher", E.publisher)):
        if bibl.get(key):
            el.append(make(str(bibl[key])))
    if bibl.get("date"):
        el.append(E.date(str(bibl["date"])))
    if bibl.get("series"):
        el.append(E.series(E.title(bibl["series"])))
    for key, unit in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        if bibl.get(key):
            el.append(E.biblScope(str(bibl[key]), unit=unit))
    if bibl.get("idno"):
        el.append(E.idno(str(bibl["idno"]), type="archival"))
    if bibl.get("source"):  # the authoritative source: an archive's document, a publisher's page
        source = E.idno(str(bibl["source"]), type="source")
        if bibl.get("source_url"):
            source.set("corresp", str(bibl["source_url"]))
        el.append(source)
    if bibl.get("url"):
        el.append(E.ref(bibl["url"], target=bibl["url"]))
    if bibl.get("note"):
        el.append(E.note(bibl["note"]))
    return el


def tei_header(rec: HeaderRecord) -> etree._Element:
    title_stmt = E.titleStmt(E.title(rec.title, type="main"))
    if rec.title_original:
        title_stmt.append(E.title(rec.title_original, type="original"))
    for name in rec.authors:
        title_stmt.append(E.author(name))

    licence = E.licence(rec.licence)
    # every document's rights is a URI: a curated record that names none gets the statement
    # its words name, else its category's
    named = map_rights(rec.licence)
    target = rec.licence_url or ("" if named.warning else named.statement.uri) \
        or FOR_CODE.get(rec.rights, "")
    if target:
        licence.set("target", target)
    publication = E.publicationStmt(
        E.publisher("Primary-source library (digital edition)"),
        E.idno(rec.doc_id, type="doc_id"),
        E.availability(licence, status=AVAILABILITY[rec.rights]),
    )
    publication[-1].set("n", rec.rights)
    if rec.rights_note:
        publication[-1].append(E.p(f"As stated: {rec.rights_note}"))

    holding = (
        "The full text is held."
        if rec.holding == "full"
        else "Only the short passages quoted in the essay are held, as quotations with their "
        "locators; the work itself is not reproduced."
    )
    provenance = E.note(rec.provenance, type="provenance")
    for name, digest in rec.inputs:
        provenance.append(E.idno(digest, type="sha256", n=name))
    notes = E.notesStmt(E.note(holding, type="holding", n=rec.holding), provenance)

    languages = E.langUsage(
        E.language(LANGUAGES.get(rec.text_language, rec.text_language), ident=rec.text_language,
                   usage="100")
    )
    if rec.language != rec.text_language:
        languages.append(
            E.language(LANGUAGES.get(rec.language, rec.language) + " (original)",
                       ident=rec.language, usage="0")
        )
    profile = E.profileDesc(
        E.creation(_creation_date(rec.date)),
        languages,
        E.textClass(E.keywords(E.term(rec.type, type="doctype"),
                               E.term(rec.collection, type="collection"))),
    )
    return E.teiHeader(
        E.fileDesc(
            title_stmt,
            publication,
            notes,
            E.sourceDesc(bibl_element(rec.bibl, f"{rec.doc_id}-bibl")),
        ),
        profile,
    )


def _creation_date(value: str) -> etree._Element:
    parsed = try_parse(value) if value else None
    if parsed is None or parsed.exact:  # a plain date, written as it always was
        return E.date(value, when=value) if value else E.date("undated")
    return date_element(parsed)


def tei_document(rec: HeaderRecord, body: etree._Element) -> etree._Element:
    """A whole TEI document: header plus ``text/body``."""
    text = E.text(body)
    text.set(XML_LANG, rec.text_language)
    root = E.TEI(tei_header(rec), text)
    root.set(XML_ID, rec.doc_id)
    root.set(XML_LANG, rec.text_language)
    return root
