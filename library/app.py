"""The Flask application factory."""

from __future__ import annotations

import logging
import os

from flask import Flask, g
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter

from indexer.index import ensure_index
from indexer.paths import Paths

from . import i18n, ratelimit, streams
from .blueprint import blueprint
from .documents import DocumentStore
from .jobs import JobRunner
from .picturecache import PerGeneration
from .search.searcher import Searcher
from .settings import from_env
from .users import secret_key


class DocIdConverter(BaseConverter):
    """Document ids: lower-case letters, digits and hyphens (so ``.xml`` stays a suffix)."""

    regex = r"[a-z0-9][a-z0-9-]*"


class Library:
    """What the views need: the store, the searcher over the index, the import jobs."""

    def __init__(self, paths: Paths):
        self.paths = paths
        self.store = DocumentStore(paths.sources)
        self.searcher = Searcher.for_store(paths.index, paths.sources)
        self.jobs = JobRunner(paths)
        self.pictures = PerGeneration()  # timeline, graph, register counts, per index generation


def create_app(paths: Paths | None = None, prepare_index: bool = True) -> Flask:
    """The app; ``prepare_index=False`` when the caller has just brought the index in line."""
    paths = paths or Paths.from_env()
    # the library's own log lines (index built, repaired, files left out) reach the server's
    # log whoever started the app; a no-op when logging is already set up
    logging.basicConfig(level=logging.INFO, format="library: %(message)s")
    if prepare_index:
        ensure_index(paths.sources, paths.index)
    app = Flask(__name__)
    app.secret_key = secret_key(paths.home)
    app.config.update(
        # one upload batch at most (LIBRARY_MAX_UPLOAD_MB moves the limit)
        MAX_CONTENT_LENGTH=int(os.environ.get("LIBRARY_MAX_UPLOAD_MB", "200")) * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    # base URL, cookies, session lifetime, log-in limits (library/settings.py)
    app.config.update(from_env(os.environ))
    if app.config["LIBRARY_PROXIES"]:  # behind a reverse proxy: the client is in X-Forwarded-For
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["LIBRARY_PROXIES"])
    app.url_map.converters["docid"] = DocIdConverter
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["library"] = Library(paths)
    i18n.init(app)  # gettext in templates (_) and views
    app.register_blueprint(blueprint)
    ratelimit.init(app, paths.home)  # 429 past the limit on exports, traces, pictures, OAI
    streams.init(app, paths.home)  # 429 while the server streams its exports' quota

    @app.after_request
    def security_headers(response):
        # a page may allow inline styles it names by hash (the vendored viewer's one rule)
        styles = "".join(f" '{h}'" for h in g.get("style_hashes", ()))
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; img-src 'self' data:; style-src 'self'{styles}; "
            "script-src 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
