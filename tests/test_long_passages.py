"""A results page reads a long passage a part at a time for its snippet and KWIC lines, and
stops once it has them: the same lines as reading it whole, a name of several words across a
part's end found whole (library.search.highlight.TermMatcher.spans)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.search import highlight
from library.search.highlight import TermMatcher, kwic, snippet
from library.search.searcher import Searcher

FILLER = "the delegation waited in the corridor while papers were signed "


@pytest.fixture(scope="module")
def searcher(repo_paths) -> Searcher:
    return Searcher.for_store(repo_paths.index, repo_paths.sources)


def matcher(searcher: Searcher, q: str) -> TermMatcher:
    parsed = searcher.builder.build(q)
    with searcher.session() as s:
        return TermMatcher(parsed.query, s, searcher.builder.stemmed, searcher.register)


def around(boundary_name: str, at: int) -> str:
    """Filler, ``boundary_name`` placed across character ``at``, more filler and mentions."""
    head = FILLER * (at // len(FILLER) + 1)
    cut = head.rfind(" ", 0, at - len(boundary_name) // 2) + 1
    return (head[:cut] + boundary_name + " " + FILLER * 150
            + "Stalin spoke. " + FILLER * 20 + "Stalin left. " + FILLER * 100)


@pytest.mark.parametrize("q, name", [("Khrushchev", "Nikita Sergeyevich Khrushchev"),
                                     ("stalin", "Joseph Stalin"),
                                     ('"papers were signed"', "papers were signed")])
def test_parts_give_the_lines_the_whole_gives(searcher, q, name):
    m = matcher(searcher, q)
    text = around(name, highlight.PART)
    assert len(text) > 4 * highlight.PART
    whole, parts = m.spans(text), m.spans(text, enough=3)
    assert whole and set(parts) <= set(whole)
    assert kwic(text, parts) == kwic(text, whole)
    assert snippet(text, parts) == snippet(text, whole)


def test_a_name_across_a_parts_end_is_found_whole(searcher):
    m = matcher(searcher, "stalin")
    text = around("Joseph Stalin", highlight.PART)
    start = text.index("Joseph Stalin")
    assert start < highlight.PART < start + len("Joseph Stalin")
    first = m.spans(text, enough=1)[0]
    assert text[first[0]:first[1]].endswith("Stalin") and first[0] <= text.index("Stalin")


def test_a_passage_read_in_parts_stops_early(searcher):
    """Many mentions early: the parts after the first few are never read."""
    m = matcher(searcher, "stalin")
    text = ("Stalin said so. " * 10) + FILLER * 2000
    read: list[int] = []
    real = m._spans

    def spy(part: str, offset: int):
        read.append(len(part))
        return real(part, offset)
    m._spans = spy
    spans = m.spans(text, enough=3)
    assert len(spans) >= 3 and sum(read) < 2 * highlight.PART + 2 * highlight.MARGIN
    assert len(text) > 30 * highlight.PART


WORDS = ["Stalin", "stalin's", "war", "wars", "the", "a", "U.S.", "1952", "Beria", "Хрущёв",
         "Staël", "peace-loving", "doctors", "doctor", "is", "x", "España", "it's", "—"]


@given(st.lists(st.sampled_from(WORDS), max_size=60), st.sets(st.sampled_from(WORDS),
                                                              max_size=4))
def test_where_finds_what_the_tokens_say(words, chosen):
    """``where`` (distinct words first, on ASCII text) marks exactly the tokens whose
    analysed form is wanted, in either analyser."""
    from indexer.analysis import ExactAnalyzer, TextAnalyzer
    text = " ".join(words)
    for analyzer in (TextAnalyzer(frozenset({"beria"})), ExactAnalyzer()):
        wanted = {t.text for w in chosen for t in analyzer(w, chars=True)}
        tokens = analyzer(text, chars=True)
        want = sorted((t.startchar, t.endchar) for t in tokens if t.text in wanted)
        assert sorted(analyzer.where(text, wanted)) == want
