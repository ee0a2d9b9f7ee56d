"""What a search asks and answers: the request, passages grouped by document with KWIC lines
and cross-references, facet values (engine-neutral data, shared by the searcher and the
views)."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .highlight import KwicLine, TermMatcher
from .query import ParsedQuery

KIND_LABELS = {"cit": "quoted excerpt", "bibl": "bibliographic record",
               "editorial": "editor's note", "epigraph": "epigraph", "figure": "caption"}


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


@dataclass
class SearchRequest:
    q: str
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet key → values
    sort: str = "relevance"  # or one of SORTS
    page: int = 1
    per_page: int = 10  # documents per page
    within: str | None = None  # search inside one document
    # documents only (a RIS or BibTeX export): no passages, snippets or KWIC lines made
    documents_only: bool = False
    # passage ids by score wanted with the answer (the relevance measures read them; a page
    # does not, and each costs a stored read)
    ranked: int = 0


@dataclass
class PassageHit:
    doc_id: str
    passage_id: str
    kind: str
    text: str
    snippet: Markup
    kwic: list[KwicLine]
    score: float
    cited_by: list[Citation] = field(default_factory=list)  # footnotes citing this passage
    cites: list[Citation] = field(default_factory=list)  # what this passage's footnotes cite

    @property
    def url(self) -> str:
        return f"/doc/{self.doc_id}#{self.passage_id}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")


@dataclass
class DocumentGroup:
    doc_id: str
    title: str
    author: str
    date: str
    type: str
    count: int  # matching passages in this document
    passages: list[PassageHit]

    @property
    def url(self) -> str:
        return f"/doc/{self.doc_id}"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResponse:
    query: str
    parsed: ParsedQuery
    total: int  # matching passages
    documents: int  # matching documents
    page: int
    pages: int
    per_page: int
    sort: str
    groups: list[DocumentGroup]
    facets: dict[str, list[FacetValue]]
    filters: dict[str, list[str]]
    also_searched: list[str]
    did_you_mean: str | None = None
    corrected_from: str | None = None
    matched_passages: list[str] = field(default_factory=list)  # with ``within``: all, in order
    matcher: TermMatcher | None = None
    ranked: list[str] = field(default_factory=list)  # passage ids by score, before grouping

    @property
    def hits(self) -> list[PassageHit]:
        return [p for g in self.groups for p in g.passages]
