"""HTML pages for readers."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_babel import gettext as _

from .. import cite, citestyles, links, pictures
from ..render import Highlight, RenderedNote, render_document
from ..search.errors import reader_message
from ..search.facets import FACETS
from ..search.searcher import SORTS, QueryError, SearchRequest
from ..search.suggest import forms_found
from ..settings import base_url
from ..wording import passage_label
from . import archive, results
from .context import cited_by, document_or_404, lib, search_request
from .history import withdrawn_or_none


def home():
    # sorted and paged from the index's one row per document; only the page's documents are
    # read from the store (reading every file was the page's cost)
    rows = [d for d in lib().searcher.documents().values() if d.type != "register"]
    essay = next((r for r in rows if r.type == ESSAY_TYPE), None)  # linked from the intro
    listing = results.home_listing(rows)
    listing["documents"] = [d for d in map(lib().store.get, (r.doc_id for r in
                                                              listing["documents"])) if d]
    return render_template("home.html", listing=listing, essay=essay)


def search():
    req = search_request()
    if not req.q.strip():
        return render_template("search.html", q="", r=None, error=None, req=req, facets=FACETS)
    try:
        r = lib().searcher.search(req)
    except QueryError as exc:
        return render_template("search.html", q=req.q, r=None, error=reader_message(exc), req=req,
                               facets=FACETS), 400
    return render_template("search.html", q=req.q, r=r, error=None, req=req, facets=FACETS,
                           store=lib().store, sorts=SORTS, spread=results.spread(r),
                           exports=results.export_links(),
                           variants=forms_found(lib().searcher, r.also_searched))


def bibliography():
    """Every work the collection cites, with the footnotes that cite it."""
    by_work: dict[str, list] = {}
    for c in lib().searcher.all_citations():
        by_work.setdefault(c.target_doc, []).append(c)
    store = lib().store
    works = sorted(((store.get(doc_id), cites) for doc_id, cites in by_work.items()),
                   key=lambda wc: ((wc[0].authors[0].split()[-1] if wc[0] and wc[0].authors
                                    else "~"), wc[0].title if wc[0] else ""))
    return render_template("bibliography.html", works=works, store=store)


ESSAY_TYPE = "essay"


def timeline():
    def draw():
        # the index's one row per document, not the store's files (reading every one of them
        # was the cost of the first timeline after each change)
        docs = [d for d in lib().searcher.documents().values() if d.type != "register"]
        essay = _essay()
        cited = ({c.target_doc for c in lib().searcher.citations_from(essay.doc_id)}
                 if essay else set())
        picture = pictures.timeline(essay.events if essay else [],
                                    essay.doc_id if essay else "", docs, cited)
        return picture, pictures.timeline_listing(docs, cited), essay
    picture, listing, essay = lib().pictures.get("timeline", lib().searcher.generation(), draw)
    return render_template("picture.html", title=_("Timeline"), picture=picture, listing=listing,
                           essay=essay, kind="timeline")


def graph():
    def draw():
        store = lib().store
        essay = _essay()
        if essay is None:
            return None
        citations = lib().searcher.citations_from(essay.doc_id)
        titles = {c.target_doc: (store.get(c.target_doc).title if store.get(c.target_doc)
                                 else c.target_doc) for c in citations}
        return pictures.citation_graph(essay, citations, titles), citations, titles, essay
    drawn = lib().pictures.get("graph", lib().searcher.generation(), draw)
    if drawn is None:
        abort(404)
    picture, citations, titles, essay = drawn
    return render_template("picture.html", title=_("Citation graph"), picture=picture,
                           citations=citations, titles=titles, essay=essay, kind="graph")


def query_help():
    return render_template("help.html")


def _essay():
    """The essay the library is built around (the first, if a librarian added another)."""
    rows = lib().searcher.documents().values()
    first = min((r.doc_id for r in rows if r.type == ESSAY_TYPE), default=None)
    return lib().store.get(first) if first else None


def help_index():
    essay = _essay()
    return render_template("help_index.html", essay_id=essay.doc_id if essay else "")


def import_guide():
    return render_template("import_guide.html")


def document(doc_id: str):
    gone = withdrawn_or_none(doc_id)
    if gone is not None:
        return gone
    doc = document_or_404(doc_id)
    q = request.args.get("q", "").strip()
    found, error, highlight = None, None, None
    if q:
        try:
            found = lib().searcher.search(SearchRequest(q=q, within=doc_id, per_page=1))
            highlight = Highlight(set(found.matched_passages), found.matcher)
        except QueryError as exc:
            error = reader_message(exc)
    variants = forms_found(lib().searcher, found.also_searched) if found else None
    record, body, notes = render_document(doc, cited_by(doc_id), highlight)
    for note in notes:
        describe_target(note)
    citing = lib().searcher.citations_to(doc_id)
    status = 400 if error else 200
    toc = contents(doc) if len(doc.passages) >= TOC_FROM else []
    it = cite.item(doc, base_url())
    return render_template("doc.html", doc=doc, record=record, body=body, notes=notes,
                           citing=citing, store=lib().store, q=q, found=found, error=error,
                           variants=variants,
                           cite_url=it.url, references=citestyles.references(it),
                           meta_tags=cite.highwire(it),
                           coins=cite.coins(it), toc=toc,
                           archive=archive.context(doc)), status


EXCERPT_CHARS = 180
TOC_FROM = 20  # passages from which a document gets a table of contents
TOC_EVERY = 10  # with no headings, a way in every so many paragraphs


def contents(doc) -> list[tuple[str, str]]:
    """(fragment, label) of a long document: its headings, or with none, a paragraph every
    ``TOC_EVERY`` named by its first words."""
    paragraphs = [p for p in doc.passages if p.id and p.kind == "p"]
    entries = []
    for i, p in enumerate(paragraphs):
        if i % TOC_EVERY == 0:
            words = p.text.split()
            entries.append((p.id, _("Paragraph %(n)s: %(words)s", n=i + 1,
                                    words=" ".join(words[:8]) + ("…" if len(words) > 8 else ""))))
    return entries


def describe_target(note: RenderedNote) -> None:
    """What a footnote points to, in words: the work's title, which passage, its first lines."""
    if not (note.href and note.href.startswith("/doc/")):
        return
    doc_id, _, passage_id = note.href.removeprefix("/doc/").partition("#")
    target = lib().store.get(doc_id)
    if target is None:
        return
    note.excerpt_only = target.holding != "full"
    note.source = links.authoritative(target)  # where the cited work itself may be read
    note.target_title = target.title
    passage = target.passage(passage_id) if passage_id else None
    note.target_label = passage_label(passage_id) if passage_id else ""
    if passage is not None and passage.text:
        text = " ".join(passage.text.split())
        cut = text[:EXCERPT_CHARS].rsplit(" ", 1)[0] if len(text) > EXCERPT_CHARS else text
        note.target_excerpt = cut + ("…" if cut != text else "")


def document_xml(doc_id: str):
    data = lib().store.raw(doc_id)
    if data is None:
        gone = withdrawn_or_none(doc_id)
        if gone is not None:
            return gone
        abort(404)
    return Response(data, mimetype="application/tei+xml",
                    headers={"Content-Disposition": f'inline; filename="{doc_id}.xml"'})
