"""Whole result sets and lists: a search exported as CSV (with its KWIC lines), RIS or BibTeX;
the words of a query found in one document but in no one passage; the home list, paged and
sorted."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from flask import Response, abort, request, url_for

from .. import cite
from ..search.query import lex
from ..search.searcher import DocumentGroup, QueryError, SearchResponse
from ..settings import base_url
from ..wording import passage_label
from .context import int_arg, lib, search_request

EXPORT_PAGE = 100  # documents fetched at a time while exporting a whole result set
CSV_COLUMNS = ["rank", "doc_id", "title", "author", "date", "type", "matching_passages",
               "passage_id", "passage", "url", "left", "match", "right"]


def all_groups() -> Iterator[DocumentGroup]:
    """Every document of the current search, in the order asked for, page after page."""
    req = search_request()
    req.per_page, req.page = EXPORT_PAGE, 1
    while True:
        try:
            r = lib().searcher.search(req)
        except QueryError as exc:
            abort(400, description=str(exc))
        yield from r.groups
        if r.page >= r.pages:
            return
        req.page += 1


def _filename(ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", request.args.get("q", "").lower()).strip("-")[:40]
    return f"search-{slug or 'results'}.{ext}"


def _download(text: str, mimetype: str, ext: str) -> Response:
    return Response(text, mimetype=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{_filename(ext)}"'})


def export_csv() -> Response:
    """One row per KWIC line (a passage without one: a row with its place only)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    root = base_url().rstrip("/")
    for rank, g in enumerate(all_groups(), start=1):
        for p in g.passages:
            head = [rank, g.doc_id, g.title, g.author, g.date, g.type, g.count, p.passage_id,
                    passage_label(p.passage_id), root + p.url]
            for k in p.kwic or [None]:
                writer.writerow(head + ([k.left, k.match, k.right] if k else ["", "", ""]))
    return _download(out.getvalue(), "text/csv", "csv")


def _records(render) -> str:
    store = lib().store
    items = (cite.item(doc, base_url()) for g in all_groups()
             if (doc := store.get(g.doc_id)) is not None)
    return "\n".join(render(it).rstrip("\n") + "\n" for it in items)


def export_ris() -> Response:
    return _download(_records(cite.ris), "application/x-research-info-systems", "ris")


def export_bib() -> Response:
    return _download(_records(cite.bibtex), "application/x-bibtex", "bib")


def export_links() -> list[tuple[str, str]]:
    """(label, URL) of the exports of the current search (all of it, not the page shown)."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    return [(label, url_for(f"library.search_export_{ext}", **args))
            for label, ext in (("CSV", "csv"), ("RIS", "ris"), ("BibTeX", "bib"))]


def spread(r: SearchResponse) -> dict | None:
    """For a query of plain words that no passage holds all of: the documents that hold them
    all in different passages, or, when none does, how many documents hold each word."""
    if r.total or r.parsed.mode != "query":
        return None
    tokens = lex(r.parsed.text)
    words = [t.text for t in tokens if t.kind == "word"]
    if len(words) < 2 or len(words) != len(tokens):
        return None
    searcher, store = lib().searcher, lib().store
    per_word = {}
    for w in words:
        try:
            per_word[w] = searcher.documents_matching(w)
        except QueryError:
            return None
    together = set.intersection(*per_word.values())
    docs = sorted((d for d in (store.get(i) for i in together) if d), key=lambda d: d.title)
    return {"words": words, "documents": docs, "find": " OR ".join(words),
            "per_word": {w: len(ids) for w, ids in per_word.items()}}


HOME_SORTS = {"title": "title", "author": "author", "date": "date, oldest first",
              "date-desc": "date, newest first"}
HOME_PAGE = 25


def home_listing(docs: list) -> dict:
    """The documents of the home page, sorted as asked and cut into pages."""
    sort = request.args.get("sort", "title")
    sort = sort if sort in HOME_SORTS else "title"
    keys = {"title": lambda d: d.title.casefold(),
            "author": lambda d: ((d.author or "~").split()[-1].casefold(), d.title.casefold()),
            "date": lambda d: (d.date or "9999", d.title.casefold()),
            "date-desc": lambda d: (d.date or "", d.title.casefold())}
    docs = sorted(docs, key=keys[sort], reverse=sort == "date-desc")
    per_page = int_arg("limit", HOME_PAGE, 1, 200)
    pages = max(1, -(-len(docs) // per_page))
    page = int_arg("page", 1, 1, pages)
    return {"documents": docs[(page - 1) * per_page: page * per_page], "total": len(docs),
            "page": page, "pages": pages, "sort": sort, "sorts": HOME_SORTS,
            "limit": per_page}
