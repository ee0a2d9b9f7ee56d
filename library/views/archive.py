"""What a document's page says of the archival file it was made from: the schema's messages
(for librarians), its rights statement's link, its machine-read pages and facsimiles, and
the kept original."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.archival import validation_messages
from indexer.teidoc import Document

from .urls import _librarian


@dataclass
class Archival:
    validation: list[str] = field(default_factory=list)  # shown to librarians only


def context(doc: Document) -> Archival:
    return Archival(validation=validation_messages(doc.root) if _librarian() else [])
