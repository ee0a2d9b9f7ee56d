"""The advanced search form, read into the query language: what the form builds is an ordinary
query (shown to the reader, editable, the same in the JSON API and on the command line) plus
the facet filters, never a second search path.

Words are taken as words: quotation marks, brackets, operators and field prefixes typed into a
box are not syntax there (the form is for readers who do not write queries), so nothing typed
can make the built query unreadable."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

FIELDS = {"text": "", "title": "title:", "author": "author:", "person": "person:"}
_WORD = re.compile(r"[^\W_][\w'’.-]*", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "TO"}
YEARS = (1800, 2030)  # the slider's ends
OPEN = (1000, 2999)  # a range given at one end only


@dataclass
class Advanced:
    """What the form holds."""

    all: str = ""
    any: str = ""
    none: str = ""
    phrase: str = ""
    field: str = "text"
    year_from: int | None = None
    year_to: int | None = None
    # type, lang, collection
    filters: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.all or self.any or self.none or self.phrase or self.year_from
                    or self.year_to)


def words(text: str) -> list[str]:
    """The words of a box, lower-cased where they spell an operator (``and`` is a word)."""
    return [w.lower() if w in _OPERATORS else w.rstrip(".") or w
            for w in _WORD.findall(text or "")]


def _year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if OPEN[0] <= year <= OPEN[1] else None


def from_args(args) -> Advanced:
    """The form as the URL gives it (``args``: request.args or a dict of lists)."""
    get = args.get
    chosen = get("field", "text")
    filters = {key: [v for v in args.getlist(key) if v] for key in ("type", "lang", "collection")
               if hasattr(args, "getlist") and any(args.getlist(key))}
    start, end = _year(get("from")), _year(get("to"))
    if start and end and start > end:
        start, end = end, start
    # a slider left at its end does not limit the dates (undated documents stay in)
    start = None if start is not None and start <= YEARS[0] else start
    end = None if end is not None and end >= YEARS[1] else end
    return Advanced(get("all", ""), get("any", ""), get("none", ""), get("phrase", ""),
                    chosen if chosen in FIELDS else "text", start, end, filters)


def build(form: Advanced) -> str:
    """The query the form stands for: ``all`` words each required, one of ``any``, none of
    ``none``, the ``phrase`` exact, in the chosen field, within the years."""
    prefix = FIELDS[form.field]
    if form.field == "person":  # a person is one name, however many words: person:"Iosif Stalin"
        name = " ".join(words(form.all))
        parts = [f'person:"{name}"'] if name else []
        prefix = ""
    else:
        parts = [prefix + w for w in words(form.all)]
    if form.phrase and (phrase := " ".join(words(form.phrase))):
        parts.append(f'{prefix}"{phrase}"')
    alternatives = [prefix + w for w in words(form.any)]
    if len(alternatives) == 1:
        parts.append(alternatives[0])
    elif alternatives:
        parts.append("(" + " OR ".join(alternatives) + ")")
    if form.year_from or form.year_to:
        parts.append(f"date:[{form.year_from or OPEN[0]} TO {form.year_to or OPEN[1]}]")
    parts += [f"NOT {prefix}{w}" for w in words(form.none)]
    return " ".join(parts)
