"""Operators and grouping of the query language, read the way Whoosh's parser read them (the
library's results and judged relevance figures were measured with it): ``NOT`` binds to the one
item after it, ``AND`` binds tighter than ``OR``, and items side by side are ANDed last, so
``war peace OR purge`` is ``war AND (peace OR purge)``. The items are already query trees (a
word, a name with its variants, a phrase, a field); ``check`` in ``query`` has refused
malformed input, so this reads well-formed input only."""

from __future__ import annotations

from indexer import querytree as qt

# ("node", Node | None) for an item (None: nothing left of it, e.g. a stop word),
# ("op", "AND" | "OR" | "NOT"), ("(", None), (")", None)
Items = list[tuple[str, object]]


class _Reader:
    def __init__(self, items: Items):
        self.items = items
        self.i = 0

    def peek(self) -> tuple[str, object] | None:
        return self.items[self.i] if self.i < len(self.items) else None

    def take(self) -> tuple[str, object]:
        item = self.items[self.i]
        self.i += 1
        return item


def parse_items(items: Items) -> qt.Node | None:
    """The query tree of ``items``, normalised; None when nothing searchable is left."""
    reader = _Reader(items)
    node = _sequence(reader)
    return qt.normalize(node)


def _sequence(r: _Reader) -> qt.Node:
    parts = []
    while (nxt := r.peek()) is not None and nxt[0] != ")":
        parts.append(_or(r))
    return qt.And(tuple(p for p in parts if p is not None))


def _or(r: _Reader) -> qt.Node | None:
    parts = [_and(r)]
    while (nxt := r.peek()) is not None and nxt == ("op", "OR"):
        r.take()
        parts.append(_and(r))
    if len(parts) == 1:
        return parts[0]
    return qt.Or(tuple(p for p in parts if p is not None))


def _and(r: _Reader) -> qt.Node | None:
    parts = [_unary(r)]
    while (nxt := r.peek()) is not None and nxt == ("op", "AND"):
        r.take()
        parts.append(_unary(r))
    if len(parts) == 1:
        return parts[0]
    return qt.And(tuple(p for p in parts if p is not None))


def _unary(r: _Reader) -> qt.Node | None:
    kind, value = r.take()
    if kind == "op" and value == "NOT":
        inner = _unary(r)
        if inner is None:
            return None
        return inner.item if isinstance(inner, qt.Not) else qt.Not(inner)
    if kind == "(":
        inner = _sequence(r)
        if r.peek() is not None:
            r.take()  # the closing ')'
        return inner
    return value  # a node, or None
