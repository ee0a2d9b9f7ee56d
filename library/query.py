"""The query language: reading a reader's query, refusing a malformed one with a message that
names the token and what was expected, and turning it into a Whoosh query.

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

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser, OrGroup, SingleQuotePlugin

from indexer.analysis import fold
from indexer.persons import Register

from . import limits
from .errors import QueryError
from .names import is_cyrillic, transliterations

# Plain words search the passage's text (a record's text holds the work's title and authors);
# title: and author: search the document's metadata.
DEFAULT_FIELDS = ["text"]
EXACT = "text_exact"
FIELDS = {
    "author": "author", "title": "title", "type": "type", "lang": "language",
    "language": "language", "person": "persons", "date": "date", "year": "year",
    "collection": "collection", "text": "text",
}
KEYWORD_FIELDS = {"type", "language", "collection"}
QUOTATION_WORDS = 6
_TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'",
                              "’": "'"})
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<phrase>"[^"]*"(?:~\d+)?)
  | (?P<openquote>")
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<range>\[[^\]]*\]?)
  | (?P<op>(?:AND|OR|NOT)(?=[\s()"]|$))
  | (?P<field>[A-Za-z_]+:(?=\S))
  | (?P<word>[^\s()"\[\]]+)
""", re.X)
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class Token:
    kind: str
    text: str
    pos: int  # 1-based character position, as readers count


@dataclass
class ParsedQuery:
    text: str  # the query as typed, normalised
    rewritten: str  # what the engine was given
    query: wq.Query
    mode: str  # "query" or "quotation"
    also_searched: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words, for spelling suggestions


def normalise(q: str) -> str:
    return " ".join(q.translate(_TYPOGRAPHIC).split())


def lex(q: str) -> list[Token]:
    tokens, pos = [], 0
    while pos < len(q):
        m = _TOKEN.match(q, pos)
        if m is None:  # only a ']' with no '[' open gets here
            raise QueryError(f"unexpected '{q[pos]}' at character {pos + 1}: no '[' is open; "
                             "a range is written as in date:[1950 TO 1953]", pos + 1)
        kind = m.lastgroup
        if kind == "openquote":
            raise QueryError(f"unbalanced quotation mark: the phrase opened at character "
                             f"{pos + 1} is never closed; add the closing \" or remove this one",
                             pos + 1)
        if kind != "space":
            tokens.append(Token(kind, m.group(kind), pos + 1))
        pos = m.end()
    return tokens


def check(tokens: list[Token]) -> None:
    """Refuse what the engine would silently misread."""
    depth: list[Token] = []
    prev: Token | None = None
    terms = sum(1 for t in tokens if t.kind in ("word", "phrase", "range"))
    if terms > limits.MAX_TERMS:
        raise QueryError(f"the query has {terms} words or phrases; the limit is "
                         f"{limits.MAX_TERMS}")
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if t.kind == "lparen":
            depth.append(t)
            if len(depth) > limits.MAX_DEPTH:  # the parser recurses once per level
                raise QueryError(f"'(' at character {t.pos} nests parentheses "
                                 f"{len(depth)} deep; the limit is {limits.MAX_DEPTH}", t.pos)
        elif t.kind == "rparen":
            if not depth:
                raise QueryError(f"unexpected ')' at character {t.pos}: no '(' is open", t.pos)
            if prev is not None and prev.kind == "lparen":
                raise QueryError(f"empty parentheses at character {prev.pos}", prev.pos)
            depth.pop()
        elif t.kind == "op":
            binary = t.text in ("AND", "OR")
            if binary and (prev is None or prev.kind in ("op", "lparen", "field")):
                raise QueryError(f"'{t.text}' at character {t.pos} needs a term before it", t.pos)
            if nxt is None or nxt.kind in ("rparen",) or (nxt.kind == "op" and nxt.text != "NOT"):
                raise QueryError(f"'{t.text}' at character {t.pos} needs a term after it", t.pos)
        elif t.kind == "field":
            name = t.text[:-1]
            if name.lower() not in FIELDS:
                known = ", ".join(f"{f}:" for f in sorted(set(FIELDS) - {"language", "text"}))
                raise QueryError(f"unknown field '{name}:' at character {t.pos}; fields are "
                                 f"{known}", t.pos)
            if nxt is None or nxt.kind in ("op", "rparen", "field"):
                raise QueryError(f"'{t.text}' at character {t.pos} needs a value after it", t.pos)
            if nxt.kind == "range":
                _check_range(t.text[:-1].lower(), nxt)
        elif t.kind == "range":
            if prev is None or prev.kind != "field":
                raise QueryError(f"a range at character {t.pos} needs a field before it, "
                                 "as in date:[1950 TO 1953]", t.pos)
        elif t.kind == "word":
            _check_word(t)
        prev = t
    if depth:
        raise QueryError(f"'(' at character {depth[-1].pos} is never closed; add ')'",
                         depth[-1].pos)


