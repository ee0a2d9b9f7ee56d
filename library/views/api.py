"""The JSON API: the same data as the pages, for programs."""

from __future__ import annotations

from flask import jsonify, request

from indexer.engines import DocumentInfo
from indexer.teidoc import Document

from ..render import doc_url
from ..search.searcher import QueryError, SearchResponse
from ..trace import Tracer, check_length
from .context import document_or_404, int_arg, lib, search_request


def _summary(doc: Document | DocumentInfo) -> dict:
    return {"doc_id": doc.doc_id, "title": doc.title, "author": doc.author, "date": doc.date,
            "type": doc.type, "language": doc.language}


def docs():
    # from the index's one row per document (registers have none: they are not documents of
    # the collection, as in OAI), in the store's order (essays first, then by date and
    # title), without reading every TEI file
    rows = sorted(lib().searcher.documents().values(),
                  key=lambda d: (d.type != "essay", d.date, d.title))
    return jsonify([_summary(d) for d in rows])


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
        "collection": d.collection,
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


def _citation(c) -> dict:
    return {"n": c.n, "note_id": c.note_id, "source_doc": c.source_doc,
            "source_passage": c.source_passage, "target_doc": c.target_doc,
            "target_passage": c.target_passage, "status": c.status,
            "marker_url": c.marker_url, "target_url": c.target_url}


def search_json(r: SearchResponse) -> dict:
    """The search response as JSON (shared with ``library search --json``)."""
    def passage(p):
        return {"doc_id": p.doc_id, "passage_id": p.passage_id, "kind": p.kind,
                "snippet": str(p.snippet), "url": p.url, "score": round(p.score, 4),
                "kwic": [{"left": k.left, "match": k.match, "right": k.right} for k in p.kwic],
                "cited_by": [_citation(c) for c in p.cited_by],
                "cites": [_citation(c) for c in p.cites]}

    return {
        "query": r.query,
        "total": r.total,
        "documents": r.documents,
        "page": r.page,
        "pages": r.pages,
        "limit": r.per_page,
        "sort": r.sort,
        "filters": r.filters,
        "also_searched": r.also_searched,
        "did_you_mean": r.did_you_mean,
        "corrected_from": r.corrected_from,
        "hits": [
            {"doc_id": p.doc_id, "passage_id": p.passage_id, "title": g.title,
             "author": g.author, "date": g.date, "snippet": str(p.snippet), "url": p.url}
            for g in r.groups for p in g.passages
        ],
        "groups": [
            {"doc_id": g.doc_id, "title": g.title, "author": g.author, "date": g.date,
             "type": g.type, "count": g.count, "url": g.url,
             "passages": [passage(p) for p in g.passages]}
            for g in r.groups
        ],
        "facets": {key: [{"value": v.value, "label": v.label, "count": v.count,
                          "selected": v.selected} for v in values]
                   for key, values in r.facets.items()},
    }


def trace():
    """Where a quotation most probably comes from: ?q=QUOTATION[&exclude=DOC_ID][&limit=N]."""
    q = request.args.get("q", "").strip()
    if not q:
        return jsonify(error="give the quotation to trace as ?q=…", query=q), 400
    try:
        check_length(q)
        matches, seconds = Tracer(lib().searcher).trace(
            q, limit=int_arg("limit", 5, 1, 50), exclude=request.args.get("exclude") or None)
    except QueryError as exc:
        return jsonify(error=str(exc), query=q[:100]), 400
    return jsonify(trace_json(q, matches, seconds))


def trace_json(q: str, matches, seconds: float) -> dict:
    return {"query": q, "seconds": round(seconds, 3), "matches": [
        {"doc_id": m.doc_id, "passage_id": m.passage_id, "title": m.title, "score": m.score,
         "start": m.start, "end": m.end, "url": m.url} for m in matches]}


def search():
    req = search_request()
    try:
        r = lib().searcher.search(req)
    except QueryError as exc:
        return jsonify(error=str(exc), position=exc.position, query=req.q), 400
    return jsonify(search_json(r))
