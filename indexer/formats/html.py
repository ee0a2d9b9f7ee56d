"""HTML: the page's main text found by trafilatura (its boilerplate removal leaves out site
chrome such as kremlin.ru's "Publication status", "Direct link" and "Text version" blocks),
as escaped text only; when trafilatura finds no text, the ``main``/``article`` element or
the body without navigation. Title, authors, date and language come from the page's
metadata; the licence from a ``rel="license"`` link, a Creative Commons link, or a Dublin
Core rights statement, mapped to its URI on import (indexer.rights)."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..xmlsafe import XMLInputError, parse_bytes
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


_CC_LINK = re.compile(r"^https?://(?:www\.)?creativecommons\.org/(?:licenses|publicdomain)/",
                      re.I)
_RIGHTS_META = ("dc.rights", "dcterms.rights", "dcterms.license", "dc.rights.license",
                "citation_license", "license")


def licence(doc) -> str:
    """The page's statement of its licence: the ``rel="license"`` link (its address), else a
    Creative Commons link anywhere on the page, else Dublin Core rights; '' when none."""
    for el in doc.iter("a", "link"):
        if "license" in (el.get("rel") or "").lower().split() and el.get("href"):
            return el.get("href").strip()
    for el in doc.iter("a", "link"):
        if _CC_LINK.match((el.get("href") or "").strip()):
            return el.get("href").strip()
    return _meta(doc, *_RIGHTS_META)


_TRAFILATURA_BLOCKS = {"p": "p", "head": "head", "item": "p", "quote": "p", "cell": "p"}


def _main_text(text: str) -> list[Block]:
    """The main text's blocks by trafilatura (precision first), or [] when it finds none."""
    import trafilatura

    found = trafilatura.extract(text, output_format="xml", favor_precision=True,
                                include_comments=False, include_images=False,
                                include_links=False, with_metadata=False)
    if not found:
        return []
    try:
        tree = parse_bytes(found.encode("utf-8"), where="trafilatura output")
    except XMLInputError:
        return []
    main = tree.getroot().find("main")
    blocks = []
    for el in (main if main is not None else tree.getroot()).iter(*_TRAFILATURA_BLOCKS):
        if any(a.tag in _TRAFILATURA_BLOCKS for a in el.iterancestors()):
            continue  # the outer block holds this text already
        content = " ".join("".join(el.itertext()).split())
        if content:
            blocks.append(Block(_TRAFILATURA_BLOCKS[el.tag], content))
    return blocks


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
    rights = licence(doc)
    blocks = _main_text(text)
    notes = [f"HTML main text by trafilatura ({encoding}); site navigation, scripts, styles "
             "and markup removed"]
    if not blocks:
        blocks = _fallback_blocks(doc, path)
        notes = [f"HTML main text ({encoding}); scripts, styles and markup removed"]
    if not title:
        title = next((b.text for b in blocks if b.kind == "head"), path.stem)
    return [Extracted(
        id_hint=path.stem, title=title, creators=authors or ([author] if author else []),
        source_meta=kept, rights=rights,
        date=m.group(0) if m else "", language=language, description=description,
        blocks=blocks, notes=notes,
    )]


def _fallback_blocks(doc, path: Path) -> list[Block]:
    """The ``main``/``article`` element's blocks, or the body's, without navigation."""
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
    return blocks
