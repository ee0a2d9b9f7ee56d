"""The interface's language: Flask-Babel with gettext catalogues in ``library/translations``.
Reader-facing strings go through ``_()`` (``gettext``), in templates and in Python alike, so
that a catalogue can give them in another language."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel

LANGUAGES = ("en",)  # interface languages with a complete catalogue
DEFAULT = "en"


def select_locale() -> str:
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def init(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale)
