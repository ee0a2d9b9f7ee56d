"""Extracted text plus the batch's metadata → a TEI document (or, for TEI input, the given
document with the metadata, provenance and ids the store needs added in the right places)."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace

from lxml import etree

from ..chunker import sentences
from ..dates import date_element, try_parse
from ..header import LANGUAGES, HeaderRecord, availability_element, tei_document
from ..rights import map_rights
from ..tei import NS, TEI_NS, XML_ID, XML_LANG, E, tag
from . import Block, Extracted, Metadata
from .tei import add_ids

DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# Characters XML 1.0 does not allow; PDF text layers carry them (a font's private codes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", value)


def normalise_date(value: str) -> str:
    """An ISO date (YYYY, YYYY-MM, YYYY-MM-DD) that exists, or ''."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.strip())
    if not m:
        return ""
    year, month, day = m.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    return "-".join(p for p in m.groups() if p)


def document_date(value: str) -> str:
    """A stated date as EDTF (``1953-03~``, ``1952/1953``…), or as the ISO date it begins
    with, or ''."""
    parsed = try_parse(value) if value else None
    return parsed.edtf if parsed else normalise_date(value)


DEFAULT_COLLECTION = "Imported"


# A paragraph longer than this is a text whose paragraphs the source lost (a transcript of
# 176,484 characters on one line of a CSV file): as one passage it would be a useless citation
# and search hit, and every search showing it would read all of it to find its matches.
LONG_PARAGRAPH = 4_000
# ... cut into runs of whole sentences of about this many characters (a long paragraph: more
# passages would multiply every common word's matches, and their cost on a large store)
RUN, MOST = 1_500, 2_500


def bounded_paragraphs(ex: Extracted) -> Extracted:
    """``ex`` with each paragraph over ``LONG_PARAGRAPH`` characters cut into runs of whole
    sentences of about ``RUN`` characters (``chunker.sentences``), said in its provenance notes
    and its warnings."""
    blocks: list[Block] = []
    cut, pieces, longest = 0, 0, 0
    for block in ex.blocks:
        if block.kind != "p" or len(block.text) <= LONG_PARAGRAPH:
            blocks.append(block)
            continue
        runs = sentences(block.text, RUN, MOST)
        blocks.extend(Block("p", run, block.lang) for run in runs)
        cut, pieces, longest = cut + 1, pieces + len(runs), max(longest, len(block.text))
    if not cut:
        return ex
    said = (f"{cut} paragraph(s) of over {LONG_PARAGRAPH:,} characters (the longest "
            f"{longest:,}; the source kept no paragraph breaks) cut into {pieces} passages of "
            "whole sentences")
    return replace(ex, blocks=blocks, notes=[*ex.notes, said], warnings=[*ex.warnings, said])


def compose(doc_id: str, ex: Extracted, meta: Metadata, original: tuple[str, str],
            collection: str) -> etree._Element:
    """A TEI document for text extracted from a non-TEI file."""
    ex = replace(ex, title=xml_text(ex.title), description=xml_text(ex.description),
                 creators=[xml_text(c) for c in ex.creators])
    language = meta.language or ex.language or "und"
    source = meta.source or ex.source
    rights = map_rights(meta.rights or ex.rights)
    rec = HeaderRecord(
        doc_id=doc_id, title=meta.title or ex.title or doc_id,
        authors=meta.creators or ex.creators, date=document_date(meta.date or ex.date),
        language=language, text_language=language, type=meta.type or ex.type or "document",
        rights=rights.statement.code, licence=rights.statement.label,
        licence_url=rights.statement.uri, rights_note=rights.note,
        provenance=f"Imported from {original[0]}: " + "; ".join(ex.notes)
        + (f". Source: {source}" if source else "") + ".",
        bibl={"title": meta.title or ex.title or doc_id,
              "author": meta.creators or ex.creators,
              "date": document_date(meta.date or ex.date), "url": source,
              "note": meta.description or ex.description},
        holding="full", inputs=[original], collection=collection or DEFAULT_COLLECTION,
    )
    div = E.div(type="text")
    n = 0
    for block in ex.blocks:
        if block.kind == "pb":
            div.append(E.pb(n=block.text))
            continue
        text = xml_text(block.text).strip()
        if not text:
            continue
        n += 1
        p = E.p(text)
        if block.kind == "head":
            p.set("rend", "heading")
        p.set(XML_ID, f"{doc_id}-p{n}")
        if block.lang and block.lang != language:
            p.set(XML_LANG, block.lang)
        div.append(p)
    root = tei_document(rec, E.body(div))
    if ex.source_meta:  # kept as the file said it, beside the header's own reading of it
        notes = root.find("tei:teiHeader/tei:fileDesc/tei:notesStmt", NS)
        notes.append(E.note(E.list(*(E.item(xml_text(v), n=xml_text(k))
                                     for k, v in ex.source_meta)), type="source-metadata"))
    return root


