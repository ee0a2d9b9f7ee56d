"""The interface in English and Russian: every reader-facing string of the templates and the
code is in both catalogues (translated in Russian), the compiled catalogues match their
sources, the locale follows Accept-Language and the remembered switch, <html lang> follows the
interface, and dates and numbers are written as the locale writes them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from library import i18n
from library.app import create_app
from library.search.facets import FACETS
from library.search.searcher import SORTS

from .conftest import ESSAY, ROOT

TEMPLATES = ROOT / "library" / "templates"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
            "N_": None}


def catalogue(lang: str):
    with open(i18n.TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def source_messages() -> dict[str, str]:
    """Every msgid the templates and the Python code mark, with where it is."""
    found = {}
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / "library", method_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found[msgid] = filename
    return found


@pytest.fixture(scope="module")
def marked() -> dict[str, str]:
    return source_messages()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_marked_string_is_in_the_catalogue(marked, lang):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang) if m.id}
    missing = {m: where for m, where in marked.items() if m not in ids}
    assert not missing, (f"not in the {lang} catalogue (run `python -m library.i18n`): "
                         f"{missing}")


def test_russian_is_complete(marked):
    untranslated = []
    for m in catalogue("ru"):
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(strings):
            untranslated.append(m.id)
    assert not untranslated, f"untranslated in Russian: {untranslated}"


def test_data_words_shown_translated_are_in_the_catalogue():
    """Facet names and sort orders are declared elsewhere and translated where shown."""
    ids = {m.id for m in catalogue("ru") if m.id}
    for word in [f.label for f in FACETS] + list(SORTS.values()):
        assert word in ids, word


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_compiled_catalogue_matches_its_source(lang):
    folder = i18n.TRANSLATIONS / lang / "LC_MESSAGES"
    def key(x):
        return tuple(x) if isinstance(x, list | tuple) else x

    with open(folder / "messages.mo", "rb") as f:
        compiled = {key(m.id): key(m.string) for m in read_mo(f)
                    if m.id and key(m.string) != key(m.id)}  # untranslated: the msgid
    source = {key(m.id): key(m.string) for m in catalogue(lang) if m.id and not m.fuzzy
              and all(m.string if isinstance(m.string, tuple) else (m.string,))
              and key(m.string) != key(m.id)}
    assert compiled == source, "the .mo is stale: run `python -m library.i18n`"


# text a template may show as it is: names of formats and files, and punctuation
VERBATIM = {"BibTeX", "RIS", "CSL-JSON", "TEI", "xml", "rightsstatements.org"}
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_ATTRS = re.compile(r'\b(?:aria-label|placeholder|title|alt|data-label)="([^"]*)"')


def bare_words(text: str) -> list[str]:
    """Words left in template text once its Jinja expressions and tags are taken out."""
    text = re.sub(r"<script\b.*?</script>", " ", text, flags=re.S)
    stripped = _JINJA.sub(" ", text)
    words = []
    for value in _ATTRS.findall(stripped):
        words += re.findall(r"[^\W\d_]{2,}", value)
    stripped = re.sub(r"<[^>]*>", " ", stripped)
    words += re.findall(r"[^\W\d_][\w.-]*[^\W\d_]", stripped)
    return [w for w in words if w not in VERBATIM]


def test_bare_words_are_found_by_the_check():
    assert bare_words('<p>Hello {{ _("Hi") }}</p><a aria-label="Close">x</a>') == [
        "Close", "Hello"]
    assert bare_words("<p>{{ _('Hi') }} · TEI</p>") == []


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_hold_no_text_outside_the_catalogue(template):
    words = bare_words((TEMPLATES / template).read_text(encoding="utf-8"))
    assert not words, f"{template}: text not marked for translation: {words}"


# ---- the running app ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(repo_paths):
    app = create_app(repo_paths, prepare_index=False)
    app.config["TESTING"] = True
    return app.test_client()


PAGES = ["/", "/search?q=Stalin", f"/doc/{ESSAY}", f"/doc/{ESSAY}/note/4", "/persons",
         "/persons/khrushchev", "/bibliography", "/timeline", "/graph", "/help",
         "/help/search", "/help/import", "/login", "/no-such-page", "/search?q=Gotwald",
         "/search?q=%22unclosed"]


def long_english(marked) -> list[str]:
    """Marked strings long enough that finding them on a Russian page means one was missed."""
    out = []
    for m in marked:
        # titles, code and the values a query types stay as they are in every language
        m = re.sub(r"<(code|em)>.*?</\1>|\((essay|file),[^)]*\)", "\0", m)
        plain = re.sub(r"<[^>]+>|%\([a-z]+\)[sd]|\{[a-z]+\}", "\0", m)
        out += [piece for piece in plain.split("\0") if len(piece.split()) >= 4]
    return out


@pytest.mark.parametrize("path", PAGES)
def test_russian_pages_are_in_russian(client, marked, path):
    page = client.get(path, headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert '<html lang="ru">' in html
    leftovers = [s for s in long_english(marked) if s in html]
    assert not leftovers, f"{path}: English left on the Russian page: {leftovers}"
    assert "Поиск" in html  # the search button


def test_english_is_the_default_and_the_switch_is_remembered(client):
    page = client.get("/", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert 'Vary' in page.headers and "Accept-Language" in page.headers["Vary"]
    switched = client.get("/language?lang=ru&next=/search?q=Stalin",
                          headers={"Accept-Language": "en"})
    assert switched.status_code == 303
    assert switched.headers["Location"].endswith("/search?q=Stalin")
    assert "lang=ru" in switched.headers["Set-Cookie"]
    # the cookie now wins over the browser's English
    again = client.get("/search?q=Stalin", headers={"Accept-Language": "en"})
    html = again.get_data(as_text=True)
    assert '<html lang="ru">' in html and "Уточнить результаты" in html
    client.get("/language?lang=en&next=/")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_the_switch_never_leaves_the_site(client):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = client.get("/language", query_string={"lang": "ru", "next": target})
        assert r.status_code == 303 and r.headers["Location"] in ("/", "http://localhost/")
    r = client.get("/language?lang=xx&next=/")
    assert "Set-Cookie" not in r.headers


def test_the_switch_is_on_every_page_and_marks_the_current_language(client):
    html = client.get("/persons", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    nav = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S).group(0)
    assert 'lang="ru" hreflang="ru" aria-current="true">Русский' in nav
    assert 'lang="en" hreflang="en">English' in nav


def plain(text: str) -> str:
    """CLDR's narrow and no-break spaces as plain ones."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_dates_and_numbers_follow_the_locale(client):
    app = client.application
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert plain(i18n.day("1952-10-03")) == "3 октября 1952 г."
        assert plain(i18n.day("1953-03")) == "март 1953 г."
        assert plain(i18n.number(12345)) == "12 345"
        assert i18n.day("1952-13-40") == "1952-13-40"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert i18n.day("1952-10-03") == "October 3, 1952"
        assert i18n.day("1953") == "1953"
        assert i18n.number(12345) == "12,345"
    html = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "декабря 1952 г." in plain(html)


