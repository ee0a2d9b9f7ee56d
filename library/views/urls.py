"""URL helpers for templates: the current search with one thing changed."""

from __future__ import annotations

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from ..escaping import safe_url
from ..search.names import is_cyrillic
from ..textlang import mark_russian
from ..wording import attribution, clock, date_words, passage_label, status_word


def _current() -> MultiDict:
    return MultiDict(request.args)


def page_url(page: int) -> str:
    args = _current()
    args["page"] = str(page)
    return url_for("library.search", **args.to_dict(flat=False))


def facet_url(key: str, value: str, add: bool) -> str:
    """The current search with filter ``key=value`` added or removed (back to page 1)."""
    args = _current()
    values = [v for v in args.getlist(key) if v != value]
    if add:
        values.append(value)
    args.setlist(key, values)
    args.pop("page", None)
    return url_for("library.search", **args.to_dict(flat=False))


def _title_of(doc_id: str) -> str:
    """A document's title for link text (its id only when it is not in the store)."""
    from .context import lib

    doc = lib().store.get(doc_id)
    return doc.title if doc is not None else doc_id


def _csrf() -> str:
    from .librarian import csrf_token

    return csrf_token()


def _librarian() -> str | None:
    """The logged-in librarian (a dead session's cookie shows no one)."""
    from flask import session

    from .auth import current_user

    return current_user() if "sid" in session else None


TEMPLATE_GLOBALS = {"page_url": page_url, "facet_url": facet_url, "csrf_token": _csrf,
                    "librarian": _librarian, "attribution": attribution,
                    "title_of": _title_of}
TEMPLATE_TESTS = {"cyrillic": is_cyrillic}
TEMPLATE_FILTERS = {"ru": mark_russian, "passage_label": passage_label,
                    "status_word": status_word, "clock": clock, "safe_url": safe_url,
                    "edtf_words": date_words}
