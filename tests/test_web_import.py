"""The librarian's web import, through a real server and a real browser: log in, upload files
and a manifest, watch the job, read the report, find the document; and what a stranger or a
forged form gets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, start_server, stop_server

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def librarian_server(tmp_path_factory):
    """A server over a writable copy of the store, with one librarian account."""
    root = tmp_path_factory.mktemp("web-import")
    shutil.copytree(ROOT / "sources", root / "sources")
    home = root / "var"
    env = dict(os.environ, LIBRARY_HOME=str(home), LIBRARY_SOURCES=str(root / "sources"))
    added = subprocess.run([sys.executable, "-m", "library.cli", "users", "add", "anna",
                            "--password-stdin"], input=PASSWORD + "\n", text=True, env=env,
                           cwd=ROOT, capture_output=True)
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in (home / "users.json").read_text()  # hashed, never stored plain
    proc, base = start_server(home, root / "sources", LIBRARY_MAX_UPLOAD_MB="2")
    yield base, root
    stop_server(proc)


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def log_in(page, base, password=PASSWORD):
    page.goto(f"{base}/import")
    assert "/login" in page.url  # readers are sent to the login page
    page.fill("#name", "anna")
    page.fill("#password", password)
    page.click("form.form button[type=submit]")


def test_librarian_uploads_files_with_a_manifest_and_finds_them(page, librarian_server):
    base, root = librarian_server
    log_in(page, base)
    page.wait_for_url("**/import")
    letter = "Molotov wrote to Gottwald about the harvest of 1952. Nobody answered."
    page.set_input_files("#files", [
        {"name": "molotov-letter.txt", "mimeType": "text/plain", "buffer": letter.encode()},
        {"name": "../../etc/passwd.txt", "mimeType": "text/plain",
         "buffer": b"A note with a hostile name."},
        {"name": "locked.pdf", "mimeType": "application/pdf", "buffer": (
            ROOT / "tests/fixtures/import/pdf/"
            "005-libreoffice-writer-password_libreoffice-writer-password.pdf").read_bytes()},
    ])
    page.set_input_files("#manifest", {
        "name": "manifest.csv", "mimeType": "text/csv",
        "buffer": (b"file,title,creator,date,rights,collection\n"
                   b"molotov-letter.txt,A letter of Molotov,Vyacheslav Molotov,1952-10-01,"
                   b"Public domain,Web uploads\n")})
    page.fill("#rights", "Test material")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/import/*")
    page.wait_for_selector(".job-state[data-state=done]", timeout=60_000)
    assert "2 files imported, 0 skipped, 1 failed." in " ".join(
        page.inner_text(".summary").split())
    failed = page.inner_text(".report-failed")
    # the reason in words the web user can act on, not the command's flags
    assert "locked.pdf" in failed and "Password of encrypted PDFs" in failed
    assert "--" not in failed
    imported = page.inner_text(".report-imported")
    assert "molotov-letter.txt" in imported and "../../etc/passwd.txt" in imported
    # the hostile name stayed a name: nothing was written outside the upload folder
    assert not (root / "etc").exists() and not (root / "var" / "etc").exists()
    page.click(".report-imported a >> nth=0")
    assert page.inner_text("h1") == "A letter of Molotov"
    page.goto(f"{base}/search?q=harvest+Gottwald")
    assert "A letter of Molotov" in page.inner_text(".groups")
    # and the same file again is a duplicate, reported as such
    page.goto(f"{base}/import")
    page.set_input_files("#files", [{"name": "molotov-letter.txt", "mimeType": "text/plain",
                                     "buffer": letter.encode()}])
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".job-state[data-state=done]", timeout=60_000)
    assert "already in the library" in page.inner_text(".report-skipped")


def test_strangers_and_forged_forms_are_refused(page, librarian_server):
    base, _ = librarian_server
    assert page.request.get(f"{base}/import", max_redirects=0).status == 302
    stranger = page.request.post(f"{base}/import", multipart={
        "files": {"name": "x.txt", "mimeType": "text/plain", "buffer": b"x"}})
    assert stranger.status == 403
    log_in(page, base, password="wrong password!")
    assert "Unknown name or wrong password." in page.inner_text(".error")
    log_in(page, base)
    page.wait_for_url("**/import")
    forged = page.request.post(f"{base}/import", multipart={
        "csrf": "not-the-token",
        "files": {"name": "x.txt", "mimeType": "text/plain", "buffer": b"x"}})
    assert forged.status == 400 and "did not come from this site" in forged.text()
    token = page.get_attribute("input[name=csrf]", "value")
    accepted = page.request.post(f"{base}/import", max_redirects=0, multipart={
        "csrf": token, "files": {"name": "ok.txt", "mimeType": "text/plain", "buffer": b"x"}})
    assert accepted.status == 303 and "/import/" in accepted.headers["location"]
    page.goto(f"{base}/import")
    many = [{"name": f"f{i}.txt", "mimeType": "text/plain", "buffer": f"n{i}".encode()}
            for i in range(51)]
    page.set_input_files("#files", many)
    page.click("form.form button[type=submit]")
    assert "51 files is more than the 50 one batch may hold." in page.inner_text(".error")
    big = page.request.post(f"{base}/import", multipart={
        "csrf": token, "files": {"name": "big.txt", "mimeType": "text/plain",
                                 "buffer": b"x" * (3 * 1024 * 1024)}})
    assert big.status == 413 and "larger than the library accepts in one batch (2 MB)" in \
        big.text()


def test_no_web_import_replaces_a_seed_document(page, librarian_server):
    """Issue 16: a manifest naming a seed document's id (the essay) through the web form is a
    failed file, and the essay is byte for byte what it was."""
    base, root = librarian_server
    essay = root / "sources" / "thom-2022-lessons.xml"
    before = essay.read_bytes()
    log_in(page, base)
    page.wait_for_url("**/import")
    token = page.get_attribute("input[name=csrf]", "value")
    posted = page.request.post(f"{base}/import", max_redirects=0, multipart={
        "csrf": token,
        "files": {"name": "intruder.txt", "mimeType": "text/plain",
                  "buffer": b"An intruder about Quixotic matters."},
        "manifest": {"name": "manifest.csv", "mimeType": "text/csv",
                     "buffer": b"file,identifier\nintruder.txt,thom-2022-lessons\n"}})
    assert posted.status == 303
    page.goto(base + posted.headers["location"] if posted.headers["location"].startswith("/")
              else posted.headers["location"])
    page.wait_for_selector(".job-state[data-state=done]", timeout=60_000)
    failed = page.inner_text(".report-failed")
    assert "intruder.txt" in failed and "seed documents" in failed
    assert essay.read_bytes() == before
    assert page.request.get(f"{base}/api/search?q=Quixotic").json()["total"] == 0


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract not installed")
def test_the_job_page_is_live_without_reloading_and_axe_finds_nothing_while_it_runs(
        page, librarian_server):
    """Counts of files and pages, said in a role=status region and updated by polling (no meta
    refresh, no reload); axe-core finds no violation while the job runs; the report arrives
    in place when it ends."""
    from .pdfmake import scanned_pdf
    from .ui_pages import axe_violations

    base, _ = librarian_server
    log_in(page, base)
    page.wait_for_url("**/import")
    page.set_input_files("#files", [{"name": "ledger-scan.pdf", "mimeType": "application/pdf",
                                     "buffer": scanned_pdf(6, seed=11, lines=3)}])
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/import/*")
    job_url = page.url
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert page.get_attribute(".job-state", "role") == "status"
    page.evaluate("window.sameDocument = true")  # gone if the page were reloaded
    page.wait_for_selector(".job-state:has-text('pages read')", timeout=60_000)
    status = page.inner_text(".job-state")
    assert "Importing: 0 of 1 file" in status and "of 6 pages read" in status, status
    violations = [(v["id"], v["impact"]) for v in axe_violations(page)]
    assert violations == []
    page.wait_for_selector(".job-state[data-state=done]", timeout=120_000)
    assert page.evaluate("window.sameDocument") is True and page.url == job_url
    assert "1 file imported, 0 skipped, 0 failed." in " ".join(
        page.inner_text(".summary").split())
    # the counts are the librarian's alone
    stranger = page.context.browser.new_context()
    assert stranger.request.get(f"{job_url}/status", max_redirects=0).status == 302
    stranger.close()
    counts = page.request.get(f"{job_url}/status").json()
    assert counts["state"] == "done" and counts["pages_done"] == counts["pages_total"] == 6
