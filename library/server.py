"""``library serve``: the production WSGI server (gunicorn), or Flask's development server with
``--dev``.

gunicorn was measured against waitress on this 2-core machine (``bench/load_bench.py``; the
README gives the figures): searching is CPU-bound Python, so one process with threads
(waitress) is held to one core by the interpreter lock, while gunicorn's worker processes use
every core. Each worker runs a few threads so that a slow request does not hold up the next.

The index is brought in line with the store once, in the master process, before any worker
starts; a worker started by gunicorn directly (``gunicorn 'library.app:create_app()'``) does it
itself under the write lock, so several workers on a fresh home build the index once.
"""

from __future__ import annotations

import logging
import os

from indexer.index import ensure_index, left_out_files
from indexer.paths import Paths

from . import warming

log = logging.getLogger("library.server")


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def prepare(paths: Paths) -> None:
    """Before serving: an index in line with the store, and a log line per stored file it
    leaves out."""
    if ensure_index(paths.sources, paths.index):
        log.info("index brought in line with %s (%s)", paths.sources, paths.index)
    for name in left_out_files(paths.index):
        log.warning("sources/%s.xml cannot be read, so it is left out of the index; "
                    "`library check` says why", name)


def serve(paths: Paths, host: str, port: int, workers: int, threads: int = 4,
          dev: bool = False) -> None:
    from .app import create_app

    prepare(paths)
    if dev:
        app = create_app(paths, prepare_index=False)
        warming.start(app)
        log.info("development server on http://%s:%d/ (not for production)", host, port)
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
        return
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread",
                "threads": threads, "timeout": 60, "graceful_timeout": 10,
                "errorlog": "-", "loglevel": "info",
                # several libraries (and test servers) run side by side: no shared socket
                "control_socket_disable": True,
                # a query of the longest length allowed (1,000 characters), percent-encoded
                # Cyrillic, is about 6,000 bytes: past gunicorn's default request line
                "limit_request_line": 8190,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            # a worker that replaces one that died checks the index again (it may be why)
            app = create_app(paths)
            warming.start(app)  # the pictures and busiest person pages, ahead of readers
            return app

    log.info("serving the library on http://%s:%d/ (gunicorn, %d workers × %d threads)",
             host, port, workers, threads)
    Server().run()
