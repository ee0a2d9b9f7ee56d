"""What a document's page says of the archival file it was made from: the schema's messages
(for librarians), its page images beside the transcription (with the machine reading's
confidence), the IIIF manifest, and the kept original to download."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g, request, url_for

from indexer.archival import validation_messages
from indexer.edit import editable
from indexer.teidoc import Document

from .. import facsimiles
from .context import lib
from .urls import _librarian


@dataclass
class Archival:
    validation: list[str] = field(default_factory=list)  # shown to librarians only
    pages: list[facsimiles.Page] = field(default_factory=list)
    thumbs: set[str] = field(default_factory=set)  # pages (n) with a thumbnail (tiles made)
    confidence: int | None = None  # mean over the machine-read pages, in percent
    machine_read: int = 0  # pages
    original_name: str = ""
    original_url: str = ""
    manifest_url: str = ""
    librarian: bool = False
    edit_url: str = ""  # for librarians, on imported documents
    edited: str = ""  # the fields just saved


# OpenSeadragon 6.1.1 adds one <style> of its own (a focus outline for touch screens): the page
# allows exactly that text, by its hash, and no other inline style
VIEWER_STYLE = "sha256-9xTiqzfwFaL2SGb1rmr8gysEwVVjIvqWAgmZgqFqpEE="


def context(doc: Document) -> Archival:
    found = facsimiles.pages(doc)
    if found:
        g.style_hashes = (VIEWER_STYLE,)
    original = facsimiles.original(lib().store.sources, doc)
    librarian = bool(_librarian())
    return Archival(
        validation=validation_messages(doc.root) if librarian else [],
        pages=found,
        thumbs={p.n for p in found
                if (facsimiles.tiles_folder(lib().store.sources, p) / "full").is_dir()},
        confidence=facsimiles.mean_confidence(found),
        machine_read=sum(p.confidence is not None for p in found),
        original_name=original[0] if original else "",
        original_url=url_for("library.original", doc_id=doc.doc_id) if original else "",
        manifest_url=url_for("library.iiif_manifest", doc_id=doc.doc_id) if found else "",
        librarian=librarian,
        edit_url=url_for("library.edit_record", doc_id=doc.doc_id)
        if librarian and editable(lib().store.raw(doc.doc_id) or b"") else "",
        edited=request.args.get("edited", "")[:200] if librarian else "",
    )
