"""What an import may not replace, and what it may repair.

The seed documents (the essay, the works its footnotes cite, the person register, the
register of places and organisations) are made by ``library build`` from ``seeds/``; the
essay's footnotes, the graph and the person pages depend on them. No import replaces one,
whichever way it names it: a manifest ``identifier``, ``--replace``, the web form, or the same
original path as before.

A document whose stored TEI can no longer be read (damaged on disk) is repaired by importing
its original again with ``--replace DOC_ID``: the file is then not skipped as "already
imported"."""

from __future__ import annotations

import tomllib
from pathlib import Path

from lxml import etree

from .persons import REGISTER_ID
from .places import PLACES_ID
from .store import doc_path
from .teidoc import read_document

# the seed files a generated document names as what it was made from
SEED_INPUTS = frozenset({"works.toml", "footnotes.toml", "essay.toml"})


def seed_ids(seeds: Path | None) -> frozenset[str]:
    """The ids of the documents ``library build`` makes from ``seeds``."""
    ids = {REGISTER_ID, PLACES_ID}
    if seeds is None:
        return frozenset(ids)
    for name, table in (("works.toml", "work"), ("essay.toml", "essay")):
        try:
            data = tomllib.loads((Path(seeds) / name).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        entries = data.get(table, [])
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                ids.add(entry["id"])
    return frozenset(ids)


def is_seed(doc_id: str, seeds: Path | None, sources: Path) -> bool:
    """A seed document: listed in ``seeds/``, or (when those files are elsewhere) a stored
    document whose header says it was made from them."""
    if doc_id in seed_ids(seeds):
        return True
    path = doc_path(sources, doc_id)
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True,
                                                       load_dtd=False)).getroot()
    except (OSError, etree.XMLSyntaxError):
        return False
    return any(el.get("n") in SEED_INPUTS for el in root.iter("{*}idno")
               if el.get("type") == "sha256")


def refuse_seed(doc_id: str, seeds: Path | None, sources: Path) -> str | None:
    """Why ``doc_id`` may not become a new version by import, or None when it may."""
    if is_seed(doc_id, seeds, sources):
        return (f"{doc_id} is one of the library's seed documents (the essay, its works, the "
                "person register), made by `library build` from seeds/; an import cannot "
                "replace it (edit seeds/ and run `library build`)")
    return None


def damaged(sources: Path, doc_id: str) -> bool:
    """The stored TEI of ``doc_id`` exists but can no longer be read."""
    path = doc_path(sources, doc_id)
    if not path.is_file():
        return False
    try:
        read_document(path)
    except Exception:  # noqa: BLE001 - any fault of the file means it needs repair
        return True
    return False
