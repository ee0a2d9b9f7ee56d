"""TEI P5 input: parsed safely, validated against tei_all, kept as given. Only what the store
needs is added: an ``xml:id`` on the root and on passages that lack one."""

from __future__ import annotations

import re
from pathlib import Path

from ..dates import document_date
from ..tei import NS, TEI_NS, XML_ID, XML_LANG, local, text_of
from ..teidoc import PASSAGE_TAGS
from ..validation import tei_errors
from ..xmlsafe import XMLInputError, parse_bytes
from . import Extracted, ReadOptions, RefusedInput


def read(path: Path, data: bytes, options: ReadOptions) -> list[Extracted]:
    if not data.strip():
        raise RefusedInput(f"{path.name}: the file is empty")
    try:
        tree = parse_bytes(data, where=path.name)
    except XMLInputError as exc:
        raise RefusedInput(str(exc)) from None
    root = tree.getroot()
    if root.tag != f"{{{TEI_NS}}}TEI":
        raise RefusedInput(f"{path.name}:{root.sourceline}: not TEI P5: the root element is "
                           f"<{local(root) or root.tag}>, expected <TEI> in the TEI namespace")
    notes = ["TEI P5, kept as given"]
    warnings: list[str] = []
    if options.validate_tei:
        errors = tei_errors(tree, path.name, limit=20)
        if errors and options.strict:
            raise RefusedInput("not valid TEI P5 (tei_all 4.3.0): " + "; ".join(errors[:3])
                               + ("; …" if len(errors) > 3 else "")
                               + " — refused because --strict was given")
        if errors:
            # archives hold TEI that bends the schema (FRUS puts a date straight into
            # publicationStmt): it is imported, and the messages are kept with it
            warnings = errors
            notes.append(f"not valid against tei_all 4.3.0 ({len(errors)}"
                         f"{'+' if len(errors) == 20 else ''} schema messages, kept in the "
                         "header)")
        else:
            notes.append("valid against tei_all 4.3.0")
    else:
        notes.append("imported without schema validation (--no-validate)")
    hint = root.get(XML_ID) or path.stem
    date, where = document_date(root)
    if date:
        notes.append(f"the document's date {date} from {where}")
    return [Extracted(id_hint=hint, tei=tree, notes=notes, warnings=warnings, date=date,
                      language=_language(root, notes))]


def _language(root, notes: list[str]) -> str:
    """The language the header states (``langUsage``, else the root's ``xml:lang``), or, when
    it states none, the one detected from the text (lingua, as for every other format)."""
    stated = root.find("tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language", NS)
    if stated is not None and stated.get("ident"):
        return stated.get("ident")
    if root.get(XML_LANG):
        return root.get(XML_LANG)
    body = root.find("tei:text", NS)
    if body is None:
        return ""
    from ..language import detect

    found = detect(text_of(body)[:6000])
    if found:
        notes.append(f"language {found} detected (the header states none)")
    return found


def add_ids(root, doc_id: str) -> int:
    """Give every passage without an ``xml:id`` one (``<doc_id>-p<n>``, unique in the file);
    returns how many were added."""
    taken = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    body = root.find(f"{{{TEI_NS}}}text")
    if body is None:
        return 0
    added, n = 0, 0

    def walk(el) -> None:
        nonlocal added, n
        for child in el:
            name = local(child)
            if name in PASSAGE_TAGS:
                if not child.get(XML_ID):
                    n += 1
                    while f"{doc_id}-p{n}" in taken:
                        n += 1
                    child.set(XML_ID, f"{doc_id}-p{n}")
                    taken.add(f"{doc_id}-p{n}")
                    added += 1
            elif name and name != "note":
                walk(child)

    walk(body)
    return added


def slug(text: str) -> str:
    """A document id from a name: lower-case ASCII letters, digits and hyphens, starting with a
    letter (an ``xml:id`` must be an XML name)."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    if not value[:1].isalpha():
        value = f"doc-{value}" if value else "document"
    return value
