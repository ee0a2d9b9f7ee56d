"""Text analysis for historical sources, in pure Python and applied identically at index and
query time, whichever engine holds the index (the engines are given analysed words, never text
to analyse their own way: their built-in folding and stemmers break the rules below).

* Folding: case, accents and ё/е are folded (Staël = Stael, Хрущёв = Хрущев, Čepička = Cepicka),
  but ñ stays ñ (España is not Espana) and й stays й (a letter, not и with an accent).
* Stemming, only in the ``text`` field: English (the original Porter algorithm) for Latin
  script, Russian (Snowball) for Cyrillic — the script tells the language of a word more
  reliably than a passage's ``xml:lang``, since Russian names and titles stand inside English
  passages; never for names, which are protected by a list built from the person register and
  from the corpus (words written with a capital mid-sentence).
* ``text_exact`` keeps every word unstemmed and every stop word, for phrases and proximity.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer

_KEEP = {("n", "\u0303"), ("N", "\u0303"), ("и", "\u0306"), ("И", "\u0306")}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Words, with inner full stops kept (U.S.); apostrophes split (Stalin’s → stalin, s).
# (possessive: the same words as r"\w+(?:\.?\w+)*", a third faster, never backtracking)
TOKEN = r"\w++(?:\.\w++)*+"
_TOKEN = re.compile(TOKEN)
# The stop list Whoosh used when this library ran on it alone: kept word for word, so that the
# index and the judged relevance figures stay what they were.
STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in",
    "is", "it", "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we",
    "when", "will", "with", "yet", "you", "your"))
_UNSEEN = object()
# Words shorter than this are dropped from the stemmed field with the stop words.
MIN_STEMMED = 2


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


@dataclass(slots=True)
class Token:
    text: str
    pos: int  # word position (stop words removed from the stemmed field are not counted)
    startchar: int
    endchar: int


def _fold_word(word: str) -> str:
    return word.lower() if word.isascii() else fold(word)


fold_word = _fold_word  # one word as the analysers fold it


class ExactAnalyzer:
    """Exact forms (folded only), every word kept: phrases, proximity, spelling suggestions."""

    names: frozenset[str] = frozenset()

    def __eq__(self, other) -> bool:
        return other.__class__ is self.__class__ and other.names == self.names

    def __hash__(self) -> int:
        return hash((self.__class__, self.names))

    def __getstate__(self):  # what ``where`` learnt is not sent to other processes
        return {}

    def __call__(self, text: str, chars: bool = False, removestops: bool = True) -> list[Token]:
        return [Token(_fold_word(m.group()), i, m.start(), m.end())
                for i, m in enumerate(_TOKEN.finditer(text))]

    def words(self, text: str) -> list[str]:
        """The analysed words alone (what an engine indexes), faster than tokens: the text is
        folded once as a whole (folding word by word gives the same words)."""
        return _TOKEN.findall(text.lower() if text.isascii() else fold(text))

    def _analysed(self, word: str) -> str | None:
        return word

    def where(self, text: str, wanted: set[str] | frozenset[str]) -> list[tuple[int, int]]:
        """Where in ``text`` the words analysed as one of ``wanted`` stand (character
        offsets), as the tokens of ``self(text, chars=True)`` say. The text's distinct words
        are analysed, not each of its words: most passages of a results page hold the query's
        words a few times among hundreds of others, and analysing each of those was most of
        a page's (and an export's) time."""
        if not wanted:
            return []
        forms = self.__dict__.setdefault("_forms", {})  # word as written → analysed form
        hits = set()
        for w in set(_TOKEN.findall(text)):
            form = forms.get(w, _UNSEEN)
            if form is _UNSEEN:
                form = self._analysed(_fold_word(w))
                if len(forms) < 200_000:
                    forms[w] = form
            if form in wanted:
                hits.add(w)
        if not hits:
            return []
        return [m.span() for m in _TOKEN.finditer(text) if m.group() in hits]


class TextAnalyzer(ExactAnalyzer):
    """Running text: folded, stop words dropped, stemmed by script, names protected."""

    def __init__(self, names: Iterable[str] = ()):
        self.names = frozenset(names)
        self._cache: dict[str, str] = {}

    def __getstate__(self):
        return {"names": self.names}

    def __setstate__(self, state):
        self.__init__(state["names"])

    def stem(self, word: str) -> str:
        if word in self.names or len(word) < 3 or word.isdigit() or "." in word:
            return word
        cached = self._cache.get(word)
        if cached is None:
            cached = (_russian() if _CYRILLIC.search(word) else _porter()).stemWord(word)
            if len(self._cache) < 200_000:
                self._cache[word] = cached
        return cached

    def __call__(self, text: str, chars: bool = False, removestops: bool = True) -> list[Token]:
        out, pos = [], 0
        for m in _TOKEN.finditer(text):
            word = _fold_word(m.group())
            if len(word) < MIN_STEMMED or word in STOP_WORDS:
                if removestops:
                    continue
            else:
                word = self.stem(word)
            out.append(Token(word, pos, m.start(), m.end()))
            pos += 1
        return out

    def _analysed(self, word: str) -> str | None:
        """The stemmed field's form of one folded word (None: a word it drops)."""
        if len(word) < MIN_STEMMED or word in STOP_WORDS:
            return None
        return self.stem(word)

    def words(self, text: str) -> list[str]:
        return self.stemmed(ExactAnalyzer.words(self, text))

    def stemmed(self, exact: list[str]) -> list[str]:
        """The stemmed field's words from the exact field's words of the same text (a build
        analyses each text for both fields: split into words once)."""
        stem, cached = self.stem, self._cache.get
        return [cached(w) or stem(w) for w in exact if len(w) >= MIN_STEMMED
                and w not in STOP_WORDS]


