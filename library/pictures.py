"""Pictures drawn on the server as SVG, each mark a link and each with a text equivalent:
a timeline of the collection and of the events the essay discusses, and the citation graph
(essay → cited works → their passages). Every text is escaped."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from indexer.teidoc import Document

from .searcher import Citation

FONT = "font-family='system-ui, sans-serif'"


def _day(when: str) -> dt.date | None:
    parts = [int(p) for p in when.split("-")[:3] if p.isdigit()]
    if not parts:
        return None
    parts += [1] * (3 - len(parts))
    try:
        return dt.date(*parts[:3])
    except ValueError:
        return None


def _label(x: float, y: float, text: str, colour: str) -> str:
    """A label beside its mark, to the right, or to the left near the right edge."""
    if x > 640:
        return (f"<text x='{x - 6:.1f}' y='{y}' text-anchor='end' fill='{colour}'>"
                f"{escape(text)}</text>")
    return f"<text x='{x + 4:.1f}' y='{y}' fill='{colour}'>{escape(text)}</text>"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='100%' role='group' aria-labelledby='svg-title' {FONT} font-size='12'>"
        f"<title id='svg-title'>{escape(title)}</title>{''.join(body)}</svg>")


def timeline(events: list[tuple[str, str, str]], essay_id: str, documents: list[Document]
             ) -> Markup:
    """Two spans drawn to scale, 1949–1953 and 2022 (the essay's two moments), with the events
    the essay discusses above the axis and the collection's documents of those years below;
    documents of other years are listed after, in order."""
    spans = [(dt.date(1949, 7, 1), dt.date(1953, 7, 1), 40, 640),
             (dt.date(2022, 1, 15), dt.date(2022, 4, 15), 700, 880)]

    def x(day: dt.date) -> float | None:
        for start, end, left, right in spans:
            if start <= day <= end:
                return left + (right - left) * (day - start).days / (end - start).days
        return None

    body = ["<line x1='40' y1='200' x2='640' y2='200' stroke='#444'/>",
            "<line x1='700' y1='200' x2='880' y2='200' stroke='#444'/>",
            "<text x='660' y='204' text-anchor='middle' fill='#888'>⋯</text>"]
    for year in (1950, 1951, 1952, 1953):
        tx = x(dt.date(year, 1, 1))
        body.append(f"<line x1='{tx:.1f}' y1='195' x2='{tx:.1f}' y2='205' stroke='#444'/>"
                    f"<text x='{tx:.1f}' y='220' text-anchor='middle'>{year}</text>")
    body.append("<text x='790' y='220' text-anchor='middle'>2022</text>")
    up = 0
    for when, label, passage in sorted(events):
        day = _day(when)
        px = x(day) if day else None
        if px is None:
            continue
        y = 180 - 22 * (up % 7)
        up += 1
        href = f"/doc/{essay_id}#{passage}" if passage else f"/doc/{essay_id}"
        body.append(
            f"<a href='{escape(href)}'><title>{escape(when)}: {escape(label)}</title>"
            f"<line x1='{px:.1f}' y1='{y + 4}' x2='{px:.1f}' y2='200' stroke='#7a2e1d' "
            f"stroke-dasharray='2 2'/><circle cx='{px:.1f}' cy='200' r='4' fill='#7a2e1d'/>"
            f"{_label(px, y, label[:60], '#7a2e1d')}</a>")
    down, elsewhere = 0, []
    for doc in sorted(documents, key=lambda d: d.date):
        day = _day(doc.date)
        px = x(day) if day else None
        if px is None:
            elsewhere.append(doc)
            continue
        y = 240 + 18 * (down % 8)
        down += 1
        body.append(
            f"<a href='/doc/{escape(doc.doc_id)}'><title>{escape(doc.date)}: "
            f"{escape(doc.title)}</title><rect x='{px - 3:.1f}' y='{y - 9}' width='6' height='6' "
            f"fill='#1d4f7a'/>{_label(px + 2, y - 3, doc.title[:48], '#1d4f7a')}</a>")
    y = 400
    if elsewhere:
        body.append(f"<text x='40' y='{y}' font-weight='bold'>Other documents of the "
                    "collection, by date</text>")
        for doc in elsewhere:
            y += 18
            body.append(f"<a href='/doc/{escape(doc.doc_id)}'><text x='40' y='{y}' "
                        f"fill='#1d4f7a'>{escape(doc.date or 'undated')} — "
                        f"{escape(doc.title[:90])}</text></a>")
    return _svg(900, y + 20, "Timeline: events the essay discusses (above, red) and the "
                "collection's documents (below, blue), 1949–1953 and 2022", body)


def citation_graph(essay: Document, citations: list[Citation], titles: dict[str, str]
                   ) -> Markup:
    """Essay (left) → cited works (middle) → the passages cited (right); each edge is a
    footnote, labelled with its number."""
    works = list(dict.fromkeys(c.target_doc for c in citations))
    passages = list(dict.fromkeys((c.target_doc, c.target_passage) for c in citations))
    rows = max(len(works), len(passages), 1)
    height = 40 + rows * 26
    wy = {w: 30 + i * (height - 40) / max(len(works) - 1, 1) for i, w in enumerate(works)}
    py = {p: 30 + i * 26 for i, p in enumerate(passages)}
    ey = height / 2
    body = []
    for c in citations:
        y1, y2 = wy[c.target_doc], py[(c.target_doc, c.target_passage)]
        body.append(f"<a href='{escape(c.marker_url)}'><title>Footnote {escape(c.n)} "
                    f"({escape(c.status)})</title><line x1='150' y1='{ey:.0f}' x2='390' "
                    f"y2='{y1:.0f}' stroke='#bbb'/></a>"
                    f"<line x1='560' y1='{y1:.0f}' x2='700' y2='{y2:.0f}' stroke='#bbb'/>")
    body.append(f"<a href='/doc/{escape(essay.doc_id)}'><rect x='10' y='{ey - 16:.0f}' "
                f"width='140' height='32' rx='4' fill='#7a2e1d'/><text x='80' y='{ey + 4:.0f}' "
                f"text-anchor='middle' fill='#fff'>The essay</text>"
                f"<title>{escape(essay.title)}</title></a>")
    for w in works:
        label = titles.get(w, w)
        n = sum(1 for c in citations if c.target_doc == w)
        body.append(f"<a href='/doc/{escape(w)}'><title>{escape(label)}: cited {n} time"
                    f"{'' if n == 1 else 's'}</title><rect x='390' y='{wy[w] - 10:.0f}' "
                    f"width='170' height='20' rx='3' fill='#1d4f7a'/><text x='396' "
                    f"y='{wy[w] + 4:.0f}' fill='#fff'>{escape(label[:26])}</text></a>")
    for doc_id, pid in passages:
        notes = ", ".join(c.n for c in citations if c.target_passage == pid)
        body.append(f"<a href='/doc/{escape(doc_id)}#{escape(pid)}'><title>{escape(pid)}, "
                    f"cited by footnote {escape(notes)}</title><circle cx='706' "
                    f"cy='{py[(doc_id, pid)]:.0f}' r='5' fill='#2f7a1d'/><text x='716' "
                    f"y='{py[(doc_id, pid)] + 4:.0f}'>{escape(pid.rsplit('-', 1)[-1])} "
                    f"(n. {escape(notes)})</text></a>")
    return _svg(900, height, f"Citation graph: the essay's {len(citations)} footnotes → "
                f"{len(works)} cited works → {len(passages)} cited passages", body)
