"""Text analysis for historical sources, applied identically at index and query time (Whoosh
stores the analyzer with the schema, so a query is always analysed as its field was).

* Folding: case, accents and ё/е are folded (Staël = Stael, Хрущёв = Хрущев, Čepička = Cepicka),
  but ñ stays ñ (España is not Espana) and й stays й (a letter, not и with an accent).
* Stemming, only in the ``text`` field: English for Latin script, Russian for Cyrillic (the script
  tells the language of a word more reliably than a passage's ``xml:lang``, since Russian names
  and titles stand inside English passages); never for names, which are protected by a list
  built from the person register and from the corpus (words written with a capital mid-sentence).
* ``text_exact`` keeps every word unstemmed and every stop word, for phrases and proximity.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang.porter import stem as english_stem
from whoosh.lang.snowball.russian import RussianStemmer

_KEEP = {("n", "\u0303"), ("N", "\u0303"), ("и", "\u0306"), ("И", "\u0306")}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Words, with inner full stops kept (U.S.); apostrophes split (Stalin’s → stalin, s).
_TOKEN = r"\w+(?:\.?\w+)*"


def fold(text: str) -> str:
    """Lower-case ``text`` and remove accents, except ñ and й; ё becomes е."""
    out = []
    decomposed = unicodedata.normalize("NFD", text)
    base = ""
    for ch in decomposed:
        if unicodedata.combining(ch):
            if (base, ch) in _KEEP:
                out.append(ch)
            continue
        base = ch
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).lower().replace("’", "'")


class FoldFilter(Filter):
    """Applies :func:`fold` to every token."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


class ScriptStemFilter(Filter):
    """English stemming for Latin-script words, Russian for Cyrillic; ``names`` are left alone."""

    is_morph = True

    def __init__(self, names: Iterable[str] = ()):
        self.names = frozenset(names)
        self._ru = None
        self._cache: dict[str, str] = {}

    def __eq__(self, other):
        return other.__class__ is self.__class__ and other.names == self.names

    def __getstate__(self):
        return {"names": self.names}

    def __setstate__(self, state):
        self.__init__(state["names"])

    def stem(self, word: str) -> str:
        if word in self.names or len(word) < 3 or word.isdigit() or "." in word:
            return word
        cached = self._cache.get(word)
        if cached is None:
            if _CYRILLIC.search(word):
                if self._ru is None:
                    self._ru = RussianStemmer()
                cached = self._ru.stem(word)
            else:
                cached = english_stem(word)
            if len(self._cache) < 200_000:
                self._cache[word] = cached
        return cached

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = self.stem(t.text)
            yield t


def text_analyzer(names: Iterable[str] = ()):
    """Running text: folded, stop words dropped, stemmed by script, names protected."""
    return (RegexTokenizer(_TOKEN) | LowercaseFilter() | FoldFilter()
            | StopFilter() | ScriptStemFilter(names))


def exact_analyzer():
    """Exact forms (folded only), every word kept: phrases, proximity, spelling suggestions."""
    return RegexTokenizer(_TOKEN) | LowercaseFilter() | FoldFilter()


_WORD = re.compile(r"\b[^\W\d_][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;“”\"«»(]\s*)$")


def capitalised_words(texts: Iterable[str], min_count: int = 2, ratio: float = 0.9) -> set[str]:
    """Folded words that the corpus writes with a capital in mid-sentence (names, places),
    at least ``min_count`` times and in at least ``ratio`` of their occurrences."""
    upper, total = Counter(), Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group(0)
            for part in re.split(r"[-'’]", word):
                if not part:
                    continue
                key = fold(part)
                total[key] += 1
                if part[0].isupper() and not _SENTENCE_START.search(text[max(0, m.start() - 3):
                                                                         m.start()]):
                    upper[key] += 1
    return {w for w, n in upper.items() if n >= min_count and n >= ratio * total[w] and len(w) > 2}