# A Snowball stemmer keeps its word in instance fields while it works, so one shared between
# threads gives wrong stems and IndexErrors under load (and a wrong stem would then be cached):
# each thread gets its own pair.
_LOCAL = threading.local()


def _porter():
    s = getattr(_LOCAL, "porter", None)
    if s is None:
        s = _LOCAL.porter = snowballstemmer.stemmer("porter")
    return s


def _russian():
    s = getattr(_LOCAL, "russian", None)
    if s is None:
        s = _LOCAL.russian = snowballstemmer.stemmer("russian")
    return s


def russian_stem(word: str) -> str:
    return _russian().stemWord(word)


def text_analyzer(names: Iterable[str] = ()) -> TextAnalyzer:
    """Running text: folded, stop words dropped, stemmed by script, names protected."""
    return TextAnalyzer(names)


def exact_analyzer() -> ExactAnalyzer:
    """Exact forms (folded only), every word kept: phrases, proximity, spelling suggestions."""
    return ExactAnalyzer()


_WORD = re.compile(r"[^\W\d_]+")
_BATCH = 1_000_000  # characters of text whose words are counted at once
# A capitalised word not at the start of a sentence (nor after a colon or an opening quote).
# (The lookahead first: most positions fail it at once, 2.5× faster than the lookbehinds.)
_CAPITALISED = re.compile(r"(?=[A-ZА-ЯЁ])(?<![.!?…:;“”\"«»(\n] )(?<!^)\b([A-ZА-ЯЁ][^\W\d_]*)")


def capitalised_words(texts: Iterable[str], min_count: int = 2, ratio: float = 0.9) -> set[str]:
    """Folded words that the corpus writes with a capital in mid-sentence (names, places) at
    least ``min_count`` times, and in lower case in less than ``1 - ratio`` of their uses."""
    upper: Counter = Counter()
    lower: Counter = Counter()
    batch: list[str] = []
    size = 0
    for text in texts:
        upper.update(w.lower() for w in _CAPITALISED.findall(text))
        batch.append(text)
        size += len(text)
        if size > _BATCH:
            lower.update(_WORD.findall("\n".join(batch)))
            batch, size = [], 0
    # words counted a megabyte of text at a time, in C (all at once, the list of every word
    # of a million passages took 3 GB): only the lower-case keys are looked up below, so the
    # count of a lower-case key is the count of its lower-case uses
    lower.update(_WORD.findall("\n".join(batch)))
    return {fold(w) for w, n in upper.items()
            if n >= min_count and lower[w] <= (1 - ratio) * (n + lower[w]) and len(w) > 2}
