"""Every search call goes through here, so another engine can be put behind the same interface
without touching the views. The engine today is Whoosh, on disk, embedded."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from whoosh import highlight
from whoosh import index as whoosh_index
from whoosh.qparser import MultifieldParser
from whoosh.query import Term

from indexer.index import CITATIONS, PASSAGES

SEARCH_FIELDS = ["text", "title", "author"]
KIND_LABELS = {"cit": "quoted excerpt", "bibl": "bibliographic record",
               "editorial": "editor's note", "epigraph": "epigraph", "figure": "caption"}
# Typographic quotation marks a reader may paste are read as plain double quotes.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


class QueryError(ValueError):
    """A query the parser cannot take; ``str()`` says which character and what was expected."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


def normalise_query(q: str) -> str:
    return " ".join(q.translate(_QUOTES).split())


def check_syntax(q: str) -> None:
    """Refuse unbalanced quotation marks and parentheses, naming the character at fault."""
    depth_open: list[int] = []
    quote_at: int | None = None
    for i, ch in enumerate(q, start=1):
        if ch == '"':
            quote_at = None if quote_at is not None else i
        elif quote_at is None and ch == "(":
            depth_open.append(i)
        elif quote_at is None and ch == ")":
            if not depth_open:
                raise QueryError(f"unexpected ')' at character {i}: no '(' is open", i)
            depth_open.pop()
    if quote_at is not None:
        raise QueryError(
            f"unbalanced quotation mark: the phrase opened at character {quote_at} is never "
            'closed; add the closing " or remove the opening one', quote_at)
    if depth_open:
        raise QueryError(f"'(' at character {depth_open[-1]} is never closed; add ')'",
                         depth_open[-1])


@dataclass
class Hit:
    doc_id: str
    passage_id: str
    title: str
    author: str
    date: str
    type: str
    kind: str  # p, cit (quoted excerpt), bibl (record), editorial, …
    snippet: str  # HTML: escaped text, matches in <mark>
    score: float

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")

    @property
    def url(self) -> str:
        return f"/doc/{self.doc_id}#{self.passage_id}"


@dataclass
class Results:
    query: str
    total: int
    page: int
    pages: int
    limit: int
    hits: list[Hit]


@dataclass
class Citation:
    """One footnote target: ``source_doc``'s note ``n`` cites ``target_doc#target_passage``."""

    note_id: str
    n: str
    source_doc: str
    source_passage: str
    target_doc: str
    target_passage: str
    status: str
    cert: str
    text: str

    @property
    def marker_url(self) -> str:
        return f"/doc/{self.source_doc}#{self.note_id}-ref"

    @property
    def target_url(self) -> str:
        return f"/doc/{self.target_doc}#{self.target_passage}"


class _MarkFormatter(highlight.Formatter):
    """Escaped text with each match in ``<mark>``."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace), quote=False)}</mark>"


class Searcher:
    """Read-only access to the index of ``index_dir``."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._passages = whoosh_index.open_dir(self.index_dir, indexname=PASSAGES)
        self._citations = whoosh_index.open_dir(self.index_dir, indexname=CITATIONS)

    def search(self, q: str, page: int = 1, limit: int = 10) -> Results:
        q = normalise_query(q)
        if not q:
            raise QueryError("the query is empty: type a word, a name or a \"phrase\"")
        check_syntax(q)
        limit = max(1, min(limit, 100))
        page = max(1, page)
        parser = MultifieldParser(SEARCH_FIELDS, self._passages.schema)
        query = parser.parse(q)
        with self._passages.searcher() as s:
            results = s.search_page(query, page, pagelen=limit, terms=True)
            results.results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=80)
            results.results.formatter = _MarkFormatter()
            hits = []
            for hit in results:
                snippet = hit.highlights("text", top=2)
                if not snippet:
                    text = hit["text"]
                    snippet = html.escape(text[:240] + ("…" if len(text) > 240 else ""),
                                          quote=False)
                hits.append(Hit(hit["doc_id"], hit["passage_id"], hit["title"], hit["author"],
                                hit["date"], hit["type"], hit["kind"], snippet, hit.score))
            total = len(results.results)
            pages = max(1, -(-total // limit))
        return Results(q, total, page, pages, limit, hits)

    def _citations_where(self, field: str, value: str) -> list[Citation]:
        with self._citations.searcher() as s:
            found = [Citation(**dict(hit)) for hit in s.search(Term(field, value), limit=None)]
        return sorted(found, key=lambda c: (c.source_doc, _num(c.n), c.target_passage))

    def citations_to(self, doc_id: str) -> list[Citation]:
        """Who cites passages of ``doc_id``."""
        return self._citations_where("target_doc", doc_id)

    def citations_from(self, doc_id: str) -> list[Citation]:
        """What ``doc_id``'s footnotes cite."""
        return self._citations_where("source_doc", doc_id)


def _num(n: str) -> tuple[int, str]:
    return (int(n), "") if n.isdigit() else (10**9, n)
