"""A librarian corrects a document's record after import (indexer.edit does the writing)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from indexer import rights
from indexer.edit import EditError, RecordEdit, edit_record, editable, record_values

from . import auth
from .context import document_or_404, lib
from .librarian import _check_csrf, login_required


def _form_values(doc) -> dict[str, str]:
    values = record_values(doc)
    values["authors"] = "\n".join(values["authors"])
    return values


def statement_groups() -> list[tuple[str, list[rights.Statement]]]:
    """The rights statements a librarian chooses from, grouped by who publishes them."""
    found = rights.choices()
    return [("rightsstatements.org", [s for s in found if s.uri.startswith(rights.RS)]),
            ("Creative Commons", [s for s in found if s.uri.startswith(rights.CC)])]


@login_required
def edit_form(doc_id: str):
    doc = document_or_404(doc_id)
    raw = lib().store.raw(doc_id) or b""
    if not editable(raw):
        abort(404)
    values, error, status = _form_values(doc), None, 200
    if not rights.by_uri(values["rights"]):  # words no statement was named for
        values["rights"] = rights.CNE.uri
    if request.method == "POST":
        _check_csrf()
        values = {k: request.form.get(k, "").strip() for k in _form_values(doc)}
        edit = RecordEdit(
            title=values["title"], authors=[a for a in values["authors"].splitlines()],
            date=values["date"], type=values["type"].lower(), language=values["language"],
            rights=values["rights"], collection=values["collection"],
            rights_note=values["rights_note"])
        try:
            changed = edit_record(lib().paths, doc_id, edit, auth.current_user())
        except EditError as exc:
            error, status = str(exc), 400
        else:
            return redirect(url_for("library.document", doc_id=doc_id,
                                    edited=",".join(changed) or "nothing"), code=303)
    return render_template("edit.html", doc=doc, values=values, error=error,
                           groups=statement_groups()), status
