"""Bookmarks, saved searches and the per-passage Cite button in headless Chromium against the
real server: a reader's lists kept in the browser survive a reload, a saved search says how
many new documents it finds, the list exports, a librarian's lists follow the account to another
browser, everything works by keyboard, and axe-core finds nothing serious on the new screens at
390 and 1280 px in English and Russian."""

from __future__ import annotations

import csv
import io
import json

import pytest

from library.users import Users

from .conftest import ESSAY
from .ui_pages import AXE_TAGS, SERIOUS, axe_violations, horizontal_overflow

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html[data-bookmarks-ready]", state="attached")


def serious(page, within: str | None = None) -> list[str]:
    """axe-core's serious and critical findings, on the page or only ``within`` a part of it
    (the reader's whole page is checked by test_ui_layout; here, the dialog added to it)."""
    if within:
        from axe_playwright_python.sync_playwright import Axe

        found = Axe().run(page, context=within, options={
            "runOnly": {"type": "tag", "values": AXE_TAGS}}).response["violations"]
    else:
        found = axe_violations(page)
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in found if v["impact"] in SERIOUS]


def press(page, selector: str, key: str = "Enter") -> None:
    """Reach a control as a keyboard user does (focus it, press a key), not with a click."""
    page.locator(selector).first.focus()
    page.keyboard.press(key)


@pytest.fixture()
def reader(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                  accept_downloads=True)
    yield context, context.new_page()
    context.close()


def test_a_readers_bookmarks_and_saved_search_survive_a_reload(reader, server):
    context, page = reader
    ready(page, f"{server}/doc/{ESSAY}")
    press(page, ".bookmark-doc")
    page.wait_for_selector(".bookmark-doc[aria-pressed=true]")
    first = page.locator(".doc-body .passage[id] .bookmark-passage").first
    pid = page.locator(".doc-body .passage[id]").first.get_attribute("id")
    first.focus()
    page.keyboard.press("Space")
    page.wait_for_selector(f"[id='{pid}'] .bookmark-passage[aria-pressed=true]")
    ready(page, f"{server}/search?q=Stalin&page=2")
    documents = int(page.locator(".summary").get_attribute("data-documents"))
    press(page, ".save-search")
    page.wait_for_selector(".save-search:text-is('Search saved')")

    page.reload()
    page.wait_for_selector("html[data-bookmarks-ready]", state="attached")
    assert page.locator(".save-search").inner_text() == "Search saved"
    ready(page, f"{server}/doc/{ESSAY}")
    assert page.locator(".bookmark-doc").get_attribute("aria-pressed") == "true"
    assert page.locator(f"[id='{pid}'] .bookmark-passage").get_attribute(
        "aria-pressed") == "true"

    # the alert: a search saved when it found fewer documents says how many are new
    stored = json.loads(page.evaluate("localStorage.getItem('library-bookmarks-v1')"))
    assert stored["searches"][0]["query"] == "q=Stalin"  # not the page it was saved from
    assert stored["searches"][0]["documents"] == documents
    stored["searches"][0]["documents"] = documents - 2
    page.evaluate("s => localStorage.setItem('library-bookmarks-v1', s)", json.dumps(stored))
    ready(page, f"{server}/bookmarks")
    page.reload()
    page.wait_for_selector(".saved-search.has-news")
    assert page.locator("#marks-list li").count() == 2
    assert "2 new since" in page.locator(".saved-search .search-news").inner_text()
    assert page.locator("#marks-empty").is_hidden()

    # the list exports in the formats of the search results
    with page.expect_download() as got:
        press(page, "#marks-export button")
    rows = list(csv.reader(io.StringIO(open(got.value.path(), encoding="utf-8").read())))
    assert {(r[1], r[6]) for r in rows[1:]} == {(ESSAY, ""), (ESSAY, pid)}

    found = {}
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        found[f"en-{width}"] = serious(page) + (
            ["overflow"] if horizontal_overflow(page) > 0 else [])
    context.add_cookies([{"name": "lang", "value": "ru", "url": server}])
    ready(page, f"{server}/bookmarks")
    page.wait_for_selector(".saved-search.has-news")
    assert page.locator("h1").inner_text() == "Закладки"
    assert "новых с" in page.locator(".saved-search .search-news").inner_text()
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        found[f"ru-{width}"] = serious(page) + (
            ["overflow"] if horizontal_overflow(page) > 0 else [])

    # opening a saved search marks it as seen; removing by keyboard empties the list
    with page.expect_navigation():
        press(page, ".saved-search a")
    ready(page, f"{server}/bookmarks")
    page.wait_for_selector(".saved-search .search-news:not(:has-text('…'))")
    assert page.locator(".saved-search.has-news").count() == 0
    press(page, ".forget-search")
    page.wait_for_selector("#searches-empty", state="visible")
    assert found == {"en-390": [], "en-1280": [], "ru-390": [], "ru-1280": []}


