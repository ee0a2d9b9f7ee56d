"""IIIF Content Search API 2.0 for a document's page images: ``/iiif/<doc_id>/search?q=…``
answers with an ``AnnotationPage`` whose annotations are the matched words, each targeting its
canvas region (``#xywh=``), so that Mirador, Universal Viewer, or the reader's own viewer light
them on the page. The query language is the library's; the words lit are those the reader's
text highlighting lights (library.pagehits)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import jsonify, request

from .. import pagehits
from ..search.searcher import QueryError, SearchRequest
from ..settings import base_url
from .context import lib
from .iiif import _iiif, _pages_or_404

SEARCH = "http://iiif.io/api/search/2/context.json"
MAX_QUERY = 500  # characters
SUPPORTED = {"q"}  # the spec's other parameters (motivation, date, user) are ignored, and said


def _error(message: str, status: int):
    return jsonify({"error": message}), status, {"Access-Control-Allow-Origin": "*"}


def search(doc_id: str):
    doc, _ = _pages_or_404(doc_id)
    q = request.args.get("q", "").strip()
    if not q:
        return _error("q is required: the words to find (the library's query language)", 400)
    if len(q) > MAX_QUERY:
        return _error(f"q is longer than {MAX_QUERY} characters", 400)
    try:
        found = lib().searcher.search(SearchRequest(q=q, within=doc_id, per_page=1))
    except QueryError as exc:
        return _error(str(exc), 400)
    hits = pagehits.hits(doc, lib().store.sources, found.matched_passages, found.matcher)
    page_url = f"{base_url().rstrip('/')}/doc/{doc_id}"
    items = []
    for k, hit in enumerate(hits, start=1):
        items.append({
            "id": _iiif(f"{doc_id}/search/annotation/{hit.passage}-{k}"),
            "type": "Annotation",
            "motivation": "supplementing",
            "body": {"type": "TextualBody", "value": hit.text, "format": "text/plain"},
            "target": _iiif(f"{doc_id}/canvas/{hit.page}")
            + f"#xywh={hit.x},{hit.y},{hit.w},{hit.h}",
            # where the words stand in the transcription (the reader's page, its passage)
            "seeAlso": [{"id": f"{page_url}#{hit.passage}", "type": "Text",
                         "format": "text/html"}],
        })
    data = {
        "@context": SEARCH,
        "id": _iiif(f"{doc_id}/search") + "?" + urlencode({"q": q}),
        "type": "AnnotationPage",
        "items": items,
    }
    ignored = sorted(k for k in request.args if k not in SUPPORTED)
    if ignored:
        data["ignored"] = ignored
    return jsonify(data), 200, {"Access-Control-Allow-Origin": "*"}
