"""Names across scripts: the variants a query for a person should also search.

Two sources, in this order: the person register (every recorded form of a registered person:
Хрущёв, Khrushchev, Chruschtschow, Khrouchtchev, Hruŝëv…), then rule-based transliteration for
names the register does not know (Cyrillic → the English, ISO 9, Library of Congress, German
and French romanisations; Latin → Cyrillic).

Why rules of our own rather than a package: PyICU needs the ICU C library compiled in, and
cyrtranslit's Russian scheme gives ``Hrushhyov`` for Хрущёв and ``Кхрушчев`` for Khrushchev
(checked here), neither of which a historian would type or find. Transliteration tables for one
language are short, and each romanisation a reader may meet is listed here explicitly.
"""

from __future__ import annotations

import re

_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "ъ": "", "ь": "",
}
SCHEMES: dict[str, dict[str, str]] = {
    # common English usage (BGN/PCGN, simplified): Khrushchev, Zhukov, Yeltsin
    "en": {**_BASE, "ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
           "щ": "shch", "ы": "y", "э": "e", "ю": "yu", "я": "ya"},
    # ISO 9:1995 (accents are folded away by the index, so Hruŝëv is found as hrusev)
    "iso9": {**_BASE, "ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š",
             "щ": "ŝ", "ы": "y", "э": "è", "ю": "û", "я": "â", "ъ": "ʺ", "ь": "ʹ"},
    # Library of Congress, without the ligature ties: Khrushchev, Mikoian
    "loc": {**_BASE, "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
            "щ": "shch", "ы": "y", "э": "e", "ю": "iu", "я": "ia"},
    # German: Chruschtschow, Schukow
    "de": {**_BASE, "в": "w", "ё": "jo", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z",
           "ч": "tsch", "ш": "sch", "щ": "schtsch", "ы": "y", "э": "e", "ю": "ju", "я": "ja"},
    # French: Khrouchtchev, Joukov
    "fr": {**_BASE, "ё": "io", "ж": "j", "й": "ï", "у": "ou", "х": "kh", "ц": "ts", "ч": "tch",
           "ш": "ch", "щ": "chtch", "ы": "y", "э": "e", "ю": "iou", "я": "ia"},
}
# Latin → Cyrillic, longest letter group first (English-style romanisation as typed by readers).
_TO_CYRILLIC = sorted({
    "shch": "щ", "sch": "щ", "kh": "х", "zh": "ж", "ts": "ц", "ch": "ч", "sh": "ш", "yu": "ю",
    "ya": "я", "yo": "ё", "ye": "е", "iy": "ий", "a": "а", "b": "б", "v": "в", "w": "в", "g": "г",
    "d": "д", "e": "е", "z": "з", "i": "и", "j": "й", "k": "к", "l": "л", "m": "м", "n": "н",
    "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "h": "х", "y": "ы",
    "c": "к", "x": "кс", "q": "к", "'": "ь",
}.items(), key=lambda kv: -len(kv[0]))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_VOWELS = set("аеёиоуыэюяaeiouy")


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def romanise(word: str, scheme: str = "en") -> str:
    """``word`` in Latin script by ``scheme`` (en, iso9, loc, de, fr); ``е`` after a vowel or at
    the start is ``ye``/``je`` in the English and German schemes (Yeltsin, Jelzin)."""
    table = SCHEMES[scheme]
    out = []
    for i, ch in enumerate(word):
        lower = ch.lower()
        if lower == "е" and scheme in ("en", "de") and (i == 0 or word[i - 1].lower() in _VOWELS
                                                         | {"ь", "ъ"}):
            piece = "ye" if scheme == "en" else "je"
        else:
            piece = table.get(lower, ch)
        out.append(piece.capitalize() if ch.isupper() and piece else piece)
    return "".join(out)


def cyrillise(word: str) -> str:
    """A Latin-script Russian name back in Cyrillic (English-style romanisation assumed)."""
    lower, out, i = word.lower(), [], 0
    if lower.endswith("sky"):  # Dzerzhinsky → Дзержинский
        lower = lower[:-1] + "iy"
    while i < len(lower):
        for latin, cyr in _TO_CYRILLIC:
            if lower.startswith(latin, i):
                # a final -y after a vowel is й (Bulgakov's Nikolay, Andrey)
                if latin == "y" and (i == len(lower) - 1 or lower[i + 1] not in "aeiou") and \
                        i > 0 and lower[i - 1] in "aeiou":
                    cyr = "й"
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


def transliterations(word: str) -> list[str]:
    """Other-script forms of a name the register does not know."""
    if is_cyrillic(word):
        forms = [romanise(word, scheme) for scheme in SCHEMES]
        # ё is often printed as е, and then romanised as e: Хрущев → Khrushchev
        forms += [romanise(word.replace("ё", "е").replace("Ё", "Е"), "en")]
    elif word[:1].isupper() and word.isalpha():
        forms = [cyrillise(word)]
    else:
        forms = []
    return [f for f in dict.fromkeys(forms) if f and f != word]