def _check_range(name: str, t: Token) -> None:
    if not t.text.endswith("]"):
        raise QueryError(f"the range at character {t.pos} is never closed; add ']'", t.pos)
    if name not in ("date", "year"):
        raise QueryError(f"ranges work on date: and year:, not {name}: (character {t.pos})", t.pos)
    parts = t.text[1:-1].split()
    if len(parts) != 3 or parts[1] != "TO":
        raise QueryError(f"the range at character {t.pos} should read [FROM TO UNTIL], "
                         "as in [1950 TO 1953]", t.pos)
    for bound in (parts[0], parts[2]):
        if bound != "*" and not _DATE.match(bound):
            raise QueryError(f"'{bound}' in the range at character {t.pos} is not a year or "
                             "a date (YYYY, YYYY-MM or YYYY-MM-DD)", t.pos)


def _check_word(t: Token) -> None:
    word = t.text
    if word.endswith(":") and word[:-1].lower() in FIELDS:
        raise QueryError(f"'{word}' at character {t.pos} needs a value after it", t.pos)
    if "~" in word:
        base, _, dist = word.partition("~")
        if not base or (dist and dist not in ("1", "2")):
            raise QueryError(f"'{word}' at character {t.pos}: fuzzy search is word~ or word~2 "
                             "(one or two letters different)", t.pos)
        if len(base) > limits.MAX_FUZZY_WORD:
            raise QueryError(f"the word at character {t.pos} is {len(base)} letters long; "
                             f"fuzzy search takes words of up to {limits.MAX_FUZZY_WORD}", t.pos)
    letters = re.sub(r"[*?~\d]", "", word)
    if ("*" in word or "?" in word) and len(letters) < 2:
        raise QueryError(f"'{word}' at character {t.pos}: a wildcard needs at least two "
                         "letters beside it", t.pos)


