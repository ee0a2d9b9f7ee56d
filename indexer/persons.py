"""The person register (TEI ``listPerson``) and the tagger that finds its persons in text.

Every ``persName`` of a person is a form that identifies that person in running text: English,
Cyrillic, scholarly transliterations (ISO 9, Library of Congress), German and French forms,
pseudonyms. Matching is on folded word sequences, longest first, so "Sergo Beria" is Sergo and
"Beria" alone is his father.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .analysis import TOKEN, exact_analyzer, fold_word, russian_stem
from .tei import NS, XML_ID, XML_LANG, text_of
from .xmlsafe import parse_file

REGISTER_ID = "persons"
_WORD = re.compile(TOKEN)


@lru_cache(maxsize=1_024)
def _ascii_words(text: str) -> tuple[str, ...]:
    """An ASCII text's words in lower case: a build looks each passage up in the person
    register and then in the place register (the same text twice, split once)."""
    return tuple(_WORD.findall(text.lower()))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class NameForm:
    text: str
    lang: str
    type: str
    subtype: str = ""


@dataclass
class Person:
    id: str
    display: str
    forms: list[NameForm] = field(default_factory=list)
    note: str = ""
    birth: str = ""
    death: str = ""
    # authority records: (scheme, id, address), from <idno type="VIAF|Wikidata|GND">
    authorities: list[tuple[str, str, str]] = field(default_factory=list)

    def variants(self) -> list[str]:
        """Every distinct form, display form first."""
        seen, out = set(), []
        for text in [self.display] + [f.text for f in self.forms]:
            if text not in seen:
                seen.add(text)
                out.append(text)
        return out


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``, as the exact analyzer sees them, Russian words reduced to
    their stem so that an inflected name is found (Готвальду, Сталина, Хрущёва)."""
    return tuple(_norm(t.text) for t in _analyzer()(text))


@lru_cache(maxsize=100_000)
def _norm(word: str) -> str:
    return russian_stem(word) if _CYRILLIC.search(word) else word


def _form(word: str) -> str:
    """A word as written → its folded (and, if Russian, stemmed) form, as ``words`` gives it."""
    form = _FORMS.get(word)
    if form is None:
        form = _norm(fold_word(word))
        if len(_FORMS) < 200_000:
            _FORMS[word] = form
    return form


_FORMS: dict[str, str] = {}


@lru_cache(maxsize=1)
def _analyzer():
    return exact_analyzer()


@dataclass
class Mention:
    person: str
    start: int
    end: int


# the authority files a person's idno may name: (its id's form, the record's address)
AUTHORITIES = {
    "viaf": ("VIAF", re.compile(r"^[0-9]{1,22}$"), "https://viaf.org/viaf/{}"),
    "wikidata": ("Wikidata", re.compile(r"^Q[0-9]{1,12}$"), "https://www.wikidata.org/wiki/{}"),
    "gnd": ("GND", re.compile(r"^[0-9X-]{3,15}$"), "https://d-nb.info/gnd/{}"),
}


def authorities(el) -> list[tuple[str, str, str]]:
    """A person's authority ids that are well formed, with the address of each record."""
    found = []
    for idno in el.findall("tei:idno", NS):
        known = AUTHORITIES.get((idno.get("type") or "").lower())
        value = (idno.text or "").strip()
        if known and known[1].match(value):
            found.append((known[0], value, known[2].format(value)))
    return found


