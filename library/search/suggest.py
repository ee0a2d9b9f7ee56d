"""What the results say about the search itself: which of the forms it also searched were
found, and whether another spelling is worth offering ("did you mean").

Both are decisions about the reader's attention, kept apart from the searcher: a name has many
forms (Stalin has fifteen in the register), of which the few the library holds are worth
showing; and a suggestion is noise when the query already finds what the reader asked for
("blind kitten" must not become "blind written")."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.analysis import ExactAnalyzer

FEW = 3  # a query finding fewer passages than this finds "very little"
CLEARLY_MORE = 3  # a suggestion must find this many times as many passages (and FEW at least)
SHOWN = 4  # forms shown before "show all"
EXACT = "text_exact"

_exact = ExactAnalyzer()


def worth_offering(found: int, suggestion_finds: int) -> bool:
    """Offer another spelling only when the query finds nothing or very little and the
    suggestion finds clearly more."""
    if found >= FEW:
        return False
    return suggestion_finds >= max(FEW, CLEARLY_MORE * found)


@dataclass
class Forms:
    """The forms a search also tried: those the library holds (at most ``SHOWN`` of them shown
    at first), and all of them, for "show all"."""

    matched: list[str] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)

    @property
    def shown(self) -> list[str]:
        return self.matched[:SHOWN]

    @property
    def more(self) -> bool:
        """"Show all" beside the forms found (none found: nothing to add to the results)."""
        return bool(self.shown) and len(self.searched) > len(self.shown)


def forms_found(searcher, forms: list[str]) -> Forms:
    """Which of ``forms`` occur in the library's text (every word of a form of several):
    the index's word counts, one look-up a word (a name has a few dozen forms at most)."""
    if not forms:
        return Forms()
    with searcher.session() as s:
        matched = [f for f in forms
                   if (words := _exact.words(f)) and all(s.doc_frequency(EXACT, w) for w in words)]
    return Forms(matched, list(forms))
