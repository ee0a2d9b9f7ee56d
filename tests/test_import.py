"""``library import``: every format, the manifest, duplicates and versions, hostile input,
fixity, and the report, against a copy of the store and a real index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.archival import validation_messages
from indexer.index import stale_documents
from indexer.ingest import Importer, ImportOptions
from indexer.manifest import read_manifest
from indexer.store import document_paths
from indexer.teidoc import read_document
from library.search.searcher import Searcher, SearchRequest

from .conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PDF = FIXTURES / "pdf"


def run_import(paths, *inputs, manifest=None, **options):
    options.setdefault("rights", "Test material; see tests/fixtures/import/SOURCES.md")
    m = None
    if manifest:
        m, problems = read_manifest(manifest)
        assert problems == []
    return Importer(paths, ImportOptions(**options), m).run([Path(i) for i in inputs])


def snapshot(paths) -> dict[str, bytes]:
    return {str(p.relative_to(paths.sources)): p.read_bytes()
            for p in sorted(paths.sources.rglob("*")) if p.is_file()}


def search(paths, q):
    return Searcher.for_store(paths.index, paths.sources).search(SearchRequest(q))


def cli(paths, *args):
    env = dict(os.environ, LIBRARY_SEEDS=str(paths.seeds), LIBRARY_SOURCES=str(paths.sources),
               LIBRARY_HOME=str(paths.home))
    return subprocess.run([sys.executable, "-m", "library.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


# -- formats ----------------------------------------------------------------------------------
def test_pdf_with_text_gets_a_page_break_per_page_and_is_searchable(scratch):
    report = run_import(scratch, PDF / "004-pdflatex-4-pages_pdflatex-4-pages.pdf")
    (done,) = report.imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert [pb.get("n") for pb in doc.root.iter("{*}pb")] == ["1", "2", "3", "4"]
    # the PDF's creation date is the file's, never the document's
    assert doc.date == "undated" and "PDF file created 2022-04-03" in doc.provenance
    assert doc.inputs[0][1].startswith("f17a0919")
    # every page kept as an image the TEI points to
    graphics = [g.get("url") for g in doc.root.iter("{*}graphic")]
    assert len(graphics) == 4 and all((scratch.sources / g).stat().st_size > 1000
                                      for g in graphics)
    r = search(scratch, '"here is some text without a meaning"')
    assert r.total and r.hits[0].doc_id == done.doc_id


@pytest.mark.parametrize("name, error", [
    ("007-imagemagick-images_imagemagick-CCITTFaxDecode.pdf",
     "no text layer (scanned?) — OCR needed"),
    ("104-10004-10156.pdf", "no text layer (scanned?) — OCR needed"),
    ("005-libreoffice-writer-password_libreoffice-writer-password.pdf",
     "encrypted PDF; give its password with --pdf-password"),
])
def test_pdfs_that_cannot_be_read_are_refused_and_change_nothing(scratch, name, error):
    before = snapshot(scratch)
    report = run_import(scratch, PDF / name, ocr="off")
    assert [o.error for o in report.failed] == [f"{name}: {error}"] or \
        error in report.failed[0].error
    assert snapshot(scratch) == before


def test_encrypted_pdf_opens_with_its_password(scratch):
    pdf = PDF / "005-libreoffice-writer-password_libreoffice-writer-password.pdf"
    wrong = run_import(scratch, pdf, pdf_password="nope")
    assert "the password given does not open it" in wrong.failed[0].error
    right = run_import(scratch, pdf, pdf_password="openpassword")
    assert len(right.imported) == 1 and "Lorem ipsum" in search(scratch, "Lorem").hits[0].text


def test_tei_is_validated_kept_as_given_and_given_ids(scratch):
    report = run_import(scratch, FIXTURES / "tei" / "milestones-1953-1960.xml")
    (done,) = report.imported
    stored = (scratch.sources / f"{done.doc_id}.xml").read_bytes()
    original = (FIXTURES / "tei" / "milestones-1953-1960.xml").read_bytes()
    # kept as given: every element of the original is still there, in order
    assert stored.count(b"<p>") + stored.count(b"<p ") >= original.count(b"<p>")
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert all(p.id for p in doc.passages) and len(doc.passages) > 50
    assert "sha256" not in doc.provenance and doc.inputs[0][1].startswith("a2ef8f67")
    assert "Khrushchev" in " ".join(h.text for h in search(scratch, "Khrushchev").hits)


def test_invalid_tei_is_imported_with_its_schema_messages_and_refused_when_strict(scratch):
    seward = FIXTURES / "tei" / "seward-letter.xml"
    before = snapshot(scratch)
    strict = run_import(scratch, seward, strict=True)
    assert "not valid TEI P5" in strict.failed[0].error and "--strict" in strict.failed[0].error
    assert "seward-letter.xml:13: Did not expect element date there" in strict.failed[0].error
    assert snapshot(scratch) == before
    # archives' TEI bends the schema: imported, with no flag, the messages kept and reported
    report = run_import(scratch, seward, rights="")
    (done,) = report.imported
    assert "seward-letter.xml:13: Did not expect element date there" in done.warning
    assert "Copyright Not Evaluated" in done.warning
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert validation_messages(doc.root)[0].startswith("seward-letter.xml:13: Did not expect")
    assert (doc.rights, doc.licence, doc.licence_url) == (
        "not-evaluated", "Copyright Not Evaluated", "http://rightsstatements.org/vocab/CNE/1.0/")
    assert search(scratch, "Rappahannock").total


def test_a_file_without_rights_is_copyright_not_evaluated_unless_required(scratch, tmp_path):
    note = tmp_path / "unlicensed.txt"
    note.write_text("A memorandum nobody licensed, about the archive of the Politburo.",
                    encoding="utf-8")
    before = snapshot(scratch)
    refused = run_import(scratch, note, rights="", require_rights=True)
    assert "no rights statement" in refused.failed[0].error
    assert snapshot(scratch) == before
    (done,) = run_import(scratch, note, rights="").imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert (doc.rights, doc.licence, doc.availability) == (
        "not-evaluated", "Copyright Not Evaluated", "unknown")
    assert doc.licence_url == "http://rightsstatements.org/vocab/CNE/1.0/"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251", "koi8_r"])
def test_plain_text_encodings_are_detected(scratch, tmp_path, encoding):
    text = ("Письмо Сталина Готвальду\n\nСоединённые Штаты отвлекаются от Европы.\n"
            "Это нам выгодно.\n\nВторой абзац о Корее и Китае.")
    path = tmp_path / f"letter-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    report = run_import(scratch, path)
    (done,) = report.imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert [p.text for p in doc.passages if p.kind == "p"] == [
        "Письмо Сталина Готвальду", "Соединённые Штаты отвлекаются от Европы. Это нам выгодно.",
        "Второй абзац о Корее и Китае."]
    assert doc.language == "ru"
    refs = [el.get("ref") for el in doc.root.iter("{*}persName")]  # mentions tagged on import
    assert refs == ["persons.xml#stalin", "persons.xml#gottwald"]
    # found in any script: the register knows Готвальд as Gottwald
    assert any(h.doc_id == done.doc_id for h in search(scratch, "Gottwald").hits)


def test_html_main_text_is_kept_and_scripts_are_not(scratch, tmp_path):
    page = tmp_path / "article.html"
    page.write_text("""<!doctype html><html lang="en"><head><title>Page title</title>
      <meta property="og:title" content="The death of Stalin">
      <meta property="article:published_time" content="1953-03-06T10:00:00Z">
      <script>document.write('<p>injected</p>')</script><style>p{}</style></head>
      <body><nav><a href="/">Home</a> menu</nav><article><h1>The death of Stalin</h1>
      <p>Stalin died on <b>5 March 1953</b>.</p><p onclick="alert(1)">Malenkov succeeded
      him.</p><script>alert('x')</script><iframe src="evil"></iframe></article>
      <footer>Copyright footer</footer></body></html>""", encoding="utf-8")
    report = run_import(scratch, page)
    (done,) = report.imported
    stored = (scratch.sources / f"{done.doc_id}.xml").read_text(encoding="utf-8")
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert doc.title == "The death of Stalin" and doc.date == "1953-03-06"
    texts = [p.text for p in doc.passages if p.kind == "p"]
    assert texts == ["The death of Stalin", "Stalin died on 5 March 1953.",
                     "Malenkov succeeded him."]
    for absent in ("alert", "injected", "iframe", "onclick", "menu", "Copyright footer"):
        assert absent not in stored


def test_csv_records_become_one_document_each(scratch):
    report = run_import(scratch, FIXTURES / "csv" / "kremlin-40.csv")
    assert len(report.imported) == 40 and not report.failed
    ids = {o.doc_id for o in report.imported}
    assert "kremlin-40-68563" in ids
    doc = read_document(scratch.sources / "kremlin-40-68563.xml")
    assert doc.date == "2022-06-03" and doc.licence
    assert "http://en.kremlin.ru/events/president/news/68563" in doc.provenance
    assert search(scratch, "kremlin").total


# -- manifest, check, duplicates, versions -------------------------------------------------------
def test_manifest_overrides_what_the_file_says(scratch, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(PDF / "004-pdflatex-4-pages_pdflatex-4-pages.pdf", batch / "report.pdf")
    manifest = batch / "manifest.csv"
    manifest.write_text("file,title,creator,date,language,type,rights,source,collection,"
                        "description\nreport.pdf,A sample report,Ann Author|Bob Writer,"
                        "1953-03-05,en,report,CC BY-SA 4.0,https://example.org/r,Samples,"
                        "A test file\n", encoding="utf-8")
    report = run_import(scratch, batch, manifest=manifest, rights="")
    (done,) = report.imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert (doc.title, doc.authors, doc.date, doc.type, doc.collection) == (
        "A sample report", ["Ann Author", "Bob Writer"], "1953-03-05", "report", "Samples")
    assert (doc.licence, doc.licence_url, doc.rights) == (
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/", "open")
    facets = search(scratch, '"text without a meaning"').facets
    assert {v.value for v in facets["collection"]} == {"Samples"}


def test_check_reports_every_problem_in_one_pass_and_imports_nothing(scratch, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(PDF / "004-pdflatex-4-pages_pdflatex-4-pages.pdf", batch / "good.pdf")
    shutil.copy(PDF / "004-pdflatex-4-pages_pdflatex-4-pages.pdf", batch / "same-again.pdf")
    shutil.copy(PDF / "104-10004-10156.pdf", batch / "scan.pdf")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (batch / "truncated.pdf").write_bytes(
        (PDF / "004-pdflatex-4-pages_pdflatex-4-pages.pdf").read_bytes()[:3000])
    (batch / "norights.txt").write_text("A text nobody licensed.", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,date,rights\ngood.pdf,1953-13-45,Public domain\n"
                        "same-again.pdf,,Public domain\nscan.pdf,,Public domain\n"
                        "empty.txt,,Public domain\nbinary.txt,,Public domain\n"
                        "truncated.pdf,,Public domain\n", encoding="utf-8")
    before = snapshot(scratch)
    result = cli(scratch, "import", str(batch), "--manifest", str(manifest), "--check",
                 "--json")
    assert result.returncode == 1, result.stderr
    assert "1953-13-45" in result.stderr  # the manifest's date is refused before anything
    fixed = manifest.read_text().replace("1953-13-45", "1953-03-05")
    manifest.write_text(fixed)
    result = cli(scratch, "import", str(batch), "--manifest", str(manifest), "--check",
                 "--json", "--require-rights", "--ocr", "off")
    report = json.loads(result.stdout)
    errors = {Path(f["path"]).name: f["error"] for f in report["failed"]}
    assert set(errors) == {"scan.pdf", "empty.txt", "binary.txt", "truncated.pdf",
                           "norights.txt"}
    assert "OCR needed" in errors["scan.pdf"] and "empty" in errors["empty.txt"]
    assert "binary content" in errors["binary.txt"]
    assert "damaged or truncated PDF" in errors["truncated.pdf"]
    assert "no rights statement" in errors["norights.txt"]
    assert [Path(s["path"]).name for s in report["skipped"]] == ["same-again.pdf"]
    assert result.returncode == 1
    assert snapshot(scratch) == before  # --check imported nothing


def test_reimport_skips_and_a_changed_file_becomes_a_new_version(scratch, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("First version of the note about Beria.", encoding="utf-8")
    first = run_import(scratch, note)
    (done,) = first.imported
    stored = snapshot(scratch)
    again = run_import(scratch, note)
    assert not again.imported and again.skipped[0].reason.startswith("duplicate")
    assert snapshot(scratch) == stored
    note.write_text("Second version of the note about Beria and Malenkov.", encoding="utf-8")
    second = run_import(scratch, note)
    assert [o.doc_id for o in second.imported] == [done.doc_id]
    versions = list((scratch.sources / "versions" / done.doc_id).glob("*.xml"))
    assert len(versions) == 1 and b"First version" in versions[0].read_bytes()
    assert "Malenkov" in read_document(scratch.sources / f"{done.doc_id}.xml").passages[1].text
    assert len(list((scratch.sources / "originals").glob("*.txt"))) == 2
    hits = search(scratch, "note about Beria").hits
    assert {h.doc_id for h in hits} == {done.doc_id}
    assert any("Second" in h.text for h in hits) and not any("First" in h.text for h in hits)


# -- hostile input ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, content, error", [
    ("xxe.xml", b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b'<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>', "declares entities"),
    ("bomb.xml", b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
     b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>',
     "declares entities"),
    ("not-tei.xml", b"<html><body>hi</body></html>", "not TEI P5: the root element is <html>"),
    ("broken.xml", b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>', "not well-formed"),
    ("zero.pdf", b"", "the file is empty"),
    ("fake.pdf", b"this is not a pdf", "not a PDF"),
    ("..%2F..%2Fetc%2Fpasswd.txt", b"root:x:0:0", None),
])
def test_hostile_files_get_a_clear_error_and_change_nothing(scratch, tmp_path, name, content,
                                                            error):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(scratch)
    report = run_import(scratch, path)
    if error is None:  # a hostile name is only a name: the document id is made of it safely
        (done,) = report.imported
        assert "/" not in done.doc_id and ".." not in done.doc_id
        assert (scratch.sources / f"{done.doc_id}.xml").exists()
        return
    assert len(report.failed) == 1 and error in report.failed[0].error
    assert snapshot(scratch) == before


def test_fixity_finds_a_damaged_original(scratch):
    run_import(scratch, PDF / "015-arabic_habibi.pdf")
    assert cli(scratch, "check", "--fixity").returncode == 0
    original = next((scratch.sources / "originals").glob("*.pdf"))
    original.write_bytes(original.read_bytes() + b"tampered")
    result = cli(scratch, "check", "--fixity")
    assert result.returncode == 1 and "sha256 is" in result.stdout


# -- the command -----------------------------------------------------------------------------
def test_cli_json_report_and_exit_codes(scratch, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A letter about Molotov.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    ok = cli(scratch, "import", str(good), "--rights", "Public domain", "--json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["imported"][0]["path"] == str(good) and data["failed"] == []
    mixed = cli(scratch, "import", str(good), str(bad), "--rights", "Public domain", "--json")
    data = json.loads(mixed.stdout)
    assert mixed.returncode == 1 and data["skipped"][0]["reason"].startswith("duplicate")
    assert data["failed"][0]["path"] == str(bad)
    usage = cli(scratch, "import", str(good), "--no-such-option")
    assert usage.returncode == 2
    assert cli(scratch, "check").returncode == 0
    assert stale_documents(scratch.sources, scratch.index) == ([], [])


def test_a_killed_import_is_completed_by_rerunning_it(scratch, tmp_path):
    """kill -9 at several moments; after each, the store's documents that reached the index
    are exactly those written, and rerunning the command completes the batch."""
    args = ["import", str(FIXTURES / "csv" / "kremlin-40.csv"), str(PDF), "--rights", "x",
            "--ocr", "off"]
    env = dict(os.environ, LIBRARY_SEEDS=str(scratch.seeds), LIBRARY_SOURCES=str(scratch.sources),
               LIBRARY_HOME=str(scratch.home))
    cli(scratch, "build")  # an index to start from
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen([sys.executable, "-m", "library.cli", *args], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.kill()  # SIGKILL: no cleanup runs
            proc.wait()
        for path in document_paths(scratch.sources):  # never a half-written document
            read_document(path)
        result = cli(scratch, *args)
        assert not list(scratch.sources.rglob(".*.tmp"))  # what the kill left is cleared
        assert result.returncode == 1  # the PDFs without text layer still fail, nothing else
        assert stale_documents(scratch.sources, scratch.index) == ([], [])
        for doc_id in ("kremlin-40-68563", "kremlin-40-68679"):
            assert (scratch.sources / f"{doc_id}.xml").exists()
        assert search(scratch, "type:document").documents == 42  # 40 records, 2 PDFs


def test_characters_xml_cannot_hold_are_dropped_from_extracted_text():
    from indexer.formats import Block, Extracted
    from indexer.formats.compose import Metadata, compose
    from indexer.tei import serialize
    from indexer.validation import tei_errors
    from indexer.xmlsafe import parse_bytes

    ex = Extracted(id_hint="x", title="Title\x01", blocks=[Block("p", "Geo\x02metrie\x00"),
                                                           Block("p", "\x03")])
    data = serialize(compose("doc-x", ex, Metadata(rights="Public domain"), ("x.pdf", "0" * 64),
                             "Tests"))
    tree = parse_bytes(data)
    assert tei_errors(tree) == [] and b"Geometrie" in data and b"\x01" not in data
    assert len(tree.findall(".//{*}p")) == 1