def _child(parent: etree._Element, name: str, before: tuple[str, ...] = ()) -> etree._Element:
    """``parent``'s child ``name``, created (before the first of ``before``) when missing."""
    found = parent.find(f"tei:{name}", NS)
    if found is not None:
        return found
    el = etree.Element(tag(name))
    anchor = next((c for c in parent if etree.QName(c).localname in before), None)
    if anchor is not None:
        anchor.addprevious(el)
    else:
        parent.append(el)
    return el


def enrich_tei(root: etree._Element, doc_id: str, ex: Extracted, meta: Metadata,
               original: tuple[str, str], collection: str) -> int:
    """Add to a given TEI document what the store needs, leaving the rest as it was: the root
    id, passage ids, provenance with the original's sha256, and the manifest's overrides.
    Returns the number of passage ids added."""
    root.set(XML_ID, doc_id)
    added = add_ids(root, doc_id)
    header = root.find("tei:teiHeader", NS)
    file_desc = header.find("tei:fileDesc", NS)
    title_stmt = file_desc.find("tei:titleStmt", NS)
    if meta.title:
        title = title_stmt.find("tei:title", NS)
        for child in list(title):
            title.remove(child)
        title.text = meta.title
    if meta.creators:
        for old in title_stmt.findall("tei:author", NS):
            title_stmt.remove(old)
        for name in meta.creators:
            title_stmt.append(E.author(name))
    notes = _child(file_desc, "notesStmt", before=("sourceDesc",))
    note = E.note(f"Imported from {original[0]}: " + "; ".join(ex.notes)
                  + (f"; {added} passage ids added" if added else "") + ".", type="provenance")
    note.append(E.idno(original[1], type="sha256", n=original[0]))
    notes.append(note)
    if meta.rights:  # the batch's statement replaces the file's own
        mapped = map_rights(meta.rights)
        publication = _child(file_desc, "publicationStmt", before=("notesStmt", "sourceDesc"))
        if publication.find("tei:p", NS) is None:
            for old in publication.findall("tei:availability", NS):
                publication.remove(old)
            publication.append(availability_element(mapped))
        else:  # a prose publicationStmt cannot take an availability: say it in a note
            notes.append(E.note(mapped.statement.label, type="licence",
                                target=mapped.statement.uri))
    profile = _child(header, "profileDesc", before=("xenoData", "revisionDesc"))
    creation = profile.find("tei:creation", NS)
    stated = creation.find("tei:date", NS) if creation is not None else None
    # the document's date made explicit where TEI expects it: the manifest's, else the one
    # found elsewhere in the header (indexer.dates: never the file's posting date)
    date = try_parse(meta.date) if meta.date else None
    if date is None and ex.date and stated is None:
        date = try_parse(ex.date)
    if date is not None:
        creation = _child(profile, "creation", before=("langUsage", "textClass", "abstract"))
        for old in creation.findall("tei:date", NS):
            creation.remove(old)
        creation.insert(0, date_element(date))
    usage = profile.find("tei:langUsage", NS)
    language = meta.language or (ex.language if usage is None else "")
    if language:
        usage = _child(profile, "langUsage", before=("textClass", "abstract"))
        for old in list(usage):
            usage.remove(old)
        usage.append(E.language(LANGUAGES.get(language, language), ident=language))
    # one rule on the command line and the web: the manifest's collection, else the batch's,
    # else the one the file states, else "Imported"
    keywords = _child(_child(profile, "textClass"), "keywords")
    own = keywords.find("tei:term[@type='collection']", NS)
    if not collection and own is None:
        collection = DEFAULT_COLLECTION
    for kind, value in (("doctype", meta.type), ("collection", collection)):
        if value:
            for old in keywords.findall(f"tei:term[@type='{kind}']", NS):
                keywords.remove(old)
            keywords.append(E.term(value, type=kind))
    return added


TEI_ROOT = f"{{{TEI_NS}}}TEI"
