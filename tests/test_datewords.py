"""An EDTF date in the reader's words and language: the catalogue's wording around the
locale's own way of writing a day or a month (Babel's CLDR data)."""

from __future__ import annotations

import pytest
from flask import Flask

from library import i18n
from library.wording import date_words

CASES = [  # EDTF, English, Russian
    ("1953-03~", "about March 1953", "приблизительно март 1953 г."),
    ("1952/1953", "1952 or 1953", "1952 или 1953"),
    ("[1952,1953]", "1952 or 1953", "1952 или 1953"),
    ("1953-21", "spring 1953", "весна 1953 г."),
    ("1952?", "probably 1952", "вероятно, 1952"),
    ("1953-03-05", "March 5, 1953", "5 марта 1953 г."),
    ("1950-06/1953-03", "between June 1950 and March 1953", "июнь 1950 г. — март 1953 г."),
    ("195X", "the 1950s", "1950-е годы"),
    ("[1950,1951,1952]", "one of 1950, 1951 or 1952", "одна из дат: 1950, 1951 или 1952"),
]


@pytest.fixture(scope="module")
def app() -> Flask:
    app = Flask(__name__)
    i18n.init(app)
    return app


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_dates_are_worded_in_the_readers_language(app, lang):
    column = 1 if lang == "en" else 2
    with app.test_request_context(headers={"Accept-Language": lang}):
        for case in CASES:
            assert date_words(case[0]).replace("\u202f", " ").replace("\xa0", " ") == \
                case[column], case[0]
        assert date_words("not a date <b>") == "not a date <b>"  # shown as given, escaped
        assert date_words("") == ""
