"""From a footnote, the citing paragraph and the cited passage side by side, the quotation
highlighted in both (in the cited passage, where the tracer finds it)."""

from __future__ import annotations

from flask import abort, render_template
from markupsafe import Markup, escape

from ..errors import QueryError
from ..highlight import mark
from ..trace import Tracer, quotation_before
from .context import document_or_404, lib


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
    left: Markup = escape(citing.text)
    right: Markup = escape(cited.text)
    score = None
    if quote:
        at = citing.text.find(quote)
        if at >= 0:
            left = mark(citing.text, [(at, at + len(quote))], "quoted")
        try:
            matches, _ = Tracer(lib().searcher).trace(quote, limit=50, exclude=doc_id)
        except QueryError:  # over the time budget: the page without the cited span marked
            matches = []
        found = next((m for m in matches if m.passage_id == target_id), None)
        if found:
            score = found.score
            right = mark(cited.text, [(found.start, found.end)], "quoted")
    return render_template("sidebyside.html", doc=doc, footnote=footnote, citing=citing,
                           target_doc=target_doc, cited=cited, left=left, right=right,
                           quote=quote, score=score)
