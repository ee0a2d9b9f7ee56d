"""From a footnote, the citing words and the cited passage side by side, the quotation
highlighted on its exact words in both. Where the library holds only the quotation itself (a
work under copyright, kept as the essay's own excerpt), the quotation is shown once."""

from __future__ import annotations

import re

from flask import abort, render_template
from markupsafe import Markup, escape

from ..search.errors import QueryError
from ..search.highlight import mark
from ..textlang import mark_russian
from ..trace import Tracer, quotation_before
from ..wording import passage_label
from .context import document_or_404, lib

_EDGES = " \t\n….,;:!?\"'“”‘’«»[]"
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”’\"]?\s+")
CONTEXT = 1  # sentences shown either side of the quotation


def _words(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def exact_spans(quote: str, text: str) -> list[tuple[int, int]]:
    """Where ``quote``'s words stand in ``text``: the whole quotation, or each piece between
    its ellipses; the ellipses, quotation marks and punctuation at its ends are not part of
    the words quoted, so they are not highlighted."""
    spans = []
    for piece in re.split(r"…|\[…\]|\.\.\.", quote):
        piece = piece.strip(_EDGES)
        if len(piece) < 3:
            continue
        at = text.find(piece)
        if at < 0:
            at = text.lower().find(piece.lower())
        if at >= 0:
            spans.append((at, at + len(piece)))
    return sorted(spans)


def _around(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The sentences holding the quotation, with ``CONTEXT`` sentences either side."""
    cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    first = max(i for i, c in enumerate(cuts) if c <= spans[0][0])
    last = min(i for i, c in enumerate(cuts) if c >= spans[-1][1])
    return cuts[max(0, first - CONTEXT)], cuts[min(len(cuts) - 1, last + CONTEXT)]


def _excerpt(text: str, spans: list[tuple[int, int]]) -> tuple[Markup, bool]:
    """``text`` around its quotation, the quotation marked; whether it was shortened."""
    if not spans:
        return escape(text), False
    start, end = _around(text, spans)
    inner = [(s - start, e - start) for s, e in spans]
    body = mark(text[start:end].strip(), inner, "quoted") if not text[start].isspace() else \
        mark(text[start:end], inner, "quoted")
    return Markup("{}{}{}").format("… " if start else "", body,
                                   " …" if end < len(text) else ""), bool(start or end < len(text))


def _neighbours(doc, n: str) -> tuple[str | None, str | None]:
    ns = [x.n for x in doc.notes if x.targets]
    at = ns.index(n)
    return (ns[at - 1] if at else None), (ns[at + 1] if at + 1 < len(ns) else None)


def note(doc_id: str, n: str):
    doc = document_or_404(doc_id)
    footnote = next((x for x in doc.notes if x.n == n), None)
    if footnote is None or not footnote.targets:
        abort(404)
    citing = doc.passage(footnote.passage_id) if footnote.passage_id else None
    target_doc_id, target_id = footnote.targets[0]
    target_doc = lib().store.get(target_doc_id)
    cited = target_doc.passage(target_id) if target_doc else None
    if citing is None or cited is None:
        abort(404)
    quote = quotation_before(citing.element, footnote.element)
    left, shortened = escape(citing.text), False
    right: Markup = escape(cited.text)
    score, once = None, False
    if quote:
        left, shortened = _excerpt(citing.text, exact_spans(quote, citing.text))
        try:
            matches, _ = Tracer(lib().searcher).trace(quote, limit=50, exclude=doc_id)
        except QueryError:  # over the time budget: the page without the cited span marked
            matches = []
        found = next((m for m in matches if m.passage_id == target_id), None)
        if found:
            score = found.score
            # the held excerpt is the quotation itself: no need to print it twice
            once = target_doc.holding != "full" and _words(cited.text) == _words(quote)
            spans = exact_spans(quote, cited.text) or [(found.start, found.end)]
            right = mark(cited.text, spans, "quoted")
    previous, following = _neighbours(doc, n)
    return render_template(
        "sidebyside.html", doc=doc, footnote=footnote, citing=citing, target_doc=target_doc,
        cited=cited, left=mark_russian(left), right=mark_russian(right), quote=quote,
        score=score, once=once, shortened=shortened, previous=previous, following=following,
        citing_label=passage_label(citing.id), cited_label=passage_label(cited.id))
