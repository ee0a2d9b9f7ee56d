"""Footnote marker detection: the essay's 17, and never a number that is not a marker."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indexer.markers import candidates, find_markers, strip_markers

from .conftest import ROOT

ESSAY_TEXT = (ROOT / "seeds" / "000_20b8c818f787fb07.txt").read_text(encoding="utf-8")


def test_essay_has_exactly_17_markers_in_order():
    markers = find_markers(ESSAY_TEXT)
    assert [m.n for m in markers] == list(range(1, 18))
    assert [m.start for m in markers] == sorted(m.start for m in markers)


def test_essay_markers_sit_where_the_research_says():
    markers = {m.n: m for m in find_markers(ESSAY_TEXT)}
    before = {n: ESSAY_TEXT[max(0, m.start - 20) : m.start] for n, m in markers.items()}
    assert before[1].endswith("de Staël")
    assert before[3].endswith("death makes")
    assert before[4].endswith("Europe…”")
    assert before[9].endswith("Soviet citizen")
    assert before[14].endswith("them…“")
    assert before[17].endswith("enemies”")


def test_numbers_that_are_not_markers_are_never_taken():
    text = ESSAY_TEXT
    taken = {text[m.start - 3 : m.end + 3] for m in find_markers(text)}
    for decoy in ("63th", "1953", "3,000", "19th", "1952-3"):
        assert decoy in text
        assert not any(decoy in span for span in taken), decoy
    assert "63th" in strip_markers(text, find_markers(text))


def test_decoys_alone_give_no_markers():
    text = ("On the 63th anniversary, in 1953, cars cost 3,000 rubles; the 19th Congress; "
            "1952-3 was a turning point; a 2.5 % rise; pages 10-12; the G7 met; COVID-19.")
    assert find_markers(text) == []


def test_sequence_rule_skips_a_stray_number():
    text = "Alpha1 beta. The G7 summit. Gamma2 delta3 end."
    assert [m.n for m in find_markers(text)] == [1, 2, 3]


def test_marker_after_closing_quote_and_before_period():
    text = "“One”1 and two2, “three3.” “four”4. “five…“5 X"
    assert [m.n for m in find_markers(text)] == [1, 2, 3, 4, 5]


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëАБВ", min_size=2, max_size=9)
_DECOYS = st.sampled_from(["in 1953", "3,000 rubles", "the 19th", "63th", "1952-3", "at 12:30",
                           "page 7", "2.5 %", "F-16", "(1949)", "G7"])
_ENDS = st.sampled_from(["", ".”", "”", ",”", "…”", "”.", ")"])


@given(st.lists(st.tuples(_WORDS, st.booleans(), _ENDS, _DECOYS), min_size=1, max_size=30))
def test_glued_markers_are_found_and_decoys_ignored(parts):
    """Build a text with markers glued after words/punctuation, and decoy numbers between."""
    pieces, expected, n = [], [], 0
    for word, marked, end, decoy in parts:
        piece = word + end
        if marked:
            n += 1
            expected.append(n)
            piece = word + (end[:-1] if end.endswith(".") else end) + str(n)
            piece += "." if end.endswith(".") else ""
        pieces.append(piece)
        pieces.append(decoy)
    text = " ".join(pieces)
    assert [m.n for m in find_markers(text)] == expected
    stripped = strip_markers(text, find_markers(text))
    for decoy in {d for *_, d in parts}:
        assert decoy in stripped


def test_candidates_exclude_digit_separators():
    assert candidates("3,000 and 1952-3 and 2.5 and 12:30") == []
