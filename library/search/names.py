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
    lower = word.lower()
    if lower.endswith("sky"):  # Dzerzhinsky → Дзержинский
        lower = lower[:-1] + "iy"

    def final_y(latin: str, cyr: str, i: int, out: list[str]) -> str:
        # a final -y after a vowel is й (Bulgakov's Nikolay, Andrey)
        if latin == "y" and (i == len(lower) - 1 or lower[i + 1] not in "aeiou") and \
                i > 0 and lower[i - 1] in "aeiou":
            return "й"
        return cyr
    return _read_back(word, lower, _TO_CYRILLIC, final_y)


def _read_back(word: str, lower: str, table: list[tuple[str, str]], adjust) -> str:
    """``lower`` read to Cyrillic letter group by letter group, the longest group of ``table``
    first (``adjust(latin, cyrillic, position, output so far)`` may change a letter by its
    neighbours); capitalised as ``word`` is."""
    out: list[str] = []
    i = 0
    while i < len(lower):
        for latin, cyr in table:
            if lower.startswith(latin, i):
                out.append(adjust(latin, cyr, i, out))
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


def transliterations(word: str) -> list[str]:
    """Other-script forms of a name the register does not know. A Latin name spelt in
    another romanisation than the English one (Patrušev, Patruszew, Patruschew, Patrouchev,
    Patruscev) is read back to its one Cyrillic key (Патрушев), and widened from there to
    every romanisation, so that the text's own spelling (Patrushev) is found."""
    if is_cyrillic(word):
        forms = _romanisations(word)
    elif word[:1].isupper() and word.isalpha():
        scheme = romanisation_of(word)
        if scheme == "en":
            forms = [cyrillise(word)]
        else:
            key = to_cyrillic(word, scheme)
            forms = [key] + _romanisations(key)
    else:
        forms = []
    return [f for f in dict.fromkeys(forms) if f and f != word]


def _romanisations(word: str) -> list[str]:
    forms = [romanise(word, scheme) for scheme in SCHEMES]
    # ё is often printed as е, and then romanised as e: Хрущев → Khrushchev
    return forms + [romanise(word.replace("ё", "е").replace("Ё", "Е"), "en")]


# Latin → Cyrillic by romanisation, longest letter group first. Letters a scheme shares with
# English (b, d, k, m, …) come from _LATIN.
_LATIN = {"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и",
          "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
          "t": "т", "u": "у", "f": "ф", "y": "ы", "h": "х", "x": "кс", "c": "к"}
_READ_BACK = {
    # ISO 9, the scholarly system and Czech: Chruščëv, Chruščov, Hruŝëv
    "scholarly": {"šč": "щ", "ŝ": "щ", "č": "ч", "š": "ш", "ž": "ж", "ch": "х", "c": "ц",
                  "ja": "я", "ju": "ю", "jo": "ё", "je": "е", "j": "й", "ë": "ё", "è": "э",
                  "é": "е", "ě": "е", "û": "ю", "â": "я", "ý": "ы", "í": "и", "á": "а",
                  "ú": "у", "ó": "о", "ʹ": "ь", "ʺ": "ъ", "'": "ь"},
    # Polish: Chruszczow, Patruszew, Rieszetnikow
    "pl": {"szcz": "щ", "sz": "ш", "cz": "ч", "rz": "ж", "ż": "ж", "ź": "з", "ch": "х",
           "w": "в", "c": "ц", "ł": "л", "ś": "с", "ć": "ч", "ń": "н", "ó": "о", "ia": "я",
           "ja": "я", "iu": "ю", "ju": "ю", "io": "ё", "jo": "ё", "ie": "е", "je": "е",
           "j": "й"},
    # German: Chruschtschow, Patruschew, Jakuschew
    "de": {"schtsch": "щ", "tsch": "ч", "sch": "ш", "ch": "х", "w": "в", "z": "ц", "ja": "я",
           "ju": "ю", "jo": "ё", "je": "е", "j": "й", "ss": "с"},
    # French: Khrouchtchev, Iakouchev, Kostyrtchenko
    "fr": {"chtch": "щ", "tch": "ч", "ch": "ш", "kh": "х", "iou": "ю", "ou": "у", "ia": "я",
           "io": "ё", "j": "ж", "ï": "й", "ts": "ц", "ss": "с", "é": "е", "è": "е", "ë": "ё"},
    # Italian (the soft c and sc are handled before): Patruscev, Krusciov
    "it": {"ch": "к", "gh": "г", "c": "к", "j": "й", "z": "ц"},
    # Spanish: Jruschov, Jusnullin
    "es": {"shch": "щ", "sch": "щ", "sh": "ш", "ch": "ч", "zh": "ж", "ts": "ц", "j": "х", "ya": "я",
           "yu": "ю", "yo": "ё", "ye": "е", "á": "а", "é": "е", "í": "и", "ó": "о", "ú": "у"},
}
_ITALIAN_SOFT = [(re.compile(r"sci(?=[aou])"), "ш"), (re.compile(r"sc(?=[ei])"), "ш"),
                 (re.compile(r"ci(?=[aou])"), "ч"), (re.compile(r"c(?=[ei])"), "ч")]
