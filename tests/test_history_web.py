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


def test_the_richer_record_through_the_edit_form(page, librarian_server):  # noqa: F811
    """Description, subjects, places, shelfmark, archival reference, extent and an EDTF range
    typed into the form by a librarian reach the TEI, the page (escaped, Cyrillic marked, the
    date in the reader's language), the place register, OAI-PMH Dublin Core and the exports,
    each read back by its own parser."""
    import bibtexparser
    import rispy
    from citeproc.source.json import CiteProcJSON
    from sickle import Sickle

    from indexer.teidoc import read_document

    from .ui_pages import UNMARKED_CYRILLIC_JS

    base, root = librarian_server
    doc_id = _import(root, "memo-record.txt", "A memorandum on the succession, unsigned.")
    doc_url = f"{base}/doc/{doc_id}"
    fields = {"#description": "Записка о преемстве. A note on <b>succession</b>.",
              "#subjects": "Soviet Union -- Politics and government -- 1936-1953\nSuccession",
              "#places": "Prague\nКорея", "#shelfmark": "Box 12 <i>",
              "#archival_ref": "RGASPI, f. 558, op. 11, d. 1", "#extent": "5 pp.",
              "#date": "1952/1953"}
    # a stranger cannot post the form, nor can a forged one
    assert page.request.post(f"{doc_url}/edit", form={"title": "x"}).status in (302, 403)
    log_in(page, base)
    page.wait_for_url("**/import")
    assert page.request.post(f"{doc_url}/edit", form={"csrf": "forged", "title": "x"}
                             ).status == 400
    page.goto(f"{doc_url}/edit")
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click("form.record-edit button[type=submit]")
    page.wait_for_url(f"{doc_url}?edited=*")
    assert page.url.endswith("edited=date,description,subjects,places,shelfmark,archival_ref,"
                             "extent")
    # the TEI, read back by the store's reader and as XML
    stored = root / "sources" / f"{doc_id}.xml"
    doc = read_document(stored)
    assert (doc.description, doc.subjects, doc.places, doc.shelfmark, doc.archival_ref,
            doc.extent, doc.date_edtf) == (
        fields["#description"], fields["#subjects"].split("\n"), ["Prague", "Корея"],
        "Box 12 <i>", fields["#archival_ref"], "5 pp.", "1952/1953")
    date = doc.root.find("{*}teiHeader/{*}profileDesc/{*}creation/{*}date")
    assert (date.get("notBefore"), date.get("notAfter")) == ("1952-01-01", "1953-12-31")
    # the page: escaped, Cyrillic marked, the date in words, in English then in Russian
    assert page.locator("dd.description b").count() == 0
    assert page.inner_text("dd.description") == fields["#description"]
    assert page.inner_text("dd.shelfmark") == "Box 12 <i>"
    assert page.evaluate(UNMARKED_CYRILLIC_JS) == []
    assert "1952 or 1953" in page.text_content(".doc-type")
    page.goto(f"{base}/language?lang=ru&next=/doc/{doc_id}")
    assert "1952 или 1953" in page.text_content(".doc-type")
    # the record's places feed the register, once the index has the new version
    assert f'href="/doc/{doc_id}"' in page.request.get(f"{base}/places/korea").text()
    assert f'href="/doc/{doc_id}"' in page.request.get(f"{base}/places/prague").text()
    # Dublin Core, harvested
    record = Sickle(f"{base}/oai").GetRecord(
        identifier=f"oai:primary-source-library.local:{doc_id}", metadataPrefix="oai_dc")
    dc = record.metadata
    assert dc["description"] == [fields["#description"]]
    assert dc["subject"] == fields["#subjects"].split("\n")
    assert dc["coverage"] == ["Prague", "Корея"] and dc["format"] == ["5 pp."]
    assert "Shelfmark: Box 12 <i>" in dc["source"]
    assert f"Archival reference: {fields['#archival_ref']}" in dc["source"]
    # the exports, as a reader downloads them, parsed by their own parsers
    (ris,) = rispy.loads(page.request.get(f"{doc_url}/cite.ris").text())
    assert ris["abstract"] == fields["#description"]
    assert ris["keywords"] == [*fields["#subjects"].split("\n"), "Prague", "Корея"]
    assert ris["call_number"].startswith("Box 12 <i>")
    (bib,) = bibtexparser.parse_string(page.request.get(f"{doc_url}/cite.bib").text()).entries
    assert bib["date"] == "1952/1953" and bib["abstract"] == fields["#description"]
    csl = page.request.get(f"{doc_url}/cite.json").json()
    assert csl[0]["abstract"] == fields["#description"]
    assert csl[0]["issued"]["date-parts"] == [[1952], [1953]]
    assert CiteProcJSON(csl)
