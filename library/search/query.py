"""The query language: reading a reader's query, refusing a malformed one with a message that
names the token and what was expected, and turning it into the engine-neutral query tree of
``indexer.querytree`` (each engine adapter translates the tree; no engine parses query text).

Syntax: words (AND between them), ``OR``, ``NOT``, parentheses; ``"phrases"`` (exact forms) and
proximity ``"Stalin war"~5``; wildcards ``Khrush*``; fuzzy ``Gotwald~`` (``~2`` for two edits);
fields ``author:`` ``title:`` ``type:`` ``lang:`` ``person:`` ``collection:`` ``year:``;
ranges ``date:[1950 TO 1953]`` (years, or ISO dates). A plain query of six words or more with no
syntax is read as a pasted quotation: passages are ranked by how many of its words they hold.

Names: a word run that is a registered person's name is widened to every form of that name;
a capitalised or Cyrillic word the register does not know is widened to its transliterations.
The widening is reported ("also searched") so the reader sees what was done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer import querytree as qt
from indexer.analysis import ExactAnalyzer, TextAnalyzer, fold
from indexer.persons import Register

from ..i18n import N_
from . import limits, ranking
from .errors import QueryError
from .names import is_cyrillic, looks_russian, transliterations
from .querylex import FIELDS, Token, check, lex, normalise
from .queryparse import Items, parse_items

__all__ = ["FIELDS", "ParsedQuery", "QueryBuilder", "QueryError", "Token", "check", "lex",
           "normalise"]

# Plain words search the passage's text (a record's text holds the work's title and authors);
# title: and author: search the document's metadata.
DEFAULT_FIELDS = ["text"]
EXACT = "text_exact"
KEYWORD_FIELDS = {"type", "language", "collection"}
QUOTATION_WORDS = 6


@dataclass
class ParsedQuery:
    text: str  # the query as typed, normalised
    rewritten: str  # the query tree, as text (for logs and debugging)
    query: qt.Node
    mode: str  # "query" or "quotation"
    also_searched: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words, for spelling suggestions


# Fields analysed as running text (stemmed), as exact words (folded), or kept whole.
STEMMED_FIELDS = {"text"}
WORD_FIELDS = {"text_exact", "title", "author"}
_BOOST = re.compile(r"^(.+)\^(\d*\.?\d+)$")


class QueryBuilder:
    """Reads a reader's query into a query tree, with the analysis the index was built with."""

    def __init__(self, text_analyzer: TextAnalyzer, register: Register):
        self.stemmed = text_analyzer
        self.exact = ExactAnalyzer()
        self.register = register

    # -- analysis of one value in one field (what Whoosh's parser did for a term) ---------------
    def words(self, field: str, text: str) -> list[str]:
        if field in STEMMED_FIELDS:
            return self.stemmed.words(text)
        if field in WORD_FIELDS:
            return self.exact.words(text)
        if field in ("persons", "authors"):
            return [w.strip() for w in text.split(",") if w.strip()]
        return [text]

    def term(self, field: str, text: str, group=qt.And, boost: float = 1.0) -> qt.Node | None:
        """One typed word in ``field``: analysed; several words from one (En-lai) are grouped."""
        if field == "year":
            return qt.Term("years", int(text), boost) if text.isdigit() else None
        if field == "date":
            return _date_value(text, boost)
        words = self.words(field, text)
        if not words:
            return None
        if len(words) == 1:
            return qt.Term(field, words[0], boost)
        return group(tuple(qt.Term(field, w) for w in words), boost)

    def phrase(self, field: str, body: str, slop: int = 1) -> qt.Node | None:
        words = self.words(field, body)
        if not words:
            return None
        if len(words) == 1:
            return qt.Term(field, words[0])
        if field in STEMMED_FIELDS:  # the stemmed text keeps no positions: every word
            return qt.And(tuple(qt.Term(field, w) for w in words))
        return qt.Phrase(field, tuple(words), slop)

    def pattern(self, field: str, word: str, boost: float = 1.0) -> qt.Node:
        """A wildcard or fuzzy word (folded, never stemmed)."""
        word = fold(word)
        if "*" in word or "?" in word:
            word = re.sub(r"~\d?$", "", word)
            body = word.rstrip("*")
            if body and "*" not in body and "?" not in body:
                return qt.Prefix(field, body, boost)
            return qt.Wildcard(field, word, boost)
        base, _, dist = word.partition("~")
        return qt.Fuzzy(field, base, int(dist or 1), 1, boost)

    # -- the query ----------------------------------------------------------------------------
    def build(self, q: str) -> ParsedQuery:
        text = normalise(q)
        if not text:
            raise QueryError(N_('the query is empty: type a word, a name or a "phrase"'))
        if len(text) > limits.MAX_QUERY_CHARS:
            raise QueryError(N_("the query is %(n)s characters long; the limit is %(limit)s"),
                             limits.MAX_QUERY_CHARS + 1, n=len(text),
                             limit=limits.MAX_QUERY_CHARS)
        tokens = lex(text)
        check(tokens)
        plain = [t for t in tokens if t.kind == "word" and not _is_pattern(t.text)]
        if len(plain) == len(tokens) and len(_once(plain)) < len(plain):
            # words only: each counts once ("patrušev" × 111), here and in what follows
            # (spelling suggestions, "also searched"): the query becomes its words, once each
            tokens = plain = _once(plain)
            text = " ".join(t.text for t in tokens)
        if len(plain) == len(tokens) and len(plain) >= QUOTATION_WORDS:
            return self._quotation(text, plain)
        also: list[str] = []
        items = self._items(tokens, also)
        typed = {fold(t.text) for t in tokens}
        typed.add(fold(text))
        also = [v for v in also if fold(v) not in typed]
        parsed = parse_items(items)
        if parsed is None or not any(True for _ in qt.leaves(parsed, negated=True)):
            # only stop words: searching them alone would score most of the collection
            # (measured: 780 ms p95 on 209k passages), and find nothing of interest
            raise QueryError(N_("'%(q)s' is made of words too common to search on their own; "
                                'put them in a "phrase" (as in "will be") or add a word'),
                             q=text)
        parsed = ranking.own_text_first(parsed)
        return ParsedQuery(text, repr(parsed), parsed, "query", list(dict.fromkeys(also)),
                           [t.text for t in plain])

    def _quotation(self, text: str, words: list[Token]) -> ParsedQuery:
        """Any of the words, in the stemmed and the exact field, passages holding more of them
        first."""
        cleaned = " ".join(w.text.strip(".,;:!?…'()[]") for w in words)
        cleaned = " ".join(w for w in cleaned.split() if w and w not in ("…", "..."))
        safe = re.sub(r"[^\w\s'-]", " ", cleaned)
        parts = [qt.Or(tuple(n for n in (self.term("text", w, qt.Or),
                                         self.term(EXACT, w, qt.Or)) if n is not None))
                 for w in dict.fromkeys(safe.lower().split())]
        query = qt.normalize(qt.Or(tuple(parts), scale=0.9))
        if query is None:
            raise QueryError(N_("the quotation has no word to search"))
        if isinstance(query, qt.Or):
            query = qt.Or(query.items, query.boost, 0.9)
        return ParsedQuery(text, repr(query), query, "quotation", [], [w.text for w in words])

    # -- items --------------------------------------------------------------------------------
    def _items(self, tokens: list[Token], also: list[str]) -> Items:
        out: Items = []
        # forms added for an excluded term (NOT Putin, NOT (a OR b)) are searched, to be
        # left out, but not reported as "also searched"
        excluded: list[str] = []
        depth, negated_at = 0, None  # the depth at which a NOT ( … ) group closes
        i = 0
        while i < len(tokens):
            t = tokens[i]
            after_not = i > 0 and tokens[i - 1].kind == "op" and tokens[i - 1].text == "NOT"
            sink = excluded if after_not or negated_at is not None else also
            negated = sink is excluded  # NOT Stalin leaves out his name, not his works
            if t.kind == "field":
                out.append(("node", self._fielded(t.text[:-1].lower(), tokens[i + 1], sink)))
                i += 2
                continue
            if t.kind == "phrase":
                out.append(("node", self._phrase(t.text, sink, negated)))
            elif t.kind == "word":
                run = [t]
                while i + len(run) < len(tokens) and tokens[i + len(run)].kind == "word" \
                        and not (after_not and negated_at is None):  # NOT takes one word
                    run.append(tokens[i + len(run)])
                out.extend(("node", n) for n in self._words(_once(run), sink, negated))
                i += len(run)
                continue
            elif t.kind == "lparen":
                negated_at = depth if after_not and negated_at is None else negated_at
                depth += 1
                out.append(("(", None))
            elif t.kind == "rparen":
                depth -= 1
                negated_at = None if negated_at == depth else negated_at
                out.append((")", None))
            elif t.kind == "op":
                out.append(("op", t.text))
            i += 1
        return out

    def _words(self, run: list[Token], also: list[str], negated: bool = False
               ) -> list[qt.Node | None]:
        """Plain words: names widened to their variants; wildcards and fuzzy on exact forms."""
        out, i = [], 0
        while i < len(run):
            word, boost = _boosted(run[i].text)
            if _is_pattern(word):
                out.append(self.pattern(EXACT, word, boost))
                i += 1
                continue
            hit = self._person_at(run, i)
            if hit:
                person, n = hit
                typed = " ".join(t.text for t in run[i : i + n])
                out.append(self._person_group(person, typed, also, negated=negated))
                i += n
                continue
            variants = self._name_variants(word)
            node = self.term("text", word, boost=boost)
            if variants:
                also.extend(variants)
                node = qt.Or((node, *(self._variant(v) for v in variants)))
            out.append(node)
            i += 1
        return out

    def _name_variants(self, word: str) -> list[str]:
        """Cross-script and romanised forms, only for a word that is a name: a capitalised
        Cyrillic word, or a Latin one shaped like a romanised Russian surname (Patrushev,
        Patrušev, Chruschtschow). Registered names have their own forms (``_person_group``);
        other words get none, even those the corpus capitalises: "Korea war" is not searched
        as Кореа, nor "President Kennedy" as Пресидент."""
        if not word[:1].isupper():
            return []
        variants = transliterations(word)
        if is_cyrillic(word):  # a capitalised Cyrillic word: a name, as the reader types it
            return variants
        return variants if looks_russian(word) else []

    def _variant(self, text: str, field: str | None = None) -> qt.Node | None:
        """A variant: one word (analysed as the field is), or an exact phrase of several."""
        if len(text.split()) > 1 or re.search(r"[^\w]", text):
            return self.phrase(field or EXACT, text)
        return self.term(field or "text", text)

    def _person_at(self, run: list[Token], i: int) -> tuple[str, int] | None:
        """The registered person whose name the words from ``run[i]`` spell (longest first),
        compared word by word as the index sees them (Chou En-lai = chou en lai)."""
        for n in range(min(len(run) - i, self.register.longest), 0, -1):
            person = self.register.lookup(" ".join(t.text for t in run[i : i + n]))
            if person:
                return person, n
        return None

    def _person_group(self, person_id: str, typed: str, also: list[str],
                      field: str | None = None, negated: bool = False) -> qt.Node:
        """Every form of a registered person's name. In running text that is one term: the
        index tagged each passage with the persons it names, in whatever form (and the typed
        form is kept, for ranking). In other fields the forms are spelled out."""
        person = self.register.persons[person_id]
        variants = person.variants()
        also.extend(variants)
        if field is None:  # and the documents by or about the person (ranking.py)
            return qt.Or((qt.Term("persons", person_id), self._variant(typed),
                          *(() if negated else ranking.by_or_about(person))))
        return qt.Or(tuple(self._variant(v, field) for v in variants))

    def _phrase(self, phrase: str, also: list[str], negated: bool = False) -> qt.Node | None:
        body, _, slop = phrase[1:].rpartition('"')
        person = self.register.lookup(body) if self.register and not slop else None
        if person:
            return self._person_group(person, body, also, negated=negated)
        return self.phrase(EXACT, body, int(slop[1:] or 1) or 1)

    def _fielded(self, name: str, value: Token, also: list[str]) -> qt.Node | None:
        target = FIELDS[name]
        raw = value.text
        if value.kind == "range":
            return _range(target, raw[1:-1].split())
        if value.kind == "lparen":  # author:(a OR b) is not supported: say so
            raise QueryError(N_("'%(name)s:' at character %(pos)s takes one word or a "
                                '"phrase"; repeat the field for each value'), value.pos,
                             name=name, pos=value.pos - len(name) - 1)
        body = raw[1:].rpartition('"')[0] if value.kind == "phrase" else raw
        if target == "persons":
            person = self.register.lookup(body) if self.register else None
            if person is None and body.lower() in (self.register.persons if self.register
                                                   else {}):
                person = body.lower()
            if person is None:
                raise QueryError(N_("no person named '%(name)s' in the register (person: at "
                                    "character %(pos)s)"), value.pos, name=body,
                                 pos=value.pos - len("person:"))
            return qt.Term("persons", person)
        if target == "collection":
            return _any_case(target, body)
        if target in KEYWORD_FIELDS:
            return qt.Term(target, body.lower())
        if target == "author" and self.register:
            person = self.register.lookup(body)
            if person:
                return self._person_group(person, body, also, field="author")
        if value.kind == "phrase":
            return self.phrase(target, body)
        word, boost = _boosted(raw)
        if _is_pattern(word) and target in WORD_FIELDS | STEMMED_FIELDS:
            return self.pattern(target, word, boost)
        return self.term(target, word, boost=boost)


