"""What the library serves must not carry another's code or formulas: every value written into
a CSV cell, a RIS line, a BibTeX field or a link's ``href`` goes through this module, so that a
field added to an export later is neutralised like the others.

* CSV (OWASP, "CSV injection"): a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is read as a formula by spreadsheets; it is prefixed with ``'`` so that it is
  shown as the text it is.
* RIS: one tag per line, a record ends with ``ER``; a value holding a line break could end the
  record and start another, so every run of white space (line breaks included) becomes a space.
* BibTeX: a field is delimited by braces; a value's braces, backslashes and LaTeX specials are
  escaped (and white space collapsed), so no value can close its field and open another.
* Links: only ``http``, ``https`` and ``mailto`` URLs (and the library's own relative URLs)
  become ``href``s; ``javascript:``, ``data:``, ``file:`` and the rest are shown as text.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SPACE = re.compile(r"\s+")
_BIB_SPECIAL = re.compile(r"([{}%&#_$\\])")
_BIB_KEY = re.compile(r"[^A-Za-z0-9_:.-]")
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def csv_cell(value: object) -> object:
    """A value safe to write into a CSV cell (numbers are left alone)."""
    if not isinstance(value, str):
        return value
    value = value.replace("\x00", "")
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_row(values: list) -> list:
    return [csv_cell(v) for v in values]


def one_line(value: str) -> str:
    """Every run of white space (line breaks, tabs, U+2028…) as one space, trimmed."""
    return _SPACE.sub(" ", value or "").strip()


def ris_value(value: str) -> str:
    return one_line(value)


def bib_value(value: str) -> str:
    """A BibTeX field's content: braces and LaTeX specials escaped, a backslash written as
    ``\\textbackslash{}`` (``\\\\`` is LaTeX's line break, and a parser reads the brace after
    it as escaped: the field never closed), one line."""
    return _BIB_SPECIAL.sub(lambda m: r"\textbackslash{}" if m.group(1) == "\\"
                            else "\\" + m.group(1), one_line(value))


def bib_url(value: str) -> str:
    """A URL in a BibTeX field stays a URL (no LaTeX escapes a reader would keep); what could
    close the field (braces, backslash, white space) is percent-encoded."""
    return quote(one_line(value), safe=":/?#[]@!$&'()*+,;=%~-._")


def bib_key(value: str) -> str:
    return _BIB_KEY.sub("-", value) or "item"


def safe_url(url: str | None) -> str:
    """``url`` if it may become a link (http, https, mailto, or a path of this site), else
    ``""``. Control characters and white space inside the scheme are what browsers strip
    before reading it (``java\\tscript:``), so they are refused outright."""
    url = (url or "").strip()
    if not url or re.search(r"[\x00-\x20\x7f]", url):
        return ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    if scheme in LINK_SCHEMES:
        return url
    if not scheme and (url.startswith("/") and not url.startswith("//") or url.startswith("#")):
        return url
    return ""
