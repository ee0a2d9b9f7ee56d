"""Layout and accessibility of every page type, in headless Chromium against the real server:
no horizontal overflow at phone to desktop widths, and axe-core (WCAG 2.2 AA, target-size
included) finds nothing serious."""

from __future__ import annotations

import pytest

from .conftest import ESSAY
from .ui_pages import (
    PAGES,
    SERIOUS,
    UNMARKED_CYRILLIC_JS,
    WIDTHS,
    axe_violations,
    horizontal_overflow,
)

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


def test_every_cyrillic_run_is_marked_russian(pages, server):
    page = pages[1280]
    unmarked = {}
    more = {"search-ru": "/search?q=Хрущёв", "memoir": "/doc/mikoyan-1999-tak-bylo",
            "person-stalin": "/persons/stalin"}
    for name, url in {**PAGES, **more}.items():
        page.goto(server + url)
        if bad := page.evaluate(UNMARKED_CYRILLIC_JS):
            unmarked[name] = bad[:3]
    assert unmarked == {}


CONTRAST_JS = """el => {
    const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => {
        v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    let bg = el, colour;
    while (bg && ['rgba(0, 0, 0, 0)', 'transparent'].includes(getComputedStyle(bg).backgroundColor))
        bg = bg.parentElement;
    const a = lum(getComputedStyle(el).color), b = lum(getComputedStyle(bg).backgroundColor);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }"""


def test_paragraph_links_are_legible(pages, server):
    page = pages[1280]
    page.goto(f"{server}/doc/{ESSAY}")
    assert page.locator(".permalink").first.evaluate(CONTRAST_JS) >= 4.5


def test_skip_links_reach_the_filters_and_the_text(pages, server):
    page = pages[1280]
    page.goto(server + "/search?q=Stalin")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to filters"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#filters') !== null")
    page.goto(f"{server}/doc/{ESSAY}")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the text"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "text"


def test_dark_mode_keeps_contrast(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page = context.new_page()
    found = {}
    for name in ("home", "search", "document", "side-by-side", "timeline", "persons"):
        page.goto(server + PAGES[name])
        bad = [v["id"] for v in axe_violations(page) if v["impact"] in SERIOUS]
        if bad:
            found[name] = bad
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    assert found == {} and dark == "rgb(27, 26, 24)"


def test_print_shows_the_text_and_notes_only(pages, server):
    page = pages[1280]
    page.goto(f"{server}/doc/{ESSAY}")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['header.site', '.findbar', '.record-box', '.cite-box',
        'footer.site'].filter(
        s => getComputedStyle(document.querySelector(s)).display !== 'none')""")
    shown = page.evaluate("""() => ['.doc-body', '.notes'].filter(
        s => getComputedStyle(document.querySelector(s)).display !== 'none')""")
    page.emulate_media(media="screen")
    assert hidden == [] and shown == [".doc-body", ".notes"]


def test_persons_by_family_name_with_an_a_to_z(pages, server):
    page = pages[390]
    page.goto(server + "/persons")
    letters = page.locator(".az a").all_inner_texts()
    assert letters == sorted(letters) and "Z" in letters
    assert page.locator("#letter-Z #zhou-enlai").count() == 1  # Zhou Enlai under Z, not E
    assert page.locator("#letter-K #khrushchev").count() == 1
    page.locator(".az a", has_text="Z").click()
    assert page.evaluate("location.hash") == "#letter-Z"


def test_a_long_document_has_a_table_of_contents(pages, server):
    page = pages[1280]
    page.goto(f"{server}/doc/eisenhower-1953-04-16-chance-for-peace")
    entries = page.locator(".toc a")
    assert entries.count() >= 10
    first = entries.first.get_attribute("href")
    entries.first.click()
    assert page.evaluate("location.hash") == first
    page.goto(f"{server}/doc/stalin-1950-08-27-gottwald")
    assert page.locator(".toc").count() == 0  # short: no contents
