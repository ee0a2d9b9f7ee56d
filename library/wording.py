"""Words a reader sees in place of identifiers and codes: passage ids become "quoted excerpt 1"
or "paragraph 4", attribution status and confidence become a sentence."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .i18n import N_, moment

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
