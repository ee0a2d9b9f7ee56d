"""Tesseract OCR, one page image at a time, called as a process (``tesseract IMAGE stdout
tsv``): the TSV gives every word's confidence, and a process can be given a time limit.

The language of a page is the one asked for (the manifest's ``language``, or ``--ocr-lang``),
else chosen from the page's script as Tesseract's orientation and script detection
(``--psm 0``) sees it: running ``eng+rus`` on an English page invents Cyrillic and is slower
(measured: 8.9 s against 5.3 s a page), so one language is chosen per page.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import ocrtext

PAGE_SECONDS = float(os.environ.get("LIBRARY_OCR_SECONDS", "180"))  # per page, then given up
# ISO 639-1 (manifests, TEI) → Tesseract's language data
TESSERACT_LANG = {"en": "eng", "ru": "rus", "fr": "fra", "de": "deu", "cs": "ces",
                  "hu": "hun", "it": "ita", "es": "spa", "uk": "ukr"}
ISO_LANG = {v: k for k, v in TESSERACT_LANG.items()}
SCRIPT_LANG = {"Latin": "eng", "Cyrillic": "rus"}
# one thread per Tesseract: pages are read in parallel instead (OpenMP threads inside one
# Tesseract gain little on few cores and fight the other pages for them)
_ENV = dict(os.environ, OMP_THREAD_LIMIT="1")


class OCRUnavailable(RuntimeError):
    """Tesseract, or the language data asked for, is not installed."""


@dataclass
class PageText:
    n: int
    text: str = ""
    confidence: float | None = None  # mean word confidence, 0-100
    lang: str = ""  # the Tesseract languages it was read with
    seconds: float = 0.0
    error: str = ""  # why there is no text (the time limit, a Tesseract failure)
    # every kept word: [text, x, y, w, h, confidence, paragraph, line] (indexer.ocrtext), its
    # box in the pixels of the image read, which is width × height
    words: list[list] = field(default_factory=list)
    width: int = 0
    height: int = 0


@functools.cache
def installed() -> tuple[str, ...]:
    """Tesseract's installed languages (empty when Tesseract is not installed)."""
    exe = shutil.which("tesseract")
    if not exe:
        return ()
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    return tuple(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


@functools.cache
def version() -> str:
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
    m = re.search(r"tesseract\s+(\S+)", out.stdout + out.stderr)
    return m.group(1) if m else ""


def languages_for(requested: str) -> str:
    """Tesseract languages for a request ('en', 'ru', 'eng+rus', 'en|ru'; '' = detect), or
    OCRUnavailable saying what is missing."""
    have = installed()
    if not have:
        raise OCRUnavailable("Tesseract is not installed (Debian: apt-get install "
                             "tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus)")
    if not requested:
        return ""
    wanted = [TESSERACT_LANG.get(p.strip().lower(), p.strip().lower())
              for p in re.split(r"[+|,]", requested) if p.strip()]
    missing = [w for w in wanted if w not in have]
    if missing:
        raise OCRUnavailable(f"no OCR language data for {', '.join(missing)} (installed: "
                             f"{', '.join(x for x in have if x != 'osd')})")
    return "+".join(wanted)


def detect_language(image: Path, timeout: float = 60) -> str:
    """The page's language from its script (Tesseract OSD); 'eng' when the script is unknown
    or the page has too little text to tell."""
    try:
        out = subprocess.run(["tesseract", str(image), "stdout", "--psm", "0"],
                             capture_output=True, text=True, timeout=timeout, env=_ENV)
    except subprocess.TimeoutExpired:
        return "eng"
    m = re.search(r"Script:\s*(\w+)", out.stdout)
    lang = SCRIPT_LANG.get(m.group(1), "eng") if m else "eng"
    return lang if lang in installed() else "eng"


def read_page(n: int, image: Path, lang: str = "", timeout: float = PAGE_SECONDS) -> PageText:
    """OCR of one page image; never raises for the page's own faults (they are the page's
    ``error``), so that one bad page does not lose the others."""
    start = time.monotonic()
    lang = lang or detect_language(image)
    try:
        out = subprocess.run(["tesseract", str(image), "stdout", "-l", lang, "tsv"],
                             capture_output=True, text=True, timeout=timeout, env=_ENV)
    except subprocess.TimeoutExpired:
        return PageText(n, lang=lang, seconds=time.monotonic() - start,
                        error=f"machine reading stopped after {timeout:.0f} s")
    if out.returncode:
        return PageText(n, lang=lang, seconds=time.monotonic() - start,
                        error=f"Tesseract failed: {out.stderr.strip()[-200:]}")
    words, width, height, confidence = ocrtext.layout(out.stdout)
    # the words stay unjoined: the document's vocabulary, known once every page is read,
    # decides (ocrtext.document_paragraphs); the page's own text joins what the page knows
    joined = [list(w) for w in words]
    ocrtext.join_hyphens(joined, ocrtext.vocabulary([words]))
    text = "\n\n".join(ocrtext.paragraphs(joined))
    return PageText(n, text, confidence, lang, time.monotonic() - start, words=words,
                    width=width, height=height)