_HUSHERS = "жчшщ"
# each scheme's letter groups with the common Latin ones, longest first (sorted once, not per
# word read)
_READ_BACK_TABLES = {scheme: sorted({**_LATIN, **groups}.items(), key=lambda kv: -len(kv[0]))
                     for scheme, groups in _READ_BACK.items()}
_RUSSIAN_ENDING = re.compile(r"(ov|ev|ew|ow|iov|in|yn|ski|sky|skij|skii|ich|itch|itsch|enko|"
                             r"ko|uk|yan|ian|jan|ova|eva|owa|ewa|ina|aja|off|eff)$")


def looks_russian(word: str) -> bool:
    """A Latin word shaped like a romanised Russian surname: a Russian ending, or letters only
    a romanisation of Russian uses (Patrushev, Patrušev, Chruschtschow; not Korea)."""
    return bool(_RUSSIAN_ENDING.search(word.lower())) or romanisation_of(word) != "en"


def romanisation_of(word: str) -> str:
    """Which romanisation a Latin-script Russian name is most probably in, from the letters
    that only one of them uses: scholarly, pl, de, fr, it, es, or en (the default)."""
    w = word.lower()
    if re.search(r"[šžčŝěřëûâʹý]", w):
        return "scholarly"
    if re.search(r"szcz|sz|cz|[łżźśćńó]", w):
        return "pl"
    if re.match(r"j[^aeiouy]", w) or re.search(r"[áéíú]", w):
        return "es"
    # the rest only for words shaped like Russian surnames, so that Washington or France
    # are not read as German or Italian spellings
    if not _RUSSIAN_ENDING.search(w):
        return "en"
    if "sch" in w or re.search(r"[oe]wa?$", w):
        return "de"
    if re.search(r"ou|tch|ï|^i[aeou]", w):
        return "fr"
    if re.search(r"sc[ei]|sci[aou]|ci[aou]", w):
        return "it"
    return "en"


def to_cyrillic(word: str, scheme: str) -> str:
    """``word`` read back to Cyrillic by ``scheme`` (see ``romanisation_of``); o after a
    hushing consonant is ё (Chruščov, Chruschtschow: Хрущёв)."""
    lower = word.lower()
    if scheme == "it":
        for pattern, cyr in _ITALIAN_SOFT:
            lower = pattern.sub(cyr, lower)

    def yo(latin: str, cyr: str, i: int, out: list[str]) -> str:
        return "ё" if cyr == "о" and out and out[-1] in _HUSHERS else cyr
    return _read_back(word, lower, _READ_BACK_TABLES[scheme], yo)
