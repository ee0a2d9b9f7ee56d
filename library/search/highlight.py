"""Where a query matched inside a passage: spans for highlighting, KWIC lines, snippets.

Matching re-runs the index's own analysers over the passage, so a hit is marked exactly where
the engine found it (a stem in running text, an exact form in a phrase), and the text around it
is escaped before any markup is added. Engine-neutral: the words come from the query tree, and
a wildcard's or fuzzy word's from the engine's expansion of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from indexer import querytree as qt
from indexer.analysis import ExactAnalyzer, TextAnalyzer

STEMMED = "text"
EXACT_FIELDS = ("text_exact", "title", "author")


@dataclass
class KwicLine:
    left: str
    match: str
    right: str


class TermMatcher:
    """The index terms a query matched, and where they occur in a text."""

    def __init__(self, query: qt.Node, session, analyzer: TextAnalyzer, register=None,
                 budget=None):
        terms: set[tuple[str, str]] = set()
        for leaf in qt.leaves(query):
            if isinstance(leaf, qt.Term):
                terms.add((leaf.field, str(leaf.text)))
            elif isinstance(leaf, qt.Phrase):
                terms.update((leaf.field, w) for w in leaf.words)
            elif isinstance(leaf, qt.MULTI) and leaf.field in (STEMMED, *EXACT_FIELDS):
                terms.update((leaf.field, w) for w in session.expand(leaf, budget))
        # only words the index holds (as Whoosh's existing_terms did)
        terms = {(f, t) for f, t in terms if f == "persons"
                 or (f in (STEMMED, *EXACT_FIELDS) and session.doc_frequency(f, t))}
        # a person found through the index's name tags: highlight each form the text uses
        self.persons = {t for f, t in terms if f == "persons"}
        self.register = register if self.persons else None
        self.stemmed = {t for f, t in terms if f == STEMMED}
        exact = {t for f, t in terms if f in EXACT_FIELDS}
        # initials inside name variants ("Nikita S. Khrushchev") would light up every "s"
        self.exact = {t for t in exact if len(t) > 1} or exact
        self._stem = analyzer
        self._exact = ExactAnalyzer()

    def __bool__(self) -> bool:
        return bool(self.stemmed or self.exact or self.persons)

    def spans(self, text: str, enough: int | None = None) -> list[tuple[int, int]]:
        """Where the query's words are in ``text``. With ``enough``, a long text is read a
        part at a time, and reading stops once that many matches are found and the snippet
        around the first is covered: a results page shows a passage's first few matches,
        and a memoir chapter of 7,000 words took 90 ms to analyse whole."""
        if enough is None or len(text) <= PART:
            return self._spans(text, 0)
        found: list[tuple[int, int]] = []
        start = 0
        while start < len(text):
            end = _boundary(text, start + PART)
            # the part is read with a margin, so that a name of several words across its end
            # is found whole; only matches starting inside the part are taken from it
            found += [sp for sp in self._spans(text[start:_boundary(text, end + MARGIN)], start)
                      if sp[0] < end]
            start = end
            if len(found) >= enough and start > found[0][0] + SNIPPET:
                break
        return _merge(sorted(set(found)), text)

    def _spans(self, text: str, offset: int) -> list[tuple[int, int]]:
        if offset:
            return [(a + offset, b + offset) for a, b in self._spans(text, 0)]
        found = set(self._stem.where(text, self.stemmed))
        found.update(self._exact.where(text, self.exact))
        if self.register is not None:
            found.update((m.start, m.end) for m in self.register.mentions(text)
                         if m.person in self.persons)
        return _merge(sorted(found), text)


PART = 4_000  # characters of a long passage analysed at a time for a results page
MARGIN = 200  # read past a part's end: a name of several words across it
SNIPPET = 260  # a snippet's length (``snippet``)
KWIC_LINES = 3  # a passage's keyword-in-context lines on a results page


def _boundary(text: str, at: int) -> int:
    """The first white space at or after ``at`` (the text's end if none): parts never split
    a word."""
    if at >= len(text):
        return len(text)
    space = _SPACE.search(text, at)
    return space.start() if space else len(text)


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans only a space or hyphen apart (a phrase), become one."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or text[merged[-1][1]:start] in (" ", "-")):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], cls: str = "") -> Markup:
    """``text`` escaped, each span in ``<mark>``."""
    # joined as plain strings, each piece escaped: Markup's own + and format escape again
    # what they are given, at a third of a shown passage's cost
    out, pos = [], 0
    tag = f'<mark class="{escape(cls)}">' if cls else "<mark>"
    for start, end in spans:
        out += (escape(text[pos:start]), tag, escape(text[start:end]), "</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return Markup("".join(out))


_SPACE = re.compile(r"\s")


def _cut_left(s: str, width: int) -> str:
    """The last ``width`` characters of ``s``, from the start of a word: the passage's own
    characters, never half a word."""
    if len(s) <= width:
        return s
    cut = len(s) - width
    if not s[cut - 1].isspace():  # the cut falls inside a word: start at the next one
        space = _SPACE.search(s, cut)
        if space is None:  # one word longer than the context: it is shown whole
            return "…" + s[s.rfind(" ", 0, cut) + 1 :] if " " in s[:cut] else s
        cut = space.end()
    return "…" + s[cut:]


def _cut_right(s: str, width: int) -> str:
    """The first ``width`` characters of ``s``, to the end of a word."""
    if len(s) <= width:
        return s
    if s[width].isspace():
        return s[:width].rstrip() + "…"
    space = max(s.rfind(c, 0, width) for c in " \t\n")
    end = space if space > 0 else len(s[:width]) + len(re.match(r"\S*", s[width:]).group(0))
    return s[:end].rstrip() + ("…" if end < len(s) else "")


def kwic(text: str, spans: list[tuple[int, int]], width: int = 60, limit: int = KWIC_LINES
         ) -> list[KwicLine]:
    """Keyword-in-context lines, the match centred, ``width`` characters either side."""
    lines = []
    for start, end in spans[:limit]:
        # the passage's own characters; only runs of white space (line breaks) become one
        lines.append(KwicLine(_flat(_cut_left(text[:start], width)), text[start:end],
                              _flat(_cut_right(text[end:], width))))
    return lines


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def snippet(text: str, spans: list[tuple[int, int]], length: int = SNIPPET) -> Markup:
    """A window of ``text`` around its first matches, matches marked."""
    if not spans:
        return escape(text[:length] + ("…" if len(text) > length else ""))
    first = spans[0][0]
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans
              if s < end and e > start]
    return Markup(("…" if start else "") + str(mark(text[start:end], inside))
                  + ("…" if end < len(text) else ""))
