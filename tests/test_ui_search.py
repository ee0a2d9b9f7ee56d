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
