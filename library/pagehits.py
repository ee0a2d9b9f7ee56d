"""Where a search's words stand on a document's page images: the boxes of the matched words,
from the word files OCR left beside each page (indexer.ocrtext), in the page image's pixels.

Only the pages holding a matched passage are read, and on them only the paragraphs that are
those passages, so that a request costs what the hits cost, not what the document weighs.
The words are matched as the reader's text highlighting matches them (the search's
``TermMatcher``: stems, exact forms, names), so the page image and the text light the same
words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from indexer.tei import NS, XML_ID
from indexer.teidoc import Document

from . import facsimiles

MAX_HITS = 1000  # boxes answered for one query (a word on every page of a long book)
MAX_WORDS_FILE = 8_000_000  # bytes: a word file larger than any page holds is not read


@dataclass
class Hit:
    page: str  # the page's n
    x: int  # the box, in the page image's pixels
    y: int
    w: int
    h: int
    text: str  # the words the box covers
    passage: str  # the passage's xml:id


def pages_of_passages(doc: Document) -> dict[str, str]:
    """passage id → the n of the page it stands on (the last page break before it)."""
    body = doc.root.find("tei:text", NS)
    found: dict[str, str] = {}
    if body is None:
        return found
    current = ""
    for el in body.iter(f"{{{NS['tei']}}}pb", f"{{{NS['tei']}}}p"):
        if el.tag.endswith("}pb"):
            current = el.get("n", "")
        elif el.get(XML_ID) and current:
            found[el.get(XML_ID)] = current
    return found


def read_words(sources: Path, page: facsimiles.Page) -> dict | None:
    """A page's word file (None when it has none, or it cannot be read)."""
    if not page.words_url:
        return None
    path = sources / page.words_url
    try:
        if path.stat().st_size > MAX_WORDS_FILE:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("words"), list)
            and isinstance(data.get("width"), int) and data["width"] > 0):
        return None
    return data


def _paragraphs(words: list) -> list[list[list]]:
    out: dict[int, list[list]] = {}
    for w in words:
        if isinstance(w, list) and len(w) >= 8 and isinstance(w[0], str):
            out.setdefault(w[6], []).append(w)
    return [ws for _, ws in sorted(out.items(), key=lambda kv: kv[0])]


def _matched(paragraph: list[list], matcher) -> list[int]:
    """Indexes of the paragraph's words the matcher lights (a hyphen-joined word's second half
    with its first)."""
    text, starts = "", []
    for w in paragraph:
        starts.append(len(text) + (1 if text else 0) if w[0] else -1)
        if w[0]:
            text = f"{text} {w[0]}" if text else w[0]
    spans = matcher.spans(text) if text else []
    lit: list[int] = []
    for i, (w, start) in enumerate(zip(paragraph, starts, strict=True)):
        if start < 0:
            if lit and lit[-1] == i - 1:
                lit.append(i)  # the second half of a word joined across a line end
            continue
        end = start + len(w[0])
        if any(s < end and start < e for s, e in spans):
            lit.append(i)
    return lit


def _boxes(paragraph: list[list], lit: list[int], scale: float) -> list[tuple]:
    """One box per run of lit words on one line."""
    runs: list[list[list]] = []
    last = None
    for i in lit:
        w = paragraph[i]
        if not w[0]:  # a joined word's second half: its box says the whole word
            j = i
            while j > 0 and not paragraph[j][0]:
                j -= 1
            w = [paragraph[j][0], *w[1:]]
        if runs and last == i - 1 and runs[-1][-1][7] == w[7]:
            runs[-1].append(w)
        else:
            runs.append([w])
        last = i
    out = []
    for run in runs:
        x0 = min(w[1] for w in run)
        y0 = min(w[2] for w in run)
        x1 = max(w[1] + w[3] for w in run)
        y1 = max(w[2] + w[4] for w in run)
        text = " ".join(w[0] for w in run if w[0])
        out.append((round(x0 * scale), round(y0 * scale), max(1, round((x1 - x0) * scale)),
                    max(1, round((y1 - y0) * scale)), text))
    return out


def hits(doc: Document, sources: Path, matched: list[str], matcher,
         limit: int = MAX_HITS) -> list[Hit]:
    """The boxes of the matched words, page by page in order."""
    if not matched or not matcher:
        return []
    where = pages_of_passages(doc)
    on_page: dict[str, list[str]] = {}
    for passage in matched:
        if passage in where:
            on_page.setdefault(where[passage], []).append(passage)
    if not on_page:
        return []
    passages_by_page: dict[str, list[str]] = {}
    for passage, n in where.items():
        if n in on_page:
            passages_by_page.setdefault(n, []).append(passage)
    found: list[Hit] = []
    for page in facsimiles.pages(doc):
        if page.n not in on_page:
            continue
        data = read_words(sources, page)
        if data is None:
            continue
        scale = page.width / data["width"] if page.width else 1.0
        paragraphs = _paragraphs(data["words"])
        ids = passages_by_page[page.n]
        # the page's passages are its OCR paragraphs, in order (indexer.ocrtext); when they
        # are not (a page whose text layer was kept), its words are not lit
        if len(ids) != len(paragraphs):
            continue
        wanted = set(on_page[page.n])
        for passage, paragraph in zip(ids, paragraphs, strict=True):
            if passage not in wanted:
                continue
            for x, y, w, h, text in _boxes(paragraph, _matched(paragraph, matcher), scale):
                found.append(Hit(page.n, x, y, w, h, text, passage))
                if len(found) >= limit:
                    return found
    return found
