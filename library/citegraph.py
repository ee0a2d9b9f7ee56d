"""The citation graph as SVG: the essay → the works its footnotes cite → the passages cited.
Two layouts (see ``pictures``): three columns on wide screens, a tree running down on phones.
Work titles are wrapped inside their boxes, never cut."""

from __future__ import annotations

from markupsafe import Markup, escape

from indexer.teidoc import Document

from .search.searcher import Citation
from .svglayout import svg, text_block, text_width, wrap
from .wording import passage_label

ESSAY_FILL, WORK_FILL, PASSAGE, EDGE, INK = "#7a2e1d", "#1d4f7a", "#2f6b1d", "#999", "#1d1d1f"
WIDE, NARROW = 960, 320


def _works(citations: list[Citation]) -> list[tuple[str, list[tuple[str, list[Citation]]]]]:
    """Each cited work with its cited passages, each passage with the footnotes citing it."""
    works: dict[str, dict[str, list[Citation]]] = {}
    for c in citations:
        works.setdefault(c.target_doc, {}).setdefault(c.target_passage, []).append(c)
    return [(w, list(passages.items())) for w, passages in works.items()]


def _passage_row(x: float, y: float, doc_id: str, pid: str, cites: list[Citation],
                 size: float) -> str:
    """``footnote 4 → quoted excerpt 1``: the footnote links to its marker in the essay, the
    passage to the passage."""
    parts, at = [], x
    for i, c in enumerate(cites):
        label = f"footnote {c.n}" if i == 0 else f"and {c.n}"
        parts.append(f"<a href='{escape(c.marker_url)}'><title>Footnote {escape(c.n)} in the "
                     f"essay (attribution {escape(c.status)})</title>"
                     f"{text_block(at, y, [label], size, INK)}</a>")
        at += text_width(label, size) + 6
    target = passage_label(pid)
    parts.append(f"<text x='{at:.1f}' y='{y:.1f}' font-size='{size}' fill='{INK}'>→</text>")
    at += text_width("→", size) + 6
    parts.append(f"<a href='/doc/{escape(doc_id)}#{escape(pid)}'>"
                 f"{text_block(at, y, [target], size, PASSAGE)}</a>")
    return "".join(parts)


def _box(x: float, y: float, width: float, lines: list[str], fill: str, href: str,
         tip: str, size: float, line: float) -> str:
    height = len(lines) * line + 10
    return (f"<a href='{escape(href)}'><title>{escape(tip)}</title>"
            f"<rect class='node' x='{x:.1f}' y='{y:.1f}' width='{width:.1f}' "
            f"height='{height:.1f}' rx='4' fill='{fill}'/>"
            f"{text_block(x + 8, y + 5 + size, lines, size, '#fff', line_height=line)}</a>")


def _wide(essay: Document, works, titles: dict[str, str], total: int) -> Markup:
    size, line, row = 13, 17, 24
    wx, ww, px = 200, 330, 600
    body, y, centres = [], 10.0, []
    for w, passages in works:
        lines = wrap(titles.get(w, w), ww - 16, size)
        box_h = len(lines) * line + 10
        block = max(box_h, len(passages) * row) + 12
        by = y + (block - box_h) / 2
        n = sum(len(cites) for _, cites in passages)
        body.append(_box(wx, by, ww, lines, WORK_FILL, f"/doc/{w}",
                         f"{titles.get(w, w)}: cited {n} time{'' if n == 1 else 's'}",
                         size, line))
        mid = by + box_h / 2
        centres.append(mid)
        first = y + (block - len(passages) * row) / 2 + row / 2
        for i, (pid, cites) in enumerate(passages):
            py = first + i * row
            body.insert(0, f"<line x1='{wx + ww}' y1='{mid:.1f}' x2='{px}' y2='{py:.1f}' "
                           f"stroke='{EDGE}'/>")
            body.append(f"<circle cx='{px + 5}' cy='{py:.1f}' r='5' fill='{PASSAGE}'/>"
                        + _passage_row(px + 16, py + 4.5, w, pid, cites, size))
        y += block
    ey = y / 2
    for mid in centres:
        body.insert(0, f"<line x1='130' y1='{ey:.1f}' x2='{wx}' y2='{mid:.1f}' "
                       f"stroke='{EDGE}'/>")
    body.append(_box(10, ey - 16, 120, ["The essay"], ESSAY_FILL, f"/doc/{essay.doc_id}",
                     essay.title, 14, 18))
    return svg(WIDE, y + 10, f"Citation graph: the essay's {total} footnotes → {len(works)} "
               f"cited works → {sum(len(p) for _, p in works)} cited passages", body,
               "graph-wide", "pic-wide")


def _narrow(essay: Document, works, titles: dict[str, str], total: int) -> Markup:
    """Phones: the essay at the top, each cited work below it, its passages under it."""
    size, line, row = 14, 19, 26
    body = [_box(0, 0, NARROW, ["The essay"], ESSAY_FILL, f"/doc/{essay.doc_id}",
                 essay.title, 15, 19)]
    y = 29 + 16.0
    branches = []
    for w, passages in works:
        lines = wrap(titles.get(w, w), NARROW - 20 - 16, size)
        body.append(_box(20, y, NARROW - 20, lines, WORK_FILL, f"/doc/{w}",
                         titles.get(w, w), size, line))
        branches.append(y + 14)
        y += len(lines) * line + 10 + 4
        for pid, cites in passages:
            body.append(f"<circle cx='34' cy='{y + row / 2:.1f}' r='5' fill='{PASSAGE}'/>"
                        + _passage_row(46, y + row / 2 + 5, w, pid, cites, size))
            y += row
        y += 12
    body.insert(0, f"<line x1='8' y1='29' x2='8' y2='{branches[-1] if branches else 29:.1f}' "
                   f"stroke='{EDGE}'/>" + "".join(
                       f"<line x1='8' y1='{b:.1f}' x2='20' y2='{b:.1f}' stroke='{EDGE}'/>"
                       for b in branches))
    return svg(NARROW, y, f"Citation graph, from top to bottom: the essay's {total} footnotes "
               f"→ {len(works)} cited works → their passages", body, "graph-narrow",
               "pic-narrow")


def citation_graph(essay: Document, citations: list[Citation], titles: dict[str, str]
                   ) -> Markup:
    """Essay → cited works → the passages cited; each footnote links to its marker."""
    works = _works(citations)
    return (_wide(essay, works, titles, len(citations))
            + _narrow(essay, works, titles, len(citations)))
