"""Language of a document and of its passages, detected with lingua (measured against
py3langid and langdetect on this library's text: bench/langid_bench.py, README).

Both a document's language (from a sample of its text) and a passage's are chosen among the
languages the library holds most (below), and only when lingua is clear about it; otherwise
the language is left unsaid ("und"). Over all 75 of lingua's languages a short English
sentence is too easily taken for Tswana or Frisian. lingua runs in its low-accuracy mode
(trigram models only): its models load in 0.1 s against 2-4 s a process, and on text of 120
characters or more it is as right as the full mode (measured, README); so a shorter passage is
only given a language of its own when its script differs from the document's (a Cyrillic line
in an English document), never on a guess among languages of one script. A Russian passage
inside an English document gets ``xml:lang="ru"``. What a file or the manifest states is never
overridden.
"""

from __future__ import annotations

import functools
import re

from .formats import Extracted

PASSAGE_LANGUAGES = ("en", "ru", "fr", "de", "uk", "cs", "pl", "it", "es", "hu")
MIN_LETTERS = 25  # fewer letters than this: the passage's language is not guessed…
MIN_OTHER_SCRIPT = 8  # …unless its script is not the document's: then the script says much
LONG = 120  # characters from which low-accuracy mode is as right as the full one
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SAMPLE = 6000  # characters of a document read to tell its language
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    return (LanguageDetectorBuilder.from_iso_codes_639_1(
        *(getattr(IsoCode639_1, c.upper()) for c in PASSAGE_LANGUAGES))
        .with_minimum_relative_distance(0.1).with_low_accuracy_mode().build())


def _code(language) -> str:
    return language.iso_code_639_1.name.lower() if language is not None else ""


def detect(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, or '' when it cannot be told."""
    if len(_LETTER.findall(text[:SAMPLE])) < MIN_LETTERS:
        return ""
    return _code(_detector().detect_language_of(text[:SAMPLE]))


def annotate(record: Extracted) -> None:
    """Set the record's language where nothing stated it, and the language of each passage
    that is in another language than the document."""
    paragraphs = [b for b in record.blocks if b.kind in ("p", "head")]
    if not paragraphs:
        return
    if not record.language:
        record.language = detect(" ".join(b.text for b in paragraphs)[:SAMPLE])
    if not record.language:
        return
    cyrillic = _script(" ".join(b.text for b in paragraphs)[:SAMPLE])
    todo = []
    for b in paragraphs:
        letters = len(_LETTER.findall(b.text))
        other = _script(b.text) != cyrillic
        if not b.lang and (letters >= MIN_OTHER_SCRIPT if other else
                           letters >= MIN_LETTERS and len(b.text) >= LONG):
            todo.append(b)
    if not todo:
        return
    found = _detector().detect_languages_in_parallel_of([b.text for b in todo])
    for block, language in zip(todo, found, strict=True):
        code = _code(language)
        if code and code != record.language:
            block.lang = code


def _script(text: str) -> bool:
    """Mostly Cyrillic letters (else mostly Latin, for this library's languages)."""
    letters = _LETTER.findall(text)
    return bool(letters) and len(_CYRILLIC.findall(text)) > len(letters) / 2
