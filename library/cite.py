"""Citations out: a document (or one of its passages) as CSL-JSON, BibTeX and RIS, as Highwire
``citation_*`` meta tags and COinS (what Zotero's connector reads), and as a readable citation
for the "cite this" box. One description of the item, several spellings of it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from indexer import dates
from indexer.teidoc import Document

from . import escaping, links

# document type → (CSL type, RIS type, BibTeX entry type, COinS genre)
TYPES = {
    "essay": ("article-magazine", "MGZN", "article", "article"),
    "letter": ("personal_communication", "PCOMM", "misc", "document"),
    "memoir": ("book", "BOOK", "book", "book"),
    "monograph": ("book", "BOOK", "book", "book"),
    "treatise": ("book", "BOOK", "book", "book"),
    "document-edition": ("book", "BOOK", "book", "book"),
    "diary": ("manuscript", "MANSCPT", "unpublished", "document"),
    "conversation": ("interview", "PCOMM", "misc", "document"),
    "speech": ("speech", "GEN", "misc", "document"),
    "news": ("article-newspaper", "NEWS", "article", "article"),
}
DEFAULT_TYPE = ("document", "GEN", "misc", "document")
_PARTICLES = {"de", "von", "van", "der", "da", "du", "di", "la", "le"}


@dataclass
class Name:
    family: str
    given: str = ""

    @property
    def inverted(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


def split_name(name: str) -> Name:
    """'Germaine de Staël' → family 'de Staël', given 'Germaine'; an institution stays whole."""
    words = name.split()
    if len(words) < 2 or any(w.lower() in ("office", "president", "department", "of")
                             for w in words):
        return Name(name)
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    return Name(" ".join(words[i:]), " ".join(words[:i]))


def _date_parts(date: str) -> list[int]:
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date or "")
    return [int(p) for p in m.groups() if p] if m else []


@dataclass
class Item:
    """What every format says of one document or passage."""

    key: str
    type: str
    title: str
    authors: list[Name]
    date: list[int]
    publisher: str
    url: str
    language: str
    note: str
    passage: str = ""
    rights_uri: str = ""  # the rights statement's URI (rightsstatements.org, Creative Commons)
    rights_label: str = ""
    container: str = ""  # the journal or magazine an article appeared in
    edtf: str = ""  # the date as EDTF when it is not one plain date ("1953-03~", "1952/1953")
    date_to: list[int] | None = None  # a range's end

    @property
    def kinds(self) -> tuple[str, str, str, str]:
        return TYPES.get(self.type, DEFAULT_TYPE)


def item(doc: Document, base_url: str, passage: str | None = None) -> Item:
    record = doc.record
    publisher = ""
    if record is not None:
        el = record.find("{*}publisher")
        publisher = " ".join("".join(el.itertext()).split()) if el is not None else ""
    url = f"{base_url.rstrip('/')}/doc/{doc.doc_id}" + (f"#{passage}" if passage else "")
    # the rights travel with the citation, with the statement's URI when it has one
    # (rightsstatements.org "Copyright Not Evaluated" for files that stated none)
    licence = doc.licence + (f" ({doc.licence_url})" if doc.licence_url else "")
    note = f"Licence: {licence}" + (f" Passage {passage}." if passage else "")
    source = links.as_text(links.authoritative(doc))
    if source:
        note += f" Authoritative source: {source}."
    kinds = TYPES.get(doc.type, DEFAULT_TYPE)
    parsed = dates.try_parse(doc.date_edtf) if doc.date_edtf else None
    ranged = parsed is not None and not parsed.exact
    return Item(doc.doc_id + (f"-{passage.rsplit('-', 1)[-1]}" if passage else ""), doc.type,
                doc.title, [split_name(a) for a in doc.authors], _date_parts(doc.date),
                publisher, url, doc.language, note, passage or "",
                rights_uri=doc.licence_url, rights_label=doc.rights_label or doc.licence,
                # an article's publisher is the periodical it appeared in (the essay: Desk
                # Russie, its record's publisher)
                container=publisher if kinds[2] == "article" else "",
                edtf=parsed.edtf if ranged else "",
                date_to=_date_parts(parsed.upper.isoformat())[:1]
                if ranged and parsed.first_year != parsed.last_year else None)


def csl_json(it: Item) -> str:
    data = {"id": it.key, "type": it.kinds[0], "title": it.title,
            "author": [{"family": n.family, "given": n.given} if n.given else
                       {"literal": n.family} for n in it.authors],
            "URL": it.url, "language": it.language, "note": it.note}
    rights = it.rights_uri or it.note.split("Licence: ", 1)[-1].split(" Passage ", 1)[0].split(
        " Authoritative source: ", 1)[0]
    if rights:
        data["license"] = rights  # CSL 1.0.2: the statement's URI
    if " Authoritative source: " in it.note:
        data["source"] = it.note.split(" Authoritative source: ", 1)[1].rstrip(".")
    if it.date:
        data["issued"] = {"date-parts": [it.date] + ([it.date_to] if it.date_to else [])}
        if it.edtf and re.search(r"[?~%]", it.edtf):
            data["issued"]["circa"] = True
    if it.publisher:
        data["publisher"] = it.publisher
    if it.container:
        data["container-title"] = it.container
    return json.dumps([data], ensure_ascii=False, indent=2)


# Fields whose value keeps its capitals in BibTeX styles (an extra pair of braces).
_BIB_PROTECTED = frozenset({"title"})
_BIB_URLS = frozenset({"url"})


def _bib_field(name: str, value: str) -> str:
    """One BibTeX field, its value escaped here and nowhere else (escaping.py)."""
    if name in _BIB_URLS:
        return escaping.bib_url(value)
    if name == "author":  # already a list of escaped names joined by " and "
        return value
    text = escaping.bib_value(value)
    return f"{{{text}}}" if name in _BIB_PROTECTED else text


def bibtex(it: Item) -> str:
    def person(n: Name) -> str:
        return (escaping.bib_value(n.inverted) if n.given
                else f"{{{escaping.bib_value(n.family)}}}")

    fields = [("title", it.title), ("author", " and ".join(person(n) for n in it.authors))]
    if it.date:
        fields.append(("year", str(it.date[0])))
        if len(it.date) > 1:
            fields.append(("month", str(it.date[1])))
    if it.edtf:  # biblatex reads EDTF dates: ranges, "~" and "?"
        fields.append(("date", it.edtf))
    if it.container:
        fields.append(("journal", it.container))
    elif it.publisher:
        fields.append(("publisher", it.publisher))
    fields += [("url", it.url), ("language", it.language), ("note", it.note)]
    if it.rights_uri:
        fields.append(("copyright", f"{it.rights_label} ({it.rights_uri})"))
    body = ",\n".join(f"  {k} = {{{_bib_field(k, v)}}}" for k, v in fields if v)
    return f"@{it.kinds[2]}{{{escaping.bib_key(it.key)},\n{body}\n}}\n"


def ris(it: Item) -> str:
    lines = [("TY", it.kinds[1]), ("TI", it.title)]
    lines += [("AU", n.inverted) for n in it.authors]
    if it.date:
        lines.append(("PY", str(it.date[0])))
        parts = [str(it.date[0])] + [f"{p:02d}" for p in it.date[1:]]
        lines.append(("DA", "/".join((parts + ["", ""])[:3]) + "/"))  # YYYY/MM/DD/
    if it.container:
        lines.append(("T2", it.container))
    if it.publisher:
        lines.append(("PB", it.publisher))
    lines += [("UR", it.url), ("LA", it.language), ("N1", it.note)]
    if it.rights_uri:  # RIS has no rights tag: a note of its own
        lines.append(("N1", f"Rights: {it.rights_label} {it.rights_uri}"))
    # every value on its own line (escaping.py); only this ER ends the record
    body = "".join(f"{tag}  - {escaping.ris_value(value)}".rstrip() + "\n"
                   for tag, value in lines if tag != "ER")
    return body + "ER  -\n"


def highwire(it: Item) -> list[tuple[str, str]]:
    """(name, content) pairs for <meta name=… content=…>."""
    tags = [("citation_title", it.title)]
    tags += [("citation_author", n.inverted) for n in it.authors]
    if it.date:
        tags.append(("citation_publication_date", "/".join(
            f"{p:02d}" if i else str(p) for i, p in enumerate(it.date))))
    if it.publisher:
        tags.append(("citation_publisher", it.publisher))
    tags += [("citation_language", it.language), ("citation_abstract_html_url", it.url),
             ("DC.title", it.title), ("DC.rights", it.note)]
    return [(k, v) for k, v in tags if v]


def coins(it: Item) -> str:
    """The ``title`` of a COinS span (OpenURL ContextObject, KEV)."""
    genre = it.kinds[3]
    book = genre == "book"
    pairs = [("ctx_ver", "Z39.88-2004"),
             ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{'book' if book else 'journal'}"),
             ("rft.genre", genre), ("rft.btitle" if book else "rft.atitle", it.title)]
    pairs += [("rft.au", n.inverted) for n in it.authors]
    if it.date:
        pairs.append(("rft.date", "-".join(f"{p:02d}" if i else str(p)
                                           for i, p in enumerate(it.date))))
    if it.publisher:
        pairs.append(("rft.pub", it.publisher))
    pairs.append(("rft_id", it.url))
    return urlencode(pairs)


def readable(it: Item) -> str:
    """A citation for people: Authors, Title (date), URL."""
    who = "; ".join(n.inverted for n in it.authors)
    when = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(it.date))
    parts = [p for p in (who, f"“{it.title}”", it.publisher, when) if p]
    return ", ".join(parts) + f". {it.url}"
