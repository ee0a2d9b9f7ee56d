"""The register of places and organisations: a page listing them (and the names the documents
give that no entry covers yet), and for each the documents that name it.

What each document names is gathered at indexing time (``indexer.places``); here it is
inverted once per index generation and kept (``library.picturecache``), so a page costs a
lookup and a slice, whatever the size of the store."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask import abort, redirect, render_template, request, url_for

from indexer.engines import DocumentInfo
from indexer.places import OTHER, PLACES_ID, Entry, PlaceRegister, load_names

from .context import int_arg, lib
from .persons import LANGUAGE_NAMES

PER_PAGE = 50  # documents on a place's page
OTHERS_PER_PAGE = 100  # unregistered names on a page of the register


@dataclass
class Gathered:
    register: PlaceRegister
    documents: dict[str, list[str]] = field(default_factory=dict)  # key → doc_ids, in order
    written: dict[str, str] = field(default_factory=dict)  # key → its commonest written form
    others: list[str] = field(default_factory=list)  # unregistered keys, most documents first


def gather() -> Gathered:
    """What the documents of this index generation name, by register entry (computed once per
    generation: one pass over one row per document)."""
    searcher = lib().searcher
    register = PlaceRegister.load(searcher.sources / f"{PLACES_ID}.xml") \
        if searcher.sources else PlaceRegister([])
    docs = searcher.documents()
    by_key: dict[str, list[str]] = {}
    forms: dict[str, Counter] = {}
    for doc_id, names in load_names(searcher.index_dir).items():
        if doc_id not in docs:  # withdrawn or left out since
            continue
        for key, name in names:
            by_key.setdefault(key, []).append(doc_id)
            forms.setdefault(key, Counter())[name] += 1
    for ids in by_key.values():  # oldest first, then by title: a reading order
        ids.sort(key=lambda d: (docs[d].date or "9999", docs[d].title.casefold(), d))
    others = sorted((k for k in by_key if k.startswith(OTHER)),
                    key=lambda k: (-len(by_key[k]), k))
    return Gathered(register, by_key, {k: c.most_common(1)[0][0] for k, c in forms.items()},
                    others)


def _gathered() -> Gathered:
    searcher = lib().searcher
    return lib().pictures.get("places", searcher.generation(), gather)


def places():
    got = _gathered()
    entries = sorted(got.register.entries.values(), key=lambda e: e.display.casefold())
    page = int_arg("page", 1, 1, 100_000)
    start = (page - 1) * OTHERS_PER_PAGE
    others = [(k[len(OTHER):], got.written[k], len(got.documents[k]))
              for k in got.others[start:start + OTHERS_PER_PAGE]]
    pages = max(1, -(-len(got.others) // OTHERS_PER_PAGE))
    return render_template(
        "places.html", places=[e for e in entries if e.kind == "place"],
        orgs=[e for e in entries if e.kind == "org"],
        counts={k: len(v) for k, v in got.documents.items()}, others=others,
        page=min(page, pages), pages=pages, n_others=len(got.others))


def _listing(key: str) -> tuple[list[DocumentInfo], int, int, int]:
    """One page of the documents naming ``key``: (rows, page, pages, total)."""
    ids = _gathered().documents.get(key, [])
    pages = max(1, -(-len(ids) // PER_PAGE))
    page = min(int_arg("page", 1, 1, 100_000), pages)
    docs = lib().searcher.documents()
    rows = [docs[d] for d in ids[(page - 1) * PER_PAGE:page * PER_PAGE] if d in docs]
    return rows, page, pages, len(ids)


def place(place_id: str):
    entry: Entry | None = _gathered().register.entries.get(place_id)
    if entry is None:
        abort(404)
    rows, page, pages, total = _listing(place_id)
    return render_template("place.html", entry=entry, name=entry.display, rows=rows,
                           page=page, pages=pages, total=total, languages=LANGUAGE_NAMES,
                           page_args={"place_id": place_id}, endpoint="library.place")


def other_name():
    """The documents naming a place or organisation the register does not hold (by the
    folded words of the name, as ``indexer.places`` keys it)."""
    words = " ".join(request.args.get("name", "").split())[:200]
    key = OTHER + words
    got = _gathered()
    if not words or key not in got.documents:
        abort(404)
    rows, page, pages, total = _listing(key)
    return render_template("place.html", entry=None, name=got.written[key], rows=rows,
                           page=page, pages=pages, total=total, languages=LANGUAGE_NAMES,
                           page_args={"name": words}, endpoint="library.other_place")


def register_document():
    """The register's own address shows the register's page (as ``/doc/persons`` does)."""
    return redirect(url_for("library.places"))
