"""HTML: the page's main text (``main``, ``article``, or the body without navigation), as
escaped text only: scripts, styles, forms and embedded objects are dropped, no markup is kept.
Title and date come from the page's metadata where it states them."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from . import Block, Extracted, ReadOptions, RefusedInput
from .text import decode_text_file

_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "form", "nav", "header",
         "footer", "aside", "svg", "template", "button", "select", "canvas")
_BLOCKS = {"p": "p", "li": "p", "blockquote": "p", "pre": "p", "dd": "p", "dt": "p",
           "h1": "head", "h2": "head", "h3": "head", "h4": "head", "h5": "head", "h6": "head"}
_DATE_META = ("article:published_time", "date", "dc.date", "dc.date.issued", "dcterms.date",
              "citation_publication_date", "citation_date")


_KEPT_META = re.compile(r"^(dc|dcterms)\.|^og:|^citation_|^article:", re.I)


def _kept_meta(doc) -> list[tuple[str, str]]:
    """Every Dublin Core, Open Graph and citation_* statement of the page, in order."""
    found = []
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip()
        value = " ".join((el.get("content") or "").split())
        if _KEPT_META.match(key) and value:
            found.append((key, value))
    return found[:200]


def _meta(doc, *names: str) -> str:
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or "").lower()
        if key in names and el.get("content"):
            return el.get("content").strip()
    return ""


def read(path: Path, data: bytes, options: ReadOptions) -> list[Extracted]:
    text, encoding = decode_text_file(path, data, "HTML")
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        doc = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise RefusedInput(f"{path.name}: not readable as HTML ({exc})") from None
    title = _meta(doc, "og:title", "citation_title", "dc.title") or " ".join(
        (doc.findtext(".//title") or "").split())
    date = _meta(doc, *_DATE_META)
    if not date:
        time_el = next(iter(doc.iter("time")), None)
        date = time_el.get("datetime", "") if time_el is not None else ""
    m = re.match(r"^\d{4}(-\d{2}(-\d{2})?)?", date)
    language = (doc.get("lang") or "").split("-")[0].lower()
    kept = _kept_meta(doc)
    authors = [v for k, v in kept if k.lower() in ("citation_author", "dc.creator",
                                                    "dcterms.creator")]
    author = _meta(doc, "author")
    language = language or _meta(doc, "dc.language", "citation_language",
                                 "dcterms.language").split("-")[0].lower()[:3]
    description = _meta(doc, "description", "og:description")
    for el in list(doc.iter(*_DROP)):
        el.drop_tree()
    # (an lxml element without children is false: compare with None, never use `or`)
    candidates = (next(doc.iter("main"), None), next(doc.iter("article"), None),
                  next((el for el in doc.iter() if el.get("role") == "main"), None), doc.body)
    main = next((c for c in candidates if c is not None), None)
    if main is None:
        raise RefusedInput(f"{path.name}: no body text")
    blocks = []
    for el in main.iter(*_BLOCKS):
        if any(a.tag in _BLOCKS for a in el.iterancestors()):
            continue  # the outer block holds this text already
        content = " ".join(el.text_content().split())
        if content:
            blocks.append(Block(_BLOCKS[el.tag], content))
    if not blocks:
        content = " ".join(main.text_content().split())
        if content:
            blocks.append(Block("p", content))
    if not blocks:
        raise RefusedInput(f"{path.name}: the page has no text")
    if not title:
        title = next((b.text for b in blocks if b.kind == "head"), path.stem)
    return [Extracted(
        id_hint=path.stem, title=title, creators=authors or ([author] if author else []),
        source_meta=kept,
        date=m.group(0) if m else "", language=language, description=description,
        blocks=blocks, notes=[f"HTML main text ({encoding}); scripts, styles and markup removed"],
    )]
