"""The page types the UI browser tests visit, and the checks they share (axe-core, overflow)."""

from __future__ import annotations

from .conftest import ESSAY

# one URL per page type a reader meets
PAGES: dict[str, str] = {
    "home": "/",
    "search": "/search?q=Stalin",
    "document": f"/doc/{ESSAY}",
    "side-by-side": f"/doc/{ESSAY}/note/4",
    "persons": "/persons",
    "person": "/persons/khrushchev",
    "bibliography": "/bibliography",
    "timeline": "/timeline",
    "graph": "/graph",
    "help": "/help/search",
    "help-index": "/help",
    "import-guide": "/help/import",
    "login": "/login",
    "error-404": "/no-such-page",
}
WIDTHS = (320, 390, 768, 1280)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SERIOUS = ("serious", "critical")

_axe = None


def axe_violations(page) -> list[dict]:
    """axe-core's violations of WCAG 2.2 AA (target-size included) on the page as it is."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def horizontal_overflow(page) -> int:
    """How far the page is wider than the viewport, in CSS pixels (0: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

# Cyrillic text whose nearest lang= is not a language written in Cyrillic
UNMARKED_CYRILLIC_JS = """() => {
    const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!/[\\u0400-\\u04ff]/.test(n.data)) continue;
        const el = n.parentElement, owner = el.closest('[lang]');
        const lang = owner ? owner.getAttribute('lang') : '';
        if (!/^(ru|uk|be|bg|sr|mk)(-Cyrl)?\\b/i.test(lang) || /-Latn/i.test(lang))
            out.push(el.tagName + ': ' + n.data.trim().slice(0, 40));
    }
    return out; }"""
