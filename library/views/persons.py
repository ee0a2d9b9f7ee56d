"""Person pages: the register, and for each person the forms of the name and every passage that
names them."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from ..searcher import SearchRequest
from .context import int_arg, lib

LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French",
                  "ru-Latn": "Russian, romanised", "zh": "Chinese", "cs": "Czech",
                  "hu": "Hungarian", "ka": "Georgian", "hy": "Armenian", "uk": "Ukrainian",
                  "uk-Latn": "Ukrainian, romanised", "sv": "Swedish"}


def persons():
    register = lib().searcher.register
    counts = lib().searcher.person_counts()
    people = sorted(register.persons.values(), key=lambda p: p.display.split()[-1])
    return render_template("persons.html", people=people, counts=counts)


def person(person_id: str):
    register = lib().searcher.register
    p = register.persons.get(person_id)
    if p is None:
        abort(404)
    mentions = lib().searcher.search(SearchRequest(
        q=f"person:{person_id}", page=int_arg("page", 1, 1, 10_000), per_page=20))
    return render_template("person.html", p=p, r=mentions, languages=LANGUAGE_NAMES)


def register_document():
    return redirect(url_for("library.persons"))
