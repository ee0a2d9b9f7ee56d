"""At build time, every quotation of the essay is traced to the passage it most probably comes
from, and the result written into the essay's TEI: ``quote/@source`` (the best passage),
``@cert`` (the match, 0–1) and ``@resp="#library-trace"``. A footnoted quotation thereby
confirms its footnote (the source is the footnote's target) or questions it; an unfootnoted one
gets a probable source, which readers are shown as such."""

from __future__ import annotations

from collections.abc import Callable

from .tei import NS, local

MIN_WORDS = 5  # shorter quotations ("peace", "doctors’ plot") are phrases, not citations
MIN_SCORE = 0.3
TRACER = "#library-trace"

Trace = Callable[[str, str], tuple[str, str, float] | None]  # (quote, exclude) → best match


def quotation_text(quote) -> str:
    parts: list[str] = []

    def walk(el) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if local(child) != "note":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(quote)
    return " ".join("".join(parts).split())


def footnote_quotations(passage) -> dict:
    """footnote element → the ``quote`` element it cites: the nearest quotation before it in
    the passage that no earlier footnote cites."""
    found, last = {}, None
    for el in passage.iter("{*}quote", "{*}note"):
        if local(el) == "quote":
            last = el
        elif el.get("type") == "footnote" and last is not None:
            found[el] = last
            last = None
    return found


def trace_quotations(root, doc_id: str, trace: Trace) -> int:
    """Trace the quotations of the TEI document ``root`` (in place); returns the number of
    quotations given a source."""
    traced = 0
    for quote in root.iterfind(".//tei:text//tei:quote", NS):
        for attr in ("source", "cert", "resp"):
            quote.attrib.pop(attr, None)
        text = quotation_text(quote)
        if len(text.split()) < MIN_WORDS:
            continue
        best = trace(text, doc_id)
        if best and best[2] >= MIN_SCORE:
            target_doc, passage, score = best
            quote.set("source", f"{target_doc}.xml#{passage}")
            quote.set("cert", f"{score:.2f}")
            quote.set("resp", TRACER)
            traced += 1
    return traced
