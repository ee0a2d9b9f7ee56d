"""Rights as URIs: the rightsstatements.org statements and the Creative Commons licences and
marks, each with its label and the store's availability code. Free text given on import is
mapped to one of them only when it names one unambiguously; otherwise the statement is
"Copyright Not Evaluated", the words are kept as a note and the import warns."""

from __future__ import annotations

import re
from dataclasses import dataclass

RS = "http://rightsstatements.org/vocab/"
CC = "https://creativecommons.org/"


@dataclass(frozen=True)
class Statement:
    uri: str
    label: str
    code: str  # the store's availability category (indexer.header.AVAILABILITY)
    short: str = ""  # what people write for it ("CC BY 4.0")


STATEMENTS: tuple[Statement, ...] = (
    Statement(f"{RS}InC/1.0/", "In Copyright", "copyright"),
    Statement(f"{RS}InC-OW-EU/1.0/", "In Copyright - EU Orphan Work", "copyright"),
    Statement(f"{RS}InC-EDU/1.0/", "In Copyright - Educational Use Permitted", "copyright"),
    Statement(f"{RS}InC-NC/1.0/", "In Copyright - Non-Commercial Use Permitted", "copyright"),
    Statement(f"{RS}InC-RUU/1.0/", "In Copyright - Rights-holder(s) Unlocatable or "
              "Unidentifiable", "copyright"),
    Statement(f"{RS}NoC-CR/1.0/", "No Copyright - Contractual Restrictions", "public-domain"),
    Statement(f"{RS}NoC-NC/1.0/", "No Copyright - Non-Commercial Use Only", "public-domain"),
    Statement(f"{RS}NoC-OKLR/1.0/", "No Copyright - Other Known Legal Restrictions",
              "public-domain"),
    Statement(f"{RS}NoC-US/1.0/", "No Copyright - United States", "public-domain"),
    Statement(f"{RS}CNE/1.0/", "Copyright Not Evaluated", "not-evaluated"),
    Statement(f"{RS}UND/1.0/", "Copyright Undetermined", "uncertain"),
    Statement(f"{RS}NKC/1.0/", "No Known Copyright", "uncertain"),
    Statement(f"{CC}publicdomain/mark/1.0/", "Public Domain Mark 1.0", "public-domain",
              "Public domain"),
    Statement(f"{CC}publicdomain/zero/1.0/", "CC0 1.0 Universal", "public-domain", "CC0 1.0"),
    Statement(f"{CC}licenses/by/4.0/", "Creative Commons Attribution 4.0 International",
              "cc-by-4.0", "CC BY 4.0"),
    Statement(f"{CC}licenses/by-sa/4.0/", "Creative Commons Attribution-ShareAlike 4.0 "
              "International", "open", "CC BY-SA 4.0"),
    Statement(f"{CC}licenses/by-nd/4.0/", "Creative Commons Attribution-NoDerivatives 4.0 "
              "International", "open", "CC BY-ND 4.0"),
    Statement(f"{CC}licenses/by-nc/4.0/", "Creative Commons Attribution-NonCommercial 4.0 "
              "International", "open", "CC BY-NC 4.0"),
    Statement(f"{CC}licenses/by-nc-sa/4.0/", "Creative Commons Attribution-NonCommercial-"
              "ShareAlike 4.0 International", "open", "CC BY-NC-SA 4.0"),
    Statement(f"{CC}licenses/by-nc-nd/4.0/", "Creative Commons Attribution-NonCommercial-"
              "NoDerivatives 4.0 International", "open", "CC BY-NC-ND 4.0"),
    Statement(f"{CC}licenses/by/3.0/", "Creative Commons Attribution 3.0 Unported", "open",
              "CC BY 3.0"),
    Statement(f"{CC}licenses/by-sa/3.0/", "Creative Commons Attribution-ShareAlike 3.0 "
              "Unported", "open", "CC BY-SA 3.0"),
)
BY_URI = {s.uri: s for s in STATEMENTS}
CNE = BY_URI[f"{RS}CNE/1.0/"]
# what a curated record's category means when it names no statement (seeds/works.toml)
FOR_CODE = {"copyright": f"{RS}InC/1.0/", "uncertain": f"{RS}UND/1.0/",
            "not-evaluated": CNE.uri, "public-domain": f"{CC}publicdomain/mark/1.0/",
            "cc-by-4.0": f"{CC}licenses/by/4.0/"}

