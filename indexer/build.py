"""``library build``: seeds → TEI documents in the store → index."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from .bibliography import load_essay, load_footnotes, load_works
from .essay import build_essay
from .index import BuildReport, build_index, update_index
from .paths import Paths
from .persons import REGISTER_ID, Register, tag_persons
from .places import PLACES_ID, PlaceRegister
from .provenance import trace_quotations
from .store import write_document
from .tei import NS, serialize
from .works import build_work
from .writelock import write_lock


@dataclass
class SeedReport:
    documents: int
    written: int
    footnotes: int


def generate(paths: Paths) -> tuple[dict[str, object], str, int]:
    """Every document made from the seeds, in memory: (TEI roots or bytes by id, the essay's
    id, the number of footnotes). A fault in any seed raises before anything is written."""
    seeds = paths.seeds
    works_path = seeds / "works.toml"
    works = load_works(works_path)
    footnotes = load_footnotes(seeds / "footnotes.toml", works)
    essay = load_essay(seeds / "essay.toml")
    works_digest = ("works.toml", hashlib.sha256(works_path.read_bytes()).hexdigest())
    register = Register.load(seeds / f"{REGISTER_ID}.xml")

    def tagged(root):
        """Mentions of registered persons become persName/@ref, for links to person pages."""
        tag_persons(root.find("tei:text/tei:body", NS), register)
        return root

    documents: dict[str, object] = {
        essay.id: tagged(build_essay(
            (seeds / essay.file).read_bytes(), essay, footnotes, works,
            (seeds / "footnotes.toml").read_bytes(),
        ))
    }
    for work in works.values():
        documents[work.id] = tagged(build_work(work, seeds, works_digest))
    register_path = seeds / f"{REGISTER_ID}.xml"
    if register_path.exists():
        documents[REGISTER_ID] = register_path.read_bytes()  # checked by Register.load above
    places_path = seeds / f"{PLACES_ID}.xml"
    if places_path.exists():
        PlaceRegister.load(places_path)  # a fault in it raises before anything is written
        documents[PLACES_ID] = places_path.read_bytes()
    return documents, essay.id, len(footnotes)


def _bytes(document) -> bytes:
    return document if isinstance(document, bytes) else serialize(document)


def build_sources(paths: Paths) -> SeedReport:
    """Generate the TEI of the essay and of every curated work into the store (the essay's
    quotations untraced: ``build_all`` traces them). Files whose bytes would not change are not
    rewritten."""
    documents, _, footnotes = generate(paths)
    written = sum(write_document(paths.sources, doc_id, _bytes(d))
                  for doc_id, d in documents.items())
    return SeedReport(len(documents), written, footnotes)


# Where a quotation most probably comes from, given the index just built: (quotation, the
# document to leave out) → (doc_id, passage_id, score) or None. The tracer reads the index as
# the web does, so it lives with the reader (``library.trace``) and is handed in: the indexer
# never imports the library.
Locate = Callable[[Paths], Callable[[str, str], tuple[str, str, float] | None]]


def build_all(paths: Paths, locate: Locate, on_wait=None, jobs: int = 1
              ) -> tuple[SeedReport, BuildReport]:
    """Seeds → TEI → index, with the essay's quotations traced (by ``locate``) against the index
    of the other documents before the essay is written (tracing leaves the quoting document
    out). Runs under the library's write lock (``on_wait`` hears while it waits for it)."""
    documents, essay_id, footnotes = generate(paths)
    with write_lock(paths.home, "build", on_wait=on_wait):
        return _build_all(paths, documents, essay_id, footnotes, locate, jobs)


def _build_all(paths: Paths, documents: dict, essay_id: str, footnotes: int, locate: Locate,
               jobs: int = 1) -> tuple[SeedReport, BuildReport]:
    essay_path = paths.sources / f"{essay_id}.xml"
    written = {doc_id for doc_id, d in documents.items()
               # the essay is written now only if the store has none: the index must hold its
               # passages (their text does not depend on the tracing) for word weights to be
               # the same on every build
               if (doc_id != essay_id or not essay_path.exists())
               and write_document(paths.sources, doc_id, _bytes(d))}
    report = build_index(paths.sources, paths.index, jobs=jobs)
    essay = documents[essay_id]
    trace_quotations(essay, essay_id, locate(paths))
    if write_document(paths.sources, essay_id, serialize(essay)):
        written.add(essay_id)
        update_index(paths.sources, paths.index, [essay_path])
    return SeedReport(len(documents), len(written), footnotes), report
