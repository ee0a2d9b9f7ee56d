"""Librarian sessions on the Flask side: who is logged in (checked against the server-side
record on every request that needs it), the log-in limits, and where to go after logging in."""

from __future__ import annotations

import math
import secrets
import time
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts import Accounts, Locked
from ..users import Users
from .context import lib


def _accounts() -> Accounts:
    return Accounts(lib().paths.home)


def current_user() -> str | None:
    """The logged-in librarian, or ``None``: a cookie whose session was ended (logout, account
    removed, password changed) or has expired opens nothing, whatever its signature."""
    if "librarian" in g:
        return g.librarian
    user = None
    token = session.get("sid")
    if token:
        user = _accounts().session_user(token)
        if user is None or user != session.get("user") or not Users(lib().paths.home).exists(
                user):
            user = None
            session.clear()  # the browser gets a cookie without the dead session
    g.librarian = user
    return user


def start_session(user: str) -> None:
    session.clear()  # a new session id: nothing set before logging in carries over
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    session["sid"] = _accounts().open_session(user, lifetime)
    session["user"] = user
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True  # the cookie expires with the server-side session
    g.librarian = user


def end_session() -> None:
    token = session.get("sid")
    if token:
        _accounts().close_session(token)
    session.clear()
    g.librarian = None


def client_address() -> str:
    return request.remote_addr or "unknown"


def begin_attempt(name: str) -> int | Locked:
    return _accounts().begin_attempt(name, client_address(),
                                     current_app.config["LOGIN_LIMITS"])


def attempt_succeeded(attempt: int, name: str) -> None:
    _accounts().succeeded(attempt, name)


def locked_message(locked: Locked) -> tuple[str, int]:
    """What the log-in page says, and the seconds for ``Retry-After``."""
    seconds = max(1, math.ceil(locked.until - time.time()))
    minutes = math.ceil(seconds / 60)
    when = time.strftime("%H:%M UTC", time.gmtime(locked.until))
    if locked.reason == "account":
        said = _("Too many failed log-ins for this account. Try again after %(when)s", when=when)
    else:
        said = _("Too many failed log-ins from your address. Try again after %(when)s",
                 when=when)
    return said + " " + ngettext("(in %(num)s minute).", "(in %(num)s minutes).",
                                 minutes), seconds


def _unsafe_char(c: str) -> bool:
    # control, format and separator characters (tab, newline, NBSP, U+2028, zero-width...),
    # which browsers strip or mangle, and backslashes, which they read as slashes
    return c == "\\" or unicodedata.category(c)[0] in "CZ"


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a path of this site, else ``fallback``: never an open redirect.

    Judged as a browser would read it: ``/\\t/evil.example`` is ``//evil.example`` once the
    tab is stripped, so anything with such characters is refused rather than cleaned."""
    if not target or target.startswith("//") or any(_unsafe_char(c) for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return fallback
    path = parts.path
    for _round in range(3):  # whatever a later decoding of the path could make of it
        path = unquote(path)
    segments = path.split("/")
    if path.startswith("//") or any(_unsafe_char(c) for c in path) \
            or "." in segments or ".." in segments:
        return fallback
    return target
