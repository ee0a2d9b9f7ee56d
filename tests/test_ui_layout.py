"""Layout and accessibility of every page type, in headless Chromium against the real server:
no horizontal overflow at phone to desktop widths, and axe-core (WCAG 2.2 AA, target-size
included) finds nothing serious."""

from __future__ import annotations

import pytest

from .ui_pages import PAGES, SERIOUS, WIDTHS, axe_violations, horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages(browser):
    """One page per width, shared by the module's tests."""
    contexts = {w: browser.new_context(viewport={"width": w, "height": 800}) for w in WIDTHS}
    yield {w: c.new_page() for w, c in contexts.items()}
    for c in contexts.values():
        c.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(pages, server, width):
    page = pages[width]
    wider = {}
    for name, url in PAGES.items():
        page.goto(server + url)
        if horizontal_overflow(page) > 0:
            wider[name] = horizontal_overflow(page)
    assert wider == {}


@pytest.mark.parametrize("width", (390, 1280))
def test_axe_finds_no_serious_violation(pages, server, width):
    page = pages[width]
    found = {}
    for name, url in PAGES.items():
        page.goto(server + url)
        bad = [f"{v['id']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
               for v in axe_violations(page) if v["impact"] in SERIOUS]
        if bad:
            found[name] = bad
    assert found == {}


def test_facets_come_before_the_results_as_a_panel_on_a_phone(pages, server):
    page = pages[390]
    page.goto(server + "/search?q=Stalin")
    panel = page.locator("details#filters")
    assert not panel.evaluate("el => el.open")
    assert page.evaluate("""() => {
        const f = document.querySelector('#filters'), r = document.querySelector('#results');
        return f.getBoundingClientRect().bottom <= r.getBoundingClientRect().top; }""")
    page.locator("#filters summary").click()
    assert page.locator("#filters .facet-type a").first.is_visible()
    wide = pages[1280]
    wide.goto(server + "/search?q=Stalin")
    assert wide.locator("details#filters").evaluate("el => el.open")


def test_kwic_left_context_sits_against_the_keyword(pages, server):
    for width in (390, 1280):
        page = pages[width]
        page.goto(server + "/search?q=Stalin")
        gaps = page.evaluate("""() => [...document.querySelectorAll('table.kwic tr')].map(tr => {
            const left = tr.querySelector('.kwic-left bdi'), m = tr.querySelector('mark');
            if (!left.textContent) return 0;
            const l = left.getBoundingClientRect(), k = m.getBoundingClientRect();
            return Math.round(l.top) === Math.round(k.top) ? k.left - l.right : 0; })""")
        assert gaps and max(gaps) < 12, (width, gaps)
