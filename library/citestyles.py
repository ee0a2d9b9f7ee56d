"""Formatted references for "Cite this": Chicago (notes and bibliography), MLA and APA, made by
``citeproc-py`` from the item's CSL-JSON (``cite.csl_json``, so every field the record gives
reaches every style) with the CSL styles vendored in ``library/csl`` (see its README: source,
licence, the one adjustment made when loading).

A historian pastes a reference, not an export: these are what the document page shows, beside
the BibTeX, RIS and CSL-JSON exports."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc import model as citeproc_model
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from lxml import etree
from markupsafe import Markup

from indexer.engines.kept import Kept

from . import cite
from .i18n import N_

CSL = Path(__file__).parent / "csl"
NS = "{http://purl.org/net/xbiblio/csl}"
# key → (file, label); the label is translated where shown
STYLES = {
    "chicago": ("chicago-notes-bibliography.csl", N_("Chicago (notes and bibliography)")),
    "mla": ("modern-language-association.csl", N_("MLA")),
    "apa": ("apa.csl", N_("APA")),
}
# what the library writes for itself in the CSL-JSON (its rights note, the source it was read
# from): true, but not part of a reference, and some styles would print ``note``
NOT_CITED = ("note", "license", "source")


@dataclass
class Formatted:
    style: str
    label: str
    note: Markup  # Chicago: the footnote; MLA and APA: the in-text citation
    bibliography: Markup  # the entry of the list of works cited


# citeproc-py works out again, on every rendering, what depends on the style alone: it
# evaluates an XPath each time an element looks up a macro, its layout or a locale's term
# (21,000 evaluations for 40 references, 40% of a document page's time), and whether an
# element calls a variable, down its whole subtree, for every child of every group it renders
# (3,500 calls a reference). The styles and locales are parsed once and never change while
# rendering, so each answer is kept per (element, question). The element is kept with its
# answer: lxml then hands out the same element object for that node, so its id keeps naming it.
_KEPT: dict[tuple[int, str], tuple[object, object]] = {}


def _per_element(element, question: str, answer: Callable[[], object]):
    kept = _KEPT.get((id(element), question))
    if kept is None or kept[0] is not element:
        if len(_KEPT) > 20_000:  # three styles need about 2,400; never grow without bound
            _KEPT.clear()
        kept = _KEPT[(id(element), question)] = (element, answer())
    return kept[1]


def _xpath_search(self, expression: str) -> list:
    return _per_element(self, expression,
                        lambda: self.xpath(expression, namespaces=self.nsmap))


citeproc_model.CitationStylesElement.xpath_search = _xpath_search


def _kept_calls(calls_variable):
    def kept(self) -> bool:
        return _per_element(self, "calls_variable()", lambda: calls_variable(self))
    return kept


for _cls in (citeproc_model.Parent, citeproc_model.Text):
    _cls.calls_variable = _kept_calls(_cls.__dict__["calls_variable"])


def _reference(self):
    """A cited item's reference, looked up once: citeproc-py goes through three dictionary
    wrappers that raise and catch on each of its 2,400 lookups a reference."""
    found = self.__dict__.get("_reference")
    if found is None:
        found = self.__dict__["_reference"] = self.bibliography.source[self.key]
    return found


CitationItem.reference = property(_reference)


@cache
def _style(filename: str) -> CitationStylesStyle:
    """A vendored style, adjusted where citeproc-py 0.11 departs from CSL 1.0.2 (the files
    are unchanged): it ignores ``initialize="false"`` and initialises every given name the
    style's ``initialize-with`` reaches."""
    tree = etree.parse(str(CSL / filename), etree.XMLParser(resolve_entities=False,
                                                             no_network=True))
    root = tree.getroot()
    # citeproc-py 0.11 turns "1-10" into "1–0" under MLA's "minimal-two": ranges as given
    if root.get("page-range-format") == "minimal-two":
        del root.attrib["page-range-format"]
    inherited = root.attrib.pop("initialize-with", None)
    for name in root.iter(f"{NS}name"):
        if name.get("initialize") == "false":
            name.attrib.pop("initialize-with", None)
        elif inherited is not None and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)
    # and it prints a variable's label ("Edition") when the variable is empty: a label is
    # made conditional on its variable, as CSL says it is
    for label in list(root.iter(f"{NS}label")):
        variable = label.get("variable")
        if variable and variable != "locator":
            choose = etree.Element(f"{NS}choose")
            branch = etree.SubElement(choose, f"{NS}if", variable=variable)
            label.addprevious(choose)
            branch.append(label)
    return CitationStylesStyle(io.BytesIO(etree.tostring(tree)), validate=False)


def csl_data(it: cite.Item) -> dict:
    data = json.loads(cite.csl_json(it))[0]
    for key in NOT_CITED:
        data.pop(key, None)
    # an article's periodical: the record names it as the publisher (Desk Russie)
    if data.get("type", "").startswith("article") and "container-title" not in data \
            and data.get("publisher"):
        data["container-title"] = data.pop("publisher")
    return data


def _escaped(value):
    """Every string of a CSL-JSON item HTML-escaped: citeproc-py's HTML output adds tags
    (<i>) around the values as given, without escaping them."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


# American punctuation, which the three styles ask for (CSL's punctuation-in-quote) and
# citeproc-py does not apply: a comma or full stop after a closing quotation mark goes inside
# it, and none follows a title's own ? or !
_OUTSIDE = re.compile(r"”([.,])")
_DOUBLED = re.compile(r"([?!])([.,])(?=”|</i>|\s|$)")


def _punctuate(text: str) -> str:
    return _DOUBLED.sub(r"\1", _OUTSIDE.sub(r"\1”", text))


def format_item(data: dict, style: str, paragraph: str | None = None) -> Formatted:
    """``data`` (one CSL-JSON item) as ``style`` writes it, in HTML (the values escaped
    here); ``paragraph``: the locator of a cited paragraph (Chicago's note: "…, para. 4.")."""
    filename, label = STYLES[style]
    source = CiteProcJSON([_escaped(data)])

    def run(**where) -> tuple[str, list[str]]:
        bibliography = CitationStylesBibliography(_style(filename), source, formatter.html)
        citation = Citation([CitationItem(data["id"], **where)])
        bibliography.register(citation)
        return (str(bibliography.cite(citation, lambda _item: None)),
                [str(e) for e in bibliography.bibliography()])

    # the locator is the note's, never the bibliography's
    note = run(locator=Locator("paragraph", paragraph))[0] if paragraph else None
    plain_note, entries = run()
    note = note or plain_note
    return Formatted(style, label, Markup(_punctuate(str(note))),
                     Markup(_punctuate(entries[0]) if entries else ""))


# A record's references as formatted, by what they are made from (its CSL-JSON and locator):
# citeproc-py takes about 30 ms a style, more than the rest of a document page, and a record
# changes far less often than it is read. Bounded: a few thousand records.
_FORMATTED = Kept(4_000)


def references(it: cite.Item) -> list[Formatted]:
    """The item in every style, in the order of ``STYLES``."""
    data = csl_data(it)
    found = re.search(r"-p(\d+)$", it.passage or "")
    paragraph = found.group(1) if found else None
    return list(_FORMATTED.compute(
        (json.dumps(data, sort_keys=True), paragraph),
        lambda: tuple(format_item(data, key, paragraph) for key in STYLES)))
