"""A document's date as the Library of Congress's Extended Date/Time Format (EDTF, parsed by
the ``edtf`` package): exact ("1953-03-05"), approximate ("1953-03~"), uncertain ("1952?"),
a season ("1953-21", spring), a range ("1952/1953"), one of a set ("[1952,1953]"),
unspecified digits ("195X"). Written to TEI as ``@when``, or ``@notBefore``/``@notAfter``,
with ``@cert`` for a qualified date and the EDTF itself in ``@when-custom`` (with
``@datingMethod`` naming EDTF) so that nothing is lost on the way back; shown in words; indexed
by its first and last year, so that a range matches every year it spans.

Which date of a TEI file is the document's: ``profileDesc/creation/date``, then a date in
``sourceDesc``, then another header date with ``@when``/``@notBefore``/``@notAfter`` that
is not the digital file's own (a publication, posting or revision date); never the latter."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from lxml import etree

from .tei import NS

EDTF_URI = "https://www.loc.gov/standards/datetime/"
SEASONS = {"21": "spring", "22": "summer", "23": "autumn", "24": "winter"}
# dates of the digital file, not of the document it carries
FILE_DATES = frozenset({"posted", "published", "publication", "issued", "updated", "modified",
                        "digitized", "digitised", "released", "revised", "encoded", "online"})
_DAY = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
MAX_LENGTH = 100


class DateError(ValueError):
    """Not a date this library can store; ``str()`` says why."""


@dataclass(frozen=True)
class DocDate:
    edtf: str  # as stored and edited
    lower: datetime.date
    upper: datetime.date
    qualified: bool  # uncertain or approximate

    @property
    def first_year(self) -> int:
        return self.lower.year

    @property
    def last_year(self) -> int:
        return self.upper.year

    @property
    def exact(self) -> bool:
        """One plain calendar date (a day, a month or a year) without qualifier."""
        return bool(_DAY.match(self.edtf))

    @property
    def iso(self) -> str:
        """A sortable ISO date for what expects one: the date itself when exact, else the
        first day of the range at the precision the EDTF gives (a year for "1952/1953")."""
        if self.exact:
            return self.edtf
        head = re.match(r"^\[?\{?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", self.edtf)
        if head and head[2] and int(head[2]) > 12:  # a season: its year
            return head[1]
        if head and "X" not in self.edtf[:4]:
            return "-".join(p for p in head.groups() if p)
        return str(self.lower.year)

    @property
    def words(self) -> str:
        return in_words(self.edtf)


def parse(value: str) -> DocDate:
    """An EDTF string → its date and bounds; raises DateError saying what is wrong."""
    from edtf import EDTFParseException, parse_edtf, struct_time_to_date

    text = (value or "").strip()
    if not text or len(text) > MAX_LENGTH:
        raise DateError(f"{text[:40]!r} is not an EDTF date")
    try:
        parsed = parse_edtf(text)
        lower = struct_time_to_date(parsed.lower_strict())
        upper = struct_time_to_date(parsed.upper_strict())
    except (EDTFParseException, TypeError, ValueError, AttributeError, OverflowError):
        raise DateError(f"{text!r} is not an EDTF date (examples: 1953-03-05, 1953-03~ for "
                        "about March 1953, 1952? for probably 1952, 1953-21 for spring 1953, "
                        "1952/1953 for between 1952 and 1953)") from None
    if upper < lower:
        raise DateError(f"{text!r}: the range ends before it begins")
    if "T" in text:  # a time of day: the document's date is its day
        return parse(text.split("T", 1)[0])
    return DocDate(text, lower, upper, bool(re.search(r"[?~%]", text)))


def try_parse(value: str) -> DocDate | None:
    try:
        return parse(value)
    except DateError:
        return None


def _plain_words(value: str) -> str:
    m = _DAY.match(value)
    if not m:
        season = re.match(r"^(\d{4})-(2[1-4])$", value)
        if season:
            return f"{SEASONS[season[2]]} {season[1]}"
        decade = re.match(r"^(\d{3})X$", value)
        if decade:
            return f"the {decade[1]}0s"
        century = re.match(r"^(\d{2})XX$", value)
        if century:
            return f"the {century[1]}00s"
        return value
    year, month, day = m.groups()
    if not month:
        return year
    name = calendar.month_name[int(month)] if 1 <= int(month) <= 12 else month
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


def in_words(edtf: str) -> str:
    """"about March 1953", "1952 or 1953", "spring 1953", "probably 1952"…"""
    value = edtf.strip()
    if value.startswith("[") and value.endswith("]"):
        items = [_plain_words(v.strip()) for v in value[1:-1].split(",") if v.strip()]
        return " or ".join(items) if len(items) < 3 else \
            "one of " + ", ".join(items[:-1]) + " or " + items[-1]
    if "/" in value:
        start, end = (v.strip() for v in value.split("/", 1))
        a, b = in_words(start), in_words(end)
        if re.fullmatch(r"\d{4}", start) and re.fullmatch(r"\d{4}", end) and \
                int(end) - int(start) == 1:
            return f"{start} or {end}"
        return f"between {a} and {b}"
    m = re.match(r"^(.*?)([?~%])$", value)
    if m:
        base = _plain_words(m[1])
        return {"~": f"about {base}", "?": f"probably {base}",
                "%": f"perhaps about {base}"}[m[2]]
    return _plain_words(value)


# -- TEI ----------------------------------------------------------------------------------------
def tei_attributes(date: DocDate) -> dict[str, str]:
    """``@when`` for an exact date; otherwise ``@notBefore``/``@notAfter`` (or ``@when`` with
    ``@cert`` for a qualified single date), and the EDTF kept in ``@when-custom``."""
    if date.exact:
        return {"when": date.edtf}
    attrs: dict[str, str] = {}
    single = re.match(r"^(\d{4}(?:-\d{2}){0,2})[?~%]$", date.edtf)
    if single and not re.match(r"^\d{4}-2[1-4]", single[1]):
        attrs["when"] = single[1]
    else:
        attrs["notBefore"] = date.lower.isoformat()
        attrs["notAfter"] = date.upper.isoformat()
    if date.qualified:
        attrs["cert"] = "low" if "?" in date.edtf or "%" in date.edtf else "medium"
    attrs["when-custom"] = date.edtf
    attrs["datingMethod"] = EDTF_URI
    return attrs


def date_element(date: DocDate | None) -> etree._Element:
    """``<date>`` of a document: its words and attributes, or "undated"."""
    from .tei import E

    if date is None:
        return E.date("undated")
    return E.date(date.words, **tei_attributes(date))


def from_element(el: etree._Element | None) -> str:
    """The EDTF a TEI ``date`` states ('' when it states none a library can read)."""
    if el is None:
        return ""
    custom = el.get("when-custom")
    if custom and "datetime" in (el.get("datingMethod") or "") and try_parse(custom):
        return custom
    cert = el.get("cert", "")
    when = (el.get("when") or "").split("T", 1)[0]
    if when and try_parse(when):
        return when + ("?" if cert in ("low", "unknown") else "~" if cert == "medium" else "")
    lo = (el.get("notBefore") or el.get("from") or "").split("T", 1)[0]
    hi = (el.get("notAfter") or el.get("to") or "").split("T", 1)[0]
    if lo and hi:
        value = lo if lo == hi else f"{lo}/{hi}"
        return value if try_parse(value) else ""
    if lo or hi:
        return (lo or hi) if try_parse(lo or hi) else ""
    text = " ".join("".join(el.itertext()).split())
    return text if _DAY.match(text) and try_parse(text) else ""


def _is_file_date(el: etree._Element) -> bool:
    kinds = set((el.get("type") or "").lower().split())
    if kinds & FILE_DATES:
        return True
    parent = el.getparent()
    in_publication = any(etree.QName(a).localname in ("publicationStmt", "revisionDesc",
                                                       "editionStmt")
                         for a in el.iterancestors() if isinstance(a.tag, str))
    creation = kinds & {"created", "creation", "original", "written", "composed"}
    return in_publication and not creation and parent is not None


def document_date(root: etree._Element) -> tuple[str, str]:
    """(EDTF, where it was found) of a TEI document's own date, by the rule above; ('', '')
    when the file states none."""
    header = root.find("tei:teiHeader", NS)
    if header is None:
        return "", ""
    for where, path in (("profileDesc/creation", "tei:profileDesc/tei:creation//tei:date"),
                        ("sourceDesc", "tei:fileDesc/tei:sourceDesc//tei:date")):
        for el in header.iterfind(path, NS):
            value = from_element(el)
            if value:
                return value, where
    for el in header.iter(f"{{{NS['tei']}}}date"):
        if _is_file_date(el) or not any(el.get(a) for a in ("when", "notBefore", "notAfter",
                                                            "from", "to", "when-custom")):
            continue
        value = from_element(el)
        if value:
            parent = el.getparent()
            return value, f"{etree.QName(parent).localname}/date[@type={el.get('type', '')!r}]"
    return "", ""
