"""Facets declared as data: which index field each facet counts, how values are labelled and
ordered. The searcher counts them; the views only display them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FacetSpec:
    key: str  # the URL parameter (?type=letter) and JSON key
    field: str  # the index field counted and filtered on
    label: str
    multi: bool = False  # several values per passage (authors, persons)
    numeric: bool = False
    by_value: bool = False  # order values by value (years) rather than by count
    limit: int = 12


FACETS: list[FacetSpec] = [
    FacetSpec("author", "authors", "Author", multi=True),
    FacetSpec("type", "type", "Document type"),
    FacetSpec("lang", "language", "Language"),
    FacetSpec("decade", "decade", "Decade", numeric=True, by_value=True, limit=30),
    FacetSpec("year", "year", "Year", numeric=True, by_value=True, limit=60),
    FacetSpec("person", "persons", "Person mentioned", multi=True, limit=20),
    FacetSpec("place", "places", "Places and organisations", multi=True, limit=20),
    FacetSpec("collection", "collection", "Collection"),
]
BY_KEY = {f.key: f for f in FACETS}
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "fr": "French", "de": "German",
                  "cs": "Czech", "ar": "Arabic", "zh": "Chinese", "hu": "Hungarian"}


def decade_label(value: int) -> str:
    return f"{value}s" if value else "undated"
