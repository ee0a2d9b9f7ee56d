"""The timeline and the citation graph in headless Chromium, on a phone and a desktop: labels
legible (12 px and more), whole (wrapped, not cut), inside their boxes, and never overlapping."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# every visible <text> of the page's pictures: its box on screen, its size on screen, its words
TEXTS_JS = """() => [...document.querySelectorAll('.picture svg')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => [...svg.querySelectorAll('text')].map(t => {
        const r = t.getBoundingClientRect(), s = svg.getBoundingClientRect();
        const a = t.parentElement;
        const box = a.tagName === 'a' ? a.querySelector('rect.node') : null;
        const b = box ? box.getBoundingClientRect() : null;
        return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                px: parseFloat(t.getAttribute('font-size')) * svg.getScreenCTM().a,
                inside: r.left >= s.left - 0.5 && r.right <= s.right + 0.5,
                inBox: !b || (r.left >= b.left && r.right <= b.right && r.top >= b.top - 1
                              && r.bottom <= b.bottom + 1)}; }))"""


@pytest.fixture(scope="module", params=[390, 1280])
def page(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    yield context.new_page()
    context.close()


def overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and \
                    a["y0"] < b["y1"] - 0.5 and b["y0"] < a["y1"] - 0.5:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize("path", ["/timeline", "/graph"])
def test_labels_are_legible_whole_and_do_not_overlap(page, server, path):
    page.goto(server + path)
    texts = page.evaluate(TEXTS_JS)
    assert len(texts) > 20
    assert overlapping(texts) == []
    assert min(t["px"] for t in texts) >= 12
    assert [t["text"] for t in texts if not t["inside"]] == []
    assert [t["text"] for t in texts if not t["inBox"]] == []  # graph titles stay in their box


def test_timeline_labels_are_not_cut_and_2022_is_drawn_apart(page, server):
    page.goto(server + "/timeline")
    shown = page.evaluate("""() => [...document.querySelectorAll('.picture svg')]
        .filter(svg => svg.getBoundingClientRect().width > 0)
        .flatMap(svg => [...svg.querySelectorAll('a')].map(a =>
            [...a.querySelectorAll('text')].map(t => t.textContent).join(' ')))""")
    whole = " | ".join(shown)
    for label in ("Putin's speech on socio-economic support for the regions (the essay says "
                  "17 March)", "Letter from Filippov (Stalin) to the Soviet Ambassador in "
                  "Prague, conveying a message to Klement Gottwald"):
        assert label in whole
    top = page.evaluate("""label => { const svg = [...document.querySelectorAll('.picture svg')]
        .find(s => s.getBoundingClientRect().width > 0);
        const y = t => [...svg.querySelectorAll('text')]
            .find(e => e.textContent.startsWith(t)).getBoundingClientRect().top;
        return [y('2022, January'), y(label)]; }""", "Russia invades Ukraine")
    assert top[1] > top[0]  # 2022's events are in 2022's part, not over 1952
