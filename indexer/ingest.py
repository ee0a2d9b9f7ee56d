"""``library import``: files and folders → TEI documents in the store → the index.

Nothing is lost and nothing doubled: each original is kept under ``sources/originals/`` by its
sha256 (recorded in the TEI header); a file already imported is skipped; a changed file under
an identifier already in the store becomes a new version, the old TEI kept under
``sources/versions/``. Every write is a temporary file renamed into place, and the index is
updated only after the TEI is in place; an interrupted import leaves the store ahead of the
index at most, which the next import (or ``library serve``) reconciles before anything else.
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
from .store import doc_path, document_paths, write_document
from .tei import NS, serialize
from .validation import tei_errors
from .xmlsafe import XMLInputError, parse_bytes

MAX_BYTES = 512 * 1024 * 1024
INDEX_EVERY = 50  # documents written before the index is brought up to date
_SHA_IN_HEADER = re.compile(rb'<idno[^>]*type="sha256"[^>]*>([0-9a-f]{64})</idno>')


@dataclass
class ImportOptions:
    collection: str = ""
    rights: str = ""  # a rights statement for files the manifest says nothing of
    pdf_password: str | None = None
    validate_tei: bool = True
    jobs: int = 1
    check_only: bool = False


@dataclass
class Outcome:
    path: str
    doc_id: str = ""
    reason: str = ""
    error: str = ""


@dataclass
class Report:
    imported: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    checked: int = 0

    def as_json(self) -> dict:
        return {
            "imported": [{"path": o.path, "doc_id": o.doc_id} for o in self.imported],
            "skipped": [{"path": o.path, "doc_id": o.doc_id, "reason": o.reason}
                        for o in self.skipped],
            "failed": [{"path": o.path, "error": o.error} for o in self.failed],
        }

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
    known = {}
    for path in document_paths(sources):
        head = path.read_bytes()[:200_000]
        for digest in _SHA_IN_HEADER.findall(head):
            known.setdefault(digest.decode(), path.stem)
    return known


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
    try:
        return extract(Path(path), options)
    except RefusedInput as exc:
        return exc


class Importer:
    def __init__(self, paths: Paths, options: ImportOptions, manifest: Manifest | None = None,
                 progress: Callable[[int, int, str], None] | None = None):
        self.paths = paths
        self.options = options
        self.manifest = manifest
        self.progress = progress or (lambda done, total, name: None)
        self.report = Report()
        self.known = originals_in_store(paths.sources)
        self.batch_hashes: dict[str, str] = {}
        self.taken: set[str] = {p.stem for p in document_paths(paths.sources)}
        originals = paths.sources / "originals"
        kept = {p.stem for p in originals.iterdir()} if originals.exists() else set()
        self.imported_before = {doc for digest, doc in self.known.items() if digest in kept}
        self.batch_ids: set[str] = set()
        self.register = Register.load(paths.sources / f"{REGISTER_ID}.xml")
        self.pending: list[Path] = []

    # -- the batch ----------------------------------------------------------------------------
    def run(self, inputs: list[Path]) -> Report:
        exclude = {self.manifest.path.resolve()} if self.manifest else set()
        files, missing, passed = collect(inputs, exclude)
        self.report.failed.extend(missing)
        self.report.skipped.extend(passed)
        if not self.options.check_only:
            self._prepare_index()
        extracted = self._extract_all(files)
        for done, path in enumerate(files, start=1):
            self.progress(done, len(files), path.name)
            result = extracted.get(path)
            if isinstance(result, RefusedInput):
                self.report.failed.append(Outcome(str(path), error=str(result)))
                continue
            self.report.checked += 1
            try:
                self._one_file(path, *result)
            except (RefusedInput, XMLInputError, OSError, ValueError) as exc:
                self.report.failed.append(Outcome(str(path), error=f"{path.name}: {exc}"))
        self._flush_index()
        return self.report

    def _extract_all(self, files: list[Path]) -> dict:
        """Extraction, in worker processes for all but TEI when --jobs asks for them (a TEI
        tree cannot cross a process boundary)."""
        results: dict[Path, object] = {}
        parallel = [f for f in files if f.suffix.lower() in (".pdf", ".html", ".htm", ".txt")]
        if self.options.jobs > 1 and len(parallel) > 1:
            with ProcessPoolExecutor(self.options.jobs) as pool:
                futures = {f: pool.submit(_extract_in_worker, str(f), self.options)
                           for f in parallel}
                results.update({f: fut.result() for f, fut in futures.items()})
        for f in files:
            if f not in results:
                results[f] = _extract_in_worker(str(f), self.options)
        return results

    def _prepare_index(self) -> None:
        # an index to update, in line with the store: this finishes what an interrupted
        # import began
        ensure_index(self.paths.sources, self.paths.index)

    # -- one file -----------------------------------------------------------------------------
    def _one_file(self, path: Path, digest: str, records: list[Extracted]) -> None:
        where = str(path)
        if digest in self.batch_hashes:
            self.report.skipped.append(Outcome(where, self.batch_hashes[digest],
                                               "duplicate: same content as another file of "
                                               "this batch"))
            return
        if digest in self.known:
            self.report.skipped.append(Outcome(where, self.known[digest],
                                               "duplicate: already imported (same sha256)"))
            return
        entry = self.manifest.lookup(path) if self.manifest else None
        meta = entry.meta if entry else Metadata()
        meta = replace(meta, collection=meta.collection or self.options.collection,
                       rights=meta.rights or self.options.rights)
        try:
            prepared = [self._prepare(path, digest, ex, meta) for ex in records]
        except RefusedInput as exc:
            self.report.failed.append(Outcome(where, error=str(exc)))
            return
        self.batch_hashes[digest] = prepared[0].doc_id
        if self.options.check_only:
            self.report.imported.extend(Outcome(where, p.doc_id) for p in prepared)
            return
        self._keep_original(path, digest)
        for p in prepared:
            self._write(p)
            self.report.imported.append(Outcome(where, p.doc_id))
        if len(self.pending) >= INDEX_EVERY:
            self._flush_index()

    def _doc_id(self, ex: Extracted) -> str:
        """A readable id. The identifier of a document imported earlier, from another original,
        means a new version of it; any other id already in use gets a number."""
        base = slug(ex.id_hint)
        if base in self.taken and not (base in self.imported_before and
                                       base not in self.batch_ids):
            n = 2
            while f"{base}-{n}" in self.taken:
                n += 1
            base = f"{base}-{n}"
        self.batch_ids.add(base)
        return base

    def _prepare(self, path: Path, digest: str, ex: Extracted, meta: Metadata) -> Prepared:
        doc_id = self._doc_id(ex)
        date = meta.date or ex.date
        if date and not normalise_date(date):
            raise RefusedInput(f"{path.name}: date {date!r} is not a date (YYYY-MM-DD)")
        original = (path.name, digest)
        if ex.tei is not None:
            root = ex.tei.getroot()
            enrich_tei(root, doc_id, ex, meta, original, meta.collection)
            data = etree.tostring(ex.tei, xml_declaration=True, encoding="UTF-8")
            stated = root.find(".//{*}publicationStmt/{*}availability") is not None
            if not (meta.rights or stated or root.find(".//{*}note[@type='licence']")
                    is not None):
                raise RefusedInput(f"{path.name}: no rights statement in the TEI header or the "
                                   "manifest; add one (manifest column 'rights' or --rights)")
        else:
            if not (meta.rights or ex.rights):
                raise RefusedInput(f"{path.name}: no rights statement; add one (manifest "
                                   "column 'rights' or --rights)")
            root = compose(doc_id, ex, meta, original, meta.collection)
            tag_persons(root.find("tei:text/tei:body", NS), self.register)
            data = serialize(root)
            errors = tei_errors(parse_bytes(data, f"{doc_id}.xml"), f"{doc_id}.xml")
            if errors:  # our own output: a fault here is a bug, reported, never stored
                raise RefusedInput(f"{path.name}: the TEI made of it is not valid: {errors[0]}")
        self.taken.add(doc_id)
        return Prepared(doc_id, data, path, digest)

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
    for o in report.skipped:
        lines.append(f"  skipped {o.path}: {o.reason}" + (f" ({o.doc_id})" if o.doc_id else ""))
    for o in report.failed:
        lines.append(f"  FAILED  {o.path}: {o.error}")
    return "\n".join(lines)


def to_json(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)

