"""The reader in headless Chromium: footnote previews (hover, keyboard, tap, no JavaScript) and
the return jump from a cited passage to its footnote marker, below the sticky find bar."""

from __future__ import annotations

import pytest

from .conftest import ESSAY

pytestmark = pytest.mark.browser
MARKER = f"#{ESSAY}-fn4-ref"
GOTTWALD = "stalin-1950-08-27-gottwald"


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True,
                                  is_mobile=True)
    yield context.new_page()
    context.close()


def test_hovering_a_marker_previews_the_note_and_the_cited_passage(desktop, server):
    desktop.goto(f"{server}/doc/{ESSAY}")
    desktop.locator(MARKER).hover()
    preview = desktop.locator("#fn-preview")
    preview.wait_for()
    text = preview.inner_text()
    assert "Footnote 4" in text and "Letter from Filippov" in text
    assert "Inferred by the library" in text and "high confidence" in text
    assert "It is clear that the United States is now turning away" in text
    go = preview.locator("a.note-go")
    assert go.get_attribute("href") == f"/doc/{GOTTWALD}#{GOTTWALD}-q1"
    box, view = preview.bounding_box(), desktop.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"]
    desktop.keyboard.press("Escape")
    assert preview.count() == 0


def test_the_keyboard_opens_enters_and_closes_the_preview(desktop, server):
    desktop.goto(f"{server}/doc/{ESSAY}")
    desktop.focus(MARKER)
    preview = desktop.locator("#fn-preview")
    preview.wait_for()
    assert desktop.locator(MARKER).get_attribute("aria-expanded") == "true"
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.closest('#fn-preview') !== null")
    desktop.keyboard.press("Escape")
    assert preview.count() == 0
    assert desktop.evaluate("document.activeElement.id") == MARKER[1:]
    assert desktop.locator(MARKER).get_attribute("aria-expanded") == "false"


def test_a_tap_opens_the_preview_and_its_link_goes_to_the_passage(phone, server):
    phone.goto(f"{server}/doc/{ESSAY}")
    phone.locator(MARKER).scroll_into_view_if_needed()
    phone.locator(MARKER).tap()
    phone.locator("#fn-preview").wait_for()
    assert phone.url.endswith(f"/doc/{ESSAY}")  # the tap did not leave the page
    box = phone.locator("#fn-preview").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    phone.locator("#fn-preview a.note-go").tap()
    phone.wait_for_url("**/doc/stalin-1950-08-27-gottwald#stalin-1950-08-27-gottwald-q1")


def test_without_javascript_the_marker_still_jumps(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/doc/{ESSAY}")
    page.locator(MARKER).click()
    page.wait_for_url("**/doc/stalin-1950-08-27-gottwald#stalin-1950-08-27-gottwald-q1")
    context.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_return_jump_lands_below_the_find_bar_with_the_marker_lit(request, server, device):
    page = request.getfixturevalue(device)
    page.goto(f"{server}/doc/beria-1999-mon-pere#beria-1999-mon-pere-q2")
    link = page.locator("#beria-1999-mon-pere-q2 a.cited-by-link")
    assert "footnote 8" in link.inner_text()
    link.click()
    marker = f"#{ESSAY}-fn8-ref"
    page.wait_for_url(f"**/doc/{ESSAY}#{ESSAY}-fn8-ref")
    page.wait_for_function(f"document.querySelector('{marker}').matches(':target')")
    page.keyboard.press("Escape")  # a preview opened by the landing focus is not in the way
    bar = page.locator(".findbar").bounding_box()
    top = page.locator(marker).bounding_box()["y"]
    assert bar["y"] + bar["height"] <= top < page.viewport_size["height"]
    lit = page.eval_on_selector(marker, "el => getComputedStyle(el).backgroundColor")
    assert lit not in ("rgba(0, 0, 0, 0)", "transparent")
