"""``library import``: files and folders → TEI documents in the store → the index.

Nothing is lost and nothing doubled: each original is kept under ``sources/originals/`` by its
sha256 (recorded in the TEI header); a file already imported is skipped; a changed file under
an identifier already in the store becomes a new version, the old TEI kept under
``sources/versions/``. Every write is a temporary file renamed into place, and the index is
updated only after the TEI is in place; an interrupted import leaves the store ahead of the
index at most, which the next import (or ``library serve``) reconciles before anything else.

A different file never takes an existing document's id: a taken name gets a numbered id (and
the report says so). A file is a new version of a document only when the librarian says so:
a manifest ``identifier``, ``--replace DOC_ID``, or the same original path and collection as
the earlier import. Files are read outside the write lock, as tasks that may run on other
machines (the slow part, and it changes nothing: indexer/pipeline.py, indexer/tasks.py); this
process is the one writer, and allocates ids, writes TEI and commits the index under the lock,
batch by batch.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from . import seedguard
from .archival import NO_RIGHTS_WARNING, add_not_evaluated, add_validation_note, has_rights
from .cluster import ClusterUnreachable, open_executor  # noqa: F401
from .formats import (
    Extracted,
    Metadata,
    RefusedInput,
)
from .formats.compose import bounded_paragraphs, compose, document_date, enrich_tei
from .formats.tei import slug
from .header import CNE_LABEL
from .index import ensure_index, update_index
from .manifest import Manifest
from .pages import add_facsimile, clean_scratch, close_open, keep
from .paths import Paths
from .persons import REGISTER_ID, Register, tag_persons
from .pipeline import INDEX_EVERY, MAX_BYTES, FileWork, Pipeline, _work_estimate  # noqa: F401
from .progress import Progress
from .report import Outcome, Report, report_text, to_json, warning_text  # noqa: F401
from .rights import map_rights
from .store import clean_temporaries, doc_path, write_document
from .storestate import (  # noqa: F401
    StoreState,
    collect,
    fixity,
    import_key,
    record_digest,
)
from .tei import NS, XML_ID, serialize
from .writelock import write_lock
from .xmlsafe import XMLInputError


@dataclass
class ImportOptions:
    collection: str = ""
    rights: str = ""  # a rights statement for files the manifest says nothing of
    pdf_password: str | None = None
    validate_tei: bool = True
    strict: bool = False  # refuse TEI that is not valid against tei_all (else a warning)
    require_rights: bool = False  # refuse files that state no rights (else CNE)
    ocr: str = "auto"  # auto | force | off
    ocr_lang: str = ""  # Tesseract languages for every page; '' = the manifest's, else detected
    jobs: int = 1  # worker processes of a LocalCluster (1: all in this process)
    cluster: str = ""  # a Dask scheduler's address (else LIBRARY_DASK_SCHEDULER, else local)
    check_only: bool = False
    replace: str = ""  # --replace DOC_ID: the one file of the batch is a new version of it


@dataclass
class Prepared:
    """One document ready to be written: its TEI bytes and where it came from."""

    doc_id: str
    tei: bytes
    source_path: Path
    sha256: str  # of the original file
    note: str = ""
    warning: str = ""
    pages: list = field(default_factory=list)  # facsimile page images to move into the store
    title_from: str = ""  # where its title came from, when a reader had to choose one


class Importer(Pipeline):
    """The one writer: the batch's tasks go out through :class:`Pipeline`; what comes back
    is written here, under the write lock."""

    def __init__(self, paths: Paths, options: ImportOptions, manifest: Manifest | None = None,
                 progress: Callable[[Progress], None] | None = None,
                 on_wait: Callable[[str], None] | None = None):
        self.paths = paths
        self.options = options
        self.manifest = manifest
        self.on_progress = progress or (lambda progress: None)
        self.on_wait = on_wait
        self.report = Report()
        self.state = StoreState()
        self.batch_hashes: dict[str, str] = {}
        self.batch_ids: set[str] = set()
        self.register = Register.load(paths.sources / f"{REGISTER_ID}.xml")
        self.pending: list[Path] = []
        self.scratch = ""
        self.progress = Progress()
        self.executor = None
        self._stamp: int | None = None  # the store folder's mtime after this import's writes
        self._reconciled = False

    # -- the batch ----------------------------------------------------------------------------
    def run(self, inputs: list[Path]) -> Report:
        """Import ``inputs``; raises ClusterUnreachable (before anything is read) when the
        scheduler named cannot be reached."""
        exclude = {self.manifest.path.resolve()} if self.manifest else set()
        files, missing, passed = collect(inputs, exclude)
        self.report.failed.extend(missing)
        self.report.skipped.extend(passed)
        if self.options.replace and len(files) != 1:
            self.report.failed.extend(
                Outcome(str(f), error=f"--replace {self.options.replace} takes exactly one "
                                      f"file, not {len(files)}") for f in files)
            return self.report
        self.paths.home.mkdir(parents=True, exist_ok=True)
        clean_scratch(self.paths.home)
        self.executor = open_executor(self.options.cluster, self.options.jobs,
                                      _work_estimate(files))
        self.progress = Progress(files_total=len(files), failed=len(missing),
                                 where=self.executor.where, dashboard=self.executor.dashboard)
        self.on_progress(self.progress)
        try:
            # page images wait here until their document has an id (then they move into the
            # store)
            with tempfile.TemporaryDirectory(prefix=f"import-{os.getpid()}-",
                                             dir=self.paths.home) as scratch:
                self.scratch = scratch
                self._run(files)
        finally:
            self.executor.close()
            close_open()
        return self.report

    # -- the writer -----------------------------------------------------------------------------
    def _store_stamp(self) -> int | None:
        try:
            return self.paths.sources.stat().st_mtime_ns
        except OSError:
            return None

    def _write_batch(self, ready: list[FileWork]) -> None:
        if self.options.check_only:
            self._add_all(ready)
            return
        with write_lock(self.paths.home, "import", on_wait=self.on_wait):
            if not self._reconciled:
                # an index to update, in line with the store: this finishes what an interrupted
                # import began (and clears what it left half-written)
                clean_temporaries(self.paths.sources)
                ensure_index(self.paths.sources, self.paths.index)
                self._reconciled = True
            if self._store_stamp() != self._stamp:  # another writer came between
                self.state = StoreState.scan(self.paths.sources)
            self._add_all(ready)
            self._flush_index()
            self._stamp = self._store_stamp()

    def _add_all(self, ready: list[FileWork]) -> None:
        for work in ready:
            path, result = work.path, work.result
            before = (len(self.report.imported), len(self.report.skipped),
                      len(self.report.failed))
            if isinstance(result, RefusedInput):
                self.report.failed.append(Outcome(str(path), error=str(result)))
            else:
                self.report.checked += 1
                try:
                    self._one_file(path, *result)
                except (RefusedInput, XMLInputError) as exc:
                    self.report.failed.append(Outcome(str(path), error=str(exc)))
                except (OSError, ValueError) as exc:
                    self.report.failed.append(Outcome(str(path), error=f"{path.name}: {exc}"))
                except Exception as exc:  # noqa: BLE001  (one file's fault is not the batch's)
                    self.report.failed.append(Outcome(str(path), error=(
                        f"{path.name}: could not be imported ({type(exc).__name__}: {exc})")))
            for outcomes, start in zip((self.report.imported, self.report.skipped,
                                        self.report.failed), before, strict=True):
                for outcome in outcomes[start:]:
                    outcome.worker, outcome.ocr_seconds = work.worker, work.ocr_seconds
            work.result = True  # written: what it held can go
            self.progress.files_done += 1
            self.progress.failed = len(self.report.failed)
            self.progress.current = path.name
            self.on_progress(self.progress)

    def _options_for(self, path: Path) -> ImportOptions:
        """The batch's options, with the manifest's language for the file's OCR."""
        entry = self.manifest.lookup(path) if self.manifest else None
        if entry and entry.meta.language and not self.options.ocr_lang:
            return replace(self.options, ocr_lang=entry.meta.language)
        return self.options

    # -- one file -----------------------------------------------------------------------------
    def _one_file(self, path: Path, digest: str, records: list[Extracted]) -> None:
        where = str(path)
        if digest in self.batch_hashes:
            self.report.skipped.append(Outcome(where, self.batch_hashes[digest],
                                               "duplicate: same content as another file of "
                                               "this batch"))
            return
        # the same file as a new version of its own document is read again (library reocr);
        # so is the original of a damaged document given with --replace: it repairs it
        rereading = bool(self.options.replace) and (
            self.state.known.get(digest) == self.options.replace
            or seedguard.damaged(self.paths.sources, self.options.replace))
        if digest in self.state.known and not rereading:
            # a file of several records may have been cut short (a killed import): its
            # records not yet in the store go in, the others are skipped
            missing = [ex for ex in records if len(records) > 1 and
                       record_digest(digest, ex.id_hint) not in self.state.records]
            if not missing or len(missing) == len(records):
                self.report.skipped.append(Outcome(where, self.state.known[digest],
                                                   "duplicate: already imported (same sha256)"))
                return
            records = missing
        entry = self.manifest.lookup(path) if self.manifest else None
        meta = entry.meta if entry else Metadata()
        meta = replace(meta, collection=meta.collection or self.options.collection,
                       rights=meta.rights or self.options.rights)
        claimed = self.options.replace or (entry.identifier if entry else "")
        if claimed and len(records) > 1:
            raise RefusedInput(f"{path.name}: holds {len(records)} records, so it cannot be "
                               f"the one document {claimed}")
        prepared = [self._prepare(path, digest, ex, meta, claimed) for ex in records]
        self.batch_hashes[digest] = prepared[0].doc_id
        if self.options.check_only:
            self.report.imported.extend(Outcome(where, p.doc_id, note=p.note, warning=p.warning,
                                                title_from=p.title_from) for p in prepared)
            return
        self._keep_original(path, digest)
        for p in prepared:
            self._write(p)
            self.report.imported.append(Outcome(where, p.doc_id, note=p.note,
                                                warning=p.warning, title_from=p.title_from))
        # the batch commits the index once at its end (each commit is a segment); a batch
        # whose files hold many records commits on the way too, so that what one commit
        # reads back stays bounded
        if len(self.pending) >= 4 * INDEX_EVERY:
            self._flush_index()

    def _identity(self, path: Path, ex: Extracted, key: str, claimed: str) -> tuple[str, str]:
        """(document id, what the report says of it)."""
        state = self.state
        if claimed or state.keys.get(key):
            refused = seedguard.refuse_seed(claimed or state.keys[key], self.paths.seeds,
                                            self.paths.sources)
            if refused and claimed:
                raise RefusedInput(f"{path.name}: {refused}")
            if refused:  # the same original path as a seed's: a new document, not a version
                key = ""
        if claimed:
            how = "--replace" if self.options.replace else "manifest identifier"
            if claimed in self.batch_ids:
                raise RefusedInput(f"{path.name}: another file of this batch is already "
                                   f"{claimed} ({how})")
            if self.options.replace and claimed not in state.taken:
                raise RefusedInput(f"{path.name}: --replace {claimed}: there is no document "
                                   "of that id")
            if claimed in state.taken:
                return claimed, f"a new version of {claimed} ({how}); the previous one is kept"
            return claimed, ""
        earlier = state.keys.get(key)
        if earlier and earlier not in self.batch_ids:
            return earlier, (f"a new version of {earlier} (same original path and collection); "
                             "the previous one is kept")
        base = slug(ex.id_hint)
        doc_id, n = base, 2
        while doc_id in state.taken:
            doc_id, n = f"{base}-{n}", n + 1
        if doc_id != base:
            return doc_id, f"new id {doc_id}: {base} is another document's"
        return doc_id, ""

    def _prepare(self, path: Path, digest: str, ex: Extracted, meta: Metadata,
                 claimed: str = "") -> Prepared:
        key = import_key(path, meta.collection, ex.id_hint)
        doc_id, note = self._identity(path, ex, key, claimed)
        date = meta.date or ex.date
        if date and not document_date(date):
            raise RefusedInput(f"{path.name}: date {date!r} is not a date (YYYY-MM-DD)")
        original = (path.name, digest)
        title_from = ex.title_from
        if title_from and meta.title:
            title_from = "the manifest"
            ex = replace(ex, notes=[n if n != f"title from {ex.title_from}"
                                    else "title from the manifest" for n in ex.notes])
        if ex.tei is None:
            ex = bounded_paragraphs(ex)
        warnings = list(ex.warnings) if ex.tei is not None else []  # schema messages
        plain = list(ex.warnings) if ex.tei is None else []  # e.g. a page rendered smaller
        given = meta.rights or (ex.rights if ex.tei is None else "")
        if given and map_rights(given).warning:  # kept as a note, the statement CNE
            warnings.append(map_rights(given).warning)
        if ex.tei is not None:
            root = ex.tei.getroot()
            enrich_tei(root, doc_id, ex, meta, original, meta.collection)
            if not (meta.rights or has_rights(root)):
                self._no_rights(path)
                add_not_evaluated(root)
                warnings.append(NO_RIGHTS_WARNING)
            if ex.warnings:
                add_validation_note(root, ex.warnings)
        else:
            if not (meta.rights or ex.rights):
                self._no_rights(path)
                meta = replace(meta, rights=CNE_LABEL)
                warnings.append(NO_RIGHTS_WARNING)
            # composed TEI is not validated here: the generators are, by the tests, and
            # compiling tei_all would cost every import process seconds
            root = compose(doc_id, ex, meta, original, meta.collection)
            tag_persons(root.find("tei:text/tei:body", NS), self.register)
        renamed = self._unique_ids(root, doc_id)
        notes = root.findall(".//tei:notesStmt/tei:note[@type='provenance']", NS)
        if notes:
            provenance = notes[-1]  # the one this import added
            if renamed:
                provenance.append(etree.Element(f"{{{NS['tei']}}}note"))
                provenance[-1].text = (f"{renamed} xml:id(s) that other documents of the "
                                       f"library use were prefixed with '{doc_id}.'")
            idno = etree.SubElement(provenance, f"{{{NS['tei']}}}idno", type="import-key")
            idno.text = key
            if ex.id_hint and ex.tei is None:
                record = etree.SubElement(provenance, f"{{{NS['tei']}}}idno", type="record")
                record.text = record_digest(digest, ex.id_hint)
        if renamed:
            note = "; ".join(filter(None, [note, f"{renamed} xml:id(s) made unique"]))
        if ex.pages:
            add_facsimile(root, doc_id, ex.pages, digest)
        data = (etree.tostring(ex.tei, xml_declaration=True, encoding="UTF-8")
                if ex.tei is not None else serialize(root))
        self.state.taken.add(doc_id)
        self.state.keys[key] = doc_id
        self.batch_ids.add(doc_id)
        return Prepared(doc_id, data, path, digest, note, "; ".join(filter(None, [
            warning_text(warnings, NO_RIGHTS_WARNING), *plain])), ex.pages, title_from)

    def _no_rights(self, path: Path) -> None:
        if self.options.require_rights:
            raise RefusedInput(f"{path.name}: no rights statement in the file or the manifest, "
                               "and --require-rights was given; add one (manifest column "
                               "'rights' or --rights)")

    def _unique_ids(self, root: etree._Element, doc_id: str) -> int:
        """Give every ``xml:id`` that another document of the library uses a ``<doc_id>.``
        prefix (a ``.`` cannot occur in a document id, so the result is unique), and follow
        the renaming in the document's own ``#`` references. Returns how many were renamed."""
        owners = self.state.owners
        renamed: dict[str, str] = {}
        for el in root.iter(tag=etree.Element):
            xml_id = el.get(XML_ID)
            if xml_id and el is not root and owners.get(xml_id, doc_id) != doc_id:
                renamed[xml_id] = f"{doc_id}.{xml_id}"
                el.set(XML_ID, renamed[xml_id])
        if renamed:
            for el in root.iter(tag=etree.Element):
                for attr, value in el.attrib.items():
                    if "#" in value and attr != XML_ID:
                        el.set(attr, " ".join(
                            f"#{renamed[t[1:]]}" if t.startswith("#") and t[1:] in renamed
                            else t for t in value.split()))
        for el in root.iter(tag=etree.Element):
            if el.get(XML_ID):
                owners[el.get(XML_ID)] = doc_id
        return len(renamed)

    def _keep_original(self, path: Path, digest: str) -> None:
        originals = self.paths.sources / "originals"
        target = originals / f"{digest}{path.suffix.lower()}"
        if not target.exists():
            originals.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(path, tmp)
            tmp.replace(target)

    def _write(self, p: Prepared) -> None:
        current = doc_path(self.paths.sources, p.doc_id)
        keep(p.pages, self.paths.sources, p.doc_id, p.sha256)  # before the TEI that shows them
        if current.exists():  # a new version: keep the old one beside the store
            old = current.read_bytes()
            versions = self.paths.sources / "versions" / p.doc_id
            versions.mkdir(parents=True, exist_ok=True)
            name = f"{hashlib.sha256(old).hexdigest()[:16]}.xml"
            if not (versions / name).exists():
                write_document(versions, name[:-4], old)
        write_document(self.paths.sources, p.doc_id, p.tei)
        self.pending.append(current)

    def _flush_index(self) -> None:
        if self.pending and not self.options.check_only:
            update_index(self.paths.sources, self.paths.index, self.pending)
            self.pending = []
