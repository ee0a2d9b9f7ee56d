"""The reader's parsed documents are kept up to a bound (``LIBRARY_DOCUMENT_CACHE``), the most
recently read kept: a server that has shown or exported every document of a large store holds
a bounded number of them, not all."""

from __future__ import annotations

import os

from library import documents
from library.documents import DocumentStore


def _ids(paths) -> list[str]:
    return sorted(p.stem for p in paths.sources.glob("*.xml"))[:6]


def test_documents_are_kept_up_to_the_bound_the_most_recently_read_first(repo_paths,
                                                                        monkeypatch):
    monkeypatch.setenv("LIBRARY_DOCUMENT_CACHE", "3")
    store = DocumentStore(repo_paths.sources)
    ids = _ids(repo_paths)
    first = [store.get(i) for i in ids[:3]]
    assert all(first) and store.cached() == 3
    assert store.get(ids[0]) is first[0]  # kept: the same parse, now the most recent
    store.get(ids[3])  # over the bound: the least recently read (ids[1]) goes
    assert store.cached() == 3
    assert store.get(ids[0]) is first[0] and store.get(ids[2]) is first[2]
    again = store.get(ids[1])
    assert again is not first[1] and again.doc_id == first[1].doc_id  # read again, the same


def test_the_text_kept_is_bounded_too(repo_paths, monkeypatch):
    store = DocumentStore(repo_paths.sources)
    ids = _ids(repo_paths)
    sizes = {i: sum(len(p.text or "") for p in store.get(i).passages) for i in ids}
    monkeypatch.setattr(documents, "CACHE_CHARACTERS", max(sizes.values()) + 1)
    store = DocumentStore(repo_paths.sources)
    for i in ids:
        store.get(i)
        assert store._characters <= documents.CACHE_CHARACTERS
    assert store.cached() < len(ids)


def test_a_changed_file_is_read_again(repo_paths, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    doc_id = _ids(repo_paths)[0]
    target = sources / f"{doc_id}.xml"
    target.write_bytes((repo_paths.sources / f"{doc_id}.xml").read_bytes())
    store = DocumentStore(sources)
    before = store.get(doc_id)
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = store.get(doc_id)
    assert after is not before and after.doc_id == before.doc_id and store.cached() == 1
