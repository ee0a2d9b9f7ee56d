"""Words a reader sees in place of identifiers and codes: passage ids become "quoted excerpt 1"
or "paragraph 4", attribution status and confidence become a sentence."""

from __future__ import annotations

import re
import time

_PASSAGE = re.compile(r"-(q|p|bibl|fn|cit|ep|fig|ed|head|l|lg|item)(\d*)$")
_KINDS = {"q": "quoted excerpt", "p": "paragraph", "bibl": "bibliographic record",
          "fn": "footnote", "cit": "quotation", "ep": "epigraph", "fig": "figure",
          "ed": "editor's note", "head": "heading", "l": "line", "lg": "stanza",
          "item": "item"}
CONFIDENCE = {
    "high": "high confidence: the quoted source is certain; the edition or page the author "
            "used is not",
    "medium": "probable: the likeliest of the candidate works",
    "low": "a guess among two or three candidate works",
}


def passage_label(passage_id: str) -> str:
    """``stalin-1950-08-27-gottwald-q1`` → ``quoted excerpt 1``; other ids → ``passage``."""
    m = _PASSAGE.search(passage_id or "")
    if not m:
        return "passage"
    kind, number = m.groups()
    return f"{_KINDS[kind]} {number}".strip()


def attribution(status: str, cert: str = "") -> str:
    """The attribution of a footnote in plain words."""
    if status == "confirmed":
        return "Confirmed: checked against the essay's published footnote."
    if status == "inferred":
        sure = CONFIDENCE.get(cert)
        return ("Inferred by the library, not read from the footnote"
                + (f" — {sure}." if sure else "."))
    return "Attribution not stated."


def status_word(status: str) -> str:
    """A one-word badge for lists: "inferred" / "confirmed"."""
    return {"inferred": "inferred", "confirmed": "confirmed"}.get(status, "unstated")


def clock(timestamp: float) -> str:
    """A moment as a reader writes it: ``28 November 2026, 14:05``."""
    return time.strftime("%d %B %Y, %H:%M", time.localtime(timestamp)).lstrip("0")
