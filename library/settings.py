"""Deployment settings read from the environment, and the library's canonical address.

Every absolute URL the library gives out (citations, Highwire and COinS tags, OAI-PMH) starts
with ``LIBRARY_BASE_URL``, never with the request's Host header: a forged Host must not end up
in a citation a reader copies or in a harvester's records. Without the variable the server's
own address is used (``library serve`` sets it from ``--host``/``--port``)."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for

from .accounts import Limits

DEFAULT_SESSION_HOURS = 8.0
DEFAULT_BASE_URL = "http://127.0.0.1:5000"  # what `library serve` listens on by default
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


class ConfigError(ValueError):
    """A setting the library cannot work with; the message names the variable."""


def canonical_base(value: str, name: str = "LIBRARY_BASE_URL") -> str:
    """``scheme://host[:port][/prefix]`` without a trailing slash, or ``ConfigError``."""
    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise ConfigError(f"{name}={value!r}: the port is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username \
            or parts.query or parts.fragment or any(c.isspace() or c == "\\" for c in value):
        raise ConfigError(f"{name}={value!r} is not an address such as "
                          "https://library.example.org")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def server_address(host: str, port: int) -> str:
    """The address a server bound to ``host:port`` is reached at."""
    if host in ("", "0.0.0.0", "::"):  # every interface: the machine's own name
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value not in _TRUE | _FALSE:
        raise ConfigError(f"{name}={value!r}: use 1 or 0")
    return value in _TRUE


def _number(env: Mapping[str, str], name: str, default: float, lo: float, hi: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not lo <= value <= hi:  # NaN fails too
        raise ConfigError(f"{name}={raw!r}: a number from {lo:g} to {hi:g}")
    return value


DEFAULT_ADMIN_EMAIL = "librarian@localhost"
DEFAULT_NAME = "Primary-source library: Stalin 1952-53, Putin 2022"


def from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Flask config entries for the security settings (see README, Deployment and security)."""
    hours = _number(env, "LIBRARY_SESSION_HOURS", DEFAULT_SESSION_HOURS, 0.01, 24 * 366)
    return {
        "LIBRARY_BASE_URL": canonical_base(env.get("LIBRARY_BASE_URL") or DEFAULT_BASE_URL),
        "SESSION_COOKIE_SECURE": _flag(env, "LIBRARY_SECURE_COOKIES"),
        # the cookie says when it expires, and the server refuses it after that anyway
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=hours),
        "LOGIN_LIMITS": Limits(),
        "LIBRARY_PROXIES": int(_number(env, "LIBRARY_PROXIES", 0, 0, 10)),
        # what OAI-PMH Identify says of the repository (harvesters write to adminEmail)
        "LIBRARY_ADMIN_EMAIL": (env.get("LIBRARY_ADMIN_EMAIL") or "").strip()
        or DEFAULT_ADMIN_EMAIL,
        "LIBRARY_NAME": " ".join((env.get("LIBRARY_NAME") or "").split()) or DEFAULT_NAME,
    }


def base_url() -> str:
    """The canonical address of the library's root, without a trailing slash."""
    return current_app.config["LIBRARY_BASE_URL"]


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute, canonical URL of a route of the library."""
    path = url_for(endpoint, **values)
    root = request.script_root  # a prefix the WSGI server mounts us at is in the base URL
    if root and path.startswith(root):
        path = path[len(root):]
    return base_url() + path
