"""TEI store → search index, on disk under ``$LIBRARY_HOME/index``, through the engine chosen
(``indexer.engines``: Whoosh by default, or tantivy).

The index holds ``passages`` (one entry per passage, with its document's metadata) and
``citations`` (one entry per footnote target: who cites what), so the reader can show "cited by"
without reading every document. A build writes a new folder and swaps it in only when complete:
a failed build leaves the previous index as it was. The folder records which engine made it;
an index made by another engine than the one chosen is rebuilt from the store.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import engines
from .analysis import capitalised_words
from .buildjobs import analysed, read_all
from .persons import REGISTER_ID, Register
from .places import PLACES_FILE, PLACES_ID, PlaceRegister, replace_names, rows_of, save_names
from .store import document_paths
from .teidoc import Document, read_document
from .writelock import LockBusy, write_lock
from .xmlsafe import XMLInputError

log = logging.getLogger("library.index")

# Stored files left out of the index because they cannot be read, by name → sha256, so that a
# damaged file is not taken for a stale one (and re-read) on every start.
LEFT_OUT = "left-out.json"


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
    engine: str = ""


def passage_records(doc: Document, register: Register, places: Sequence[str] = ()):
    """Index entries for the passages of ``doc`` (passages without an id cannot be linked to,
    so they are not indexed; ``library check`` reports them). ``places``: the keys of the
    places and organisations the document names (``places.rows_of``), its metadata as the
    search facet and filter read it."""
    year = doc.year if doc.year is not None else 0
    # a date that is a range is found under every year it spans (at most 200 of them)
    years = list(range(year, min(doc.year_to or year, year + 199) + 1)) if year else [0]
    lead = True  # the first passage indexed carries the document's row (engines.documents)
    for position, passage in enumerate(doc.passages):
        if not passage.id or not passage.text:
            continue
        yield {
            "lead": lead,
            "passage_id": passage.id, "doc_id": doc.doc_id, "tei_sha": doc.sha256,
            "kind": passage.kind,
            "position": position, "title": doc.title, "author": doc.author,
            "authors": ",".join(a.replace(",", " ") for a in doc.authors), "date": doc.date,
            "year": year, "years": years, "year_to": years[-1], "type": doc.type,
            "language": doc.language,
            "collection": doc.collection, "rights": doc.rights,
            "persons": ",".join(register.persons_in(passage.text)),
            "places": ",".join(places),
            "text": passage.text, "text_exact": passage.text,
        }
        lead = False


def citation_records(doc: Document):
    for note in doc.notes:
        for target_doc, target_passage in note.targets:
            yield {
                "note_id": note.id or "", "n": note.n, "source_doc": doc.doc_id,
                "source_passage": note.passage_id or "", "target_doc": target_doc,
                "target_passage": target_passage, "status": note.status, "cert": note.cert,
                "text": note.text,
            }


def _add(writer: engines.Writer, docs: list[Document], register: Register,
         places: dict[str, list[tuple[str, str, str, str]]]) -> tuple[int, int]:
    """Add the passages and citations of ``docs`` (``places``: each one's rows of the place
    table): (passages, citations)."""
    n_passages = n_citations = 0
    for doc in docs:
        keys = [key for _, key, _, _ in places.get(doc.doc_id, ())]
        for record in passage_records(doc, register, keys):
            writer.add_passage(record)
            n_passages += 1
        for record in citation_records(doc):
            writer.add_citation(record)
            n_citations += 1
    return n_passages, n_citations


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


def build_index(sources: Path, index_dir: Path, strict: bool = False,
                engine: str | None = None, jobs: int = 1) -> BuildReport:
    """Index every document of ``sources`` into ``index_dir`` (replaced only on success), with
    ``engine`` (default: ``LIBRARY_ENGINE``, else the engine of the index there, else Whoosh);
    ``jobs`` processes share the per-document work (``buildjobs``).

    The new index is written into a folder of its own and renamed into place, so readers see
    the old index or the new one, never a mixture; the caller holds the write lock."""
    chosen = engines.get(engines.chosen(engine, index_dir))
    started = time.perf_counter()
    items, faults = [], []
    for path, fault, item in read_all(document_paths(sources), sources / f"{REGISTER_ID}.xml",
                                      jobs):
        if fault is None:
            items.append(item)
        else:
            faults.append((path, fault))
    if faults and strict:
        raise BuildError("cannot index the store:\n  " + "\n  ".join(f for _, f in faults))
    for _, fault in faults:
        log.warning("left out of the index: %s", fault)
    register = Register.load(sources / f"{REGISTER_ID}.xml")
    names = frozenset(register.name_words() | capitalised_words(itertools.chain(
        (r["text"] for d in items for r in d.passages if r["kind"] != "bibl"),
        (t for d in items for t in d.other_texts))))
    passages = [r for d in items for r in d.passages]
    for d in items:  # held by ``passages`` alone, so that each goes once it is written
        d.passages, d.other_texts = [], []
    n_passages = len(passages)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.building.",
                                     dir=index_dir.parent))
    try:
        writer = chosen.create(building, names)
        try:
            # tantivy is handed words: analysed here, over the jobs, a chunk at a time
            for chunk in analysed(passages, names if chosen.name == "tantivy" else None, jobs):
                for record in chunk:
                    writer.add_passage(record)
            n_citations = 0
            for d in items:
                for record in d.citations:
                    writer.add_citation(record)
                    n_citations += 1
        except BaseException:
            writer.cancel()
            raise
        n_notes = sum(d.notes for d in items)
        writer.commit()
        engines.mark(building, chosen.name, names)
        _save_left_out(building, {path.stem: _sha(path) for path, _ in faults})
        save_names(building, [row for d in items for row in d.places])
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
    return BuildReport(len(items), n_passages, n_notes, n_citations,
                       time.perf_counter() - started, [f for _, f in faults], chosen.name)


def stale_documents(sources: Path, index_dir: Path) -> tuple[list[Path], list[str]]:
    """What the index lacks or holds wrongly: stored files whose TEI differs from what was
    indexed (or was never indexed), and indexed documents no longer in the store."""
    indexed = _engine_of(index_dir).indexed(index_dir)
    left_out = _left_out(index_dir)
    stale, present = [], set()
    for path in document_paths(sources):
        present.add(path.stem)
        known = indexed.get(path.stem)
        if known is None and path.stem in (REGISTER_ID, PLACES_ID):
            continue  # the registers have no passages of their own
        sha = _sha(path)
        if known != sha and left_out.get(path.stem) != sha:
            stale.append(path)
    return stale, sorted(set(indexed) - present)


def update_index(sources: Path, index_dir: Path, paths: list[Path],
                 removed: list[str] = ()) -> int:
    """Re-index the documents at ``paths`` and drop ``removed`` ones, in one commit per index
    (commits are atomic: a crash leaves the index as it was before). Returns the number
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
    places = PlaceRegister.load(sources / f"{PLACES_ID}.xml")
    writer = _engine_of(index_dir).writer(index_dir)
    try:
        for doc_id in [d.doc_id for d in docs] + list(removed):
            writer.delete_document(doc_id)
        rows = {doc.doc_id: rows_of(doc, places) for doc in docs}
        written, _ = _add(writer, docs, register, rows)
        # written before the commit: a page that counts them early keeps the counts only
        # until the commit's new generation, never a generation with the old names
        replace_names(index_dir, [d.doc_id for d in docs] + list(removed),
                      [row for doc in docs for row in rows[doc.doc_id]])
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    _save_left_out(index_dir, left_out)
    return written