_CC_PATH = re.compile(r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)",
                      re.I)
_RS_PATH = re.compile(r"rightsstatements\.org/(?:vocab|page)/([A-Za-z-]+)/(\d\.\d)", re.I)


def by_uri(uri: str) -> Statement | None:
    """The statement a URI names, in any of its spellings (http or https, www., a deed or
    legal-code page, a language suffix, with or without the final slash)."""
    m = _CC_PATH.search(uri or "")
    if m:
        return BY_URI.get(f"{CC}{m[1].lower()}/{m[2].lower()}/{m[3]}/")
    m = _RS_PATH.search(uri or "")
    if m:
        wanted = m[1].lower()
        return next((s for s in STATEMENTS if s.uri.startswith(RS)
                     and s.uri[len(RS):].split("/")[0].lower() == wanted), None)
    return None


@dataclass(frozen=True)
class Mapped:
    statement: Statement
    note: str = ""  # the words as given, when they were not mapped (or say more than the label)
    warning: str = ""  # why the words could not be mapped


_SHORT = re.compile(r"\bcc[ -]?(by(?:[ -](?:sa|nd|nc(?:[ -](?:sa|nd))?))?)[ -]?(\d\.\d)\b",
                    re.I)
_PHRASES = (  # (pattern, uri), in order of precedence: the first that matches names it
    (re.compile(r"copyright not evaluated", re.I), CNE.uri),
    (re.compile(r"copyright undetermined|copyright status (?:is )?(?:uncertain|unclear|"
                r"unknown)", re.I), f"{RS}UND/1.0/"),
    (re.compile(r"no known copyright", re.I), f"{RS}NKC/1.0/"),
    (re.compile(r"\bcc0\b|creative commons zero", re.I), f"{CC}publicdomain/zero/1.0/"),
    (re.compile(r"^public[ -]domain\b.*(?:us federal government|u\.s\.c\.|united states "
                r"government)", re.I), f"{RS}NoC-US/1.0/"),
    (re.compile(r"^(?:public[ -]domain|pd)\b", re.I), f"{CC}publicdomain/mark/1.0/"),
    (re.compile(r"creative commons attribution 4\.0", re.I), f"{CC}licenses/by/4.0/"),
    (re.compile(r"^(?:©|copyrighted\b|copyright ©|in copyright\b)|all rights reserved", re.I),
     f"{RS}InC/1.0/"),
)


def map_rights(text: str) -> Mapped:
    """The statement free text names, when it names one and only one; else Copyright Not
    Evaluated with the words kept as a note and a warning saying why. A URI or a licence's
    short name ("CC BY-SA 4.0") is taken before wordings."""
    words = " ".join((text or "").split())
    if not words:
        return Mapped(CNE)
    found = {s.uri: s for s in (by_uri(u) for u in re.findall(r"https?://\S+", words)) if s}
    for m in _SHORT.finditer(words):
        kind = re.sub(r"[ -]+", "-", m[1].lower())
        s = BY_URI.get(f"{CC}licenses/{kind}/{m[2]}/")
        if s:
            found[s.uri] = s
    if not found:
        uri = next((uri for pattern, uri in _PHRASES if pattern.search(words)), None)
        if uri:
            found[uri] = BY_URI[uri]
    if len(found) == 1:
        (statement,) = found.values()
        said = words.lower().rstrip(".") in (statement.label.lower(), statement.short.lower(),
                                             statement.uri.lower()) \
            or bool(re.fullmatch(r"https?://\S+", words))
        return Mapped(statement, "" if said else words)
    why = ("names several statements" if found else
           "is not a rightsstatements.org statement or a Creative Commons licence the library "
           "can name for certain")
    return Mapped(CNE, words, f"rights “{words[:80]}” {why}: recorded as {CNE.label}, the "
                  "words kept as a note")


def describe(uri: str) -> Statement:
    """The statement of ``uri`` (Copyright Not Evaluated for an unknown one)."""
    return by_uri(uri) or CNE


def choices() -> list[Statement]:
    """The statements a librarian chooses from, in the order shown."""
    return list(STATEMENTS)
