"""What a reader clicks, in a real headless Chromium (Debian's) against the real server."""

from __future__ import annotations

import pytest

from .conftest import ESSAY

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    yield context.new_page()
    context.close()


def in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
    }""")


def background(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")


def test_footnote_4_lands_on_the_gottwald_passage_highlighted_and_in_view(page, server):
    page.goto(f"{server}/doc/{ESSAY}")
    marker = page.locator(f"#{ESSAY}-fn4-ref")
    assert marker.inner_text() == "4"
    assert "inferred" in marker.get_attribute("aria-label")
    marker.scroll_into_view_if_needed()
    marker.click()
    page.wait_for_url("**/doc/stalin-1950-08-27-gottwald#stalin-1950-08-27-gottwald-q1")
    target = "#stalin-1950-08-27-gottwald-q1"
    page.wait_for_function(f"document.querySelector('{target}').matches(':target')")
    assert in_viewport(page, target)
    assert "It is clear that the United States is now turning away from Europe" in \
        page.inner_text(target)
    # highlighted: the :target style differs from an ordinary passage
    assert background(page, target) not in ("rgba(0, 0, 0, 0)", "transparent")
    assert background(page, target) != background(page, "#stalin-1950-08-27-gottwald-bibl")
    # the browser scrolled to it: the passage starts below the first screen
    assert page.evaluate("window.scrollY") > 0


def test_cited_passage_links_back_to_the_footnote(page, server):
    page.goto(f"{server}/doc/beria-1999-mon-pere#beria-1999-mon-pere-q2")
    back = page.locator("#beria-1999-mon-pere-q2 a.cited-by-link")
    assert "footnote 8" in back.inner_text()
    back.click()
    page.wait_for_url(f"**/doc/{ESSAY}#{ESSAY}-fn8-ref")
    assert in_viewport(page, f"#{ESSAY}-fn8-ref")


def test_search_result_opens_the_passage(page, server):
    page.goto(server + "/")
    page.fill("#q", '"blind kittens"')
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("li.hit").count() >= 2
    assert page.locator("li.hit mark").first.inner_text().lower() == "blind kittens"
    page.locator("li.hit a.passage-link").first.click()
    page.wait_for_load_state()
    fragment = page.evaluate("location.hash").lstrip("#")
    assert fragment and in_viewport(page, f"#{fragment}")
    assert "blind kittens" in page.inner_text(f"#{fragment}")


def test_search_inside_a_document_steps_through_every_hit(page, server):
    page.goto(f"{server}/search?q=Stalin")
    page.locator(f'.group-title a[href^="/doc/{ESSAY}?q="]').click()
    page.wait_for_url(f"**/doc/{ESSAY}?q=Stalin")
    marks = page.locator(".doc-body mark.hit")
    total = marks.count()
    assert total >= 20  # the essay names Stalin dozens of times
    assert page.locator(".find-counter").inner_text() == f"1 of {total}"
    assert in_viewport(page, ".doc-body mark.hit.current")
    first_id = page.eval_on_selector(".doc-body mark.hit.current", "el => el.id")
    page.click(".find-next")
    assert page.locator(".find-counter").inner_text() == f"2 of {total}"
    second_id = page.eval_on_selector(".doc-body mark.hit.current", "el => el.id")
    assert second_id != first_id and in_viewport(page, f"#{second_id}")
    page.click(".find-prev")
    page.click(".find-prev")
    assert page.locator(".find-counter").inner_text() == f"{total} of {total}"
    assert in_viewport(page, ".doc-body mark.hit.current")
    page.keyboard.press("n")
    assert page.locator(".find-counter").inner_text() == f"1 of {total}"
    assert page.locator(".doc-body mark.hit.current").count() == 1


def test_search_inside_a_document_from_the_reader_with_a_variant(page, server):
    page.goto(f"{server}/doc/{ESSAY}")
    page.fill("#find-q", "Хрущёв")
    page.press("#find-q", "Enter")
    page.wait_for_url("**/doc/*?q=*")
    assert "also searched" in page.inner_text(".find-status")
    words = {m.lower() for m in page.locator(".doc-body mark.hit").all_inner_texts()}
    assert words == {"khrushchev"}
