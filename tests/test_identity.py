"""Document identity: a different file never takes an existing document's id; a file is a new
version only when the librarian says so; ids stay unique across the library; one bad file
fails alone."""

from __future__ import annotations

import zlib
from pathlib import Path

from indexer.check import check_store
from indexer.index import stale_documents
from indexer.ingest import Importer, ImportOptions
from indexer.manifest import read_manifest
from indexer.tei import XML_ID
from indexer.teidoc import read_document
from library.search.searcher import Searcher, SearchRequest

from .test_import import FIXTURES

RIGHTS = "CC0"


def run(paths, *inputs, manifest=None, **options) -> object:
    options.setdefault("rights", RIGHTS)
    m = None
    if manifest:
        m, problems = read_manifest(manifest)
        assert problems == []
    return Importer(paths, ImportOptions(**options), m).run([Path(i) for i in inputs])


def hits(paths, q: str) -> set[str]:
    r = Searcher.for_store(paths.index, paths.sources).search(SearchRequest(q=q, per_page=50))
    return {g.doc_id for g in r.groups}


def assert_sound(paths) -> None:
    _, faults = check_store(paths.sources)
    assert faults == []
    assert stale_documents(paths.sources, paths.index) == ([], [])


def test_same_name_different_file_gets_a_new_id_and_both_stay_searchable(scratch, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "minutes.txt").write_text("A Xylophonic.\n\nx\n", encoding="utf-8")
    (tmp_path / "b" / "minutes.txt").write_text("B Yodelling.\n\nx\n", encoding="utf-8")
    first = run(scratch, tmp_path / "a" / "minutes.txt")
    second = run(scratch, tmp_path / "b" / "minutes.txt")
    assert [o.doc_id for o in first.imported] == ["minutes"]
    assert [o.doc_id for o in second.imported] == ["minutes-2"]
    assert "minutes is another document's" in second.imported[0].note
    assert hits(scratch, "Xylophonic") == {"minutes"}
    assert hits(scratch, "Yodelling") == {"minutes-2"}
    assert not (scratch.sources / "versions").exists()
    assert_sound(scratch)


def test_same_path_and_collection_is_a_new_version_and_says_so(scratch, tmp_path):
    note = tmp_path / "minutes.txt"
    note.write_text("Version one: Xylophonic.", encoding="utf-8")
    run(scratch, note, collection="Minutes")
    note.write_text("Version two: Yodelling.", encoding="utf-8")
    again = run(scratch, note, collection="Minutes")
    assert [o.doc_id for o in again.imported] == ["minutes"]
    assert "new version of minutes" in again.imported[0].note
    assert hits(scratch, "Yodelling") == {"minutes"} and hits(scratch, "Xylophonic") == set()
    assert len(list((scratch.sources / "versions" / "minutes").glob("*.xml"))) == 1
    # the same path into another collection is another document
    note.write_text("Version three: Zither.", encoding="utf-8")
    other = run(scratch, note, collection="Other")
    assert [o.doc_id for o in other.imported] == ["minutes-2"]
    assert_sound(scratch)


def test_replace_and_manifest_identifier_make_versions(scratch, tmp_path):
    first = tmp_path / "letter.txt"
    first.write_text("A letter about Xylophonic matters.", encoding="utf-8")
    run(scratch, first)
    elsewhere = tmp_path / "scan" / "letter-final.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("The corrected letter about Yodelling matters.", encoding="utf-8")
    replaced = run(scratch, elsewhere, replace="letter")
    assert [o.doc_id for o in replaced.imported] == ["letter"]
    assert "--replace" in replaced.imported[0].note
    assert hits(scratch, "Yodelling") == {"letter"}
    missing = run(scratch, tmp_path / "letter.txt", replace="no-such-doc")
    assert "no document of that id" in missing.failed[0].error
    third = tmp_path / "third.txt"
    third.write_text("A third text, Zither.", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,identifier\nthird.txt,letter\n", encoding="utf-8")
    by_manifest = run(scratch, third, manifest=manifest)
    assert [o.doc_id for o in by_manifest.imported] == ["letter"]
    assert "manifest identifier" in by_manifest.imported[0].note
    assert len(list((scratch.sources / "versions" / "letter").glob("*.xml"))) == 2
    assert_sound(scratch)


def test_colliding_passage_ids_of_imported_tei_are_made_unique(scratch, tmp_path):
    given = (FIXTURES / "tei" / "milestones-1953-1960.xml").read_bytes()
    copy = tmp_path / "other" / "milestones-1953-1960.xml"
    copy.parent.mkdir()
    # another file, same ids inside: the second must not share a single xml:id with the first
    copy.write_bytes(given.replace(b"</body>", b"<p>An added paragraph.</p></body>", 1))
    (first_outcome,) = run(scratch, FIXTURES / "tei" / "milestones-1953-1960.xml",
                           validate_tei=False).imported
    first_id = first_outcome.doc_id
    second = run(scratch, copy, validate_tei=False)
    (outcome,) = second.imported
    assert outcome.doc_id != first_id and "made unique" in outcome.note
    doc = read_document(scratch.sources / f"{outcome.doc_id}.xml")
    first = read_document(scratch.sources / f"{first_id}.xml")
    ids = [{el.get(XML_ID) for el in d.root.iter() if el.get(XML_ID)} for d in (first, doc)]
    assert "foreword" in ids[0]  # the first keeps its ids as given
    assert ids[0].isdisjoint(ids[1]) and f"{outcome.doc_id}.foreword" in ids[1]
    assert_sound(scratch)


def bomb_pdf(size: int = 200 * 1024 * 1024) -> bytes:
    """A valid one-page PDF whose content stream inflates to ``size`` bytes."""
    raw = zlib.compress(b"BT /F1 12 Tf 10 10 Td (Aa) Tj ET " * (size // 32), 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources "
            b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(raw) + raw
            + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1,
                                                                          xref)
    return bytes(out)


def test_a_decompression_bomb_fails_alone(scratch, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "bomb.pdf").write_bytes(bomb_pdf())
    (batch / "good.txt").write_text("A good memo about Xylophonic things.", encoding="utf-8")
    report = run(scratch, batch, jobs=2)
    assert [Path(o.path).name for o in report.imported] == ["good.txt"]
    (failed,) = report.failed
    assert failed.path.endswith("bomb.pdf") and "LimitReachedError" in failed.error
    assert report.exit_code == 1
    assert hits(scratch, "Xylophonic") == {"good"}
    assert_sound(scratch)
