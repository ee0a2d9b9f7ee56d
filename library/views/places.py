"""The register of places and organisations: a page listing them (and the names the documents
give that no entry covers yet), and for each the documents that name it.

What each document names is gathered at indexing time into a table beside the index
(``indexer.places``); here it is counted once per index generation and kept
(``library.picturecache``), and a place's page reads one page of its documents from the
table's index, whatever the size of the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, redirect, render_template, request, url_for

from indexer.engines import DocumentInfo
from indexer.places import OTHER, Entry, PlaceRegister, counts, documents_naming

from .context import int_arg, lib
from .persons import LANGUAGE_NAMES

PER_PAGE = 50  # documents on a place's page
OTHERS_PER_PAGE = 100  # unregistered names on a page of the register


@dataclass
class Gathered:
    register: PlaceRegister
    counts: dict[str, tuple[int, str]] = field(default_factory=dict)  # key → (docs, name)
    others: list[str] = field(default_factory=list)  # unregistered keys, most documents first


def gather() -> Gathered:
    """The register and how many documents name each of its entries and each other name
    (computed once per index generation: one GROUP BY over the index's table of names)."""
    searcher = lib().searcher
    got = counts(searcher.index_dir)
    others = sorted((k for k in got if k.startswith(OTHER)), key=lambda k: (-got[k][0], k))
    return Gathered(searcher.place_register(), got, others)


def _gathered() -> Gathered:
    searcher = lib().searcher
    return lib().pictures.get("places", searcher.generation(), gather)


def places():
    got = _gathered()
    entries = sorted(got.register.entries.values(), key=lambda e: e.display.casefold())
    page = int_arg("page", 1, 1, 100_000)
    start = (page - 1) * OTHERS_PER_PAGE
    others = [(k[len(OTHER):], got.counts[k][1], got.counts[k][0])
              for k in got.others[start:start + OTHERS_PER_PAGE]]
    pages = max(1, -(-len(got.others) // OTHERS_PER_PAGE))
    return render_template(
        "places.html", places=[e for e in entries if e.kind == "place"],
        orgs=[e for e in entries if e.kind == "org"],
        counts={k: n for k, (n, _) in got.counts.items()}, others=others,
        page=min(page, pages), pages=pages, n_others=len(got.others))


def _listing(key: str) -> tuple[list[DocumentInfo], int, int, int]:
    """One page of the documents naming ``key``: (rows, page, pages, total)."""
    total = _gathered().counts.get(key, (0, ""))[0]
    pages = max(1, -(-total // PER_PAGE))
    page = min(int_arg("page", 1, 1, 100_000), pages)
    docs = lib().searcher.documents()
    ids = documents_naming(lib().searcher.index_dir, key, (page - 1) * PER_PAGE, PER_PAGE)
    return [docs[d] for d in ids if d in docs], page, pages, total


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
    if not words or key not in got.counts:
        abort(404)
    rows, page, pages, total = _listing(key)
    return render_template("place.html", entry=None, name=got.counts[key][1], rows=rows,
                           page=page, pages=pages, total=total, languages=LANGUAGE_NAMES,
                           page_args={"name": words}, endpoint="library.other_place")


def register_document():
    """The register's own address shows the register's page (as ``/doc/persons`` does)."""
    return redirect(url_for("library.places"))
