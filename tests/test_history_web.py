"""A record's history through a real server and browser, as a librarian: an edit with an
EDTF date and a rights statement chosen from a list, the history with who/when/what, a diff,
a restore (a new version), a withdrawal (410 tombstone; OAI-PMH says deleted, harvested by
sickle); log-in and CSRF enforced; axe-core on the new screens at 390 and 1280 px."""

from __future__ import annotations

import pytest

from indexer.ingest import Importer, ImportOptions
from indexer.paths import Paths

from .conftest import ROOT
from .test_web_import import librarian_server, log_in, page  # noqa: F401  (fixtures)
from .ui_pages import SERIOUS, axe_violations, horizontal_overflow

pytestmark = pytest.mark.browser
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _import(root, name, text, rights="Public domain"):
    memo = root / name
    memo.write_text(text, encoding="utf-8")
    paths = Paths(seeds=ROOT / "seeds", sources=root / "sources", home=root / "var")
    (done,) = Importer(paths, ImportOptions(rights=rights)).run([memo]).imported
    return done.doc_id


def _axe_clean(page, url):  # noqa: F811  (the browser page, not the fixture)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        bad = [v["id"] for v in axe_violations(page) if v["impact"] in SERIOUS]
        assert bad == [], (url, width, bad)
        assert horizontal_overflow(page) <= 1, (url, width)


def test_history_diff_restore_and_withdrawal_as_a_librarian(page, librarian_server):  # noqa: F811
    base, root = librarian_server
    doc_id = _import(root, "memo-history.txt",
                     "A memorandum on the grain harvest, for the history test.")
    doc_url = f"{base}/doc/{doc_id}"
    # strangers are sent to log in, and forged forms are refused
    assert page.request.get(f"{doc_url}/history", max_redirects=0).status == 302
    assert page.request.post(f"{doc_url}/withdraw", form={"reason": "x"}).status == 403
    log_in(page, base)
    page.wait_for_url("**/import")
    assert page.request.post(f"{doc_url}/withdraw", form={
        "csrf": "forged", "reason": "x"}).status == 400
    # an edit: the title, an approximate date, a rights statement chosen from the list
    page.goto(f"{doc_url}/edit")
    _axe_clean(page, f"{doc_url}/edit")
    page.fill("#title", "Memorandum on the harvest")
    page.fill("#date", "1953-03~")
    page.select_option("#rights", CC_BY)
    page.click("form.record-edit button[type=submit]")
    page.wait_for_url(f"{doc_url}?edited=*")
    assert page.url.endswith("edited=title,date,rights")  # exactly what changed
    assert "about March 1953" in page.text_content(".doc-type")
    # the Source box follows the new title; the rights are the statement, with its URI
    assert "Memorandum on the harvest" in page.inner_text(".record-box")
    assert page.get_attribute(".licence a.rights-statement", "href") == CC_BY
    stored = (root / "sources" / f"{doc_id}.xml").read_text(encoding="utf-8")
    assert 'when-custom="1953-03~"' in stored and 'cert="medium"' in stored
    assert "Record edited by anna: title, date, rights." in stored
    # the history: two versions, who, when, what
    page.click(".history-link")
    assert page.url == f"{doc_url}/history"
    rows = page.locator("table.history tbody tr")
    assert rows.count() == 2
    assert "anna" in rows.nth(0).inner_text() and "title, date, rights" in rows.nth(0).inner_text()
    assert "Imported" in rows.nth(1).inner_text()
    _axe_clean(page, f"{doc_url}/history")
    # a readable diff of the two
    page.click("form.history-compare button[type=submit]")
    assert "/diff?" in page.url
    fields = page.inner_text("table.diff-fields")
    assert "title\tA memorandum on the grain harvest, for the history test.\tMemorandum on " \
        "the harvest" in fields
    assert "date\t—\t1953-03~" in fields and CC_BY in fields
    diff_url = page.url
    _axe_clean(page, diff_url)
    # restore the import's version: a new, third version; nothing lost
    page.goto(f"{doc_url}/history")
    page.click("form.history-restore button[type=submit]")
    page.wait_for_url(f"{doc_url}/history?restored=*")
    assert "Restored as a new version" in page.inner_text(".saved")
    assert page.locator("table.history tbody tr").count() == 3
    page.goto(doc_url)
    assert page.inner_text("h1") != "Memorandum on the harvest"
    kept = list((root / "sources" / "versions" / doc_id).glob("*.xml"))
    assert len(kept) == 2
    # withdrawal: a reason is required; then the address says 410 with the record and reason
    page.goto(f"{doc_url}/history")
    token = page.get_attribute("form.history-withdraw input[name=csrf]", "value")
    assert page.request.post(f"{doc_url}/withdraw", form={
        "csrf": token, "reason": " "}).status == 400
    page.fill("#reason", "Imported twice; the other copy is the one to cite.")
    page.click("form.history-withdraw button[type=submit]")
    gone = page.request.get(doc_url)
    assert gone.status == 410
    assert "Imported twice; the other copy is the one to cite." in gone.text()
    page.goto(doc_url)
    _axe_clean(page, doc_url)
    assert (root / "sources" / "withdrawn" / f"{doc_id}.xml").is_file()
    assert not (root / "sources" / f"{doc_id}.xml").exists()
    assert len(list((root / "sources" / "versions" / doc_id).glob("*.xml"))) == 3
    found = page.request.get(f"{base}/api/search?q=harvest+history+test").json()
    assert doc_id not in [g["doc_id"] for g in found["groups"]]
    # harvesters are told it is deleted
    from sickle import Sickle

    sickle = Sickle(f"{base}/oai")
    identify = sickle.Identify()
    assert identify.deletedRecord == "persistent"
    assert identify.adminEmail == "librarian@localhost"
    record = sickle.GetRecord(identifier=f"oai:primary-source-library.local:{doc_id}",
                              metadataPrefix="oai_dc")
    assert record.header.deleted and record.deleted
    deleted = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc")
               if h.deleted]
    assert deleted == [f"oai:primary-source-library.local:{doc_id}"]
