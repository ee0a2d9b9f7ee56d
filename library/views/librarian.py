"""The librarian's side: log in, upload a batch (files plus an optional manifest), follow the
import job and read its report. Readers who are not logged in never reach it."""

from __future__ import annotations

import functools
import hmac
import secrets
import shutil
from pathlib import Path

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.utils import secure_filename

from indexer.formats import KNOWN_SUFFIXES
from indexer.ingest import ImportOptions
from indexer.manifest import read_manifest

from ..accounts import Locked
from ..importwords import for_web
from ..jobs import Job, new_job_id
from ..users import Users
from . import auth
from .context import lib

MAX_FILES = 50
MAX_FILE_BYTES = 100 * 1024 * 1024


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, description=_("the form has expired or did not come from this site; "
                                 "reload the page and send it again"))


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if auth.current_user() is None:  # checked against the server's record every time
            if request.method != "GET":
                abort(403)
            return redirect(url_for("library.login", next=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def login():
    error, status, headers = None, 200, {}
    if request.method == "POST":
        _check_csrf()
        name, password = request.form.get("name", ""), request.form.get("password", "")
        # counted before the password is looked at: once locked, even the right one is refused
        attempt = auth.begin_attempt(name)
        if isinstance(attempt, Locked):
            error, retry = auth.locked_message(attempt)
            status, headers = 429, {"Retry-After": str(retry)}
        elif Users(lib().paths.home).verify(name, password):
            auth.attempt_succeeded(attempt, name)
            auth.start_session(name)
            return redirect(auth.safe_next(request.args.get("next"),
                                           url_for("library.import_form")))
        else:
            error, status = _("Unknown name or wrong password."), 401
    return render_template("login.html", error=error), status, headers


def logout():
    if request.method == "POST":
        _check_csrf()
        auth.end_session()  # the server forgets the session: a copy of the cookie is dead too
    return redirect(url_for("library.home"))


def _form(error: str | None = None, status: int = 200):
    """The upload form, with the list of past imports under it."""
    jobs = current_app.extensions["library"].jobs.store.recent()
    return render_template("import.html", limits=(MAX_FILES, MAX_FILE_BYTES), error=error,
                           jobs=jobs), status


@login_required
def import_form():
    return _form()


@login_required
def import_submit():
    _check_csrf()
    files = [f for f in request.files.getlist("files") if f and f.filename]
    manifest_upload = request.files.get("manifest")
    error = None
    if not files:
        error = _("Choose at least one file to import.")
    elif len(files) > MAX_FILES:
        error = _("%(n)s files is more than the %(max)s one batch may hold.",
                  n=len(files), max=MAX_FILES)
    if error:
        return _form(error, 400)
    job_id = new_job_id()
    folder = lib().paths.home / "uploads" / job_id
    batch = folder / "files"
    names: dict[str, str] = {}
    try:
        for n, upload in enumerate(files, start=1):
            # the uploaded name is shown to the librarian, never trusted as a path
            safe = secure_filename(upload.filename) or f"file-{n}"
            if Path(safe).suffix.lower() not in KNOWN_SUFFIXES:
                safe = f"{safe}.unknown"
            target = batch / f"{n:03d}" / safe
            target.parent.mkdir(parents=True, exist_ok=True)
            upload.save(target)
            if target.stat().st_size > MAX_FILE_BYTES:
                raise ValueError(_("%(name)s: over the limit of %(mb)s MB per file",
                                   name=upload.filename, mb=MAX_FILE_BYTES // (1024 * 1024)))
            names[str(target)] = upload.filename
        manifest_file = ""
        if manifest_upload and manifest_upload.filename:
            manifest_path = folder / "manifest.csv"
            manifest_upload.save(manifest_path)
            _rows, problems = read_manifest(manifest_path)
            manifest_file = str(manifest_path)
            if problems:
                raise ValueError(_("the manifest has problems; nothing was imported: ")
                                 + "; ".join(p.replace(str(manifest_path), "manifest")
                                             for p in problems))
    except ValueError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return _form(str(exc), 400)
    options = ImportOptions(collection=request.form.get("collection", "").strip(),
                            rights=request.form.get("rights", "").strip(),
                            pdf_password=request.form.get("pdf_password") or None,
                            ocr_lang=_ocr_lang(request.form.get("ocr_lang", "")))
    job = Job(job_id, auth.current_user(), batch, names, options, manifest_file)
    current_app.extensions["library"].jobs.submit(job)
    return redirect(url_for("library.import_job", job_id=job_id), code=303)


def _ocr_lang(value: str) -> str:
    return value if value in ("eng", "rus", "eng+rus") else ""


def _job(job_id: str) -> Job:
    job = current_app.extensions["library"].jobs.get(job_id)
    if job is None:
        abort(404)
    return job


def job_status(job: Job) -> str:
    """The one sentence the job page's status region says (and says again as it changes)."""
    p = job.progress
    if job.message and job.state in ("queued", "running"):
        return job.message
    if job.state == "queued":
        return _("Waiting for the import before it to finish…")
    if job.state == "failed":
        return _("The import stopped: %(error)s", error=for_web(job.error))
    if job.state == "done":
        return _("Done.")
    parts = [ngettext("Importing: %(done)d of %(num)d file", "Importing: %(done)d of %(num)d "
                      "files", job.total, done=job.done)]
    if p.pages_total:
        parts.append(ngettext("%(done)d of %(num)d page read", "%(done)d of %(num)d pages read",
                              p.pages_total, done=p.pages_done))
    if p.failed:
        parts.append(ngettext("%(num)d failed", "%(num)d failed", p.failed))
    text = ", ".join(parts)
    if job.current:
        text += " " + _("(last: %(name)s)", name=job.current)
    remaining = p.remaining
    if remaining is not None and job.done < job.total:
        text += "; " + (_("about %(n)d min left", n=round(remaining / 60)) if remaining >= 90
                        else _("about %(n)d s left", n=round(remaining)))
    return text + "…"


@login_required
def import_job(job_id: str):
    job = _job(job_id)
    return render_template("import_job.html", job=job, status=job_status(job))


@login_required
def import_job_status(job_id: str):
    """What the job page polls (once a second, while the job runs): its state and counts."""
    job = _job(job_id)
    p = job.progress
    return jsonify({"state": job.state, "status": job_status(job), "files_done": job.done,
                    "files_total": job.total, "pages_done": p.pages_done,
                    "pages_total": p.pages_total, "failed": p.failed,
                    "elapsed": round(p.elapsed, 1) if job.state == "running" else None,
                    "remaining": p.remaining, "dashboard": p.dashboard}), 200, {
        "Cache-Control": "no-store"}
