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

from whoosh.analysis import Filter, RegexTokenizer, StopFilter
from whoosh.lang.porter import stem as english_stem
from whoosh.lang.snowball.russian import RussianStemmer

_KEEP = {("n", "\u0303"), ("N", "\u0303"), ("и", "\u0306"), ("И", "\u0306")}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Words, with inner full stops kept (U.S.); apostrophes split (Stalin’s → stalin, s).
TOKEN = r"\w+(?:\.?\w+)*"


def fold(text: str) -> str:
    """Lower-case ``text`` and remove accents, except ñ and й; ё becomes е."""
    if text.isascii():  # most words: nothing to decompose
        return text.lower()
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
    """Lower-cases and applies :func:`fold` to every token (one pass instead of two filters)."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            t.text = text.lower() if text.isascii() else fold(text)
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
    return RegexTokenizer(TOKEN) | FoldFilter() | StopFilter() | ScriptStemFilter(names)


def exact_analyzer():
    """Exact forms (folded only), every word kept: phrases, proximity, spelling suggestions."""
    return RegexTokenizer(TOKEN) | FoldFilter()


_WORD = re.compile(r"[^\W\d_]+")
# A capitalised word not at the start of a sentence (nor after a colon or an opening quote).
_CAPITALISED = re.compile(r"(?<![.!?…:;“”\"«»(\n] )(?<!^)\b([A-ZА-ЯЁ][^\W\d_]*)")


def capitalised_words(texts: Iterable[str], min_count: int = 2, ratio: float = 0.9) -> set[str]:
    """Folded words that the corpus writes with a capital in mid-sentence (names, places) at
    least ``min_count`` times, and in lower case in less than ``1 - ratio`` of their uses."""
    upper, lower = Counter(), Counter()
    for text in texts:
        lower.update(w for w in _WORD.findall(text) if w.islower())
        upper.update(w.lower() for w in _CAPITALISED.findall(text))
    return {fold(w) for w, n in upper.items()
            if n >= min_count and lower[w] <= (1 - ratio) * (n + lower[w]) and len(w) > 2}
