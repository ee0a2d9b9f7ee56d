"""Reading the query language's tokens, and refusing malformed input with a message that names
the token, its position and what was expected (before any engine sees the query)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import N_
from . import limits
from .errors import QueryError

FIELDS = {
    "author": "author", "title": "title", "type": "type", "lang": "language",
    "language": "language", "person": "persons", "date": "date", "year": "year",
    "collection": "collection", "text": "text",
}
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
# each message is a catalogue template (N_): the page shows it in the reader's language
_NEEDS_VALUE = N_("'%(field)s' at character %(pos)s needs a value after it")


@dataclass
class Token:
    kind: str
    text: str
    pos: int  # 1-based character position, as readers count


def normalise(q: str) -> str:
    return " ".join(q.translate(_TYPOGRAPHIC).split())


def lex(q: str) -> list[Token]:
    tokens, pos = [], 0
    while pos < len(q):
        m = _TOKEN.match(q, pos)
        if m is None:  # only a ']' with no '[' open gets here
            raise QueryError(N_("unexpected '%(char)s' at character %(pos)s: no '[' is open; "
                                "a range is written as in date:[1950 TO 1953]"), pos + 1,
                             char=q[pos], pos=pos + 1)
        kind = m.lastgroup
        if kind == "openquote":
            raise QueryError(N_("unbalanced quotation mark: the phrase opened at character "
                                "%(pos)s is never closed; add the closing \" or remove this "
                                "one"), pos + 1, pos=pos + 1)
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
        raise QueryError(N_("the query has %(n)s words or phrases; the limit is %(limit)s"),
                         n=terms, limit=limits.MAX_TERMS)
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if t.kind == "lparen":
            depth.append(t)
            if len(depth) > limits.MAX_DEPTH:  # the parser recurses once per level
                raise QueryError(N_("'(' at character %(pos)s nests parentheses %(n)s deep; "
                                    "the limit is %(limit)s"), t.pos, pos=t.pos, n=len(depth),
                                 limit=limits.MAX_DEPTH)
        elif t.kind == "rparen":
            if not depth:
                raise QueryError(N_("unexpected ')' at character %(pos)s: no '(' is open"),
                                 t.pos, pos=t.pos)
            if prev is not None and prev.kind == "lparen":
                raise QueryError(N_("empty parentheses at character %(pos)s"), prev.pos,
                                 pos=prev.pos)
            depth.pop()
        elif t.kind == "op":
            binary = t.text in ("AND", "OR")
            if binary and (prev is None or prev.kind in ("op", "lparen", "field")):
                raise QueryError(N_("'%(op)s' at character %(pos)s needs a term before it"),
                                 t.pos, op=t.text, pos=t.pos)
            if nxt is None or nxt.kind in ("rparen",) or (nxt.kind == "op" and nxt.text != "NOT"):
                raise QueryError(N_("'%(op)s' at character %(pos)s needs a term after it"),
                                 t.pos, op=t.text, pos=t.pos)
        elif t.kind == "field":
            name = t.text[:-1]
            if name.lower() not in FIELDS:
                known = ", ".join(f"{f}:" for f in sorted(set(FIELDS) - {"language", "text"}))
                raise QueryError(N_("unknown field '%(name)s:' at character %(pos)s; fields "
                                    "are %(known)s"), t.pos, name=name, pos=t.pos, known=known)
            if nxt is None or nxt.kind in ("op", "rparen", "field"):
                raise QueryError(_NEEDS_VALUE, t.pos, field=t.text, pos=t.pos)
            if nxt.kind == "range":
                _check_range(t.text[:-1].lower(), nxt)
        elif t.kind == "range":
            if prev is None or prev.kind != "field":
                raise QueryError(N_("a range at character %(pos)s needs a field before it, "
                                    "as in date:[1950 TO 1953]"), t.pos, pos=t.pos)
        elif t.kind == "word":
            _check_word(t)
        prev = t
    if depth:
        raise QueryError(N_("'(' at character %(pos)s is never closed; add ')'"),
                         depth[-1].pos, pos=depth[-1].pos)


def _check_range(name: str, t: Token) -> None:
    if not t.text.endswith("]"):
        raise QueryError(N_("the range at character %(pos)s is never closed; add ']'"), t.pos,
                         pos=t.pos)
    if name not in ("date", "year"):
        raise QueryError(N_("ranges work on date: and year:, not %(name)s: (character "
                            "%(pos)s)"), t.pos, name=name, pos=t.pos)
    parts = t.text[1:-1].split()
    if len(parts) != 3 or parts[1] != "TO":
        raise QueryError(N_("the range at character %(pos)s should read [FROM TO UNTIL], "
                            "as in [1950 TO 1953]"), t.pos, pos=t.pos)
    for bound in (parts[0], parts[2]):
        if bound != "*" and not _DATE.match(bound):
            raise QueryError(N_("'%(bound)s' in the range at character %(pos)s is not a "
                                "year or a date (YYYY, YYYY-MM or YYYY-MM-DD)"), t.pos,
                             bound=bound, pos=t.pos)


def _check_word(t: Token) -> None:
    word = t.text
    if word.endswith(":") and word[:-1].lower() in FIELDS:
        raise QueryError(_NEEDS_VALUE, t.pos, field=word, pos=t.pos)
    if "~" in word:
        base, _, dist = word.partition("~")
        if not base or (dist and dist not in ("1", "2")):
            raise QueryError(N_("'%(word)s' at character %(pos)s: fuzzy search is word~ or "
                                "word~2 (one or two letters different)"), t.pos, word=word,
                             pos=t.pos)
        if len(base) > limits.MAX_FUZZY_WORD:
            raise QueryError(N_("the word at character %(pos)s is %(n)s letters long; fuzzy "
                                "search takes words of up to %(limit)s"), t.pos, pos=t.pos,
                             n=len(base), limit=limits.MAX_FUZZY_WORD)
    letters = re.sub(r"[*?~\d]", "", word)
    if ("*" in word or "?" in word) and len(letters) < 2:
        raise QueryError(N_("'%(word)s' at character %(pos)s: a wildcard needs at least two "
                            "letters beside it"), t.pos, word=word, pos=t.pos)