def test_russian_plurals(client):
    html = client.get("/search?q=Stalin", headers={"Accept-Language": "ru"}).get_data(
        as_text=True)
    summary = re.search(r'<p class="summary"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert re.search(r"\d+ (отрывок|отрывка|отрывков)", summary), summary
    assert re.search(r"в \d+ (документе|документах)", summary), summary


def test_babel_config_is_in_the_package():
    assert Path(i18n.TRANSLATIONS / "babel.cfg").exists()


@pytest.mark.parametrize("q, english, russian", [
    ("(Stalin", "'(' at character 1 is never closed; add ')'",
     "«(» на позиции 1 не закрыта; добавьте «)»"),
    ('"Stalin', "unbalanced quotation mark: the phrase opened at character 1",
     "непарная кавычка: фраза, открытая на позиции 1, не закрыта"),
    ("date:[1950 TO soon]", "'soon' in the range at character 6 is not a year",
     "«soon» в диапазоне на позиции 6 — не год"),
    ("x" * 1100, "the query is 1,100 characters long; the limit is 1,000",
     "длина запроса — 1\xa0100 знаков; предел — 1\xa0000"),
])
def test_query_errors_are_shown_in_the_readers_language(client, q, english, russian):
    """The query language's messages are catalogue templates: the page gives them in the
    interface's language (numbers as the locale writes them); the JSON API keeps the English."""
    client = client.application.test_client()  # no language cookie from an earlier test
    en = client.get("/search", query_string={"q": q}, headers={"Accept-Language": "en"})
    ru = client.get("/search", query_string={"q": q}, headers={"Accept-Language": "ru"})
    assert en.status_code == ru.status_code == 400
    assert english in html.unescape(en.text)
    assert russian in html.unescape(ru.text)
    api = client.get("/api/search", query_string={"q": q}, headers={"Accept-Language": "ru"})
    assert english in api.json["error"]