def merge_index(index_dir: Path) -> tuple[int, int]:
    """The index's segments merged where its engine leaves that to us (each import's commit
    adds one; every query pays for each): (segments before, after). Under the write lock."""
    return _engine_of(index_dir).merge(index_dir)


def reconcile(sources: Path, index_dir: Path) -> tuple[int, int]:
    """Bring the index in line with the store; returns (documents re-indexed, removed)."""
    stale, removed = stale_documents(sources, index_dir)
    if stale or removed:
        update_index(sources, index_dir, stale, removed)
    return len(stale), len(removed)


# Past this many passages the README recommends tantivy (measured: bench/search_bench.py).
TANTIVY_ABOVE = 100_000


def engine_advice(index_dir: Path) -> str | None:
    """A note when a Whoosh library has grown past the size where tantivy is recommended."""
    made_by = engines.made_by(index_dir)
    if made_by != "whoosh":
        return None
    try:
        with engines.get(made_by).reader(index_dir).session() as s:
            n = s.doc_count()
    except Exception:  # noqa: BLE001  (advice only: an unreadable index is reported elsewhere)
        return None
    if n <= TANTIVY_ABOVE:
        return None
    return (f"the library holds {n:,} passages; past {TANTIVY_ABOVE:,} the README recommends "
            "the tantivy engine (faster builds and searches): library build --engine tantivy")


def left_out_files(index_dir: Path) -> list[str]:
    """Names of stored files the index leaves out because they cannot be read."""
    return sorted(_left_out(index_dir))


def _engine_of(index_dir: Path) -> engines.Engine:
    """The adapter of the engine that made the index in ``index_dir``."""
    return engines.get(engines.made_by(index_dir) or engines.chosen(folder=index_dir))


def index_fault(index_dir: Path, engine: str | None = None) -> str | None:
    """Why the index at ``index_dir`` cannot be used (missing, made by another engine than the
    one chosen or by another version of the library, truncated, garbled, a segment gone), or
    None when its parts open and read through."""
    made_by = engines.made_by(index_dir)
    if made_by is None:
        return "the index is missing"
    wanted = engines.chosen(engine, index_dir)
    if made_by != wanted:
        return f"the index was made by {made_by}, and {wanted} is chosen"
    if not (Path(index_dir) / PLACES_FILE).is_file():  # made before the place register
        return "the index was made by another version of the library"
    return engines.get(made_by).fault(index_dir)


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
    if index_dir.exists() and "missing" not in fault and "chosen" not in fault:
        log.warning("%s: rebuilt from %s in %.1f s", fault, sources, report.seconds)
    else:
        log.info("index built from %s in %.1f s (%s)", sources, time.perf_counter() - started,
                 fault)
    return True


def index_is_current(sources: Path, index_dir: Path) -> bool:
    """True when an index of the chosen engine exists and holds exactly what the store holds."""
    made_by = engines.made_by(index_dir)
    if made_by is None or made_by != engines.chosen(folder=index_dir) or \
            not engines.get(made_by).exists(index_dir):
        return False
    try:
        stale, removed = stale_documents(sources, index_dir)
    except Exception:  # noqa: BLE001  (a damaged index is not current)
        return False
    return not stale and not removed
