"""The advanced search page: a form that writes the query (library/search/advanced.py), shown
as it is built, then searched as any query is."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..search import advanced
from .context import lib

LANGUAGES = [("en", "English"), ("ru", "Russian"), ("fr", "French"), ("de", "German")]


def _choices() -> tuple[list[str], list[str]]:
    """The document types and collections the library holds, for the form's lists."""
    docs = [d for d in lib().searcher.documents().values() if d.type != "register"]
    return (sorted({d.type for d in docs if d.type}),
            sorted({d.collection for d in docs if d.collection}))


def page():
    form = advanced.from_args(request.args)
    built = advanced.build(form)
    error = None
    if request.args.get("go"):
        if built:
            return redirect(url_for("library.search", q=built, **form.filters), code=303)
        error = _("Type a word, a phrase or a name, or choose dates: the filters narrow a "
                  "search, they are not one.")
    types, collections = _choices()
    fields = [("text", _("in the text")), ("title", _("in the title")),
              ("author", _("in the author's name")), ("person", _("a person named (register)"))]
    return render_template("advanced.html", form=form, built=built, fields=fields,
                           years=advanced.YEARS, types=types, collections=collections,
                           languages=LANGUAGES, error=error), 400 if error else 200
