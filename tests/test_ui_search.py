"""The results page as a scholar reads it (issue 19), in headless Chromium against the real
server: the keyword centred in its line on a desktop, the line as the passage writes it, a
name's forms shown few at a time with "show all", and no "did you mean" when the query
already finds what was asked."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture()
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_the_keyword_is_centred_and_its_line_reads_as_written(desktop, server):
    desktop.goto(server + "/search?q=Stalin")
    rows = desktop.evaluate("""() => [...document.querySelectorAll('table.kwic tr')].map(tr => {
        const t = tr.closest('table').getBoundingClientRect(), m = tr.querySelector('mark')
            .getBoundingClientRect(), right = tr.querySelector('.kwic-right');
        const r = document.createRange(); r.selectNodeContents(right);
        const text = r.getClientRects()[0];
        return {off: (m.left + m.right) / 2 - (t.left + t.right) / 2,
                gap: text ? text.left - m.right : 0, right: right.textContent}; })""")
    assert rows
    assert max(abs(r["off"]) for r in rows) < 2, rows  # the keyword in the middle
    # the right context starts where the match ends, with the passage's own space or none:
    # "Stalin’s", "Stalin, and" (the space is a character of the text, kept: white-space: pre)
    assert all(abs(r["gap"]) < 1.5 for r in rows), rows
    assert desktop.evaluate(
        "getComputedStyle(document.querySelector('.kwic-right')).whiteSpace") == "pre"


def test_a_name_shows_the_forms_found_and_all_on_demand(desktop, server):
    desktop.goto(server + "/search?q=Stalin")
    shown = desktop.locator(".also p .variant").all_inner_texts()
    assert 0 < len(shown) <= 4
    details = desktop.locator(".all-forms")
    assert not details.evaluate("el => el.open")
    details.locator("summary").focus()
    desktop.keyboard.press("Enter")
    assert details.evaluate("el => el.open")
    every = details.locator("li").all_inner_texts()
    assert len(every) > len(shown) and all(any(s in e for e in every) for s in shown)
    assert any("not in the library" in e for e in every)


def test_common_words_get_no_forms_and_no_suggestion(desktop, server):
    desktop.goto(server + "/search?q=blind+kitten")
    assert desktop.locator(".summary").inner_text().startswith("2 passages")
    assert desktop.locator(".didyoumean").count() == 0
    desktop.goto(server + "/search?q=Korea+war")
    assert "Кореа" not in desktop.content()
    desktop.goto(server + "/search?q=President+Kennedy")
    assert "Пресидент" not in desktop.content()


@pytest.mark.parametrize(("width", "locale"), [(390, "en-US"), (1280, "ru-RU")])
def test_the_advanced_form_by_keyboard_shows_its_query(browser, server, width, locale):
    from .ui_pages import SERIOUS, axe_violations, horizontal_overflow

    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    try:
        page.goto(server + "/search/advanced")
        bad = [v["id"] for v in axe_violations(page) if v["impact"] in SERIOUS]
        assert bad == [] and horizontal_overflow(page) == 0
        page.locator("#adv-all").focus()
        page.keyboard.type("Stalin")
        page.keyboard.press("Tab")  # the phrase
        page.keyboard.type("blind kittens")
        page.locator("#adv-from").focus()
        page.keyboard.press("End")  # the slider to 2030, then back to 1950 by PageDown/arrows
        for _ in range(80):
            page.keyboard.press("ArrowLeft")
        assert page.locator("#adv-from-out").inner_text() == "1950"
        page.locator("#adv-from").focus()
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowRight")
        # the slider's "from" is above its "to" (2030, the end): no upper limit
        assert page.locator("#adv-query code").inner_text() == (
            'Stalin "blind kittens" date:[1950 TO 2999]')
        with page.expect_navigation():
            page.locator("#advanced button[type=submit]").press("Enter")
        assert page.locator("#q").input_value() == 'Stalin "blind kittens" date:[1950 TO 2999]'
        assert page.locator(".group").count() >= 1
    finally:
        context.close()
