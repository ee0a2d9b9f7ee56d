"""The stemmers are the compiled ones (PyStemmer, through snowballstemmer), and they give the
pure-Python algorithms' stems: the analysis is the same, only faster."""

from __future__ import annotations

import re
from pathlib import Path

import snowballstemmer
from snowballstemmer import porter_stemmer, russian_stemmer

from indexer import analysis

ROOT = Path(__file__).resolve().parent.parent


def test_the_compiled_stemmers_give_the_algorithms_stems():
    words = set()
    for path in sorted((ROOT / "sources").glob("*.xml"))[:30]:
        words.update(w.lower() for w in re.findall(r"\w+", path.read_text(encoding="utf-8")))
    assert len(words) > 3_000
    for name, pure in (("porter", porter_stemmer.PorterStemmer()),
                       ("russian", russian_stemmer.RussianStemmer())):
        compiled = snowballstemmer.stemmer(name)
        assert type(compiled).__module__ == "Stemmer", "PyStemmer is not installed"
        assert [compiled.stemWord(w) for w in sorted(words)] == \
            [pure.stemWord(w) for w in sorted(words)], name
    assert analysis.TextAnalyzer().stem("abhorring") == "abhor"
