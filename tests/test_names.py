"""Russian names the register does not know, typed in another romanisation than the English
one, are read back to one Cyrillic key and widened from there (library/search/names.py)."""

from __future__ import annotations

import pytest

from library.search.names import romanisation_of, to_cyrillic, transliterations

KEYS = {
    "Патрушев": ["Patrušev", "Patruszew", "Patruschew", "Patrouchev", "Patruscev"],
    "Хрущёв": ["Chruščëv", "Chruščov", "Chruszczow", "Chruschtschow", "Jruschov"],
    "Якушев": ["Jakušev", "Jakuszew", "Jakuschew", "Iakouchev"],
    "Костырченко": ["Kostyrčenko", "Kostyrczenko", "Kostyrtschenko", "Kostyrtchenko"],
}


@pytest.mark.parametrize("key", KEYS)
def test_every_romanisation_reads_back_to_one_key(key):
    for spelling in KEYS[key]:
        assert to_cyrillic(spelling, romanisation_of(spelling)).replace("ё", "е") == \
            key.replace("ё", "е"), spelling


def test_the_key_is_widened_to_the_english_form_the_text_uses():
    assert "Patrushev" in transliterations("Patruszew")
    assert "Khrushchev" in transliterations("Chruschtschow")
    assert "Kostyrchenko" in transliterations("Kostyrčenko")


def test_english_and_other_words_are_left_as_they_were():
    assert romanisation_of("Patrushev") == "en"
    assert romanisation_of("Washington") == "en" and romanisation_of("France") == "en"
    assert transliterations("war") == []
