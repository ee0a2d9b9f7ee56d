"""The error a reader's query can be refused with, and its message in the reader's language.

``QueryError`` is defined beside the query tree in ``indexer`` (the engine adapters refuse a
wildcard that expands too far with it, and ``indexer`` never imports ``library``); the query
language and the limits raise it from here. A message is a catalogue template with named slots
(``N_`` marks it where it is raised); ``reader_message`` translates the template and fills the
slots, numbers written as the interface's locale writes them. A message the catalogue does not
know (a template missing from it) is shown in English, as ``str()`` gives it. The JSON API
keeps the English: a program reads it, not a reader."""

from __future__ import annotations

from flask_babel import format_decimal, gettext

from indexer.querytree import QueryError

from ..i18n import N_

__all__ = ["QueryError", "reader_message"]

# raised in indexer/engines (which cannot mark strings for the library's catalogue)
ENGINE_MESSAGES = (
    N_("'%(word)s' matches more than %(limit)s different words; add letters to narrow it"),
)


def reader_message(exc: QueryError) -> str:
    """``exc``'s message in the interface's language."""
    template = getattr(exc, "template", None)
    if not template:
        return str(exc)
    params = getattr(exc, "params", {}) or {}
    shown = {k: format_decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v
             for k, v in params.items()}
    try:
        return gettext(template, **shown) if shown else gettext(template)
    except (KeyError, ValueError, TypeError):  # a translation whose slots do not match
        return str(exc)
