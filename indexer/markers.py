"""Footnote markers glued to the text they annotate: ``de Staël1``, ``makes3.”``, ``Europe…”4.``.

When a text lost its footnote apparatus in copying, the markers survive only as digits glued
to the preceding word or punctuation. A marker is recognised by three properties together:

* it is glued: the character before it is a letter or closing punctuation, never a space, a
  digit, or a separator between digits (``3,000``, ``1952-3``, ``2.5``);
* it stands alone: no letter or digit follows it (``63th``, ``19th``, ``1953``);
* it continues the sequence: markers run 1, 2, 3, … in reading order; a candidate that does not
  carry the sequence on is ignored (and reported), so a stray ``G7`` cannot become note 7 unless
  note 7 is due and no better candidate follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Punctuation a marker may follow: closing marks, and opening quote marks typed in their place.
_CLOSERS = ".,;:!?…”’“‘\"')]»«"
_CANDIDATE = re.compile(r"(?<=[^\W\d_]|[" + re.escape(_CLOSERS) + r"])(\d{1,3})(?![\w])")
_BETWEEN_DIGITS = re.compile(r"\d[,.\-–/:]$")
# Short all-capitals tokens glued to digits are names (G7, B52, MiG, COVID), not markers.
_CODE_NAME = re.compile(r"(?:^|[\s(])[A-Z][A-Za-z]{0,4}$")


@dataclass(frozen=True)
class Marker:
    """A footnote marker: its number and the span of its digits in the text."""

    n: int
    start: int
    end: int


def candidates(text: str) -> list[Marker]:
    """Every glued number that could be a marker, before the sequence rule."""
    found = []
    for m in _CANDIDATE.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()]
        if _BETWEEN_DIGITS.search(before):
            continue
        if _CODE_NAME.search(before) and before[-1:].isupper():
            continue
        found.append(Marker(int(m.group(1)), m.start(), m.end()))
    return found


def find_markers(text: str) -> list[Marker]:
    """The footnote markers of ``text``: the sequence 1, 2, 3, … in reading order.

    Candidates are taken in order; a candidate is accepted when it is the next number due,
    unless the same number occurs again as a candidate glued to closing punctuation before the
    following number is due (a marker after a quotation is the likelier one).
    """
    cands = candidates(text)
    markers: list[Marker] = []
    expected = 1
    for i, cand in enumerate(cands):
        if cand.n != expected:
            continue
        later = [c for c in cands[i + 1 :] if c.n in (expected, expected + 1)]
        rival = next((c for c in later if c.n == expected), None)
        successor = next((c for c in later if c.n == expected + 1), None)
        if (
            rival is not None
            and (successor is None or rival.start < successor.start)
            and not _after_closer(text, cand)
            and _after_closer(text, rival)
        ):
            continue
        markers.append(cand)
        expected += 1
    return markers


def _after_closer(text: str, marker: Marker) -> bool:
    return marker.start > 0 and text[marker.start - 1] in _CLOSERS


def strip_markers(text: str, markers: list[Marker]) -> str:
    """``text`` without the digits of ``markers``."""
    out, pos = [], 0
    for m in markers:
        out.append(text[pos : m.start])
        pos = m.end
    out.append(text[pos:])
    return "".join(out)
