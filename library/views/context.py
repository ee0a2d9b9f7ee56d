"""Shared by pages and api: the library of the running app, request arguments, citations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import abort, current_app, request
from flask_babel import gettext as _

from indexer.teidoc import Document

from ..render import CitedBy
from ..search.facets import FACETS
from ..search.searcher import SORTS, SearchRequest

if TYPE_CHECKING:
    from ..app import Library


def lib() -> Library:
    return current_app.extensions["library"]


def document_or_404(doc_id: str) -> Document:
    doc = lib().store.get(doc_id)
    if doc is None:
        if lib().store.fault(doc_id):
            abort(503, description=_("This document's TEI file is damaged, so it cannot be "
                                     "shown now; the librarians have been told "
                                     "(`library check`)."))
        abort(404)
    return doc


def int_arg(name: str, default: int, lo: int, hi: int) -> int:
    """An integer query argument, clamped to [lo, hi]; junk falls back to ``default``."""
    try:
        return max(lo, min(hi, int(request.args.get(name, default))))
    except ValueError:
        return default


def search_request(within: str | None = None) -> SearchRequest:
    """The search the URL asks for: the same arguments for the page and the JSON API."""
    filters = {spec.key: request.args.getlist(spec.key) for spec in FACETS
               if request.args.getlist(spec.key)}
    sort = request.args.get("sort", "relevance")
    return SearchRequest(
        q=request.args.get("q", ""),
        filters=filters,
        sort=sort if sort in SORTS else "relevance",
        page=int_arg("page", 1, 1, 100_000),
        per_page=int_arg("limit", 10, 1, 100),
        within=within,
    )


def cited_by(doc_id: str) -> dict[str, list[CitedBy]]:
    """For each passage of ``doc_id``, the footnotes elsewhere that cite it."""
    found: dict[str, list[CitedBy]] = {}
    for c in lib().searcher.citations_to(doc_id):
        source = lib().store.get(c.source_doc)
        title = source.title if source else c.source_doc
        who = source.authors[0].split()[-1] + ", " if source and source.authors else ""
        label = _("%(who)s“%(title)s”, footnote %(n)s", who=who, title=title, n=c.n)
        found.setdefault(c.target_passage, []).append(CitedBy(c.marker_url, label, c.status))
    return found
