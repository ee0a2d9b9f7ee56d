"""Whole result sets and lists: a search exported as CSV (with its KWIC lines), RIS or BibTeX;
the words of a query found in one document but in no one passage; the home list, paged and
sorted."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator

from flask import Response, abort, request, stream_with_context, url_for

from .. import cite, escaping
from ..search.errors import reader_message
from ..search.query import lex
from ..search.searcher import DocumentGroup, QueryError, SearchResponse
from ..settings import base_url
from ..wording import passage_label
from .context import int_arg, lib, search_request

EXPORT_PAGE = 25  # documents read at a time while exporting: a page of long passages stays well
# inside the time budget under load (100 took 1.7 s on "Stalin" at 10,629 documents, alone)
CSV_COLUMNS = ["rank", "doc_id", "title", "author", "date", "type", "matching_passages",
               "passage_id", "passage", "url", "left", "match", "right"]
DEFAULT_EXPORT_ROWS = 5_000


def export_rows() -> int:
    """The most rows (CSV) or records (RIS, BibTeX) one export gives: ``LIBRARY_EXPORT_ROWS``,
    5,000 by default. Past it the file ends with a line saying it was cut."""
    try:
        rows = int(os.environ.get("LIBRARY_EXPORT_ROWS", DEFAULT_EXPORT_ROWS))
    except ValueError:
        return DEFAULT_EXPORT_ROWS
    return rows if rows > 0 else DEFAULT_EXPORT_ROWS


def all_groups(documents_only: bool = False) -> Iterator[DocumentGroup]:
    """Every document of the current search, in the order asked for, page after page (with
    ``documents_only``, without their passages). The first page is searched at once (a bad
    query is a 400); later pages as the file streams, and a later page that fails ends the
    file (``ExportCut``). The search is counted once: each later page is read from what the
    first counted."""
    req = search_request()
    req.per_page, req.page, req.documents_only = EXPORT_PAGE, 1, documents_only
    try:
        first = lib().searcher.search(req, keep=False)
    except QueryError as exc:
        abort(400, description=reader_message(exc))

    def pages() -> Iterator[DocumentGroup]:
        r = first
        while True:
            yield from r.groups
            if r.page >= r.pages:
                return
            req.page += 1
            try:
                r = lib().searcher.search(req, keep=False)
            except QueryError as exc:
                raise ExportCut(reader_message(exc)) from exc
    return pages()


class ExportCut(Exception):
    """The export stopped before the end of the results (a row cap or a later page failed)."""


def _filename(ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", request.args.get("q", "").lower()).strip("-")[:40]
    return f"search-{slug or 'results'}.{ext}"


def _download(chunks: Iterator[str], mimetype: str, ext: str) -> Response:
    return Response(stream_with_context(chunks), mimetype=f"{mimetype}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(ext)}"'})


def _csv_line(values: list) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(escaping.csv_row(values))
    return out.getvalue()


def export_csv() -> Response:
    """One row per KWIC line (a passage without one: a row with its place only), streamed,
    at most ``export_rows()`` rows."""
    groups, cap, root = all_groups(), export_rows(), base_url().rstrip("/")

    def rows() -> Iterator[str]:
        yield _csv_line(CSV_COLUMNS)
        n = 0
        try:
            for rank, g in enumerate(groups, start=1):
                for p in g.passages:
                    head = [rank, g.doc_id, g.title, g.author, g.date, g.type, g.count,
                            p.passage_id, passage_label(p.passage_id), root + p.url]
                    for k in p.kwic or [None]:
                        if n >= cap:
                            raise ExportCut(f"the export stops at {cap:,} rows; narrow the "
                                            "search to export the rest")
                        n += 1
                        yield _csv_line(head + ([k.left, k.match, k.right] if k
                                                else ["", "", ""]))
        except ExportCut as cut:
            yield _csv_line([f"# cut: {cut}"])
    return _download(rows(), "text/csv", "csv")


def _records(render) -> Iterator[str]:
    groups, cap, store = all_groups(documents_only=True), export_rows(), lib().store

    def records() -> Iterator[str]:
        n = 0
        try:
            for g in groups:
                doc = store.get(g.doc_id)
                if doc is None:
                    continue
                if n >= cap:
                    raise ExportCut(f"the export stops at {cap:,} records; narrow the search "
                                    "to export the rest")
                n += 1
                yield ("\n" if n > 1 else "") + render(cite.item(doc, base_url())).rstrip("\n") \
                    + "\n"
        except ExportCut as cut:
            yield render.cut_note(str(cut))
    return records()


def export_ris() -> Response:
    return _download(_records(_Format(cite.ris, "\n")), "application/x-research-info-systems",
                     "ris")


def export_bib() -> Response:
    return _download(_records(_Format(cite.bibtex, "\n% ")), "application/x-bibtex", "bib")


class _Format:
    """A record format and how a note that the file was cut is written in it (a RIS file
    tolerates text between records; a BibTeX file, a % comment)."""

    def __init__(self, render, prefix: str):
        self.render, self.prefix = render, prefix

    def __call__(self, it: cite.Item) -> str:
        return self.render(it)

    def cut_note(self, text: str) -> str:
        return f"{self.prefix}{escaping.one_line(text)}\n"


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
