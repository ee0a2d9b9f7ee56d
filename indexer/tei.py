"""TEI P5 vocabulary: namespace, element maker and a deterministic serialiser.

Byte-identical output for identical input is a promise of the store (rebuilds must not churn
``sources/``), so serialisation lives in one place and never includes a timestamp.
"""

from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: TEI_NS}
NS = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"

E = ElementMaker(namespace=TEI_NS, nsmap=NSMAP)


def tag(local: str) -> str:
    """Clark name of a TEI element."""
    return f"{{{TEI_NS}}}{local}"


def local(el: etree._Element) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def xml_id(el: etree._Element) -> str | None:
    return el.get(XML_ID)


# Elements whose content is running text: whitespace inside them is meaningful (a space before a
# footnote marker shows on the page), so the serialiser never indents inside them.
MIXED = frozenset(
    "p ab quote q note head l seg hi item ref title licence persName citedRange figDesc "
    "author editor publisher pubPlace date biblScope idno term language".split()
)


def _indent(el: etree._Element, level: int) -> None:
    if local(el) in MIXED or (el.text and el.text.strip()):
        return
    children = [c for c in el if isinstance(c.tag, str)]
    if not children or any(c.tail and c.tail.strip() for c in el):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        child.tail = pad
        _indent(child, level + 1)
    el[-1].tail = "\n" + "  " * level


def serialize(root: etree._Element) -> bytes:
    """UTF-8 TEI with an XML declaration, structure indented, running text untouched."""
    _indent(root, 0)
    body = etree.tostring(root, encoding="UTF-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def text_of(el: etree._Element, skip: frozenset[str] = frozenset({"note"})) -> str:
    """Whitespace-normalised text of ``el`` without the subtrees named in ``skip``."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and local(child) not in skip:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join("".join(parts).split())
