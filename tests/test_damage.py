"""Damage is repaired or contained: a truncated, garbled or missing index segment is rebuilt
from the store at start (or when a query meets it); a malformed TEI file in the store is left
out and reported, and every other page works."""

from __future__ import annotations

import json

import pytest

from indexer.index import build_index, index_fault
from library.search.searcher import IndexUnavailable, Searcher, SearchRequest

from .conftest import http_get, start_server, stop_server
from .test_import import cli


def _segment(index_dir, name: str):
    (seg,) = index_dir.glob(f"{name}_*.seg")
    return seg


def _truncate(index_dir) -> None:
    seg = _segment(index_dir, "passages")
    data = seg.read_bytes()
    seg.write_bytes(data[: len(data) // 2])


def _garble(index_dir) -> None:
    seg = _segment(index_dir, "passages")
    data = bytearray(seg.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 * 2, 7):
        data[i] = (data[i] * 31 + 17) % 256
    seg.write_bytes(bytes(data))


def _drop_citations(index_dir) -> None:
    _segment(index_dir, "citations").unlink()


@pytest.mark.parametrize("damage", [_truncate, _garble, _drop_citations])
def test_a_damaged_index_is_rebuilt_at_start(scratch, damage):
    build_index(scratch.sources, scratch.index)
    damage(scratch.index)
    assert index_fault(scratch.index) is not None
    proc, base = start_server(scratch.home, scratch.sources)
    try:
        status, body = http_get(f"{base}/api/search?q=Stalin")
        pages = [http_get(f"{base}{p}")[0]
                 for p in ("/", "/doc/thom-2022-lessons", "/bibliography")]
    finally:
        stop_server(proc)
    assert status == 200 and json.loads(body)["total"] > 20
    assert pages == [200, 200, 200]
    log = (scratch.home / "serve.log").read_text()
    assert "damaged" in log and "rebuilt from" in log and "Traceback" not in log
    assert index_fault(scratch.index) is None


def test_a_query_that_meets_damage_answers_503_and_starts_the_repair(scratch):
    build_index(scratch.sources, scratch.index)
    searcher = Searcher.for_store(scratch.index, scratch.sources)
    assert searcher.search(SearchRequest("Stalin")).total > 20
    _drop_citations(scratch.index)
    # a fresh generation of the passages index forces the searcher to read the citations
    (scratch.sources / "thom-2022-lessons.xml").touch()
    build_index(scratch.sources, scratch.index)
    _drop_citations(scratch.index)
    with pytest.raises(IndexUnavailable, match="being repaired"):
        searcher.search(SearchRequest("Stalin"))
    searcher._repairing.join(timeout=60)
    assert index_fault(scratch.index) is None
    assert searcher.search(SearchRequest("Stalin")).total > 20


def test_a_malformed_stored_document_is_left_out_and_every_other_page_works(scratch):
    (scratch.sources / "zz-bad.xml").write_bytes(b"<TEI><oops></TEI>")
    proc, base = start_server(scratch.home, scratch.sources)
    try:
        ok = {p: http_get(f"{base}{p}")[0] for p in (
            "/", "/api/docs", "/oai?verb=ListRecords&metadataPrefix=oai_dc", "/timeline",
            "/graph", "/bibliography", "/search?q=Stalin", "/doc/thom-2022-lessons",
            "/persons")}
        bad_status, bad_body = http_get(f"{base}/doc/zz-bad")
        api_status, _ = http_get(f"{base}/api/doc/zz-bad")
    finally:
        stop_server(proc)
    assert set(ok.values()) == {200}, ok
    assert bad_status == 503 and b"damaged" in bad_body and b"Traceback" not in bad_body
    assert api_status == 503
    log = (scratch.home / "serve.log").read_text()
    assert "zz-bad.xml" in log and "left out of the index" in log
    check = cli(scratch, "check")
    assert check.returncode == 1 and "zz-bad.xml:1" in check.stdout + check.stderr
