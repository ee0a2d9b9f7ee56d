"""What archives' files lack or bend, recorded in the TEI header rather than refused.

- Schema messages of TEI that is not valid against tei_all are kept as
  ``notesStmt/note[@type='validation']`` in the document itself: they describe this file, so
  they travel with it (a new version is validated afresh and carries its own), are covered by
  the store's fixity and versioning, and need no second file kept in step with the first.
- A file that states no rights is recorded as rightsstatements.org "Copyright Not Evaluated".
"""

from __future__ import annotations

from lxml import etree

from .header import AVAILABILITY, CNE_LABEL, CNE_URI
from .tei import NS, E, tag

NO_RIGHTS_WARNING = f"no rights statement: recorded as {CNE_LABEL}"


def _notes_stmt(root: etree._Element) -> etree._Element:
    file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
    notes = file_desc.find("tei:notesStmt", NS)
    if notes is None:
        notes = etree.Element(tag("notesStmt"))
        source = file_desc.find("tei:sourceDesc", NS)
        if source is not None:
            source.addprevious(notes)
        else:
            file_desc.append(notes)
    return notes


def add_validation_note(root: etree._Element, messages: list[str]) -> None:
    """Keep the schema's messages about the file as given (replacing any earlier ones)."""
    notes = _notes_stmt(root)
    for old in notes.findall("tei:note[@type='validation']", NS):
        notes.remove(old)
    note = E.note(E.p("Not valid against tei_all 4.3.0 as imported; the schema said:"),
                  E.list(*(E.item(m) for m in messages)), type="validation")
    notes.append(note)


def validation_messages(root: etree._Element) -> list[str]:
    return ["".join(item.itertext()) for item in root.iterfind(
        "tei:teiHeader/tei:fileDesc/tei:notesStmt/tei:note[@type='validation']/tei:list/"
        "tei:item", NS)]


def has_rights(root: etree._Element) -> bool:
    return (root.find(".//tei:publicationStmt/tei:availability", NS) is not None
            or root.find(".//tei:notesStmt/tei:note[@type='licence']", NS) is not None)


def add_not_evaluated(root: etree._Element) -> None:
    """State "Copyright Not Evaluated" in a TEI document that states no rights."""
    publication = root.find("tei:teiHeader/tei:fileDesc/tei:publicationStmt", NS)
    availability = E.availability(E.licence(CNE_LABEL, target=CNE_URI),
                                  status=AVAILABILITY["not-evaluated"], n="not-evaluated")
    if publication is None or publication.find("tei:p", NS) is not None:
        # a prose publicationStmt cannot take an availability: say it in a note
        _notes_stmt(root).append(E.note(CNE_LABEL, type="licence", target=CNE_URI))
    else:
        publication.append(availability)
