"""Reading the query language's tokens, and refusing malformed input with a message that names
the token, its position and what was expected (before any engine sees the query)."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
