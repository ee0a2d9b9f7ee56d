"""How the query tree ranks what it finds, for a historian: a document's own text before its
catalogue record, and for a person's name, the documents by that person, then those about them,
before passages that merely name them.

Expressed in the engine-neutral query tree only (``indexer.querytree``: alternatives and boosts),
so that both engine adapters apply it unchanged:

- **Own text first.** ``Or(Q, And(Q, Not(kind:bibl OR kind:editorial))^OWN_TEXT)``: a passage
  of the document's text matches both alternatives and scores ``(1 + OWN_TEXT)`` times what it
  would alone; the record (``bibl``: title, authors, imprint, notes) and the library's editorial
  notes score as before. A multiple of the
  passage's own score, so it holds whatever the word's rarity; records still match (a Russian
  title is found only in its record).
- **By or about a person.** A registered person's name also matches documents whose author or
  title holds one of the person's surname forms (``Stalin``, ``Сталин``, ``Staline``…), boosted
  (authors more than titles): Stalin's letter to Gottwald, whose text never says "Stalin",
  comes before Truman's farewell address, which says it often.

The weights were set on the judged queries of ``tests/relevance/queries.toml`` (the 24 of kinds
person, topic and russian written before any tuning) and checked on both engines.
"""

from __future__ import annotations

from indexer import querytree as qt
from indexer.analysis import ExactAnalyzer
from indexer.persons import Person

# what the library wrote about a document rather than the document's own words: its catalogue
# record, and editorial notes (dates corrected, sources compared)
LIBRARY_KINDS = ("bibl", "editorial")
OWN_TEXT = 0.5  # a passage of the document's own text scores (1 + OWN_TEXT) times as much
AUTHOR = 3.0  # a document by the person named
TITLE = 1.5  # a document whose title names the person
NAME_FORMS = ("surname", "display")  # the forms whose single words are matched in author/title

_exact = ExactAnalyzer()


def own_text_first(query: qt.Node) -> qt.Node:
    """``query``, with the passages of a document's own text scored above its record."""
    ours = qt.Or(tuple(qt.Term("kind", k) for k in LIBRARY_KINDS))
    return qt.Or((query, qt.And((query, qt.Not(ours)), OWN_TEXT)))


def surname_words(person: Person) -> list[str]:
    """The one-word forms of a person's family name, as the author and title fields hold them
    (folded): ``stalin``, ``сталин``, ``staline``…"""
    words = []
    for form in person.forms:
        if form.type in NAME_FORMS:
            analysed = _exact.words(form.text)
            if len(analysed) == 1 or form.type == "surname":
                words += analysed[-1:]
    return list(dict.fromkeys(w for w in words if len(w) > 2))


def by_or_about(person: Person) -> tuple[qt.Node, ...]:
    """Alternatives matching the documents by (author) or about (title) ``person``."""
    words = surname_words(person)
    return (*(qt.Term("author", w, AUTHOR) for w in words),
            *(qt.Term("title", w, TITLE) for w in words))
