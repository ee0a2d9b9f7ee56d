"""``library build``: seeds → TEI documents in the store → index."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .bibliography import load_essay, load_footnotes, load_works
from .essay import build_essay
from .index import BuildReport, build_index
from .paths import Paths
from .persons import REGISTER_ID, Register, tag_persons
from .store import write_document
from .tei import NS, serialize
from .works import build_work


@dataclass
class SeedReport:
    documents: int
    written: int
    footnotes: int


def build_sources(paths: Paths) -> SeedReport:
    """Generate the TEI of the essay and of every curated work into the store.

    Everything is generated in memory first, so a fault in any seed leaves the store untouched.
    Files whose bytes would not change are not rewritten.
    """
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
        return serialize(root)

    documents = {
        essay.id: tagged(build_essay(
            (seeds / essay.file).read_bytes(), essay, footnotes, works,
            (seeds / "footnotes.toml").read_bytes(),
        ))
    }
    for work in works.values():
        documents[work.id] = tagged(build_work(work, seeds, works_digest))
    register = seeds / f"{REGISTER_ID}.xml"
    if register.exists():
        Register.load(register)  # a malformed or hostile register stops the build here
        documents[REGISTER_ID] = register.read_bytes()
    written = sum(write_document(paths.sources, doc_id, data) for doc_id, data in documents.items())
    return SeedReport(len(documents), written, len(footnotes))


def build_all(paths: Paths) -> tuple[SeedReport, BuildReport]:
    seed_report = build_sources(paths)
    return seed_report, build_index(paths.sources, paths.index)
