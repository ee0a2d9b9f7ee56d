"""The interface's language: Flask-Babel with gettext catalogues in ``library/translations``.

Reader-facing strings go through ``_()`` (``gettext``), in templates and in Python alike, so
that a catalogue can give them in another language. The locale is the reader's choice (the
switch in the header, remembered in a cookie), else the best of ``Accept-Language``. Dates and
numbers are written as the locale writes them (Babel's CLDR data).

The catalogues are ``translations/<lang>/LC_MESSAGES/messages.po``, with their compiled ``.mo``
committed beside them (an installed library may not be able to write into its own package, and
a server should not compile at start-up); ``python -m library.i18n`` extracts the strings of the
templates and of the Python code, merges them into every catalogue, compiles, and lists what is
left untranslated. ``tests/test_i18n.py`` fails on a string missing from a catalogue, on an
untranslated Russian one, and on a ``.mo`` older than its ``.po``."""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date, format_skeleton
from flask import Flask, Response, redirect, request
from flask_babel import Babel, format_decimal, get_locale
from flask_babel import format_datetime as _format_datetime
from flask_babel import gettext as _
from markupsafe import Markup

LANGUAGES = ("en", "ru")  # interface languages with a complete catalogue
NAMES = {"en": "English", "ru": "Русский"}  # each in its own language, for the switch
DEFAULT = "en"
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).parent / "translations"


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is declared; it is translated where shown."""
    return message


def select_locale() -> str:
    chosen = request.cookies.get(COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def current() -> str:
    locale = get_locale()
    return locale.language if locale else DEFAULT


def choose_language():
    """``/language?lang=ru&next=/search?q=…``: remembers the choice and goes back."""
    from .views.auth import safe_next  # the one check against open redirects

    lang = request.args.get("lang", "")
    target = safe_next(request.args.get("next"), "/")
    response: Response = redirect(target, code=303)
    if lang in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=COOKIE_AGE, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response


def switch_links() -> list[tuple[str, str, str, bool]]:
    """(code, name, URL, current) of each interface language, for the header's switch."""
    here = request.full_path.rstrip("?")
    from flask import url_for

    return [(code, NAMES[code], url_for("library.choose_language", lang=code, next=here),
             code == current()) for code in LANGUAGES]


# ---- dates and numbers as the locale writes them ------------------------------------------

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def number(value) -> str:
    """``12345`` → ``12,345`` (en), ``12 345`` (ru)."""
    try:
        return format_decimal(value)
    except (TypeError, ValueError):
        return str(value)


def day(value: str | None) -> str:
    """A document's date (``1952``, ``1952-10``, ``1952-10-03``) as the locale writes it:
    ``3 October 1952`` / ``3 октября 1952 г.``; anything else as given."""
    if not value:
        return ""
    if value == "undated":
        return _("undated")
    m = _ISO.match(value)
    if not m:
        return value
    year, month, dd = m.groups()
    locale = get_locale()
    try:
        if dd:
            return format_date(date(int(year), int(month), int(dd)), "long", locale=locale)
        if month:
            return format_skeleton("yMMMM", date(int(year), int(month), 1), locale=locale)
    except ValueError:  # 1952-13: shown as written
        return value
    return year


def day_tag(value: str | None) -> Markup:
    """``day`` inside ``<time datetime="1952-10-03">`` when the date is machine-readable."""
    if value and _ISO.match(value):
        return Markup('<time datetime="{}">{}</time>').format(value, day(value))
    return Markup("{}").format(day(value))


def moment(timestamp: float) -> str:
    """A moment (an import's start) as the locale writes it, to the minute."""
    return _format_datetime(datetime.fromtimestamp(timestamp), "medium")


# ---- words the code declares and the templates show --------------------------------------

# document types, facet names, sort orders and language names are data elsewhere
# (facets.py, searcher.SORTS, the TEI): marked here so that the catalogue holds them
WORDS = {w: w for w in (
    N_("essay"), N_("letter"), N_("memoir"), N_("speech"), N_("diary"), N_("conversation"),
    N_("monograph"), N_("treatise"), N_("document-edition"), N_("register"), N_("report"),
    N_("text"), N_("article"), N_("book"), N_("record"), N_("document"), N_("chapter"),
    N_("Author"), N_("Document type"), N_("Language"), N_("Decade"), N_("Year"),
    N_("Person mentioned"), N_("Places and organisations"), N_("Collection"),
    N_("relevance"), N_("date, oldest first"), N_("date, newest first"), N_("title"),
    N_("author"),
    N_("English"), N_("Russian"), N_("French"), N_("German"), N_("Czech"), N_("Arabic"),
    N_("Chinese"), N_("Hungarian"), N_("Georgian"), N_("Armenian"), N_("Ukrainian"),
    N_("Swedish"), N_("Russian, romanised"), N_("Ukrainian, romanised"), N_("undated"),
    N_("inferred"), N_("confirmed"), N_("unstated"),
    N_("queued"), N_("running"), N_("done"), N_("failed"),
)}


def word(value) -> str:
    """A word the data holds (a document type, a language's name, a sort order), translated
    when the catalogue knows it, else as it is."""
    text = str(value or "")
    return _(text) if text in WORDS else text


def facet_label(key: str, label: str) -> str:
    """A facet value's label: decades and known words translated, names as they are."""
    if key == "decade" and label.endswith("s") and label[:-1].isdigit():
        return _("%(decade)ss", decade=label[:-1])
    return word(label)


def init(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(interface_lang=current, language_links=switch_links)
    app.jinja_env.filters.update(num=number, day=day, daytag=day_tag, moment=moment, word=word,
                                 facet_label=facet_label)

    @app.after_request
    def vary(response: Response) -> Response:
        # the same URL answers in the reader's language: caches must keep them apart
        if response.mimetype == "text/html":
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response


# ---- maintaining the catalogues ------------------------------------------------------------

def update_catalogues() -> int:
    """Extract, merge into every language's catalogue, compile; print what is untranslated."""
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent
    pot = TRANSLATIONS / "messages.pot"
    cli = CommandLineInterface()
    cli.run(["pybabel", "-q", "extract", "-F", str(TRANSLATIONS / "babel.cfg"), "-k", "N_",
             "-k", "lazy_gettext", "--no-location", "--sort-output",
             "--omit-header", "-o", str(pot), str(root / "library")])
    for lang in LANGUAGES:
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        action = "update" if po.exists() else "init"
        args = ["pybabel", "-q", action, "-i", str(pot), "-d", str(TRANSLATIONS), "-l", lang]
        if action == "update":
            args += ["--no-fuzzy-matching", "--ignore-obsolete"]
        cli.run(args)
    cli.run(["pybabel", "-q", "compile", "-d", str(TRANSLATIONS), "--use-fuzzy"])
    missing = 0
    for lang in LANGUAGES:
        if lang == DEFAULT:
            continue
        with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
            catalog = read_po(f)
        for m in catalog:
            if m.id and (not all(m.string if isinstance(m.string, tuple) else [m.string])
                         or m.fuzzy):
                missing += 1
                print(f"{lang}: untranslated: {m.id!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(update_catalogues())
