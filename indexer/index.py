"""TEI store → Whoosh index, on disk under ``$LIBRARY_HOME/index``.

Two indexes share the folder: ``passages`` (one entry per passage, with its document's metadata)
and ``citations`` (one entry per footnote target: who cites what), so the reader can show
"cited by" without reading every document. A build writes a new folder and swaps it in only when
complete: a failed build leaves the previous index as it was.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import capitalised_words, exact_analyzer, text_analyzer
from .persons import REGISTER_ID, Register
from .store import document_paths, newest_mtime
from .teidoc import Document, read_document
from .xmlsafe import XMLInputError

PASSAGES = "passages"
CITATIONS = "citations"
STAMP = "BUILT.json"


def passage_schema(names: set[str] | frozenset[str] = frozenset()) -> Schema:
    """One entry per passage. ``names``: folded words never to stem (see ``analysis``)."""
    return Schema(
        passage_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True, sortable=True),
        kind=ID(stored=True),
        position=NUMERIC(stored=True),
        title=TEXT(stored=True, analyzer=exact_analyzer(), field_boost=2.0),
        author=TEXT(stored=True, analyzer=exact_analyzer()),
        authors=KEYWORD(commas=True),
        date=ID(stored=True, sortable=True),
        year=NUMERIC(sortable=True),
        type=ID(stored=True, sortable=True),
        language=ID(sortable=True),
        collection=ID(sortable=True),
        rights=ID(),
        persons=KEYWORD(commas=True),
        # phrases and proximity go to text_exact, so the stemmed field keeps no positions
        text=TEXT(stored=True, analyzer=text_analyzer(names), phrase=False),
        text_exact=TEXT(analyzer=exact_analyzer(), phrase=True),
    )


def citation_schema() -> Schema:
    return Schema(
        note_id=ID(stored=True),
        n=STORED(),
        source_doc=ID(stored=True),
        source_passage=ID(stored=True),
        target_doc=ID(stored=True),
        target_passage=ID(stored=True),
        status=STORED(),
        cert=STORED(),
        text=STORED(),
    )


class BuildError(RuntimeError):
    """The store cannot be indexed; ``str()`` lists every file at fault."""


@dataclass
class BuildReport:
    documents: int
    passages: int
    notes: int
    citations: int
    seconds: float


def passage_records(doc: Document, register: Register):
    """Index entries for the passages of ``doc`` (passages without an id cannot be linked to,
    so they are not indexed; ``library check`` reports them)."""
    year = doc.year if doc.year is not None else 0
    for position, passage in enumerate(doc.passages):
        if not passage.id or not passage.text:
            continue
        yield {
            "passage_id": passage.id, "doc_id": doc.doc_id, "kind": passage.kind,
            "position": position, "title": doc.title, "author": doc.author,
            "authors": ",".join(a.replace(",", " ") for a in doc.authors), "date": doc.date,
            "year": year, "type": doc.type, "language": doc.language,
            "collection": doc.collection, "rights": doc.rights,
            "persons": ",".join(register.persons_in(passage.text)),
            "text": passage.text, "text_exact": passage.text,
        }


def citation_records(doc: Document):
    for note in doc.notes:
        for target_doc, target_passage in note.targets:
            yield {
                "note_id": note.id or "", "n": note.n, "source_doc": doc.doc_id,
                "source_passage": note.passage_id or "", "target_doc": target_doc,
                "target_passage": target_passage, "status": note.status, "cert": note.cert,
                "text": note.text,
            }


def read_store(sources: Path) -> list[Document]:
    """Every document of the store; all unreadable files are reported together."""
    docs, faults = [], []
    for path in document_paths(sources):
        try:
            docs.append(read_document(path))
        except XMLInputError as exc:
            faults.append(str(exc))
    if faults:
        raise BuildError("cannot index the store:\n  " + "\n  ".join(faults))
    return docs


def build_index(sources: Path, index_dir: Path) -> BuildReport:
    """Index every document of ``sources`` into ``index_dir`` (replaced only on success)."""
    started = time.perf_counter()
    docs = read_store(sources)
    register = Register.load(sources / f"{REGISTER_ID}.xml")
    names = register.name_words() | capitalised_words(
        p.text for d in docs for p in d.passages if p.kind != "bibl")
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    building = index_dir.with_name(index_dir.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    passages = whoosh_index.create_in(building, passage_schema(names), indexname=PASSAGES)
    citations = whoosh_index.create_in(building, citation_schema(), indexname=CITATIONS)
    n_passages = n_citations = n_notes = 0
    pw = passages.writer(limitmb=256)
    cw = citations.writer()
    for doc in docs:
        for record in passage_records(doc, register):
            pw.add_document(**record)
            n_passages += 1
        for record in citation_records(doc):
            cw.add_document(**record)
            n_citations += 1
        n_notes += len(doc.notes)
    pw.commit()
    cw.commit()
    stamp = {"documents": len(docs), "passages": n_passages, "store_mtime": newest_mtime(sources)}
    (building / STAMP).write_text(json.dumps(stamp))
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        index_dir.rename(old)
    building.rename(index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return BuildReport(len(docs), n_passages, n_notes, n_citations,
                       time.perf_counter() - started)


def index_is_current(sources: Path, index_dir: Path) -> bool:
    """True when an index exists and was built after the store last changed."""
    stamp = index_dir / STAMP
    if not stamp.exists() or not whoosh_index.exists_in(index_dir, indexname=PASSAGES):
        return False
    try:
        built = json.loads(stamp.read_text())
    except ValueError:
        return False
    return built.get("store_mtime", -1) >= newest_mtime(sources) and built.get(
        "documents"
    ) == len(document_paths(sources))
