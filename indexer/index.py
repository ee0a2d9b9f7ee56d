"""TEI store → Whoosh index, on disk under ``$LIBRARY_HOME/index``.

Two indexes share the folder: ``passages`` (one entry per passage, with its document's metadata)
and ``citations`` (one entry per footnote target: who cites what), so the reader can show
"cited by" without reading every document. A build writes a new folder and swaps it in only when
complete: a failed build leaves the previous index as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import capitalised_words, exact_analyzer, text_analyzer
from .persons import REGISTER_ID, Register
from .store import document_paths
from .teidoc import Document, read_document
from .xmlsafe import XMLInputError

PASSAGES = "passages"
CITATIONS = "citations"


def passage_schema(names: set[str] | frozenset[str] = frozenset()) -> Schema:
    """One entry per passage. ``names``: folded words never to stem (see ``analysis``)."""
    return Schema(
        passage_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True, sortable=True),
        tei_sha=ID(sortable=True),  # the stored TEI's sha256: tells a stale index entry
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
            "passage_id": passage.id, "doc_id": doc.doc_id, "tei_sha": doc.sha256,
            "kind": passage.kind,
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


def _add(pw, cw, docs: list[Document], register: Register) -> tuple[int, int]:
    """Add the passages and citations of ``docs`` to the two writers: (passages, citations)."""
    n_passages = n_citations = 0
    for doc in docs:
        for record in passage_records(doc, register):
            pw.add_document(**record)
            n_passages += 1
        for record in citation_records(doc):
            cw.add_document(**record)
            n_citations += 1
    return n_passages, n_citations


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
    pw = passages.writer(limitmb=256)
    cw = citations.writer()
    n_passages, n_citations = _add(pw, cw, docs, register)
    n_notes = sum(len(doc.notes) for doc in docs)
    pw.commit()
    cw.commit()
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        index_dir.rename(old)
    building.rename(index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return BuildReport(len(docs), n_passages, n_notes, n_citations,
                       time.perf_counter() - started)


def stale_documents(sources: Path, index_dir: Path) -> tuple[list[Path], list[str]]:
    """What the index lacks or holds wrongly: stored files whose TEI differs from what was
    indexed (or was never indexed), and indexed documents no longer in the store."""
    ix = whoosh_index.open_dir(index_dir, indexname=PASSAGES)
    indexed: dict[str, str] = {}
    with ix.searcher() as s:
        reader = s.reader()
        if reader.doc_count():
            ids = reader.column_reader("doc_id", translate=True)
            shas = reader.column_reader("tei_sha", translate=True)
            for docnum in reader.all_doc_ids():
                indexed.setdefault(ids[docnum], shas[docnum])
    stale, present = [], set()
    for path in document_paths(sources):
        present.add(path.stem)
        known = indexed.get(path.stem)
        if known is None and path.stem == REGISTER_ID:
            continue  # the register has no passages of its own
        if known != hashlib.sha256(path.read_bytes()).hexdigest():
            stale.append(path)
    return stale, sorted(set(indexed) - present)


def update_index(sources: Path, index_dir: Path, paths: list[Path],
                 removed: list[str] = ()) -> int:
    """Re-index the documents at ``paths`` and drop ``removed`` ones, in one commit per index
    (Whoosh commits are atomic: a crash leaves the index as it was before). Returns the number
    of passages written."""
    docs = [read_document(p) for p in paths]
    register = Register.load(sources / f"{REGISTER_ID}.xml")
    passages = whoosh_index.open_dir(index_dir, indexname=PASSAGES)
    citations = whoosh_index.open_dir(index_dir, indexname=CITATIONS)
    pw, cw = passages.writer(limitmb=128), citations.writer()
    try:
        for doc_id in [d.doc_id for d in docs] + list(removed):
            pw.delete_by_term("doc_id", doc_id)
            cw.delete_by_term("source_doc", doc_id)
        written, _ = _add(pw, cw, docs, register)
    except BaseException:
        pw.cancel()
        cw.cancel()
        raise
    cw.commit()
    pw.commit()
    return written


def reconcile(sources: Path, index_dir: Path) -> tuple[int, int]:
    """Bring the index in line with the store; returns (documents re-indexed, removed)."""
    stale, removed = stale_documents(sources, index_dir)
    if stale or removed:
        update_index(sources, index_dir, stale, removed)
    return len(stale), len(removed)


def ensure_index(sources: Path, index_dir: Path) -> bool:
    """Build the index when it is missing or unreadable; otherwise bring it in line with the
    store (documents added, changed or removed since, or left behind by an interrupted
    import). True if anything was done."""
    if whoosh_index.exists_in(index_dir, indexname=PASSAGES):
        try:
            changed, removed = reconcile(sources, index_dir)
            return bool(changed or removed)
        except (OSError, ValueError, KeyError):
            pass  # an index from an older schema or a damaged one: rebuild it
    build_index(sources, index_dir)
    return True


def index_is_current(sources: Path, index_dir: Path) -> bool:
    """True when an index exists and holds exactly what the store holds."""
    if not whoosh_index.exists_in(index_dir, indexname=PASSAGES):
        return False
    try:
        stale, removed = stale_documents(sources, index_dir)
    except (OSError, ValueError, KeyError):
        return False
    return not stale and not removed