class QueryBuilder:
    def __init__(self, schema: Schema, register: Register):
        self.schema = schema
        self.register = register

    def _parser(self, group=None) -> MultifieldParser:
        kwargs = {"group": group} if group else {}
        parser = MultifieldParser(DEFAULT_FIELDS, self.schema, **kwargs)
        parser.add_plugin(FuzzyTermPlugin())
        parser.remove_plugin_class(SingleQuotePlugin)
        return parser

    def build(self, q: str) -> ParsedQuery:
        text = normalise(q)
        if not text:
            raise QueryError('the query is empty: type a word, a name or a "phrase"')
        if len(text) > limits.MAX_QUERY_CHARS:
            raise QueryError(f"the query is {len(text):,} characters long; the limit is "
                             f"{limits.MAX_QUERY_CHARS:,}", limits.MAX_QUERY_CHARS + 1)
        tokens = lex(text)
        check(tokens)
        plain = [t for t in tokens if t.kind == "word" and not _is_pattern(t.text)]
        if len(plain) == len(tokens) and len(plain) >= QUOTATION_WORDS:
            return self._quotation(text, plain)
        also: list[str] = []
        pieces = self._rewrite(tokens, also)
        rewritten = " ".join(pieces)
        typed = {fold(t.text) for t in tokens}
        typed.add(fold(text))
        also = [v for v in also if fold(v) not in typed]
        parsed = self._parser().parse(rewritten)
        if parsed is wq.NullQuery or not any(True for _ in parsed.leaves()):
            # only stop words: searching them alone would score most of the collection
            # (measured: 780 ms p95 on 209k passages), and find nothing of interest
            raise QueryError(f"'{text}' is made of words too common to search on their own; "
                             'put them in a "phrase" (as in "will be") or add a word')
        parsed = limits.bound_expansions(_any_case_collection(_fix_ranges(parsed)))
        return ParsedQuery(text, rewritten, parsed, "query", list(dict.fromkeys(also)),
                           [t.text for t in plain])

    def _quotation(self, text: str, words: list[Token]) -> ParsedQuery:
        cleaned = " ".join(w.text.strip(".,;:!?…'()[]") for w in words)
        cleaned = " ".join(w for w in cleaned.split() if w and w not in ("…", "..."))
        group = OrGroup.factory(0.9)
        parser = MultifieldParser(["text", EXACT], self.schema, group=group)
        parser.remove_plugin_class(SingleQuotePlugin)
        safe = re.sub(r"[^\w\s'-]", " ", cleaned)
        return ParsedQuery(text, safe, parser.parse(safe), "quotation", [],
                           [w.text for w in words])

    # -- rewriting ----------------------------------------------------------------------------
    def _rewrite(self, tokens: list[Token], also: list[str]) -> list[str]:
        out: list[str] = []
        # forms added for an excluded term (NOT Putin, NOT (a OR b)) are searched, to be
        # left out, but not reported as "also searched"
        excluded: list[str] = []
        depth, negated_at = 0, None  # the depth at which a NOT ( … ) group closes
        i = 0
        while i < len(tokens):
            t = tokens[i]
            after_not = i > 0 and tokens[i - 1].kind == "op" and tokens[i - 1].text == "NOT"
            sink = excluded if after_not or negated_at is not None else also
            if t.kind == "field":
                value = tokens[i + 1]
                out.append(self._fielded(t.text[:-1].lower(), value, sink))
                i += 2
                continue
            if t.kind == "phrase":
                out.append(self._phrase(t.text, sink))
            elif t.kind == "word":
                run = [t]
                while i + len(run) < len(tokens) and tokens[i + len(run)].kind == "word" \
                        and not (after_not and negated_at is None):  # NOT takes one word
                    run.append(tokens[i + len(run)])
                out.extend(self._words(run, sink))
                i += len(run)
                continue
            elif t.kind in ("lparen", "rparen", "op"):
                if t.kind == "lparen":
                    negated_at = depth if after_not and negated_at is None else negated_at
                    depth += 1
                elif t.kind == "rparen":
                    depth -= 1
                    negated_at = None if negated_at == depth else negated_at
                out.append(t.text)
            i += 1
        return out

    def _words(self, run: list[Token], also: list[str]) -> list[str]:
        """Plain words: names widened to their variants; wildcards and fuzzy on exact forms."""
        out, i = [], 0
        while i < len(run):
            word = run[i].text
            if _is_pattern(word):
                out.append(f"{EXACT}:{_escape(fold(word))}")
                i += 1
                continue
            hit = self._person_at(run, i)
            if hit:
                person, n = hit
                typed = " ".join(t.text for t in run[i : i + n])
                out.append(self._person_group(person, typed, also))
                i += n
                continue
            variants = transliterations(word) if (is_cyrillic(word) or word[:1].isupper()) \
                else []
            if variants:
                also.extend(variants)
                out.append("(" + " OR ".join([_escape(word)] + [_term(v) for v in variants])
                           + ")")
            else:
                out.append(_escape(word))
            i += 1
        return out

    def _person_at(self, run: list[Token], i: int) -> tuple[str, int] | None:
        """The registered person whose name the words from ``run[i]`` spell (longest first),
        compared word by word as the index sees them (Chou En-lai = chou en lai)."""
        for n in range(min(len(run) - i, self.register.longest), 0, -1):
            person = self.register.lookup(" ".join(t.text for t in run[i : i + n]))
            if person:
                return person, n
        return None

    def _person_group(self, person_id: str, typed: str, also: list[str],
                      field: str | None = None) -> str:
        """Every form of a registered person's name. In running text that is one term: the
        index tagged each passage with the persons it names, in whatever form (and the typed
        form is kept, for ranking). In other fields the forms are spelled out."""
        person = self.register.persons[person_id]
        variants = person.variants()
        also.extend(variants)
        if field is None:
            return f"(persons:{person_id} OR {_term(typed)})"
        terms = [_term(v, field) for v in variants]
        return "(" + " OR ".join(dict.fromkeys(terms)) + ")"

    def _phrase(self, phrase: str, also: list[str]) -> str:
        body, _, slop = phrase[1:].rpartition('"')
        person = self.register.lookup(body) if self.register and not slop else None
        if person:
            return self._person_group(person, body, also)
        return f'{EXACT}:"{body}"{slop}'

    def _fielded(self, name: str, value: Token, also: list[str]) -> str:
        target = FIELDS[name]
        raw = value.text
        if value.kind == "range":
            return f"{target}:{raw}"
        if value.kind == "lparen":  # author:(a OR b) is not supported: say so
            raise QueryError(f"'{name}:' at character {value.pos - len(name) - 1} takes one word "
                             'or a "phrase"; repeat the field for each value', value.pos)
        body = raw[1:].rpartition('"')[0] if value.kind == "phrase" else raw
        if target == "persons":
            person = self.register.lookup(body) if self.register else None
            if person is None and body.lower() in (self.register.persons if self.register
                                                   else {}):
                person = body.lower()
            if person is None:
                raise QueryError(f"no person named '{body}' in the register (person: at "
                                 f"character {value.pos - len('person:')})", value.pos)
            return f"persons:{person}"
        if target in KEYWORD_FIELDS:
            return f'{target}:"{body.lower()}"' if " " in body else f"{target}:{body.lower()}"
        if target == "author" and self.register:
            person = self.register.lookup(body)
            if person:
                return self._person_group(person, body, also, field="author")
        return f"{target}:{raw}"