class Register:
    def __init__(self, persons: list[Person]):
        self.persons = {p.id: p for p in persons}
        self._forms: dict[tuple[str, ...], str] = {}
        for person in persons:
            for text in person.variants():
                key = words(text)
                if key:
                    self._forms.setdefault(key, person.id)
        self.longest = max((len(k) for k in self._forms), default=0)
        self._first = {k[0] for k in self._forms}

    @classmethod
    def load(cls, path: Path) -> Register:
        """Read the register from its TEI file; an absent file is an empty register."""
        if not Path(path).exists():
            return cls([])
        root = parse_file(path).getroot()
        persons = []
        for el in root.iter(f"{{{NS['tei']}}}person"):
            names = el.findall("tei:persName", NS)
            display = next((text_of(n) for n in names if n.get("type") == "display"),
                           text_of(names[0]) if names else el.get(XML_ID))
            birth, death = el.find("tei:birth", NS), el.find("tei:death", NS)
            persons.append(Person(
                id=el.get(XML_ID),
                display=display,
                forms=[NameForm(text_of(n), n.get(XML_LANG, ""), n.get("type", ""),
                                n.get("subtype", "")) for n in names],
                note=text_of(el.find("tei:note", NS)) if el.find("tei:note", NS) is not None
                else "",
                birth=birth.get("when", "") if birth is not None else "",
                death=death.get("when", "") if death is not None else "",
                authorities=authorities(el),
            ))
        return cls(persons)

    def name_words(self) -> set[str]:
        """Every folded word of every form: words the stemmer must leave alone."""
        return {w for key in self._forms for w in key}

    def lookup(self, text: str) -> str | None:
        """The person whose form ``text`` is, if any."""
        return self._forms.get(words(text))

    def match(self, tokens: list[str], i: int) -> tuple[str, int] | None:
        """The longest form starting at ``tokens[i]``: (person id, number of words)."""
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            person = self._forms.get(tuple(tokens[i : i + n]))
            if person:
                return person, n
        return None

    def mentions(self, text: str) -> list[Mention]:
        """Where registered persons are named in ``text`` (character offsets)."""
        # each distinct word folded once (a memoir chapter repeats its words); a text naming
        # no one is settled before any token is made, and only the words that can begin a
        # name are looked at
        words = _WORD.findall(text)
        forms = {w: _form(w) for w in set(words)}
        first = self._first
        starts = {w for w, f in forms.items() if f in first}
        if not starts:
            return []
        folded = list(map(forms.__getitem__, words))
        where = list(_WORD.finditer(text))
        found, after = [], 0
        for i in [i for i, w in enumerate(words) if w in starts]:
            if i < after:  # inside the name just found
                continue
            hit = self.match(folded, i)
            if hit:
                person, n = hit
                found.append(Mention(person, where[i].start(), where[i + n - 1].end()))
                after = i + n
        return found

    def persons_in(self, text: str) -> list[str]:
        """Ids of the persons named in ``text``, in order of first mention."""
        if not text.isascii():
            return list(dict.fromkeys(m.person for m in self.mentions(text)))
        # the common case, once per passage at every build: words only, no offsets, and most
        # passages name no one (a set test in C settles them)
        folded = _ascii_words(text)
        if self._first.isdisjoint(folded):
            return []
        found, i = [], 0
        while i < len(folded):
            hit = self.match(folded, i) if folded[i] in self._first else None
            if hit:
                found.append(hit[0])
                i += hit[1]
            else:
                i += 1
        return list(dict.fromkeys(found))



# Elements whose text is not running text of the document (notes, titles, references, names
# already tagged): mentions there are left alone.
_SKIP = frozenset({"note", "persName", "ref", "title", "bibl", "head", "figDesc", "label"})


def tag_persons(body, register: Register) -> int:
    """Wrap each mention of a registered person in the running text of ``body`` in
    ``<persName ref="persons.xml#ID">``; returns how many were tagged."""
    from lxml import etree

    from .tei import local, tag

    tagged = 0

    def split(parent, after) -> None:
        nonlocal tagged
        text = parent.text if after is None else after.tail
        mentions = register.mentions(text or "")
        if not mentions:
            return
        head, position = text[: mentions[0].start], parent.index(after) + 1 if after is not None \
            else 0
        if after is None:
            parent.text = head
        else:
            after.tail = head
        for i, m in enumerate(mentions):
            name = etree.Element(tag("persName"), ref=f"{REGISTER_ID}.xml#{m.person}")
            name.text = text[m.start : m.end]
            following = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
            name.tail = text[m.end : following]
            parent.insert(position + i, name)
            tagged += 1

    for el in list(body.iter()):
        if not isinstance(el.tag, str) or local(el) in _SKIP or any(
                local(a) in _SKIP for a in el.iterancestors()):
            continue
        children = list(el)
        split(el, None)
        for child in children:
            split(el, child)
    return tagged
