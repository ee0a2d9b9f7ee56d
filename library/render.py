"""TEI → HTML for the reader. Every piece of text is escaped; only this module writes markup.

Each passage becomes an element whose ``id`` is the passage's ``xml:id``, so ``#<xml:id>`` in a
URL lands on it (and ``:target`` highlights it). A footnote becomes a superscript link straight
to the passage it cites; the notes are gathered into a numbered list after the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import gettext as _
from lxml import etree
from markupsafe import Markup, escape

from indexer.persons import REGISTER_ID
from indexer.places import PLACES_ID
from indexer.provenance import footnote_quotations
from indexer.tei import XML_ID, local, text_of
from indexer.teidoc import PASSAGE_TAGS, Document, parse_target

from .escaping import safe_url
from .i18n import N_
from .search.highlight import TermMatcher, mark
from .textlang import mark_russian
from .wording import passage_label

STATUS_LABEL = {"inferred": N_("attribution inferred"),
                "confirmed": N_("attribution confirmed")}


@dataclass
class Highlight:
    """Search inside a document: the passages that matched, and how to find the words."""

    passages: set[str]
    matcher: TermMatcher


@dataclass
class CitedBy:
    """A link back from a cited passage to the footnote that cites it."""

    href: str
    label: str
    status: str


@dataclass
class RenderedNote:
    n: str
    id: str
    href: str | None
    bibl: Markup
    status: str
    cert: str
    extra: list[Markup] = field(default_factory=list)
    # what tracing the quotation found: (confirmed?, href of the best match, match score)
    trace: tuple[bool, str, str] | None = None
    # the cited work is held only as the essay's own excerpts: a match proves nothing
    excerpt_only: bool = False
    # the cited passage, for the notes list and the marker's preview
    target_title: str = ""
    target_label: str = ""
    target_excerpt: str = ""


def doc_url(doc_id: str, fragment: str | None = None) -> str:
    return f"/doc/{doc_id}" + (f"#{fragment}" if fragment else "")


def target_href(target: str, base: str) -> str | None:
    """A safe href for a TEI pointer: store pointers become reader URLs, web links stay as they
    are when they are http(s) or mailto; anything else (javascript:, file:, …) is dropped."""
    target = (target or "").strip()
    if not target:
        return None
    parsed = parse_target(target, base)
    if parsed:
        return doc_url(*parsed)
    if urlsplit(target).scheme and safe_url(target):
        return target
    return None


class Renderer:
    def __init__(self, doc: Document, cited_by: dict[str, list[CitedBy]] | None = None,
                 highlight: Highlight | None = None):
        self.doc = doc
        self.cited_by = cited_by or {}
        self.highlight = highlight
        self._inside_hit = 0  # > 0 while rendering inside a passage that matched the query
        self.notes: list[RenderedNote] = []
        self._cited_quote = self._quotes_and_their_footnotes()
        self._handlers: dict[str, Callable[[etree._Element], Markup]] = {
            "div": self._div, "head": self._head, "p": self._passage_block,
            "ab": self._passage_block, "quote": self._quote, "q": self._quote,
            "note": self._note, "ref": self._ref, "ptr": self._ref, "hi": self._hi,
            "emph": self._em, "title": self._title, "lb": lambda el: Markup("<br>"),
            "pb": self._pb, "list": self._list, "item": self._item, "gap": self._gap,
            "graphic": self._graphic, "cit": self._cit, "epigraph": self._epigraph,
            "figure": self._figure, "lg": self._lg, "l": self._line, "table": self._table,
            "row": self._row, "cell": self._cell, "bibl": self._bibl, "date": self._span,
            "persName": self._person, "placeName": self._place, "orgName": self._place,
            "name": self._span,
        }

    def _quotes_and_their_footnotes(self) -> dict:
        """footnote element → the traced quotation it cites (the nearest before it)."""
        found = {}
        for passage in self.doc.passages:
            found.update(footnote_quotations(passage.element))
        return found

    # -- plumbing ---------------------------------------------------------------------------
    def text(self, s: str | None) -> Markup:
        if not s:
            return Markup("")
        if self._inside_hit and self.highlight:
            return mark_russian(mark(s, self.highlight.matcher.spans(s), "hit"))
        return mark_russian(s)

    def children(self, el: etree._Element) -> Markup:
        out = [self.text(el.text)]
        for child in el:
            if isinstance(child.tag, str):
                out.append(self.element(child))
            out.append(self.text(child.tail))
        return Markup("").join(out)

    def element(self, el: etree._Element) -> Markup:
        handler = self._handlers.get(local(el), self._span)
        hit = bool(self.highlight) and el.get(XML_ID) in self.highlight.passages
        self._inside_hit += hit
        try:
            return handler(el)
        finally:
            self._inside_hit -= hit

    def body(self) -> Markup:
        body = self.doc.body
        return self.children(body) if body is not None else Markup("")

    def record(self) -> Markup:
        """The document's bibliographic record (``sourceDesc/bibl``), itself a citable passage."""
        record = self.doc.record
        if record is None:
            return Markup("")
        parts = []
        for child in record:
            name = local(child)
            text = text_of(child, frozenset())
            if not text:
                continue
            text = mark_russian(text)
            if name == "title":
                kind = "title-original" if child.get("type") == "original" else "title"
                parts.append(Markup('<cite class="{}">{}</cite>').format(kind, text))
            elif name == "ref" and (href := target_href(child.get("target", ""),
                                                        self.doc.doc_id)):
                parts.append(Markup('<a href="{}">{}</a>').format(href, child.get("target")))
            elif name == "idno" and child.get("type") == "source":
                url = safe_url(child.get("corresp", ""))
                label = (Markup('<a class="source-link" href="{}">{}</a>').format(url, text)
                         if url else text)
                parts.append(Markup('<span class="authoritative-source">Authoritative source: '
                                    '{}</span>').format(label))
            elif name == "biblScope":
                parts.append(Markup('<span class="scope">{} {}</span>').format(
                    child.get("unit", ""), text))
            elif name == "editor":
                parts.append(Markup('<span class="editor">{} ({})</span>').format(
                    text, child.get("role", "editor")))
            else:
                parts.append(Markup('<span class="{}">{}</span>').format(name, text))
        inner = Markup('<p class="record">{}</p>').format(Markup(". ").join(parts))
        return self._wrap_passage(record, inner, "bibl")

    def _wrap_passage(self, el: etree._Element, inner: Markup, kind: str) -> Markup:
        """A passage: an element carrying its id, its content, and its "cited by" links."""
        pid = el.get(XML_ID)
        if not pid:
            return Markup('<div class="passage passage-{}">{}</div>').format(kind, inner)
        back = self.cited_by.get(pid, [])
        links = Markup("")
        if back:
            items = Markup("").join(
                Markup('<li><a class="cited-by-link" href="{}">{}</a> '
                       '<span class="status status-{}">{}</span></li>').format(
                    c.href, c.label, c.status,
                    _(STATUS_LABEL[c.status]) if c.status in STATUS_LABEL else c.status)
                for c in back
            )
            links = Markup('<aside class="cited-by" aria-label="{}">'
                           '<span class="cited-by-title">{}</span><ul>{}</ul></aside>'
                           ).format(_("Cited by"), _("Cited in"), items)
        # data-label: the passage in words ("paragraph 4"), for the reader's Cite and Bookmark
        return Markup(
            '<div class="passage passage-{kind}" id="{pid}" tabindex="-1" data-label="{label}">'
            '{inner}{links}<a class="permalink" href="#{pid}" title="{link}" '
            'aria-label="{link}">¶</a></div>'
        ).format(kind=kind, pid=pid, inner=inner, links=links, label=passage_label(pid),
                 link=_("Link to this passage"))

    # -- blocks -----------------------------------------------------------------------------
    def _div(self, el):
        kind = el.get("type", "")
        return Markup('<section class="tei-div tei-div-{}">{}</section>').format(
            kind, self.children(el))

    def _head(self, el):
        return Markup("<h2>{}</h2>").format(self.children(el))

    def _passage_block(self, el):
        return self._wrap_passage(el, Markup("<p>{}</p>").format(self.children(el)), "p")

    def _cit(self, el):
        quote = el.find("{*}quote")
        body = self.children(quote) if quote is not None else Markup("")
        caption = []
        for child in el:
            if local(child) == "bibl":
                caption.append(Markup('<span class="locator">{}</span>').format(
                    text_of(child, frozenset())))
            elif local(child) == "note":
                caption.append(Markup('<span class="cit-note">{}</span>').format(
                    self.children(child)))
        inner = Markup('<figure class="cit"><blockquote>{}</blockquote>{}</figure>').format(
            body,
            Markup("<figcaption>{}</figcaption>").format(Markup(" ").join(caption))
            if caption else "",
        )
        if el.get(XML_ID) and any(local(a) in PASSAGE_TAGS for a in el.iterancestors()):
            return inner
        return self._wrap_passage(el, inner, "cit")

    def _epigraph(self, el):
        cit = el.find("{*}cit")
        quote = cit.find("{*}quote") if cit is not None else None
        bibl = cit.find("{*}bibl") if cit is not None else None
        inner = Markup('<figure class="epigraph"><blockquote>{}</blockquote>{}</figure>').format(
            self.children(quote) if quote is not None else self.children(el),
            Markup("<figcaption>— {}</figcaption>").format(self.children(bibl))
            if bibl is not None else "",
        )
        return self._wrap_passage(el, inner, "epigraph")

    def _figure(self, el):
        head = el.find("{*}head")
        credit = text_of(el.find("{*}bibl"), frozenset()) if el.find("{*}bibl") is not None else ""
        inner = Markup('<figure class="tei-figure"><figcaption>{}{}</figcaption></figure>').format(
            self.children(head) if head is not None else "",
            Markup(' <span class="credit">({})</span>').format(credit) if credit else "",
        )
        return self._wrap_passage(el, inner, "figure")

    def _lg(self, el):
        return self._wrap_passage(el, Markup('<div class="lg">{}</div>').format(
            self.children(el)), "lg")

    def _line(self, el):
        return Markup('<span class="l">{}</span><br>').format(self.children(el))

    def _list(self, el):
        return Markup("<ul>{}</ul>").format(self.children(el))

    def _item(self, el):
        return Markup("<li>{}</li>").format(self.children(el))

    def _table(self, el):
        return Markup("<table>{}</table>").format(self.children(el))

    def _row(self, el):
        return Markup("<tr>{}</tr>").format(self.children(el))

    def _cell(self, el):
        return Markup("<td>{}</td>").format(self.children(el))

    # -- inline -----------------------------------------------------------------------------
    def _quote(self, el):
        quoted = Markup('<q class="quote">{}</q>').format(self.children(el))
        if el.get("resp") != "#library-trace" or el in self._cited_quote.values():
            return quoted
        href = target_href(el.get("source", ""), self.doc.doc_id)
        if not href:  # a traced source that points nowhere (or nowhere safe): no link
            return quoted
        return quoted + Markup(
            '<a class="probable-source" href="{}" title="The essay gives no footnote here; the '
            'library found these words in this passage (match {}). A probable source, not the '
            'author\'s citation.">probable source · {}</a>').format(href, el.get("cert"),
                                                                    el.get("cert"))

    def _hi(self, el):
        rend = el.get("rend", "")
        tag = "strong" if "bold" in rend else "em"
        return Markup("<{0}>{1}</{0}>").format(tag, self.children(el))

    def _em(self, el):
        return Markup("<em>{}</em>").format(self.children(el))

    def _title(self, el):
        return Markup("<cite>{}</cite>").format(self.children(el))

    def _span(self, el):
        return Markup('<span class="tei-{}">{}</span>').format(local(el), self.children(el))

    def _person(self, el):
        """A tagged mention of a registered person links to the person's page."""
        target = parse_target(el.get("ref") or "", self.doc.doc_id)
        if target and target[0] == REGISTER_ID:
            return Markup('<a class="person" href="/persons/{}">{}</a>').format(
                target[1], self.children(el))
        return self._span(el)

    def _place(self, el):
        """A place or organisation named with a ``@ref`` to the register links to its page."""
        target = parse_target(el.get("ref") or "", self.doc.doc_id)
        if target and target[0] == PLACES_ID and target[1]:
            return Markup('<a class="place" href="/places/{}">{}</a>').format(
                target[1], self.children(el))
        return self._span(el)

    def _bibl(self, el):
        return Markup('<span class="bibl">{}</span>').format(self.children(el))

    def _pb(self, el):
        n = el.get("n")
        if not n:
            return Markup("")
        facs = (el.get("facs") or "").lstrip("#")
        if not facs:
            return Markup('<span class="pb" role="note">[p. {}]</span>').format(n)
        # a page with its image: the reader's viewer turns to it (facsimile.js)
        return Markup('<a class="pb pb-facs" id="pb-{0}" href="#pb-{0}" data-page="{1}" '
                      'title="Show the image of page {1}">[p. {1}]</a>').format(facs, n)

    def _gap(self, el):
        return Markup('<span class="gap" title="text omitted">[…]</span>')

    def _graphic(self, el):
        return Markup('<span class="graphic-missing">[image not held: {}]</span>').format(
            el.get("url", ""))

    def _ref(self, el):
        target = (el.get("target") or "").split()
        href = target_href(target[0], self.doc.doc_id) if target else None
        content = self.children(el) if local(el) == "ref" else escape(target[0] if target else "")
        if not href:
            return Markup('<span class="ref">{}</span>').format(content)
        return Markup('<a href="{}">{}</a>').format(href, content)

    def _note(self, el):
        kind = el.get("type", "")
        if kind == "footnote":
            return self._footnote(el)
        if kind == "editorial":
            inner = Markup('<span class="editorial" role="note">{}</span>').format(
                self.children(el))
            if el.getparent() is not None and local(el.getparent()) == "div":
                inner = Markup('<span class="editorial" role="note"><strong>Editor’s note.</strong>'
                               ' {}</span>').format(self.children(el))
                return self._wrap_passage(el, Markup("<p>{}</p>").format(inner), "editorial")
            return inner
        return Markup('<span class="tei-note" role="note">[{}]</span>').format(self.children(el))

    def _footnote(self, el):
        outside, self._inside_hit = self._inside_hit, 0  # the notes list is not a hit
        try:
            return self._footnote_marker(el)
        finally:
            self._inside_hit = outside

    def _footnote_marker(self, el):
        n = el.get("n", "?")
        note_id = el.get(XML_ID) or f"{self.doc.doc_id}-fn{n}"
        ref = next(iter(el.iter("{*}ref", "{*}ptr")), None)
        href = None
        targets = (ref.get("target") or "").split() if ref is not None else []
        if targets:  # an empty or blank target is shown without a link
            href = target_href(targets[0], self.doc.doc_id)
        bibl = el.find("{*}bibl")
        status = el.get("subtype", "")
        extra = [
            Markup('<span class="note-{}">{}</span>').format(seg.get("type", "seg"),
                                                              self.children(seg))
            for seg in el.findall("{*}seg")
        ]
        trace = None
        quote = self._cited_quote.get(el)
        if quote is not None and quote.get("resp") == "#library-trace":
            best = target_href(quote.get("source", ""), self.doc.doc_id)
            trace = (best == href, best, quote.get("cert", ""))
        self.notes.append(RenderedNote(
            n=n, id=note_id, href=href,
            bibl=self.children(bibl) if bibl is not None else self.children(el),
            status=status, cert=el.get("cert", ""), extra=extra, trace=trace,
        ))
        title = text_of(bibl, frozenset()) if bibl is not None else ""
        label = _("Footnote %(n)s: %(title)s", n=n, title=title) + (
            f" ({_(STATUS_LABEL[status])})" if status in STATUS_LABEL else "")
        return Markup(
            '<sup class="fn"><a id="{id}-ref" class="fn-link" href="{href}" title="{label}" '
            'aria-label="{label}" data-note="{id}">{n}</a></sup>'
        ).format(id=note_id, href=href or f"#{note_id}", label=label, n=n)


def render_document(doc: Document, cited_by: dict[str, list[CitedBy]] | None = None,
                    highlight: Highlight | None = None
                    ) -> tuple[Markup, Markup, list[RenderedNote]]:
    """The record and the body of ``doc`` as HTML, and its footnotes for the notes list."""
    renderer = Renderer(doc, cited_by, highlight)
    body = renderer.body()
    return renderer.record(), body, renderer.notes