def _is_pattern(word: str) -> bool:
    """A wildcard or fuzzy word; a question mark ending a word is punctuation (a pasted
    question), not a wildcard."""
    return bool(re.search(r"[*~]", word) or "?" in word.rstrip("?!.,;:"))


def _escape(word: str) -> str:
    return word.replace(":", "\\:")


def _term(text: str, field: str | None = None) -> str:
    """A variant as query text: one word, or an exact phrase of several."""
    if len(text.split()) > 1 or re.search(r"[^\w]", text):
        return f'{field or EXACT}:"{text}"'
    return f"{field}:{text}" if field else text


def _any_case_collection(q: wq.Query) -> wq.Query:
    """``collection:`` matches the collection's name in any case: the index keeps names as
    given ("Kremlin news", an ID field), the query folds what is typed to lower case."""
    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Term) and node.fieldname == "collection":
            return wq.Regex("collection", f"(?i)^{re.escape(node.text)}$", boost=node.boost)
        return node.apply(visit)
    return visit(q)


def _fix_ranges(q: wq.Query) -> wq.Query:
    """Year-only ranges on date: become year ranges; a partial end date includes its whole
    year or month (date:[1950 TO 1952] ends with 1952-12-31)."""
    def visit(node: wq.Query) -> wq.Query:
        # the parser turns date:[1953 TO 1953] into a term; a year or month means all of it
        if isinstance(node, wq.Term) and node.fieldname == "date" and len(node.text) < 10:
            if len(node.text) == 4 and node.text.isdigit():
                return wq.NumericRange("year", int(node.text), int(node.text), boost=node.boost)
            return wq.Prefix("date", node.text, boost=node.boost)
        if isinstance(node, wq.TermRange) and node.fieldname == "date":
            start, end = node.start, node.end
            if (start is None or len(start) == 4) and (end is None or len(end) == 4):
                return wq.NumericRange("year", int(start) if start else None,
                                       int(end) if end else None, boost=node.boost)
            return wq.TermRange("date", start, (end + "\uffff") if end else None,
                                boost=node.boost)
        return node.apply(visit)
    return visit(q)
