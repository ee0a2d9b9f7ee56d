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
the earlier import. Files are read outside the write lock (the slow part, and it changes
nothing); ids are allocated, TEI written and the index committed under it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from .formats import KNOWN_SUFFIXES, Extracted, Metadata, ReadOptions, RefusedInput, reader_for
from .formats.compose import compose, enrich_tei, normalise_date
from .formats.tei import slug
from .index import ensure_index, update_index
from .manifest import Manifest
from .paths import Paths
from .persons import REGISTER_ID, Register, tag_persons
from .store import clean_temporaries, doc_path, document_paths, write_document
from .tei import NS, XML_ID, serialize
from .writelock import write_lock
from .xmlsafe import XMLInputError

MAX_BYTES = 512 * 1024 * 1024
INDEX_EVERY = 50  # documents written before the index is brought up to date
_SHA_IN_HEADER = re.compile(rb'<idno[^>]*type="sha256"[^>]*>([0-9a-f]{64})</idno>')
_KEY_IN_HEADER = re.compile(rb'<idno[^>]*type="import-key"[^>]*>([0-9a-f]{32})</idno>')
_RECORD_IN_HEADER = re.compile(rb'<idno[^>]*type="record"[^>]*>([0-9a-f]{32})</idno>')
_XML_ID = re.compile(rb"""xml:id=["']([^"']+)["']""")


@dataclass
class ImportOptions:
    collection: str = ""
    rights: str = ""  # a rights statement for files the manifest says nothing of
    pdf_password: str | None = None
    validate_tei: bool = True
    jobs: int = 1
    check_only: bool = False
    replace: str = ""  # --replace DOC_ID: the one file of the batch is a new version of it


@dataclass
class Outcome:
    path: str
    doc_id: str = ""
    reason: str = ""
    error: str = ""
    note: str = ""  # what became of its id: renumbered, a new version of …


@dataclass
class Report:
    imported: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    checked: int = 0

    def as_json(self) -> dict:
        return {
            "imported": [{"path": o.path, "doc_id": o.doc_id, "note": o.note}
                         for o in self.imported],
            "skipped": [{"path": o.path, "doc_id": o.doc_id, "reason": o.reason}
                        for o in self.skipped],
            "failed": [{"path": o.path, "error": o.error} for o in self.failed],
        }

    @classmethod
    def from_json(cls, data: dict) -> Report:
        return cls(
            imported=[Outcome(o["path"], o["doc_id"], note=o.get("note", ""))
                      for o in data.get("imported", [])],
            skipped=[Outcome(o["path"], o.get("doc_id", ""), o.get("reason", ""))
                     for o in data.get("skipped", [])],
            failed=[Outcome(o["path"], error=o.get("error", "")) for o in data.get("failed", [])],
        )

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@dataclass
class Prepared:
    """One document ready to be written: its TEI bytes and where it came from."""

    doc_id: str
    tei: bytes
    source_path: Path
    sha256: str  # of the original file
    note: str = ""


def collect(paths: list[Path], exclude: set[Path] = frozenset()
            ) -> tuple[list[Path], list[Outcome], list[Outcome]]:
    """Files named, and importable files inside folders named (recursively, hidden ones left
    out): (files, problems, files of a folder passed over for their format)."""
    files, problems, passed = [], [], []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts))
            for p in found:
                if p.resolve() in exclude:
                    continue
                if p.suffix.lower() in KNOWN_SUFFIXES:
                    files.append(p)
                else:
                    passed.append(Outcome(str(p), reason="not an importable format "
                                          f"({p.suffix or 'no extension'})"))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Outcome(str(path), error="no such file or folder"))
    return files, problems, passed


def originals_in_store(sources: Path) -> dict[str, str]:
    """sha256 of every original already imported → the document made from it."""
    return StoreState.scan(sources).known


