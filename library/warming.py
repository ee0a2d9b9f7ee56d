"""A serving process warms what readers ask for most before they ask: the timeline, the
citation graph, the register and the pages of its most-named persons, once per index
generation (Solr's warming queries, for our pictures). Each is kept for the generation
(``picturecache``, the searcher's kept answers), so the first reader after a start or an
import no longer pays for it: at 10,629 documents a person page of memoir chapters took 0.5 s
to make alone and 1.8 s under load.

A daemon thread looks for a new generation every ``LIBRARY_WARM_SECONDS`` (default 30; ``0``:
no warming) and warms it. Only ``library serve`` starts it; tests and scripts that make an
app do not pay for it."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from .ratelimit import setting

log = logging.getLogger("library.warming")

DEFAULT_SECONDS = 30
PERSONS = 12  # the most-named persons whose first page is made ahead


def targets(app: Flask) -> list[tuple[str, dict]]:
    """(endpoint, arguments) to make for the current generation, most asked first."""
    library = app.extensions["library"]
    searcher = library.searcher
    counts = library.pictures.get("person_counts", searcher.generation(), searcher.person_counts)
    named = sorted(counts, key=lambda pid: (-counts[pid], pid))[:PERSONS]
    return ([("library.timeline", {}), ("library.graph", {}), ("library.persons", {})]
            + [("library.person", {"person_id": pid}) for pid in named
               if pid in searcher.register.persons])


def warm(app: Flask) -> int:
    """Make each target once (through its view, without the per-address limit a reader's
    request counts against); the number made."""
    made = 0
    for endpoint, args in targets(app):
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        try:
            with app.test_request_context(base_url="http://warming.local/"):
                view(**args)
            made += 1
        except Exception as exc:  # a reader asking will see it; warming goes on
            if getattr(exc, "code", None) != 404:
                log.warning("warming %s %s: %s: %s", endpoint, args, type(exc).__name__, exc)
    return made


def start(app: Flask) -> threading.Thread | None:
    seconds = setting("LIBRARY_WARM_SECONDS", DEFAULT_SECONDS)
    if not seconds:
        return None
    thread = threading.Thread(target=_loop, args=(app, seconds), name="warming", daemon=True)
    thread.start()
    return thread


def _loop(app: Flask, seconds: float) -> None:
    searcher = app.extensions["library"].searcher
    warmed = None
    while True:
        try:
            generation = searcher.generation()
            if generation != warmed:
                started = time.perf_counter()
                made = warm(app)
                warmed = generation
                log.info("warmed %d pages for the index's generation in %.1f s", made,
                         time.perf_counter() - started)
        except Exception as exc:  # the index being repaired, a store being rebuilt
            log.warning("warming skipped: %s: %s", type(exc).__name__, exc)
        time.sleep(seconds)
