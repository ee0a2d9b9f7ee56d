"""Language of text runs for the HTML: a Cyrillic run inside an English page is marked
``lang="ru"`` so that screen readers switch voice and browsers pick hyphenation and fonts."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# a run starts and ends with a Cyrillic letter; spaces, digits and punctuation between
# Cyrillic words stay inside it, so "Хрущёв Н. С." is one run, not three
_RUN = re.compile(r"[\u0400-\u04ff](?:[\u0400-\u04ff\u0300-\u036f\w\s.,;:!?«»\"'()\-–—/]*"
                  r"[\u0400-\u04ff\u0300-\u036f])?")
_TAG = re.compile(r"(<[^>]*>)")


def _wrap(text: str) -> str:
    return _RUN.sub(lambda m: f'<span lang="ru">{m.group(0)}</span>', text)


def mark_russian(value: object) -> Markup:
    """``value`` as HTML with each Cyrillic run in ``<span lang="ru">``. Plain text is escaped
    first; Markup (already escaped) is processed outside its tags only."""
    if isinstance(value, Markup):
        parts = _TAG.split(str(value))
        return Markup("".join(p if i % 2 else _wrap(p) for i, p in enumerate(parts)))
    return Markup(_wrap(str(escape("" if value is None else value))))
