"""KWIC lines cut from the passage's own characters at word boundaries (issue 19)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from library.search.highlight import kwic

TEXT = ("In 1950, Stalin was convinced of the weakness of the United States because they had "
        "swallowed without flinching the communist takeover of China. Churchill, Stalin, and "
        "Roosevelt had met at Yalta; Stalin’s plans for Europe were plain after that winter.")


def spans_of(word: str, text: str = TEXT) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(word), text)]


def test_the_line_is_the_text_as_written():
    lines = kwic(TEXT, spans_of("Stalin"), width=40)
    for line in lines:
        left, right = line.left.removeprefix("…"), line.right.removesuffix("…")
        assert left + line.match + right in TEXT  # nothing added, nothing moved
    assert lines[1].right.startswith(", and Roosevelt")  # no space before the comma
    assert lines[2].right.startswith("’s plans")  # nor before the apostrophe


def test_contexts_are_cut_between_words():
    (line,) = kwic(TEXT, spans_of("Yalta"), width=30)
    assert line.left.startswith("…") and line.right.endswith("…")
    left, right = line.left[1:], line.right[:-1]
    start = TEXT.index(left + "Yalta")
    assert TEXT[start - 1] == " "  # the left context begins a word
    end = TEXT.index("Yalta" + right) + len("Yalta" + right)
    assert TEXT[end] == " "  # the right context ends one


@given(st.lists(st.sampled_from(["Stalin", "war", "a", "Gottwald’s", "—", "1952,", "peace."]),
                min_size=1, max_size=60), st.integers(min_value=0, max_value=59),
       st.integers(min_value=5, max_value=40))
def test_any_cut_keeps_whole_words(words, at, width):
    text = " ".join(words)
    at %= len(words)
    start = len(" ".join(words[:at])) + (1 if at else 0)
    end = start + len(words[at])
    (line,) = kwic(text, [(start, end)], width=width)
    left, right = line.left.removeprefix("…"), line.right.removesuffix("…")
    assert text[:start].endswith(left) and text[end:].startswith(right)
    if line.left.startswith("…"):
        assert text[start - len(left) - 1] == " "
    if line.right.endswith("…"):
        assert text[end + len(right)] == " "
