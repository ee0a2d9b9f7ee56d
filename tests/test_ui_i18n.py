"""The Russian interface in headless Chromium against the real server: chosen by the browser's
language, switched by keyboard and remembered across a reload, axe-clean and fitting the
screen at phone and desktop widths; and the search box usable at 390 px in both languages."""

from __future__ import annotations

import pytest

from .ui_pages import PAGES, SERIOUS, UNMARKED_CYRILLIC_JS, axe_violations, horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def russian(browser):
    """Pages of a browser whose language is Russian (Accept-Language: ru-RU)."""
    contexts = {w: browser.new_context(viewport={"width": w, "height": 800}, locale="ru-RU")
                for w in (390, 1280)}
    yield {w: c.new_page() for w, c in contexts.items()}
    for c in contexts.values():
        c.close()


@pytest.mark.parametrize("width", (390, 1280))
def test_russian_pages_pass_axe_and_fit(russian, server, width):
    page = russian[width]
    found, wider = {}, {}
    for name, url in PAGES.items():
        page.goto(server + url)
        assert page.evaluate("document.documentElement.lang") == "ru", name
        bad = [f"{v['id']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
               for v in axe_violations(page) if v["impact"] in SERIOUS]
        if bad:
            found[name] = bad
        if horizontal_overflow(page) > 0:
            wider[name] = horizontal_overflow(page)
    assert found == {} and wider == {}


def test_the_switch_works_by_keyboard_and_is_remembered(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(server + "/search?q=Stalin")
        assert page.evaluate("document.documentElement.lang") == "en"
        link = page.locator(".lang-switch a[hreflang=ru]")
        link.focus()
        with page.expect_navigation(url="**/search?q=Stalin"):
            page.keyboard.press("Enter")
        assert page.url.endswith("/search?q=Stalin")  # back where the reader was
        assert page.evaluate("document.documentElement.lang") == "ru"
        assert page.locator("#filters summary").inner_text().startswith("Уточнить")
        page.reload()
        assert page.evaluate("document.documentElement.lang") == "ru"
        page.goto(server + "/persons")
        assert page.locator("h1").inner_text() == "Лица"
        current = page.locator(".lang-switch a[aria-current]")
        assert current.get_attribute("hreflang") == "ru"
        # the English page marks its one Cyrillic word, the switch's "Русский"
        with page.expect_navigation(url="**/persons"):
            page.locator(".lang-switch a[hreflang=en]").click()
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.evaluate(UNMARKED_CYRILLIC_JS) == []
    finally:
        context.close()


@pytest.mark.parametrize("locale", ("en-US", "ru-RU"))
def test_the_search_box_fits_a_phone(browser, server, locale):
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale=locale)
    page = context.new_page()
    try:
        page.goto(server + "/")
        box = page.locator("#q").bounding_box()
        button = page.locator(".searchbox button").bounding_box()
        assert box["width"] >= 250, box
        assert box["x"] + box["width"] <= button["x"]  # beside its button, not under it
        # the whole placeholder is visible: its text is no wider than the box
        fits = page.evaluate("""() => {
            const q = document.querySelector('#q'), c = document.createElement('canvas');
            const ctx = c.getContext('2d'), s = getComputedStyle(q);
            ctx.font = s.font;
            const pad = parseFloat(s.paddingLeft) + parseFloat(s.paddingRight);
            return ctx.measureText(q.placeholder).width + pad <= q.clientWidth; }""")
        assert fits
    finally:
        context.close()


def test_the_footer_leads_to_log_in_and_help(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(server + "/")
        page.locator("footer .login-link").click()
        page.wait_for_load_state()
        assert page.url.endswith("/login")
        page.goto(server + "/")
        page.locator("footer a", has_text="Help").click()
        page.wait_for_load_state()
        assert page.url.endswith("/help")
        page.locator("a", has_text="a guide for librarians").click()
        page.wait_for_load_state()
        assert page.url.endswith("/help/import")
        page.goto(server + "/")
        page.locator(".intro a", has_text="The lessons of an end of reign").click()
        page.wait_for_load_state()
        assert "/doc/thom-2022-lessons" in page.url
    finally:
        context.close()
