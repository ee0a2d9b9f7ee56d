"""Words a reader sees in place of identifiers and codes: passage ids become "quoted excerpt 1"
or "paragraph 4", attribution status and confidence become a sentence, an EDTF date becomes
"about March 1953" in the reader's language."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from indexer.dates import SEASONS, try_parse

from .i18n import N_, day, moment

_PASSAGE = re.compile(r"-(q|p|bibl|fn|cit|ep|fig|ed|head|l|lg|item)(\d*)$")
_KINDS = {"q": N_("quoted excerpt %(n)s"), "p": N_("paragraph %(n)s"),
          "bibl": N_("bibliographic record %(n)s"), "fn": N_("footnote %(n)s"),
          "cit": N_("quotation %(n)s"), "ep": N_("epigraph %(n)s"), "fig": N_("figure %(n)s"),
          "ed": N_("editor's note %(n)s"), "head": N_("heading %(n)s"), "l": N_("line %(n)s"),
          "lg": N_("stanza %(n)s"), "item": N_("item %(n)s")}
_KINDS_ALONE = {"q": N_("quoted excerpt"), "p": N_("paragraph"),
                "bibl": N_("bibliographic record"), "fn": N_("footnote"),
                "cit": N_("quotation"), "ep": N_("epigraph"), "fig": N_("figure"),
                "ed": N_("editor's note"), "head": N_("heading"), "l": N_("line"),
                "lg": N_("stanza"), "item": N_("item")}
CONFIDENCE = {
    "high": N_("high confidence: the quoted source is certain; the edition or page the author "
               "used is not"),
    "medium": N_("probable: the likeliest of the candidate works"),
    "low": N_("a guess among two or three candidate works"),
}


def passage_label(passage_id: str) -> str:
    """``stalin-1950-08-27-gottwald-q1`` → ``quoted excerpt 1``; other ids → ``passage``."""
    m = _PASSAGE.search(passage_id or "")
    if not m:
        return _("passage")
    kind, number = m.groups()
    return _(_KINDS[kind], n=number) if number else _(_KINDS_ALONE[kind])


def attribution(status: str, cert: str = "") -> str:
    """The attribution of a footnote in plain words."""
    if status == "confirmed":
        return _("Confirmed: checked against the essay's published footnote.")
    if status == "inferred":
        sure = CONFIDENCE.get(cert)
        if sure:
            return _("Inferred by the library, not read from the footnote — %(how)s.",
                     how=_(sure))
        return _("Inferred by the library, not read from the footnote.")
    return _("Attribution not stated.")


def status_word(status: str) -> str:
    """A one-word badge for lists: "inferred" / "confirmed"."""
    return {"inferred": _("inferred"), "confirmed": _("confirmed")}.get(status, _("unstated"))


def clock(timestamp: float) -> str:
    """A moment as the reader's language writes it: ``28 Nov 2026, 14:05:00``."""
    return moment(timestamp)


# The seasons EDTF numbers 21-24 (indexer.dates.SEASONS), as the catalogue gives them.
_SEASONS = {"spring": N_("spring %(year)s"), "summer": N_("summer %(year)s"),
            "autumn": N_("autumn %(year)s"), "winter": N_("winter %(year)s")}
_QUALIFIED = {"~": N_("about %(date)s"), "?": N_("probably %(date)s"),
              "%": N_("perhaps about %(date)s")}
_YEARS = re.compile(r"^\d{4}$")


def _plain_date(value: str) -> str:
    """One unqualified EDTF date: a day, month or year as the locale writes it (Babel), a
    season, or a decade or century of unspecified digits."""
    season = re.match(r"^(\d{4})-(2[1-4])$", value)
    if season:
        return _(_SEASONS[SEASONS[season[2]]], year=season[1])
    decade = re.match(r"^(\d{3})X$", value) or re.match(r"^(\d{2})XX$", value)
    if decade:
        return _("the %(decade)ss", decade=value.replace("X", "0"))
    return day(value)


def date_words(edtf: str) -> str:
    """An EDTF date in the reader's words: "about March 1953", "1952 or 1953", "spring
    1953", "5 March 1953" (in Russian «приблизительно март 1953 г.», «1952 или 1953»…). The
    English of the TEI itself is ``indexer.dates.in_words``; this is what a reader is shown.
    A value that is not EDTF is shown as given."""
    value = (edtf or "").strip()
    if not value or try_parse(value) is None:
        return value
    if value.startswith("[") and value.endswith("]"):
        items = [_plain_date(v.strip()) for v in value[1:-1].split(",") if v.strip()]
        if len(items) < 3:
            return _("%(first)s or %(second)s", first=items[0], second=items[-1]) \
                if len(items) == 2 else "".join(items)
        return _("one of %(dates)s or %(last)s", dates=", ".join(items[:-1]), last=items[-1])
    if "/" in value:
        start, end = (v.strip() for v in value.split("/", 1))
        if _YEARS.match(start) and _YEARS.match(end) and int(end) - int(start) == 1:
            return _("%(first)s or %(second)s", first=start, second=end)
        return _("between %(start)s and %(end)s", start=date_words(start),
                 end=date_words(end))
    qualifier = value[-1]
    if qualifier in _QUALIFIED:
        return _(_QUALIFIED[qualifier], date=_plain_date(value[:-1]))
    return _plain_date(value)
