"""Pictures drawn on the server as SVG, each mark a link and each with a text equivalent: a
timeline of the collection and of the events the essay discusses, and the citation graph
(essay → cited works → their passages, in ``citegraph``). Every text is escaped.

Each picture comes in two layouts, chosen by the page's CSS: a wide one for screens of 60rem
and more, and a narrow vertical one for phones, so that text is never drawn smaller than
12 px. Labels are wrapped, never cut, and placed so that none overlaps another."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

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


# Past these, a panel draws its documents as counts by month (each a link to those documents)
# and labels only the documents the essay cites: a picture's cost stays bounded.
MAX_DOC_LABELS = 20
MAX_EVENTS = 40
MAX_LISTED = 60  # documents outside the spans listed one by one; past it, counts by year


def _day(when: str) -> dt.date | None:
    return _when(when)[0]


def _when(when: str) -> tuple[dt.date | None, bool]:
    """The day a date is drawn at, and whether the date names that day. A year alone is drawn
    at its middle (1 July), a month alone at its 15th, never at the first of the period."""
    parts = [int(p) for p in (when or "").split("-")[:3] if p.isdigit()]
    if not parts:
        return None, False
    precise = len(parts) == 3
    if len(parts) == 1:
        parts += [7, 1]
    elif len(parts) == 2:
        parts.append(15)
    try:
        return dt.date(*parts[:3]), precise
    except ValueError:
        return None, False


def _span_of(day: dt.date | None) -> int | None:
    for i, (_, start, end, _) in enumerate(SPANS):
        if day and start <= day <= end:
            return i
    return None


@dataclass
class Item:
    span: int | None
    when: str  # as written in the file
    label: str
    href: str
    is_event: bool
    day: dt.date | None
    cited: bool = False  # a document the essay's footnotes cite

    def sort_key(self):
        return (self.when, not self.is_event, self.label)


def _items(events, essay_id: str, documents: list[Document], cited: set[str]) -> list[Item]:
    """Everything the timeline shows, by date. A document dated only by its year or month that
    an event of the essay names (the event's label begins with its title) is drawn at the
    event's more precise date: *Economic Problems* (1952) at October 1952."""
    items = []
    events = list(events)[:MAX_EVENTS]
    for when, label, passage in events:
        href = f"/doc/{essay_id}#{passage}" if passage else f"/doc/{essay_id}"
        day, _ = _when(when)
        items.append(Item(_span_of(day), when, label, href, True, day))
    for doc in documents:
        day, precise = _when(doc.date)
        if not precise and doc.date:
            title = doc.title.casefold()
            for when, label, _ in events:
                if when.startswith(doc.date) and title and label.casefold().startswith(title):
                    day = _when(when)[0]
                    break
        items.append(Item(_span_of(day), doc.date or "undated", doc.title, f"/doc/{doc.doc_id}",
                          False, day, doc.doc_id in cited))
    return sorted(items, key=Item.sort_key)


LABEL_ROOM = 200  # the axis stops this far from the right edge: every label fits to its right


def _candidates(px: float, label: str, size: float) -> list[tuple[float, list[str], float]]:
    """Ways to set a label beside its mark, preferred first: (x0, lines, width). Labels go to
    the right of their marks (the axis leaves room for them): a block then covers only marks
    to its right, which are placed before it, so no leader can be caught under a label."""
    out = []
    for wrap_width in (280, LABEL_ROOM - 10, 150):
        lines = wrap(label, wrap_width, size)
        width = max(text_width(t, size) for t in lines)
        if px + 6 + width <= WIDE - 4:
            out.append((px + 6, lines, width))
    return out


def _tick_label_x(tick: float, width: float, leaders: list[float]) -> float | None:
    """Where an axis label goes beside the axis: centred on its tick, or moved a little, where
    no leader line or mark passes through it; None when there is no such place near it."""
    for shift in [0] + [s * k for k in range(1, 9) for s in (1, -1)]:
        x0 = tick - width / 2 + shift * 4
        if not any(x0 - 5 <= x <= x0 + width + 5 for x in leaders):
            return x0
    return None


def _month_bars(docs: list[Item], start: dt.date, end: dt.date, x, y: float
                ) -> tuple[list[str], float]:
    """Counts by month of the documents a panel does not label, as bars, each a link to those
    documents (a date-range search)."""
    counts: dict[tuple[int, int], int] = {}
    for it in docs:
        counts[(it.day.year, it.day.month)] = counts.get((it.day.year, it.day.month), 0) + 1
    if not counts:
        return [], y
    top, height = max(counts.values()), 40
    body = [f"<text x='40' y='{y + 14:.1f}' font-size='13' fill='{MUTED}'>"
            f"{escape(_n_documents(len(docs)))} more, by month (each bar lists them)</text>"]
    y += 22
    for (year, month), n in sorted(counts.items()):
        first = dt.date(year, month, 1)
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        x0, x1 = x(max(first, start)), x(min(last, end))
        h = max(2.0, height * n / top)
        href = f"/search?q={quote(f'date:[{first.isoformat()} TO {last.isoformat()}]')}"
        body.append(f"<a href='{escape(href)}'><title>{first:%B %Y}: "
                    f"{escape(_n_documents(n))}</title><rect x='{x0 + 0.5:.1f}' "
                    f"y='{y + height - h:.1f}' width='{max(2.0, x1 - x0 - 1):.1f}' "
                    f"height='{h:.1f}' fill='{DOC}'/></a>")
    return body, y + height + 8


def _n_documents(n: int) -> str:
    return f"{n:,} document{'' if n == 1 else 's'}"


def _wide_panel(title: str, start: dt.date, end: dt.date, ticks, items: list[Item], top: float
                ) -> tuple[list[str], float]:
    """One span drawn to scale: events above the axis, documents below; returns its height."""
    left, right, size, line = 40, WIDE - LABEL_ROOM, 13, 17

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - start).days / (end - start).days

    labelled, unlabelled = _split(items)
    above, below = Placer(0, -1), Placer(0, +1)
    marks = []
    # right to left: a label set to the right of its mark then keeps clear of the marks placed
    for it in sorted(labelled, key=lambda it: it.day, reverse=True):
        px = x(it.day)
        placer = above if it.is_event else below
        box, lines = None, []
        for x0, lines, width in _candidates(px, it.label, size):
            box = placer.place(x0, width, len(lines) * line, px, 14 if it.is_event else 30)
            if box is not None:
                break
        marks.append((px, box, lines if box else [], it))
    boxes = [b for _, b, *_ in marks if b is not None]
    height_above = -min([b.y0 for b in boxes if b.y0 < 0], default=-10) + 28
    axis = top + height_above
    body = [f"<text x='{left}' y='{top + 16}' font-size='15' font-weight='bold' "
            f"fill='{INK}'>{escape(title)}</text>",
            f"<line x1='{left}' y1='{axis}' x2='{right}' y2='{axis}' stroke='#444'/>"]
    leaders = [px for px, *_ in marks]
    ticks_x = [(x(day), name, text_width(name, 13)) for day, name in ticks]
    beside = [_tick_label_x(tx, w, leaders) for tx, _, w in ticks_x]
    ruler = None in beside  # some label has leaders all round it: all go on a ruler below
    for (tx, name, _w), bx in zip(ticks_x, beside, strict=True):
        body.append(f"<line x1='{tx:.1f}' y1='{axis - 5}' x2='{tx:.1f}' y2='{axis + 5}' "
                    f"stroke='#444'/>")
        if not ruler:
            body.append(f"<text class='tick' x='{bx:.1f}' y='{axis + 20}' font-size='13' "
                        f"fill='{MUTED}'>{escape(name)}</text>")
    for px, box, lines, it in marks:
        colour = EVENT if it.is_event else DOC
        shape = (f"<circle cx='{px:.1f}' cy='{axis}' r='4' fill='{colour}'/>" if it.is_event
                 else f"<rect x='{px - 3.5:.1f}' y='{axis + 6}' width='7' height='7' "
                      f"fill='{colour}'/>")
        leader = ""
        if box is not None:
            edge = box.y1 if it.is_event else box.y0
            leader = (f"<line class='leader' x1='{px:.1f}' y1='{axis + edge:.1f}' "
                      f"x2='{px:.1f}' y2='{axis}' stroke='{colour}' stroke-dasharray='2 2'/>")
        body.append(
            f"<a href='{escape(it.href)}' data-when='{escape(it.when)}' "
            f"data-day='{it.day.isoformat()}' data-x='{px:.1f}'>"
            f"<title>{escape(it.when)}: {escape(it.label)}</title>{leader}{shape}"
            + (text_block(box.x0, axis + box.y0 + 13, lines, size, colour, line_height=line)
               if box is not None else "")
            + "</a>")
    bottom = axis + max([b.y1 for b in boxes if b.y1 > 0], default=30) + 12
    if ruler:  # the scale again below the labels, where no leader reaches, with its labels
        body.append(f"<line x1='{left}' y1='{bottom:.1f}' x2='{right}' y2='{bottom:.1f}' "
                    f"stroke='#999'/>")
        for tx, name, w in ticks_x:
            body.append(f"<line x1='{tx:.1f}' y1='{bottom - 4:.1f}' x2='{tx:.1f}' "
                        f"y2='{bottom + 4:.1f}' stroke='#999'/><text class='tick' "
                        f"x='{tx - w / 2:.1f}' y='{bottom + 19:.1f}' font-size='13' "
                        f"fill='{MUTED}'>{escape(name)}</text>")
        bottom += 26
    bars, end_y = _month_bars(unlabelled, start, end, x, bottom)
    body += bars
    return body, (end_y if bars else bottom + 4) - top


