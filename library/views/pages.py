"""HTML pages for readers."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from ..render import render_document
from ..searcher import QueryError
from .context import cited_by, document_or_404, int_arg, lib


def home():
    return render_template("home.html", documents=lib().store.all())


def search():
    q = request.args.get("q", "")
    if not q.strip():
        return render_template("search.html", q="", results=None, error=None)
    try:
        results = lib().searcher.search(q, page=int_arg("page", 1, 1, 10_000),
                                        limit=int_arg("limit", 10, 1, 100))
    except QueryError as exc:
        return render_template("search.html", q=q, results=None, error=str(exc)), 400
    return render_template("search.html", q=q, results=results, error=None)


def document(doc_id: str):
    doc = document_or_404(doc_id)
    backlinks = cited_by(doc_id)
    record, body, notes = render_document(doc, backlinks)
    citing = lib().searcher.citations_to(doc_id)
    return render_template("doc.html", doc=doc, record=record, body=body, notes=notes,
                           citing=citing, store=lib().store)


def document_xml(doc_id: str):
    data = lib().store.raw(doc_id)
    if data is None:
        abort(404)
    return Response(data, mimetype="application/tei+xml",
                    headers={"Content-Disposition": f'inline; filename="{doc_id}.xml"'})
