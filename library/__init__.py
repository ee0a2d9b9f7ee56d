"""The library: reads the TEI store and the index, and serves readers (Flask).

``create_app`` is the application factory; ``searcher`` is the only module that talks to the
search engine, ``documents`` the only one that reads the store, ``render`` turns TEI into HTML.
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    # The web application (Flask and every view: 1.1 s) is imported when asked for, not by
    # `import library`: `library import` and the import's worker processes, which re-import
    # the command's module when they start, never serve a page.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'library' has no attribute {name!r}")
