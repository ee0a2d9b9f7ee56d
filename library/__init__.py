"""The library: reads the TEI store and the index, and serves readers (Flask).

``create_app`` is the application factory; ``searcher`` is the only module that talks to the
search engine, ``documents`` the only one that reads the store, ``render`` turns TEI into HTML.
"""

from .app import create_app

__all__ = ["create_app"]
