"""What the web import and the reader say of archival files: the form marks what is required,
the job page counts files with reasons a web user can act on, past jobs are listed, and a TEI
file that is not valid shows the schema's messages to librarians only."""

from __future__ import annotations

import urllib.request

import pytest

from indexer.ingest import Importer, ImportOptions
from indexer.paths import Paths

from .conftest import ROOT
from .test_web_import import librarian_server, log_in, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
SEWARD = ROOT / "tests" / "fixtures" / "import" / "tei" / "seward-letter.xml"


def test_the_job_page_counts_files_and_says_why_in_web_words(page, librarian_server):  # noqa: F811
    base, root = librarian_server
    log_in(page, base)
    page.wait_for_url("**/import")
    required = page.inner_text("label[for=files]")
    assert "*" in required and page.get_attribute("#files", "aria-required") == "true"
    assert "optional" in page.inner_text("label[for=rights]").lower()
    page.set_input_files("#files", [
        {"name": "unlicensed.txt", "mimeType": "text/plain",
         "buffer": b"A note on the July plenum that nobody licensed."},
        {"name": "notes.docx", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04"},
    ])
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".job-state[data-state=done]", timeout=60_000)
    summary = " ".join(page.inner_text(".summary").split())
    assert summary == "1 file imported, 1 skipped, 0 failed."
    imported = page.inner_text(".report-imported")
    assert "Imported with a warning" in imported and "Copyright Not Evaluated" in imported
    skipped = page.inner_text(".report-skipped")
    assert "notes.docx: not a kind of file the library can import" in skipped
    assert ".unknown" not in skipped and "--" not in skipped
    job_url = page.url
    # the past jobs, newest first, on the form
    page.goto(f"{base}/import")
    first = page.locator("table.jobs tbody tr >> nth=0")
    assert first.locator("td >> nth=1").inner_text() == "anna"
    assert [first.locator(f"td >> nth={i}").inner_text() for i in (3, 4, 5)] == ["1", "1", "0"]
    assert first.locator("a").get_attribute("href") in job_url
    # the document states its rights as not evaluated, with the statement's URI
    page.goto(job_url)
    page.click(".report-imported a >> nth=0")
    assert "Copyright Not Evaluated" in page.inner_text(".licence")
    assert page.get_attribute(".licence a", "href") == "http://rightsstatements.org/vocab/CNE/1.0/"


def test_schema_messages_are_shown_to_librarians_only(page, librarian_server):  # noqa: F811
    base, root = librarian_server
    paths = Paths(seeds=ROOT / "seeds", sources=root / "sources", home=root / "var")
    (done,) = Importer(paths, ImportOptions()).run([SEWARD]).imported
    assert "Did not expect element date there" in done.warning
    url = f"{base}/doc/{done.doc_id}"
    log_in(page, base)
    page.wait_for_url("**/import")
    page.goto(url)
    assert "Did not expect element date there" in page.inner_text(".validation")
    with urllib.request.urlopen(url, timeout=30) as r:  # a reader, not logged in
        assert b"Did not expect element date" not in r.read()


def test_a_librarian_edits_a_record_and_a_new_version_is_kept(page, librarian_server):  # noqa: F811
    base, root = librarian_server
    memo = root / "memo-1953.txt"  # imported as the command would (the web's way is above)
    memo.write_text("A memo on the grain harvest of the Ukraine.")
    paths = Paths(seeds=ROOT / "seeds", sources=root / "sources", home=root / "var")
    (done,) = Importer(paths, ImportOptions(rights="Public domain")).run([memo]).imported
    doc_id = done.doc_id
    log_in(page, base)
    page.wait_for_url("**/import")
    doc_url = f"{base}/doc/{doc_id}"
    page.goto(doc_url)
    before = (root / "sources" / f"{doc_id}.xml").read_bytes()
    page.click(".edit-link a")
    page.fill("#title", "Memorandum on the harvest")
    page.fill("#date", "1953-13-01")  # no such month: refused, nothing changed
    page.click("form.record-edit button[type=submit]")
    assert "date: '1953-13-01' is not an EDTF date" in page.inner_text(".error")
    assert (root / "sources" / f"{doc_id}.xml").read_bytes() == before
    page.fill("#date", "1953-07-10")
    page.fill("#authors", "Anastas Mikoyan")
    page.fill("#collection", "Kremlin memos")
    page.click("form.record-edit button[type=submit]")
    page.wait_for_url(f"{doc_url}?edited=*")
    assert page.inner_text("h1") == "Memorandum on the harvest"
    assert "Saved a new version" in page.inner_text(".saved")
    after = (root / "sources" / f"{doc_id}.xml").read_text(encoding="utf-8")
    assert 'who="#anna"' in after and "Record edited by anna: title, authors, date, " \
        "collection." in after
    kept = list((root / "sources" / "versions" / doc_id).glob("*.xml"))
    assert [k.read_bytes() for k in kept] == [before]
    # the index followed: the new title and collection are searchable at once
    found = page.request.get(f"{base}/api/search?q=collection:%22Kremlin%20memos%22").json()
    assert [g["title"] for g in found["groups"]] == ["Memorandum on the harvest"]
    assert found["groups"][0]["date"] == "1953-07-10"
    # documents made from the seeds are not edited here (library build would undo it)
    assert page.request.get(f"{base}/doc/thom-2022-lessons/edit").status == 404