def _others(items: list[Item], x: float, y: float, width: float, size: float
            ) -> tuple[list[str], float]:
    """Documents outside the two spans, listed by date (past ``MAX_LISTED``, counted by year,
    each year a link to its documents)."""
    if not items:
        return [], y
    if len(items) > MAX_LISTED:
        items = _by_year(items)
    # bold letters are wider: wrapped as if a size larger
    heading = wrap("Other documents of the collection, by date", width, size + 3)
    body = [text_block(x, y + size, heading, size + 1, INK, weight="bold")]
    y += size * (len(heading) + 1) * 1.3 + 4
    for it in items:
        when, label, href = it.when, it.label, it.href
        lines = wrap(f"{when} — {label}", width, size)
        body.append(f"<a href='{escape(href)}'>"
                    f"{text_block(x, y, lines, size, DOC, line_height=size + 5)}</a>")
        y += len(lines) * (size + 5) + 4
    return body, y


def _by_year(items: list[Item]) -> list[Item]:
    """Documents counted by year, each year a link to its documents (a date-range search)."""
    counts: dict[str, int] = {}
    for it in items:
        year = f"{it.day.year:04d}" if it.day else "undated"
        counts[year] = counts.get(year, 0) + 1
    out = []
    for year, n in sorted(counts.items()):
        href = (f"/search?q={quote(f'date:[{year} TO {year}]')}" if year != "undated"
                else "/?sort=date")
        out.append(Item(None, year, _n_documents(n), href, False, None))
    return out


