"""Chunkers cut a plain text into citable passages.

A passage is what a footnote can point at and what a search hit shows, so it should be a unit a
reader recognises: the author's paragraph where the text kept its paragraphs (``lines``), and a
run of whole sentences of paragraph size where scraping lost them (``sentences``). Chunking is a
pure function of the text: the same input always yields the same passages, hence the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {"mr", "mrs", "ms", "dr", "st", "no", "vol", "pp", "p", "ch", "cf", "vs", "etc", "jr",
           "sr", "gen", "col", "gov", "sen", "rep", "prof", "u.s", "u.n", "e.g", "i.e"}
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-ZА-ЯЁ0-9<])")
# A typographic section break (``* * *``) starts a new passage.
_BREAK = re.compile(r"\s*\*\s*\*\s*\*\s*")


def lines(text: str) -> list[str]:
    """One passage per non-empty line (texts that kept one paragraph per line)."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a full stop after an abbreviation or an initial ends none."""
    sentences: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        word = re.search(r"([\w.]+)[.!?…][\"”’)]*$", text[start : m.start()])
        if word and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1):
            continue
        sentences.append(text[start : m.start()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def sentences(text: str, target: int = 600, limit: int = 1000) -> list[str]:
    """Runs of whole sentences of about ``target`` characters (never more than ``limit`` unless a
    single sentence is longer), restarting at section breaks (``* * *``)."""
    passages: list[str] = []
    for section in _BREAK.split(" ".join(text.split())):
        current = ""
        for sentence in split_sentences(section):
            if current and (len(current) >= target or len(current) + len(sentence) > limit):
                passages.append(current)
                current = ""
            current = f"{current} {sentence}".strip()
        if current:
            passages.append(current)
    return passages


CHUNKERS: dict[str, Callable[[str], list[str]]] = {"lines": lines, "sentences": sentences}
