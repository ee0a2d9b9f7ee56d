"""Person pages: the register, and for each person the forms of the name and every passage that
names them."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from ..search.searcher import SearchRequest
from .context import int_arg, lib

LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French",
                  "ru-Latn": "Russian, romanised", "zh": "Chinese", "cs": "Czech",
                  "hu": "Hungarian", "ka": "Georgian", "hy": "Armenian", "uk": "Ukrainian",
                  "uk-Latn": "Ukrainian, romanised", "sv": "Swedish"}


# languages whose names put the family name first (Zhou Enlai, Mao Zedong)
FAMILY_FIRST = ("zh", "ja", "ko", "hu", "vi")


def surname(p) -> str:
    """The name a register is alphabetised by: the family name, first or last as the
    person's own language puts it (the full form in that language says which)."""
    words = p.display.split()
    own = next((f for f in p.forms if f.type == "full"), None)
    family_first = own is not None and own.lang.split("-")[0] in FAMILY_FIRST
    return (words[0] if family_first else words[-1]) if words else p.id


def persons():
    register = lib().searcher.register
    searcher = lib().searcher
    counts = lib().pictures.get("person_counts", searcher.generation(), searcher.person_counts)
    people = sorted(register.persons.values(),
                    key=lambda p: (surname(p).casefold(), p.display.casefold()))
    letters: dict[str, list] = {}
    for p in people:
        letters.setdefault(surname(p)[:1].upper(), []).append(p)
    return render_template("persons.html", letters=letters, counts=counts)


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
