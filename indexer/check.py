"""``library check``: the store's integrity, reported fault by fault.

Every TEI file well-formed and safe; its ``xml:id`` matching its file name; ``xml:id``s unique
within the file and across the store; every passage addressable; every header stating licence
and provenance; every footnote target existing in the store.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .store import document_paths
from .tei import XML_ID
from .teidoc import Document, read_document
from .xmlsafe import XMLInputError


def check_store(sources: Path) -> tuple[list[Document], list[str]]:
    """The readable documents and the list of faults (empty when the store is sound)."""
    faults: list[str] = []
    docs: list[Document] = []
    for path in document_paths(sources):
        try:
            docs.append(read_document(path))
        except XMLInputError as exc:
            faults.append(str(exc))
    ids: dict[str, dict[str, int]] = {}
    owner: dict[str, str] = {}
    for doc in docs:
        where = doc.path.name
        if doc.doc_id != doc.path.stem:
            faults.append(f"{where}: TEI/@xml:id is {doc.doc_id!r}, expected {doc.path.stem!r}")
        counts = Counter(el.get(XML_ID) for el in doc.root.iter() if el.get(XML_ID))
        for xml_id, count in counts.items():
            if count > 1:
                faults.append(f"{where}: xml:id {xml_id!r} occurs {count} times")
            if xml_id in owner and owner[xml_id] != doc.doc_id:
                faults.append(f"{where}: xml:id {xml_id!r} is also used in {owner[xml_id]}.xml")
            owner.setdefault(xml_id, doc.doc_id)
        ids[doc.doc_id] = counts
        for passage in doc.passages:
            if not passage.id:
                line = passage.element.sourceline
                faults.append(
                    f"{where}:{line}: <{passage.kind}> has no xml:id, so it cannot be cited")
        if not doc.licence:
            faults.append(f"{where}: the header states no licence (publicationStmt/availability)")
        if not doc.provenance:
            faults.append(
                f"{where}: the header states no provenance (notesStmt/note[@type='provenance'])")
    for doc in docs:
        for note in doc.notes:
            line = note.element.sourceline
            if not note.targets:
                faults.append(f"{doc.path.name}:{line}: footnote {note.n} points nowhere")
            for target_doc, target_id in note.targets:
                if target_doc not in ids:
                    faults.append(f"{doc.path.name}:{line}: footnote {note.n} points to missing "
                                  f"document {target_doc!r}")
                elif target_id not in ids[target_doc]:
                    faults.append(f"{doc.path.name}:{line}: footnote {note.n} points to "
                                  f"{target_doc}#{target_id}, which does not exist")
    return docs, faults