@dataclass
class StoreState:
    """What id allocation needs to know of the store, read once per batch under the lock."""

    known: dict[str, str] = field(default_factory=dict)  # original's sha256 → doc id
    keys: dict[str, str] = field(default_factory=dict)  # import key → doc id
    owners: dict[str, str] = field(default_factory=dict)  # every xml:id → its document
    taken: set[str] = field(default_factory=set)  # document ids
    records: set[str] = field(default_factory=set)  # record digests of multi-record files

    @classmethod
    def scan(cls, sources: Path) -> StoreState:
        state = cls()
        for path in document_paths(sources):
            data = path.read_bytes()
            head = data[:200_000]
            state.taken.add(path.stem)
            for digest in _SHA_IN_HEADER.findall(head):
                state.known.setdefault(digest.decode(), path.stem)
            for key in _KEY_IN_HEADER.findall(head):
                state.keys.setdefault(key.decode(), path.stem)
            state.records.update(r.decode() for r in _RECORD_IN_HEADER.findall(head))
            for xml_id in _XML_ID.findall(data):
                state.owners.setdefault(xml_id.decode(), path.stem)
        return state


def record_digest(digest: str, hint: str) -> str:
    """Names one record of a file of several (a CSV row) by the file's content and the row."""
    return hashlib.sha256(f"{digest}\0{hint}".encode()).hexdigest()[:32]


