"""The JSON API: the same data as the pages, for programs."""

from __future__ import annotations

from flask import jsonify, request

from indexer.teidoc import Document

from ..render import doc_url
from ..searcher import QueryError
from .context import document_or_404, int_arg, lib


def _summary(doc: Document) -> dict:
    return {"doc_id": doc.doc_id, "title": doc.title, "author": doc.author, "date": doc.date,
            "type": doc.type, "language": doc.language}


def docs():
    return jsonify([_summary(d) for d in lib().store.all()])


def doc(doc_id: str):
    d = document_or_404(doc_id)
    return jsonify({
        **_summary(d),
        "title_original": d.title_original,
        "authors": d.authors,
        "rights": d.rights,
        "licence": d.licence,
        "licence_url": d.licence_url,
        "holding": d.holding,
        "provenance": d.provenance,
        "inputs": [{"file": name, "sha256": digest} for name, digest in d.inputs],
        "url": doc_url(d.doc_id),
        "tei": f"/doc/{d.doc_id}.xml",
        "passages": [
            {"passage_id": p.id, "kind": p.kind, "text": p.text, "url": doc_url(d.doc_id, p.id)}
            for p in d.passages if p.id
        ],
    })


def notes(doc_id: str):
    d = document_or_404(doc_id)
    return jsonify([
        {
            "n": int(n.n) if n.n.isdigit() else n.n,
            "note_id": n.id,
            "text": n.text,
            "status": n.status,
            "confidence": n.cert,
            "targets": [{"doc_id": t_doc, "passage_id": t_id, "url": doc_url(t_doc, t_id)}
                        for t_doc, t_id in n.targets],
        }
        for n in d.notes
    ])


def search():
    q = request.args.get("q", "")
    try:
        results = lib().searcher.search(q, page=int_arg("page", 1, 1, 10_000),
                                        limit=int_arg("limit", 10, 1, 100))
    except QueryError as exc:
        return jsonify(error=str(exc), position=exc.position, query=q), 400
    return jsonify({
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "limit": results.limit,
        "hits": [
            {"doc_id": h.doc_id, "passage_id": h.passage_id, "title": h.title,
             "author": h.author, "date": h.date, "snippet": h.snippet, "url": h.url}
            for h in results.hits
        ],
    })
