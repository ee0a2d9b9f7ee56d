"""A record's history for librarians: every version with who, when and what changed, the
difference between two, restore (a new version) and withdrawal (indexer.history does the
writing); and the tombstone a withdrawn document's address answers with (410)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from indexer import history
from indexer.edit import EditError, editable

from . import auth
from .context import document_or_404, lib
from .librarian import _check_csrf, login_required


def withdrawn_or_none(doc_id: str):
    """The 410 tombstone of a withdrawn document (its record and the reason), else None."""
    stone = history.tombstone(lib().paths, doc_id)
    if stone is None:
        return None
    return render_template("tombstone.html", stone=stone), 410


def _editable_or_404(doc_id: str):
    doc = document_or_404(doc_id)
    if not editable(lib().store.raw(doc_id) or b""):
        abort(404)
    return doc


@login_required
def history_page(doc_id: str):
    doc = _editable_or_404(doc_id)
    found = history.versions(lib().paths, doc_id)
    return render_template("history.html", doc=doc, versions=found, error=None,
                           done=request.args.get("restored", "")[:200])


@login_required
def diff_page(doc_id: str):
    doc = _editable_or_404(doc_id)
    older, newer = request.args.get("from", ""), request.args.get("to", "")
    found = history.diff(lib().paths, doc_id, older, newer)
    if found is None:
        abort(400, description="choose two versions of this document to compare")
    return render_template("diff.html", doc=doc, diff=found, older=older, newer=newer)


@login_required
def restore(doc_id: str):
    _check_csrf()
    doc = _editable_or_404(doc_id)
    try:
        changed = history.restore(lib().paths, doc_id, request.form.get("version", ""),
                                  auth.current_user())
    except EditError as exc:
        return render_template("history.html", doc=doc, error=str(exc), done="",
                               versions=history.versions(lib().paths, doc_id)), 400
    return redirect(url_for("library.history", doc_id=doc_id,
                            restored=",".join(changed) or "nothing"), code=303)


@login_required
def withdraw(doc_id: str):
    _check_csrf()
    doc = _editable_or_404(doc_id)
    try:
        history.withdraw(lib().paths, doc_id, request.form.get("reason", ""),
                         auth.current_user())
    except EditError as exc:
        return render_template("history.html", doc=doc, error=str(exc), done="",
                               versions=history.versions(lib().paths, doc_id)), 400
    return redirect(url_for("library.document", doc_id=doc_id), code=303)
