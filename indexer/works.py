"""A cited work's curated record (``works.toml``) plus its raw text, if free → a TEI document.

Free texts (public domain, CC BY) go in whole, cut into passages by their chunker. For works under
copyright only the passages the essay quotes are held, each a ``cit/quote`` with its locator.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from .bibliography import SeedError, Work
from .chunker import CHUNKERS
from .header import HeaderRecord, tei_document
from .tei import XML_ID, E


def _with_id(el: etree._Element, xml_id: str) -> etree._Element:
    el.set(XML_ID, xml_id)
    return el


def read_text(work: Work, seeds_dir: Path) -> tuple[list[str], tuple[str, str]]:
    """The work's passages and its (file name, sha256); the digest must match the record's."""
    path = seeds_dir / work.text
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the text of {work.id!r}: {exc.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    if work.sha256 and digest != work.sha256:
        raise SeedError(f"{path}: sha256 is {digest}, works.toml records {work.sha256}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedError(f"{path}: not UTF-8 at byte {exc.start}") from None
    text = "\n".join(text.splitlines()[work.skip_lines :])
    if work.chunker not in CHUNKERS:
        raise SeedError(f"{path}: unknown chunker {work.chunker!r} (known: {', '.join(CHUNKERS)})")
    return CHUNKERS[work.chunker](text), (Path(work.text).name, digest)


def build_work(work: Work, seeds_dir: Path, record_digest: tuple[str, str]) -> etree._Element:
    """The TEI document of ``work``; ``record_digest``: (name, sha256) of the curated record."""
    body = E.body()
    inputs = [record_digest]
    if work.editorial_notes:
        div = E.div(type="editorial")
        for ed in work.editorial_notes:
            div.append(_with_id(E.note(ed.text, type="editorial", resp="#library"), ed.id))
        body.append(div)
    if work.holding == "full":
        passages, digest = read_text(work, seeds_dir)
        inputs.append(digest)
        div = E.div(type="text")
        for n, passage in enumerate(passages, start=1):
            div.append(_with_id(E.p(passage), f"{work.id}-p{n}"))
        body.append(div)
    else:
        div = E.div(E.head("Passages quoted in the essay"), type="excerpts")
        for ex in work.excerpts:
            cit = _with_id(E.cit(E.quote(ex.quote), type="excerpt"), ex.id)
            if ex.locator:
                cit.append(E.bibl(E.citedRange(ex.locator)))
            if ex.note:
                cit.append(E.note(ex.note, type="translation"))
            div.append(cit)
        body.append(div)
    rec = HeaderRecord(
        doc_id=work.id, title=work.title, authors=work.authors, date=work.date,
        language=work.language, text_language=work.text_language, type=work.type,
        rights=work.rights, licence=work.licence, provenance=work.provenance, bibl=work.bibl,
        holding=work.holding, title_original=work.title_original, licence_url=work.licence_url,
        inputs=inputs,
    )
    return tei_document(rec, body)