def test_the_cite_button_of_a_passage_works_by_keyboard(reader, server):
    _context, page = reader
    page.set_viewport_size({"width": 390, "height": 800})
    ready(page, f"{server}/doc/{ESSAY}")
    passage = page.locator(".doc-body .passage[id]").nth(2)
    pid = passage.get_attribute("id")
    button = passage.locator(".cite-passage")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#cite-dialog[open]")
    dialog.wait_for()
    assert "passage" in dialog.locator("h2").text_content()
    text = dialog.inner_text()
    assert "Chicago" in text and f"#{pid}" in text  # the passage's own address, in every style
    assert dialog.locator(f"a[href*='passage={pid}']").count() == 3  # its exports
    assert page.evaluate("document.activeElement.classList.contains('cite-dialog-close')")
    assert serious(page, "#cite-dialog") == []
    page.keyboard.press("Escape")
    page.wait_for_selector("#cite-dialog:not([open])", state="attached")
    # focus comes back to the button that opened it
    assert page.evaluate("document.activeElement.classList.contains('cite-passage')")
    assert page.evaluate("document.activeElement.closest('.passage').id") == pid


def test_a_librarians_lists_follow_the_account(browser, server, server_home):
    Users(server_home).add("bookmarker", PASSWORD)

    def logged_in(kept_before: dict | None = None):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{server}/login")
        if kept_before:  # what this browser kept while its reader was not logged in
            page.evaluate("s => localStorage.setItem('library-bookmarks-v1', s)",
                          json.dumps(kept_before))
        page.fill("#name", "bookmarker")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
        return context, page

    first, page = logged_in()
    try:
        ready(page, f"{server}/doc/{ESSAY}")
        press(page, ".bookmark-doc")
        page.wait_for_selector(".bookmark-doc[aria-pressed=true]")
        ready(page, f"{server}/search?q=Khrushchev")
        press(page, ".save-search")
        page.wait_for_selector(".save-search:text-is('Search saved')")
        # kept by the server, not in this browser
        assert page.evaluate("localStorage.getItem('library-bookmarks-v1')") is None
    finally:
        first.close()
    # another browser, which kept a bookmark of its own before its reader logged in
    local = {"bookmarks": [{"doc": "stalin-1950-08-27-gottwald", "passage": "",
                            "title": "<img src=x onerror=alert(1)>", "added": 1.7e9}],
             "searches": []}
    second, page = logged_in(local)
    try:
        ready(page, f"{server}/bookmarks")
        page.wait_for_selector(".saved-search .search-news:not(:has-text('…'))")
        assert "your account" in page.locator(".bookmarks-where").inner_text()
        assert page.locator("#marks-list li a").get_attribute("href") == f"/doc/{ESSAY}"
        assert "nothing new since" in page.locator(".saved-search").inner_text()
        press(page, ".merge-local")  # "Add the 1 items kept in this browser…"
        page.wait_for_selector("#marks-list li:nth-child(2)")
        assert page.evaluate("localStorage.getItem('library-bookmarks-v1')") is None
        assert page.locator("#marks-list img").count() == 0  # a title is text, never markup
        assert "<img src=x" in page.locator("#marks-list").inner_text()
        press(page, ".remove-bookmark")
        page.wait_for_selector("#marks-list li:nth-child(2)", state="detached")
        press(page, ".remove-bookmark")
        page.wait_for_selector("#marks-empty", state="visible")
        page.reload()
        page.wait_for_selector("html[data-bookmarks-ready]", state="attached")
        assert page.locator("#marks-list li").count() == 0
    finally:
        second.close()