def _once(words: list[Token]) -> list[Token]:
    """Words joined by AND (or pasted as a quotation), a repeated one kept once: repeating a
    word changes nothing it finds, and each copy cost a term to score."""
    seen: set[str] = set()
    out = []
    for t in words:
        key = fold(t.text)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def _boosted(word: str) -> tuple[str, float]:
    """``war^2`` is ``war`` counted twice as much."""
    m = _BOOST.match(word)
    return (m.group(1), float(m.group(2))) if m else (word, 1.0)


def _is_pattern(word: str) -> bool:
    """A wildcard or fuzzy word; a question mark ending a word is punctuation (a pasted
    question), not a wildcard."""
    return bool(re.search(r"[*~]", word) or "?" in word.rstrip("?!.,;:"))


def _date_value(text: str, boost: float = 1.0) -> qt.Node:
    """``date:1952`` is that year, ``date:1952-09`` that month, a full date that day."""
    if len(text) == 4 and text.isdigit():  # every year a document's date spans (index.py)
        return qt.NumericRange("years", int(text), int(text), boost)
    if len(text) < 10:
        return qt.Prefix("date", text, boost)
    return qt.Term("date", text, boost)


def _any_case(field: str, value: str) -> qt.Node:
    """The whole of ``value`` in any case: collections are indexed by name as given
    ("Kremlin news"), and readers type them as they like. A pattern of one-letter classes, which
    both engines expand through their word lists (fnmatch syntax)."""
    def cls(c: str) -> str:
        if c.lower() != c.upper():
            return f"[{c.lower()}{c.upper()}]"
        return f"[{c}]" if c in "*?[]" else c
    return qt.Wildcard(field, "".join(cls(c) for c in value))


def _range(field: str, parts: list[str]) -> qt.Node:
    """``[FROM TO UNTIL]`` (checked by ``_check_range``). On dates, years only become a range
    of years; a partial end date includes its whole year or month (``date:[1950 TO 1952-06]``
    ends with 1952-06-30)."""
    start, end = parts[0], parts[2]
    if field == "year":
        return qt.NumericRange("years", None if start == "*" else int(start[:4]),
                               None if end == "*" else int(end[:4]))
    if start == end:
        return _date_value(start)
    if len(start) == 4 and len(end) == 4:
        return qt.NumericRange("years", int(start), int(end))
    return qt.TermRange("date", start, end + "\uffff")