def import_key(path: Path, collection: str, hint: str) -> str:
    """Names a file by where it was imported from and into which collection (a digest: the
    librarian's folders are not published in the TEI header)."""
    text = f"{path.resolve()}\0{collection}\0{hint}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def extract(path: Path, options: ImportOptions) -> tuple[str, list[Extracted]]:
    """(sha256, records) of one file; raises RefusedInput with the reason."""
    reader = reader_for(path)
    if reader is None:
        raise RefusedInput(f"{path.name}: unknown format {path.suffix or '(no extension)'!r}; "
                           f"known: {', '.join(KNOWN_SUFFIXES)}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise RefusedInput(f"{path.name}: {size:,} bytes is over the limit of {MAX_BYTES:,}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RefusedInput(f"{path.name}: cannot read: {exc.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    read_options = ReadOptions(options.pdf_password, options.validate_tei)
    return digest, reader(path, data, read_options)


def _extract_in_worker(path: str, options: ImportOptions):
    """Extraction that never raises: any fault of one file (pypdf, lxml, decoding, a
    decompression bomb) is that file's failure, not the batch's."""
    try:
        return extract(Path(path), options)
    except RefusedInput as exc:
        return exc
    except Exception as exc:  # noqa: BLE001
        return RefusedInput(f"{Path(path).name}: could not be read "
                            f"({type(exc).__name__}: {exc})")


class Importer:
    def __init__(self, paths: Paths, options: ImportOptions, manifest: Manifest | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 on_wait: Callable[[str], None] | None = None):
        self.paths = paths
        self.options = options
        self.manifest = manifest
        self.progress = progress or (lambda done, total, name: None)
        self.on_wait = on_wait
        self.report = Report()
        self.state = StoreState()
        self.batch_hashes: dict[str, str] = {}
        self.batch_ids: set[str] = set()
        self.register = Register.load(paths.sources / f"{REGISTER_ID}.xml")
        self.pending: list[Path] = []

    # -- the batch ----------------------------------------------------------------------------
    def run(self, inputs: list[Path]) -> Report:
        exclude = {self.manifest.path.resolve()} if self.manifest else set()
        files, missing, passed = collect(inputs, exclude)
        self.report.failed.extend(missing)
        self.report.skipped.extend(passed)
        if self.options.replace and len(files) != 1:
            self.report.failed.extend(
                Outcome(str(f), error=f"--replace {self.options.replace} takes exactly one "
                                      f"file, not {len(files)}") for f in files)
            return self.report
        extracted = self._extract_all(files)
        if self.options.check_only:
            self.state = StoreState.scan(self.paths.sources)
            self._add_all(files, extracted)
            return self.report
        with write_lock(self.paths.home, "import", on_wait=self.on_wait):
            # an index to update, in line with the store: this finishes what an interrupted
            # import began (and clears what it left half-written)
            clean_temporaries(self.paths.sources)
            ensure_index(self.paths.sources, self.paths.index)
            self.state = StoreState.scan(self.paths.sources)
            self._add_all(files, extracted)
            self._flush_index()
        return self.report

    def _add_all(self, files: list[Path], extracted: dict) -> None:
        for done, path in enumerate(files, start=1):
            self.progress(done, len(files), path.name)
            result = extracted.get(path)
            if isinstance(result, RefusedInput):
                self.report.failed.append(Outcome(str(path), error=str(result)))
                continue
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

    def _extract_all(self, files: list[Path]) -> dict:
        """Extraction, in worker processes for all but TEI when --jobs asks for them (a TEI
        tree cannot cross a process boundary)."""
        results: dict[Path, object] = {}
        parallel = [f for f in files if f.suffix.lower() in (".pdf", ".html", ".htm", ".txt")]
        if self.options.jobs > 1 and len(parallel) > 1:
            with ProcessPoolExecutor(self.options.jobs) as pool:
                futures = {f: pool.submit(_extract_in_worker, str(f), self.options)
                           for f in parallel}
                for f, fut in futures.items():
                    try:
                        results[f] = fut.result()
                    except Exception as exc:  # noqa: BLE001  (a worker killed, say by memory)
                        results[f] = RefusedInput(f"{f.name}: could not be read "
                                                  f"({type(exc).__name__}: {exc})")
        for f in files:
            if f not in results:
                results[f] = _extract_in_worker(str(f), self.options)
        return results

    # -- one file -----------------------------------------------------------------------------
    def _one_file(self, path: Path, digest: str, records: list[Extracted]) -> None:
        where = str(path)
        if digest in self.batch_hashes:
            self.report.skipped.append(Outcome(where, self.batch_hashes[digest],
                                               "duplicate: same content as another file of "
                                               "this batch"))
            return
        if digest in self.state.known:
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
            self.report.imported.extend(Outcome(where, p.doc_id, note=p.note)
                                        for p in prepared)
            return
        self._keep_original(path, digest)
        for p in prepared:
            self._write(p)
            self.report.imported.append(Outcome(where, p.doc_id, note=p.note))
        if len(self.pending) >= INDEX_EVERY:
            self._flush_index()

    def _identity(self, path: Path, ex: Extracted, key: str, claimed: str) -> tuple[str, str]:
        """(document id, what the report says of it)."""
        state = self.state
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
        if date and not normalise_date(date):
            raise RefusedInput(f"{path.name}: date {date!r} is not a date (YYYY-MM-DD)")
        original = (path.name, digest)
        if ex.tei is not None:
            root = ex.tei.getroot()
            enrich_tei(root, doc_id, ex, meta, original, meta.collection)
            stated = root.find(".//{*}publicationStmt/{*}availability") is not None
            if not (meta.rights or stated or root.find(".//{*}note[@type='licence']")
                    is not None):
                raise RefusedInput(f"{path.name}: no rights statement in the TEI header or the "
                                   "manifest; add one (manifest column 'rights' or --rights)")
        else:
            if not (meta.rights or ex.rights):
                raise RefusedInput(f"{path.name}: no rights statement; add one (manifest "
                                   "column 'rights' or --rights)")
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
        data = (etree.tostring(ex.tei, xml_declaration=True, encoding="UTF-8")
                if ex.tei is not None else serialize(root))
        self.state.taken.add(doc_id)
        self.state.keys[key] = doc_id
        self.batch_ids.add(doc_id)
        return Prepared(doc_id, data, path, digest, note)

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


def fixity(sources: Path) -> list[str]:
    """Every original recorded in a header, checked against its kept copy: faults found."""
    faults = []
    originals = sources / "originals"
    for path in document_paths(sources):
        for digest in _SHA_IN_HEADER.findall(path.read_bytes()[:200_000]):
            digest = digest.decode()
            kept = list(originals.glob(f"{digest}*")) if originals.exists() else []
            if not kept:
                continue  # seeds are made from files kept in seeds/, not imported originals
            actual = hashlib.sha256(kept[0].read_bytes()).hexdigest()
            if actual != digest:
                faults.append(f"{kept[0]}: sha256 is {actual}, {path.name} records {digest}")
    return faults


def report_text(report: Report) -> str:
    lines = [f"imported {len(report.imported)}, skipped {len(report.skipped)}, "
             f"failed {len(report.failed)}"]
    for o in report.imported:
        if o.note:
            lines.append(f"  imported {o.path} as {o.doc_id}: {o.note}")
    for o in report.skipped:
        lines.append(f"  skipped {o.path}: {o.reason}" + (f" ({o.doc_id})" if o.doc_id else ""))
    for o in report.failed:
        lines.append(f"  FAILED  {o.path}: {o.error}")
    return "\n".join(lines)


def to_json(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)