def _split(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """A panel's items drawn one by one, and the documents only counted (see MAX_DOC_LABELS)."""
    docs = [it for it in items if not it.is_event]
    if len(docs) <= MAX_DOC_LABELS:
        return items, []
    top_docs = {id(it) for it in [it for it in docs if it.cited][:MAX_DOC_LABELS]}
    return ([it for it in items if it.is_event or id(it) in top_docs],
            [it for it in docs if id(it) not in top_docs])


def _wide(items: list[Item]) -> Markup:
    body = [f"<text x='40' y='18' font-size='13' fill='{MUTED}'>● events the essay discusses, "
            "above each line · ■ documents of the collection, below</text>"]
    top = 34
    for i, (title, start, end, ticks) in enumerate(SPANS):
        part, height = _wide_panel(title, start, end, ticks,
                                   [it for it in items if it.span == i], top)
        body += part
        top += height + 10
    part, bottom = _others([it for it in items if it.span is None], 40, top, WIDE - 60, 13)
    return svg(WIDE, bottom + 10, "Timeline: events the essay discusses (circles, above) and "
               "the collection's documents (squares, below), 1949–1953 and 2022", body + part,
               "timeline-wide", "pic-wide")


def _narrow(items: list[Item]) -> Markup:
    """Phones: one column, time running down, each item's date then its label, wrapped."""
    size, line, x = 14, 19, 24
    body, y = [], 0.0
    for i, (title, *_rest) in enumerate(SPANS):
        body.append(f"<text x='0' y='{y + 17:.0f}' font-size='16' font-weight='bold' "
                    f"fill='{INK}'>{escape(title)}</text>")
        y += 30
        first, spine_at = y, len(body)
        shown, counted = _split([it for it in items if it.span == i])
        for it in shown + _by_year(counted):
            colour = EVENT if it.is_event else DOC
            shape = (f"<circle cx='9' cy='{y + 9:.0f}' r='5' fill='{colour}'/>" if it.is_event
                     else f"<rect x='4' y='{y + 4:.0f}' width='10' height='10' "
                          f"fill='{colour}'/>")
            lines = wrap(it.label, NARROW - x - 2, size)
            kind = "event" if it.is_event else ("document" if it.span is not None
                                                 else "more documents")
            body.append(f"<a href='{escape(it.href)}'>{shape}"
                        f"{text_block(x, y + 14, [f'{it.when} · {kind}'], 13, MUTED)}"
                        f"{text_block(x, y + 14 + line, lines, size, colour, line_height=line)}"
                        f"</a>")
            y += line * (len(lines) + 1) + 10
        body.insert(spine_at, f"<line x1='9' y1='{first}' x2='9' y2='{y - 10:.0f}' "
                    "stroke='#999'/>")
        y += 6
    part, bottom = _others([it for it in items if it.span is None], 0, y, NARROW - 2, size)
    return svg(NARROW, bottom + 6, "Timeline, from top to bottom: events the essay discusses "
               "(circles) and the collection's documents (squares)", body + part,
               "timeline-narrow", "pic-narrow")


def timeline(events: list[tuple[str, str, str]], essay_id: str, documents: list[Document],
             cited: set[str] | frozenset[str] = frozenset()) -> Markup:
    """The two spans of the essay, 1949–1953 and 2022, each to scale, with the events the
    essay discusses and the collection's documents of those years; documents of other years
    are listed after, in order. Past a few dozen documents a span labels only those the essay
    cites (``cited``) and counts the rest by month; its cost is then bounded whatever the size
    of the store (sorting the documents, n log n, is the part that grows)."""
    items = _items(events, essay_id, documents, set(cited))
    return _wide(items) + _narrow(items)


def timeline_listing(documents: list[Document], cited: set[str] | frozenset[str] = frozenset()
                     ) -> dict:
    """The text equivalent's list of documents: every one when there are few, else the cited
    ones and counts by year (each a link to that year's documents)."""
    docs = sorted(documents, key=lambda d: (d.date or "9999", d.title))
    if len(docs) <= MAX_LISTED:
        return {"documents": docs, "years": []}
    years = _by_year([Item(None, d.date, d.title, "", False, _when(d.date)[0]) for d in docs])
    # (year, how many documents: a number, for the locale to write, link)
    return {"documents": [d for d in docs if d.doc_id in cited],
            "years": [(it.when, int(it.label.split()[0].replace(",", "")), it.href)
                      for it in years]}
