"""TEI store → Whoosh index, on disk under ``$LIBRARY_HOME/index``.

Two indexes share the folder: ``passages`` (one entry per passage, with its document's metadata)
and ``citations`` (one entry per footnote target: who cites what), so the reader can show
"cited by" without reading every document. A build writes a new folder and swaps it in only when
complete: a failed build leaves the previous index as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import capitalised_words, exact_analyzer, text_analyzer
from .persons import REGISTER_ID, Register
from .store import document_paths
from .teidoc import Document, read_document
from .writelock import LockBusy, write_lock
from .xmlsafe import XMLInputError

log = logging.getLogger("library.index")

PASSAGES = "passages"
CITATIONS = "citations"
# Stored files left out of the index because they cannot be read, by name → sha256, so that a
# damaged file is not taken for a stale one (and re-read) on every start.
LEFT_OUT = "left-out.json"


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
    left_out: list[str] = field(default_factory=list)  # unreadable files, with the reason


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


def read_store(sources: Path, strict: bool = False
               ) -> tuple[list[Document], list[tuple[Path, str]]]:
    """Every readable document of the store, and a fault line for each file that is not.

    A malformed file is left out of the index (and said so) rather than taking the whole site
    down; ``strict`` makes any fault a :class:`BuildError` listing them all."""
    docs, faults = [], []
    for path in document_paths(sources):
        try:
            docs.append(read_document(path))
        except XMLInputError as exc:
            faults.append((path, str(exc)))
    if faults and strict:
        raise BuildError("cannot index the store:\n  " + "\n  ".join(f for _, f in faults))
    return docs, faults


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _left_out(index_dir: Path) -> dict[str, str]:
    try:
        return json.loads((index_dir / LEFT_OUT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_left_out(index_dir: Path, left_out: dict[str, str]) -> None:
    tmp = index_dir / f".{LEFT_OUT}.tmp"
    tmp.write_text(json.dumps(left_out, sort_keys=True), encoding="utf-8")
    os.replace(tmp, index_dir / LEFT_OUT)


def build_index(sources: Path, index_dir: Path, strict: bool = False) -> BuildReport:
    """Index every document of ``sources`` into ``index_dir`` (replaced only on success).

    The new index is written into a folder of its own and renamed into place, so readers see
    the old index or the new one, never a mixture; the caller holds the write lock."""
    started = time.perf_counter()
    docs, faults = read_store(sources, strict)
    for _, fault in faults:
        log.warning("left out of the index: %s", fault)
    register = Register.load(sources / f"{REGISTER_ID}.xml")
    names = register.name_words() | capitalised_words(
        p.text for d in docs for p in d.passages if p.kind != "bibl")
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.building.",
                                     dir=index_dir.parent))
    try:
        passages = whoosh_index.create_in(building, passage_schema(names), indexname=PASSAGES)
        citations = whoosh_index.create_in(building, citation_schema(), indexname=CITATIONS)
        pw = passages.writer(limitmb=256)
        cw = citations.writer()
        n_passages, n_citations = _add(pw, cw, docs, register)
        n_notes = sum(len(doc.notes) for doc in docs)
        pw.commit()
        cw.commit()
        _save_left_out(building, {path.stem: _sha(path) for path, _ in faults})
        building.chmod(0o755)
        old = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.old.", dir=index_dir.parent))
        old.rmdir()
        if index_dir.exists():
            index_dir.rename(old)
        building.rename(index_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return BuildReport(len(docs), n_passages, n_notes, n_citations,
                       time.perf_counter() - started, [f for _, f in faults])


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
    left_out = _left_out(index_dir)
    stale, present = [], set()
    for path in document_paths(sources):
        present.add(path.stem)
        known = indexed.get(path.stem)
        if known is None and path.stem == REGISTER_ID:
            continue  # the register has no passages of its own
        sha = _sha(path)
        if known != sha and left_out.get(path.stem) != sha:
            stale.append(path)
    return stale, sorted(set(indexed) - present)


def update_index(sources: Path, index_dir: Path, paths: list[Path],
                 removed: list[str] = ()) -> int:
    """Re-index the documents at ``paths`` and drop ``removed`` ones, in one commit per index
    (Whoosh commits are atomic: a crash leaves the index as it was before). Returns the number
    of passages written. A file that cannot be read is left out (its earlier entries go), with a
    log line; ``library check`` names its fault."""
    docs, left_out = [], _left_out(index_dir)
    for path in paths:
        left_out.pop(path.stem, None)
        try:
            docs.append(read_document(path))
        except XMLInputError as exc:
            log.warning("left out of the index: %s", exc)
            left_out[path.stem] = _sha(path)
            removed = [*removed, path.stem]
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
    _save_left_out(index_dir, left_out)
    return written


def reconcile(sources: Path, index_dir: Path) -> tuple[int, int]:
    """Bring the index in line with the store; returns (documents re-indexed, removed)."""
    stale, removed = stale_documents(sources, index_dir)
    if stale or removed:
        update_index(sources, index_dir, stale, removed)
    return len(stale), len(removed)


def left_out_files(index_dir: Path) -> list[str]:
    """Names of stored files the index leaves out because they cannot be read."""
    return sorted(_left_out(index_dir))


def index_fault(index_dir: Path) -> str | None:
    """Why the index at ``index_dir`` cannot be used (missing, from an older schema, truncated,
    garbled, a segment gone), or None when both its parts open and read through."""
    for name in (PASSAGES, CITATIONS):
        if not whoosh_index.exists_in(index_dir, indexname=name):
            return f"the {name} index is missing"
    try:
        ix = whoosh_index.open_dir(index_dir, indexname=PASSAGES)
        if set(ix.schema.names()) != set(passage_schema().names()):
            return "the index was made by another version of the library"
        with ix.searcher() as s:
            reader = s.reader()
            n = reader.doc_count_all()
            for column in ("doc_id", "tei_sha", "date", "year"):
                list(reader.column_reader(column, translate=True))
            for fieldname in ("doc_id", "persons", "authors"):
                for term in reader.lexicon(fieldname):
                    reader.postings(fieldname, term).all_ids()
            if n:
                s.stored_fields(n - 1)
        with whoosh_index.open_dir(index_dir, indexname=CITATIONS).searcher() as s:
            list(s.all_stored_fields())
    except Exception as exc:  # noqa: BLE001  (any fault of a damaged file means: rebuild)
        return f"the index is damaged ({type(exc).__name__}: {exc})"
    return None


def ensure_index(sources: Path, index_dir: Path, wait: bool = True) -> bool:
    """Make the index usable and in line with the store; True if anything was done.

    A missing or damaged index is rebuilt from the store (with a log line saying why);
    otherwise documents added, changed or removed since (or left behind by an interrupted
    import) are re-indexed. Changes happen under the write lock, so several processes
    starting at once build the index once. With ``wait=False`` a reader that finds the lock
    busy goes on with the index as it is (its holder will bring it in line), unless there is
    no usable index at all."""
    fault = index_fault(index_dir)
    if fault is None and index_is_current(sources, index_dir):
        return False
    try:
        with write_lock(index_dir.parent, "index update", wait=wait or fault is not None,
                        on_wait=lambda message: log.warning("%s", message)):
            return _bring_in_line(sources, index_dir)
    except LockBusy:
        return False


def _bring_in_line(sources: Path, index_dir: Path) -> bool:
    """Under the write lock: repair or reconcile (another process may have done it already
    while this one waited)."""
    fault = index_fault(index_dir)
    if fault is None:
        try:
            changed, removed = reconcile(sources, index_dir)
            return bool(changed or removed)
        except (OSError, ValueError, KeyError, EOFError) as exc:
            fault = f"the index is damaged ({type(exc).__name__}: {exc})"
    started = time.perf_counter()
    report = build_index(sources, index_dir)
    if index_dir.exists() and "missing" not in fault:
        log.warning("%s: rebuilt from %s in %.1f s", fault, sources, report.seconds)
    else:
        log.info("index built from %s in %.1f s", sources, time.perf_counter() - started)
    return True


def index_is_current(sources: Path, index_dir: Path) -> bool:
    """True when an index exists and holds exactly what the store holds."""
    if not whoosh_index.exists_in(index_dir, indexname=PASSAGES):
        return False
    try:
        stale, removed = stale_documents(sources, index_dir)
    except Exception:  # noqa: BLE001  (a damaged index is not current)
        return False
    return not stale and not removed
