"""Pictures drawn on the server as SVG, each mark a link and each with a text equivalent: a
timeline of the collection and of the events the essay discusses, and the citation graph
(essay → cited works → their passages, in ``citegraph``). Every text is escaped.

Each picture comes in two layouts, chosen by the page's CSS: a wide one for screens of 60rem
and more, and a narrow vertical one for phones, so that text is never drawn smaller than
12 px. Labels are wrapped, never cut, and placed so that none overlaps another."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from indexer.teidoc import Document

from .citegraph import citation_graph
from .svglayout import Placer, svg, text_block, text_width, wrap

__all__ = ["citation_graph", "timeline"]

EVENT, DOC, INK, MUTED, PAPER = "#7a2e1d", "#1d4f7a", "#1d1d1f", "#5b5b66", "#fffdf8"
WIDE, NARROW = 960, 320
# the essay's two moments, each drawn to its own scale: (title, start, end, ticks)
SPANS = [
    ("1949–1953", dt.date(1949, 7, 1), dt.date(1953, 7, 1),
     [(dt.date(y, 1, 1), str(y)) for y in (1950, 1951, 1952, 1953)]),
    ("2022, January–April", dt.date(2022, 1, 15), dt.date(2022, 4, 15),
     [(dt.date(2022, m, 1), name) for m, name in ((2, "February"), (3, "March"), (4, "April"))]),
]


def _day(when: str) -> dt.date | None:
    parts = [int(p) for p in when.split("-")[:3] if p.isdigit()]
    if not parts:
        return None
    parts += [1] * (3 - len(parts))
    try:
        return dt.date(*parts[:3])
    except ValueError:
        return None


def _span_of(when: str) -> int | None:
    day = _day(when)
    for i, (_, start, end, _) in enumerate(SPANS):
        if day and start <= day <= end:
            return i
    return None


def _items(events, essay_id: str, documents: list[Document]) -> list[tuple]:
    """(span, date text, label, href, is_event) for everything the timeline shows, by date."""
    items = []
    for when, label, passage in events:
        href = f"/doc/{essay_id}#{passage}" if passage else f"/doc/{essay_id}"
        items.append((_span_of(when), when, label, href, True))
    for doc in documents:
        items.append((_span_of(doc.date), doc.date or "undated", doc.title,
                      f"/doc/{doc.doc_id}", False))
    return sorted(items, key=lambda it: (it[1], not it[4], it[2]))


def _wide_panel(title: str, start: dt.date, end: dt.date, ticks, items, top: float
                ) -> tuple[list[str], float]:
    """One span drawn to scale: events above the axis, documents below; returns its height."""
    left, right, size, line = 40, WIDE - 20, 13, 17

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - start).days / (end - start).days

    above, below = Placer(0, -1), Placer(0, +1)
    marks = []
    # right to left: see Placer.place
    for _, when, label, href, is_event in sorted(items, key=lambda it: _day(it[1]),
                                                   reverse=True):
        px = x(_day(when))
        room = WIDE - 4 - (px + 6)  # to the right of the mark, where the label goes if it can
        lines = wrap(label, min(280, room) if room >= 150 else 280, size)
        width = max(text_width(t, size) for t in lines)
        x0 = px + 6 if px + 6 + width <= WIDE - 4 else px - 6 - width
        placer = above if is_event else below
        box = placer.place(x0, width, len(lines) * line, px, 14 if is_event else 30)
        marks.append((px, box, lines, when, label, href, is_event))
    height_above = -min([b.y0 for _, b, *_ in marks if b.y0 < 0], default=-10) + 28
    axis = top + height_above
    body = [f"<text x='{left}' y='{top + 16}' font-size='15' font-weight='bold' "
            f"fill='{INK}'>{escape(title)}</text>",
            f"<line x1='{left}' y1='{axis}' x2='{right}' y2='{axis}' stroke='#444'/>"]
    for day, name in ticks:
        tx = x(day)
        body.append(f"<line x1='{tx:.1f}' y1='{axis - 5}' x2='{tx:.1f}' y2='{axis + 5}' "
                    f"stroke='#444'/><text x='{tx:.1f}' y='{axis + 20}' text-anchor='middle' "
                    f"font-size='13' fill='{MUTED}'>{escape(name)}</text>")
    for px, box, lines, when, label, href, is_event in marks:
        colour = EVENT if is_event else DOC
        edge = box.y1 if is_event else box.y0
        shape = (f"<circle cx='{px:.1f}' cy='{axis}' r='4' fill='{colour}'/>" if is_event else
                 f"<rect x='{px - 3.5:.1f}' y='{axis + 6}' width='7' height='7' "
                 f"fill='{colour}'/>")
        body.append(
            f"<a href='{escape(href)}'><title>{escape(when)}: {escape(label)}</title>"
            f"<line x1='{px:.1f}' y1='{axis + edge:.1f}' x2='{px:.1f}' y2='{axis}' "
            f"stroke='{colour}' stroke-dasharray='2 2'/>{shape}"
            + text_block(box.x0, axis + box.y0 + 13, lines, size, colour, line_height=line,
                         halo=PAPER)
            + "</a>")
    bottom = max([b.y1 for _, b, *_ in marks if b.y1 > 0], default=30)
    return body, axis + bottom + 16 - top


def _others(items, x: float, y: float, width: float, size: float) -> tuple[list[str], float]:
    """Documents outside the two spans, listed by date."""
    if not items:
        return [], y
    # bold letters are wider: wrapped as if a size larger
    heading = wrap("Other documents of the collection, by date", width, size + 3)
    body = [text_block(x, y + size, heading, size + 1, INK, weight="bold")]
    y += size * (len(heading) + 1) * 1.3 + 4
    for _, when, label, href, _ in items:
        lines = wrap(f"{when} — {label}", width, size)
        body.append(f"<a href='{escape(href)}'>"
                    f"{text_block(x, y, lines, size, DOC, line_height=size + 5)}</a>")
        y += len(lines) * (size + 5) + 4
    return body, y


def _wide(items) -> Markup:
    body = [f"<text x='40' y='18' font-size='13' fill='{MUTED}'>● events the essay discusses, "
            "above each line · ■ documents of the collection, below</text>"]
    top = 34
    for i, (title, start, end, ticks) in enumerate(SPANS):
        part, height = _wide_panel(title, start, end, ticks,
                                   [it for it in items if it[0] == i], top)
        body += part
        top += height + 10
    part, bottom = _others([it for it in items if it[0] is None], 40, top, WIDE - 60, 13)
    return svg(WIDE, bottom + 10, "Timeline: events the essay discusses (circles, above) and "
               "the collection's documents (squares, below), 1949–1953 and 2022", body + part,
               "timeline-wide", "pic-wide")


def _narrow(items) -> Markup:
    """Phones: one column, time running down, each item's date then its label, wrapped."""
    size, line, x = 14, 19, 24
    body, y = [], 0.0
    for i, (title, *_rest) in enumerate(SPANS):
        body.append(f"<text x='0' y='{y + 17:.0f}' font-size='16' font-weight='bold' "
                    f"fill='{INK}'>{escape(title)}</text>")
        y += 30
        first, spine_at = y, len(body)
        for _, when, label, href, is_event in [it for it in items if it[0] == i]:
            colour = EVENT if is_event else DOC
            shape = (f"<circle cx='9' cy='{y + 9:.0f}' r='5' fill='{colour}'/>" if is_event
                     else f"<rect x='4' y='{y + 4:.0f}' width='10' height='10' "
                          f"fill='{colour}'/>")
            lines = wrap(label, NARROW - x - 2, size)
            kind = "event" if is_event else "document"
            body.append(f"<a href='{escape(href)}'>{shape}"
                        f"{text_block(x, y + 14, [f'{when} · {kind}'], 13, MUTED)}"
                        f"{text_block(x, y + 14 + line, lines, size, colour, line_height=line)}"
                        f"</a>")
            y += line * (len(lines) + 1) + 10
        body.insert(spine_at, f"<line x1='9' y1='{first}' x2='9' y2='{y - 10:.0f}' "
                    "stroke='#999'/>")
        y += 6
    part, bottom = _others([it for it in items if it[0] is None], 0, y, NARROW - 2, size)
    return svg(NARROW, bottom + 6, "Timeline, from top to bottom: events the essay discusses "
               "(circles) and the collection's documents (squares)", body + part,
               "timeline-narrow", "pic-narrow")


def timeline(events: list[tuple[str, str, str]], essay_id: str, documents: list[Document]
             ) -> Markup:
    """The two spans of the essay, 1949–1953 and 2022, each to scale, with the events the
    essay discusses and the collection's documents of those years; documents of other years
    are listed after, in order."""
    items = _items(events, essay_id, documents)
    return _wide(items) + _narrow(items)
