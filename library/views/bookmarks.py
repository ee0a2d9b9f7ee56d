"""The Bookmarks page, a librarian's lists kept in their account, and a bookmark list exported
as CSV, RIS, BibTeX or CSL-JSON (the formats and escaping of the search exports and the
document citations: ``cite``, ``escaping``, ``results``)."""

from __future__ import annotations

import hmac
import json

from flask import Response, abort, jsonify, render_template, request, session
from flask_babel import gettext as _

from .. import cite, escaping
from ..bookmarks import MAX_BOOKMARKS, MAX_SEARCHES, BookmarkError, Bookmarks, check_ids
from ..settings import base_url
from ..wording import passage_label
from . import auth
from .context import lib
from .results import _csv_line, _Format

TEXT_CHARS = 1000  # a passage's text in the CSV export, cut at this many characters
CSV_COLUMNS = ["n", "doc_id", "title", "author", "date", "type", "passage_id", "passage",
               "url", "text"]


def _store() -> Bookmarks:
    return Bookmarks(lib().paths.home)


def page():
    """The reader's bookmarks and saved searches: a librarian's from their account, anyone
    else's from their browser (the page's script reads them from localStorage)."""
    user = auth.current_user()
    account = _store().lists(user) if user else None
    return render_template("bookmarks.html", account=account, max_bookmarks=MAX_BOOKMARKS,
                           max_searches=MAX_SEARCHES)


def account():
    """``GET /bookmarks/account``: the logged-in librarian's lists. ``POST`` (JSON, header
    ``X-CSRF-Token``): add or remove a bookmark, save, mark as seen or forget a search, in the
    account. Answers with the account's lists."""
    user = auth.current_user()
    if user is None:
        abort(403)
    if request.method == "GET":
        return jsonify(_store().lists(user))
    sent = request.headers.get("X-CSRF-Token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        return jsonify(error=_("the form has expired or did not come from this site; reload "
                               "the page and send it again")), 400
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error=_("send the change as a JSON object")), 400
    store, action = _store(), data.get("action")
    text = {k: str(data.get(k) or "") for k in ("doc", "passage", "title", "query", "label")}
    try:
        if action == "add":
            store.add(user, text["doc"], text["passage"], text["title"])
        elif action == "remove":
            store.remove(user, text["doc"], text["passage"])
        elif action == "save-search":
            store.save_search(user, text["query"], text["label"], _count(data))
        elif action == "merge":  # the lists a reader kept in this browser before logging in
            marks, searches = data.get("bookmarks"), data.get("searches")
            if not isinstance(marks, list) or not isinstance(searches, list) \
                    or len(marks) > MAX_BOOKMARKS or len(searches) > MAX_SEARCHES:
                return jsonify(error=_("send at most %(b)s bookmarks and %(s)s searches",
                                       b=MAX_BOOKMARKS, s=MAX_SEARCHES)), 400
            added, left = store.merge(
                user, [(str(b.get("doc") or ""), str(b.get("passage") or ""),
                        str(b.get("title") or "")) for b in marks if isinstance(b, dict)],
                [(str(q.get("query") or ""), str(q.get("label") or ""), _count(q))
                 for q in searches if isinstance(q, dict)])
            return jsonify({**store.lists(user), "added": added, "left_out": left})
        elif action == "forget-search":
            store.forget_search(user, text["query"])
        else:
            return jsonify(error=_("unknown action")), 400
    except BookmarkError as exc:
        message = (_("An account keeps at most %(b)s bookmarks and %(s)s saved searches; "
                     "remove some first.", b=MAX_BOOKMARKS, s=MAX_SEARCHES) if exc.full
                   else _("This is not a document or passage of this library.")
                   if action in ("add", "remove") else _("There is no search to save."))
        return jsonify(error=message), 400
    return jsonify(store.lists(user))


def _count(data: dict) -> int:
    """A saved search's count of documents as the client sent it (junk: 0)."""
    try:
        return min(max(0, int(data.get("documents") or 0)), 10**9)  # fits SQLite's integer
    except (TypeError, ValueError, OverflowError):
        return 0


def _items() -> list[tuple[str, str]]:
    """The bookmarks to export, as ``item=DOC`` or ``item=DOC#PASSAGE`` arguments (GET or a
    POSTed form, so a long list fits), at most ``MAX_BOOKMARKS`` of them."""
    raw = request.values.getlist("item")
    if len(raw) > MAX_BOOKMARKS:
        abort(400, description=_("A bookmark list holds at most %(n)s items.", n=MAX_BOOKMARKS))
    items = []
    for value in raw:
        doc, _sep, passage = value.partition("#")
        try:
            check_ids(doc, passage)
        except BookmarkError:
            abort(400, description=_("“%(item)s” is not a document or passage of this library.",
                                     item=value[:100]))
        items.append((doc, passage))
    if not items:
        abort(400, description=_("The bookmark list to export is empty."))
    return items


def _resolved() -> tuple[list, int]:
    """(document, passage id, item) of each bookmark still in the library, and how many are
    not (withdrawn documents, passages gone in a new version)."""
    store, root, found, missing = lib().store, base_url(), [], 0
    for doc_id, pid in _items():
        doc = store.get(doc_id)
        if doc is None or (pid and doc.passage(pid) is None):
            missing += 1
            continue
        found.append((doc, pid, cite.item(doc, root, pid or None)))
    return found, missing


def _gone(missing: int) -> str:
    return f"{missing} bookmarked item(s) are no longer in the library" if missing else ""


def _download(body: list[str] | str, mimetype: str, ext: str, missing: int = 0) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="bookmarks.{ext}"'}
    if missing:  # CSL-JSON has no place for a note: the count travels in a header
        headers["X-Bookmarks-Missing"] = str(missing)
    return Response(body, mimetype=f"{mimetype}; charset=utf-8", headers=headers)


def export_csv() -> Response:
    found, missing = _resolved()
    rows = [_csv_line(CSV_COLUMNS)]
    for n, (doc, pid, it) in enumerate(found, start=1):
        passage = doc.passage(pid) if pid else None
        text = escaping.one_line(passage.text)[:TEXT_CHARS] if passage else ""
        rows.append(_csv_line([n, doc.doc_id, doc.title, "; ".join(doc.authors), doc.date,
                               doc.type, pid, passage_label(pid) if pid else "", it.url, text]))
    if missing:
        rows.append(_csv_line([f"# {_gone(missing)}"]))
    return _download("".join(rows), "text/csv", "csv", missing)


def _records(fmt: _Format) -> list[str]:
    # at most MAX_BOOKMARKS records, made whole before the answer starts (a bad item is a 400)
    found, missing = _resolved()
    out = [("\n" if n else "") + fmt(it).rstrip("\n") + "\n"
           for n, (_doc, _pid, it) in enumerate(found)]
    return out + ([fmt.cut_note(_gone(missing))] if missing else [])


def export_ris() -> Response:
    return _download(_records(_Format(cite.ris, "\n")), "application/x-research-info-systems",
                     "ris")


def export_bib() -> Response:
    return _download(_records(_Format(cite.bibtex, "\n% ")), "application/x-bibtex", "bib")


def export_json() -> Response:
    """CSL-JSON: one array of every item (``cite.csl_json`` writes one item's array)."""
    found, missing = _resolved()
    data = [json.loads(cite.csl_json(it))[0] for _doc, _pid, it in found]
    return _download(json.dumps(data, ensure_ascii=False, indent=2),
                     "application/vnd.citationstyles.csl+json", "json", missing)
