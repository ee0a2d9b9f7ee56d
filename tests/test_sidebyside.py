"""A footnote side by side (/doc/<id>/note/<n>), over HTTP: headings in words, previous and
next footnotes, each quotation printed once, the highlight on the quoted words exactly."""

from __future__ import annotations

import re
import urllib.request

from .conftest import ESSAY


def page(server: str, n: int) -> str:
    with urllib.request.urlopen(f"{server}/doc/{ESSAY}/note/{n}", timeout=10) as r:
        return r.read().decode()


def test_headings_name_the_essay_and_the_work_not_ids(server):
    html = page(server, 4)
    headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, re.S)
    text = " ".join(re.sub(r"<[^>]+>", "", h) for h in headings)
    assert "The essay, paragraph 4" in text
    assert "Letter from Filippov (Stalin)" in text and "quoted excerpt 1" in text
    assert not re.search(r"[a-z]+-\d{4}-[a-z0-9-]+", text)  # no document or passage ids


def test_previous_and_next_footnotes(server):
    four = page(server, 4)
    assert f'rel="prev" href="/doc/{ESSAY}/note/3"' in four
    assert f'rel="next" href="/doc/{ESSAY}/note/5"' in four
    assert 'rel="prev"' not in page(server, 1)
    assert 'rel="next"' not in page(server, 17)


def test_the_highlight_covers_the_quoted_words_exactly(server):
    four = page(server, 4)
    # the essay's ellipses stand outside the quotation's words
    assert "…<mark class=\"quoted\">It is clear that the United States" in four
    assert "strengthen socialism in Europe</mark>…" in four
    # the essay's long paragraph is cut to the sentences round the quotation
    assert "Before his appalled colleagues" not in four
    sixteen = page(server, 16)
    # a quotation with an elision is highlighted piece by piece, the elision left out
    assert '<mark class="quoted">None of the members of the Politburo</mark> […] ' \
           '<mark class="quoted">wanted a war.' in sixteen
