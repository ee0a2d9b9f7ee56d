"""The essay as given (plain text with glued footnote markers) → a TEI P5 document.

Layout recognised: an optional photo caption (first block, ending in a ``Photo :`` credit), an
optional epigraph (a quoted block followed by a ``— Author`` line), then paragraphs. Inside
paragraphs, double-quoted spans become ``quote`` and each footnote marker becomes a ``note`` that
points (``ref/@target``) at the passage the footnote table says it cites.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lxml import etree

from .bibliography import EssayRecord, Footnote, Work
from .header import HeaderRecord, tei_document
from .markers import Marker, find_markers
from .tei import XML_ID, E


class EssayError(ValueError):
    """The essay and its footnote table disagree; ``str()`` says where."""


_CAPTION = re.compile(r"^(?P<caption>.*?)\s*[»«]?\s*Photo\s*:\s*(?P<credit>[^\n]+?)\s*$", re.S)
_ATTRIBUTION = re.compile(r"^[—–-]\s*(?P<who>.+)$", re.S)


@dataclass
class Block:
    kind: str  # caption | epigraph | attribution | paragraph
    start: int
    end: int


def blocks(text: str) -> list[Block]:
    """Blocks separated by blank lines, classified, with offsets into ``text``.

    An epigraph is a quoted block whose attribution (``— Author``) follows on its own line,
    in the same block or the next one.
    """
    found: list[Block] = []
    for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        start, end = m.start(), m.end()
        last_line = text.rfind("\n", start, end)
        if last_line > 0 and _ATTRIBUTION.match(text[last_line + 1 : end].strip()):
            found.append(Block("paragraph", start, last_line))
            found.append(Block("paragraph", last_line + 1, end))
        else:
            found.append(Block("paragraph", start, end))
    if found and _CAPTION.match(text[found[0].start : found[0].end]):
        found[0].kind = "caption"
    for prev, block in zip(found, found[1:], strict=False):
        body = text[prev.start : prev.end].strip()
        if (
            prev.kind == "paragraph"
            and _ATTRIBUTION.match(text[block.start : block.end].strip())
            and body[:1] in "“\"«"
            and body[-1:] in "”\"»"
        ):
            prev.kind, block.kind = "epigraph", "attribution"
    return found


class _Builder:
    """Appends mixed content (text and elements) to an element, tracking open children."""

    def __init__(self, root: etree._Element):
        self.stack = [root]

    def text(self, s: str) -> None:
        if not s:
            return
        el = self.stack[-1]
        if len(el):
            el[-1].tail = (el[-1].tail or "") + s
        else:
            el.text = (el.text or "") + s

    def open(self, child: etree._Element) -> None:
        self.stack[-1].append(child)
        self.stack.append(child)

    def close(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def add(self, child: etree._Element) -> None:
        self.stack[-1].append(child)


def _quote_events(segment: str) -> list[tuple[int, str]]:
    """Offsets of quotation openings and closings in ``segment``.

    Only double quotation marks count (single ones double as apostrophes). An opening mark met
    while a quotation is open closes it when it stands where a closing mark would: after final
    punctuation and before a space, a digit or the end (a common typing slip: ``them…“14``).
    """
    events: list[tuple[int, str]] = []
    is_open = False
    for i, ch in enumerate(segment):
        if ch == "“" and not is_open:
            events.append((i, "open"))
            is_open = True
        elif ch == "“" and is_open:
            nxt = segment[i + 1 : i + 2]
            if segment[i - 1 : i] in ".,;:!?…" and (not nxt or nxt.isspace() or nxt.isdigit()):
                events.append((i, "close"))
                is_open = False
        elif ch == "”" and is_open:
            events.append((i, "close"))
            is_open = False
    if is_open:  # an unclosed quotation is not marked up rather than marked wrongly
        events.pop()
    return events


class EssayBuilder:
    def __init__(self, text: str, record: EssayRecord, footnotes: list[Footnote],
                 works: dict[str, Work]):
        self.text = text
        self.record = record
        self.footnotes = {fn.n: fn for fn in footnotes}
        self.works = works
        self.markers = find_markers(text)
        if len(self.markers) != len(footnotes):
            raise EssayError(
                f"{record.file}: found {len(self.markers)} footnote markers in the essay, "
                f"but the footnote table has {len(footnotes)} entries"
            )

    def note(self, n: int) -> etree._Element:
        fn = self.footnotes[n]
        work = self.works[fn.work]
        note = E.note(type="footnote", place="foot", n=str(n), subtype=fn.status, cert=fn.cert)
        note.set(XML_ID, f"{self.record.id}-fn{n}")
        bibl = E.bibl()
        if work.authors:
            bibl.append(E.author(", ".join(work.authors)))
            bibl[-1].tail = ", "
        ref = E.ref(E.title(work.title), target=f"{work.id}.xml#{fn.passage}")
        ref.tail = f" ({work.date[:4]})"
        bibl.append(ref)
        if fn.locator:
            ref.tail += ", "
            bibl.append(E.citedRange(fn.locator))
        note.append(bibl)
        if fn.basis:
            note.append(E.seg(fn.basis, type="basis"))
        for alt in fn.alternatives:
            note.append(E.seg(alt, type="alternative"))
        return note

    def inline(self, parent: etree._Element, start: int, end: int) -> None:
        """Mixed content for ``text[start:end]``: text, ``quote``s, footnote ``note``s and
        the library's editorial notes."""
        b = _Builder(parent)
        events: list[tuple[int, int, str, object]] = []  # (pos, order, kind, payload)
        segment = self.text[start:end]
        for off, kind in _quote_events(segment):
            events.append((start + off, 0 if kind == "close" else 2, kind, None))
        for m in self.markers:
            if start <= m.start < end:
                events.append((m.start, 1, "marker", m))
        for ed in self.record.editorial_notes:
            pos = segment.find(ed.at)
            if pos >= 0:
                events.append((start + pos + len(ed.at), 1, "editorial", ed))
        events.sort(key=lambda e: (e[0], e[1]))
        pos = start
        for at, _, kind, payload in events:
            b.text(self.text[pos:at])
            pos = at
            if kind == "open":
                b.open(E.quote())
                pos = at + 1
            elif kind == "close":
                b.close()
                pos = at + 1
            elif kind == "marker":
                assert isinstance(payload, Marker)
                b.add(self.note(payload.n))
                pos = payload.end
            else:
                note = E.note(payload.text, type="editorial", place="inline", resp="#library")
                note.set(XML_ID, payload.id)
                b.add(note)
        b.text(self.text[pos:end])
        _normalise_space(parent)

    def body(self) -> etree._Element:
        body = E.body()
        n_para = 0
        rid = self.record.id
        for block in blocks(self.text):
            raw = self.text[block.start : block.end]
            if block.kind == "caption":
                m = _CAPTION.match(raw)
                fig = E.figure(E.head(" ".join(m["caption"].split())),
                               E.bibl(E.respStmt(E.resp("Photo"), E.name(m["credit"]))))
                fig.set(XML_ID, f"{rid}-fig1")
                body.append(fig)
            elif block.kind == "epigraph":
                quote = E.quote()
                raw_end = block.start + len(raw.rstrip())
                self.inline(quote, block.start + 1, raw_end - 1)
                epi = E.epigraph(E.cit(quote))
                epi.set(XML_ID, f"{rid}-epigraph")
                body.append(epi)
            elif block.kind == "attribution":
                m = _ATTRIBUTION.match(raw)
                who = E.bibl()
                offset = block.start + m.start("who")
                self.inline(who, offset, block.end)
                body[-1][0].append(who)
            else:
                n_para += 1
                p = E.p()
                p.set(XML_ID, f"{rid}-p{n_para}")
                self.inline(p, block.start, block.end)
                body.append(p)
        return body

    def document(self, inputs: list[tuple[str, str]]) -> etree._Element:
        r = self.record
        rec = HeaderRecord(
            doc_id=r.id, title=r.title, authors=r.authors, date=r.date, language=r.language,
            text_language=r.language, type=r.type, rights=r.rights, licence=r.licence,
            provenance=r.provenance, bibl=r.bibl, holding="full", inputs=inputs,
        )
        root = tei_document(rec, self.body())
        if r.events:  # the dated events the essay discusses, for the timeline
            events = E.listEvent()
            for ev in r.events:
                event = E.event(E.label(ev.label), when=ev.when)
                if ev.passage:
                    event.set("corresp", f"#{ev.passage}")
                events.append(event)
            root.append(E.standOff(events))
        return root


def _normalise_space(el: etree._Element) -> None:
    """Collapse runs of whitespace (line breaks, NBSP stay as NBSP) inside running text."""
    def squash(s: str | None) -> str | None:
        return None if s is None else re.sub(r"[ \t\r\n]+", " ", s)

    el.text = squash(el.text)
    for child in el.iter():
        if child is not el:
            child.text = squash(child.text)
        child.tail = squash(child.tail) if child is not el else child.tail


def build_essay(text_bytes: bytes, record: EssayRecord, footnotes: list[Footnote],
                works: dict[str, Work], table_bytes: bytes) -> etree._Element:
    """The essay's TEI document; the header records the sha256 of the essay and the table."""
    text = text_bytes.decode("utf-8")
    inputs = [
        (record.file, hashlib.sha256(text_bytes).hexdigest()),
        ("footnotes.toml", hashlib.sha256(table_bytes).hexdigest()),
    ]
    return EssayBuilder(text, record, footnotes, works).document(inputs)
