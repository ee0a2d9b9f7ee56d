"""The parsed query as a tree that no engine owns: ``library/search/query.py`` builds it from what a
reader typed (words already analysed), each engine adapter in ``indexer/engines`` translates it
into its own query objects.

The shapes follow the query language's meaning, not one engine's classes: a phrase's ``slop``
is the largest distance between consecutive words (1: adjacent, as Whoosh counts; tantivy
counts the gaps, one fewer), a fuzzy word's ``maxdist`` the number of letters that may differ,
and ``prefixlength`` how many first letters must match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace


class QueryError(ValueError):
    """A query that cannot be read or run; ``position`` is the 1-based character at fault.

    ``message`` may be a template with ``%(name)s`` slots filled from ``params``: ``str()`` is
    the English, and the library looks the template up in its catalogues to show the message
    in the reader's language (``library/search/errors.py``). Whole numbers are written with
    thousands separators."""

    def __init__(self, message: str, position: int | None = None, **params: object):
        english = {k: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else v
                   for k, v in params.items()}
        super().__init__(message % english if params else message)
        self.position = position
        self.template = message
        self.params = params


class Node:
    boost: float = 1.0

    def children(self) -> tuple[Node, ...]:
        return ()

    def with_boost(self, boost: float) -> Node:
        return replace(self, boost=boost)


@dataclass(frozen=True)
class Term(Node):
    field: str
    text: str | int
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase(Node):
    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix(Node):
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard(Node):
    field: str
    pattern: str  # ``*``: any letters, ``?``: one letter
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy(Node):
    field: str
    text: str
    maxdist: int = 1
    prefixlength: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class NumericRange(Node):
    field: str
    start: int | None
    end: int | None  # both inclusive; None: open
    boost: float = 1.0


@dataclass(frozen=True)
class TermRange(Node):
    field: str
    start: str | None
    end: str | None  # both inclusive, compared as strings
    boost: float = 1.0


@dataclass(frozen=True)
class Every(Node):
    boost: float = 1.0


@dataclass(frozen=True)
class Not(Node):
    item: Node
    boost: float = 1.0

    def children(self) -> tuple[Node, ...]:
        return (self.item,)


@dataclass(frozen=True)
class And(Node):
    items: tuple[Node, ...]
    boost: float = 1.0

    def children(self) -> tuple[Node, ...]:
        return self.items


@dataclass(frozen=True)
class Or(Node):
    items: tuple[Node, ...]
    boost: float = 1.0
    # a bonus for matching more of the items (a pasted quotation): None, or in (0, 1)
    scale: float | None = field(default=None, compare=False)

    def children(self) -> tuple[Node, ...]:
        return self.items


MULTI = (Prefix, Wildcard, Fuzzy)


def normalize(node: Node | None) -> Node | None:
    """Nested groups of one kind merged, duplicates and empty parts dropped, a group of one
    replaced by its item (as Whoosh normalised its queries: scores depend on it)."""
    if node is None:
        return None
    if isinstance(node, Not):
        item = normalize(node.item)
        return None if item is None else Not(item, node.boost)
    if not isinstance(node, (And, Or)):
        return node
    items: list[Node] = []
    for child in node.items:
        child = normalize(child)
        if child is None:
            continue
        if type(child) is type(node):
            items += [c.with_boost(c.boost * child.boost) for c in child.items]
        else:
            items.append(child)
    if isinstance(node, Or) and any(isinstance(i, Every) for i in items):
        return Every()
    items = list(dict.fromkeys(items))
    if not items:
        return None
    if len(items) == 1:
        item = items[0]
        return item if node.boost == 1.0 else item.with_boost(item.boost * node.boost)
    if isinstance(node, Or):
        return Or(tuple(items), node.boost, node.scale)
    return And(tuple(items), node.boost)


def leaves(node: Node, negated: bool = False) -> Iterator[Node]:
    """The leaf queries of ``node``; those under a ``Not`` only with ``negated``."""
    if isinstance(node, Not) and not negated:
        return
    kids = node.children()
    if not kids:
        yield node
    for kid in kids:
        yield from leaves(kid, negated)


def with_filter(query: Node, filters: list[Node]) -> Node:
    """``query`` restricted to what every filter matches."""
    return And((query, *filters)) if filters else query


def typed(node: Node) -> str:
    """A wildcard or fuzzy word as the reader typed it (for messages)."""
    if isinstance(node, Prefix):
        return f"{node.text}*"
    if isinstance(node, Fuzzy):
        return f"{node.text}~{node.maxdist if node.maxdist != 1 else ''}"
    return getattr(node, "pattern", "")
