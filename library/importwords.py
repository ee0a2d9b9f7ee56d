"""The import report in words a web user can act on: the command's messages name its flags
(``--pdf-password``, ``--rights``…), which mean nothing on the upload form; here each is said
as what to do on the form instead."""

from __future__ import annotations

import re

_NOT_IMPORTABLE = ("not a kind of file the library can import (TEI/XML, PDF, text, HTML, CSV, "
                   "TIFF, JPEG or PNG)")
# (pattern in the command's message, what a web user reads instead)
_REWRITES = [
    (re.compile(r"encrypted PDF; give its password with --pdf-password"),
     "the PDF is password-protected; type its password in the \u201cPassword of encrypted "
     "PDFs\u201d box and upload it again"),
    (re.compile(r"encrypted PDF; the password given does not open it"),
     "the PDF is password-protected and the password typed does not open it; check it and "
     "upload the file again"),
    (re.compile(r"add one \(manifest column 'rights' or --rights\)"),
     "fill in the \u201cRights statement\u201d box, or the manifest's rights column, and upload "
     "it again"),
    (re.compile(r", and --require-rights was given"), ""),
    (re.compile(r" — refused because --strict was given"), ""),
    (re.compile(r" — fix the file, or import it with --no-validate"),
     " — correct the file and upload it again"),
    (re.compile(r"not an importable format \((?:\.unknown|[^)]*)\)"),
     _NOT_IMPORTABLE),
    (re.compile(r"unknown format '\.unknown'; known: .*"),
     _NOT_IMPORTABLE),
    (re.compile(r"duplicate: already imported \(same sha256\)"),
     "already in the library (an identical file was imported before)"),
    (re.compile(r"duplicate: same content as another file of this batch"),
     "the same file as another one of this upload"),
    (re.compile(r"could not be (read|imported) \((\w+): (.*)\)$"),
     r"could not be \1: the file seems damaged or is not what its name says (\2: \3)"),
    (re.compile(r"no text layer \(scanned\?\) — OCR needed"),
     "it has no text to read and machine reading (OCR) found none either"),
    (re.compile(r"--replace \S+"), "replacing a document"),
    (re.compile(r"\s*\(--no-validate\)"), ""),
]


def for_web(message: str) -> str:
    """``message`` with the command's flags turned into what to do on the upload form."""
    for pattern, words in _REWRITES:
        message = pattern.sub(words, message)
    return message


def isotime(seconds: float) -> str:
    """A job's time, to the minute, in UTC (as the server keeps it)."""
    import datetime

    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
