"""Fuzzing the routes of a real ``library serve`` over HTTP: every parameter each route reads,
and the path segments, filled with odd values (empty, huge, control characters, NUL, bytes
that are not UTF-8, unicode digits, query syntax gone wrong, random text). No answer may be a
5xx, and none may take 10 s or more. The counts are printed (``-s``) and written to
``fuzz-counts.json`` in the test's temporary folder."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ESSAY

SEARCH = ["q", "page", "limit", "sort", "author", "type", "lang", "decade", "year", "person",
          "collection"]
OAI = ["verb", "identifier", "metadataPrefix", "set", "from", "until", "resumptionToken"]
# route template ({id}: a document id, {n}: a footnote, {p}: a person) → parameters it reads
ROUTES = {
    "/": [], "/search": SEARCH, "/help/search": [], "/help/api": [], "/api": [],
    "/doc/{id}": ["q"], "/doc/{id}.xml": [], "/doc/{id}/note/{n}": [],
    "/doc/{id}/cite.bib": ["passage"], "/doc/{id}/cite.ris": ["passage"],
    "/doc/{id}/cite.json": ["passage"], "/persons": [], "/persons/{p}": ["page"],
    "/bibliography": [], "/timeline": [], "/graph": [], "/oai": OAI, "/api/docs": [],
    "/api/doc/{id}": [], "/api/doc/{id}/notes": [], "/api/search": SEARCH,
    "/api/trace": ["q", "exclude", "limit"], "/api/openapi.json": [], "/login": [],
    "/import": [], "/import/{id}": [], "/bookmarks": [], "/bookmarks/account": [],
    "/bookmarks/export.csv": ["item"], "/bookmarks/export.ris": ["item"],
    "/bookmarks/export.bib": ["item"], "/bookmarks/export.json": ["item"],
}
ODD = ["", " ", "\x00", "\x01", "\x7f", "\u202e", "\ufffe", "²", "٣", "-1", "0", "1e9",
       "99999999999999999999999", "NaN", "]", "[", "(((", ")", '"', "\\", "*", "?*", "~",
       "Stalin]", "date:[", "date:[1950 TO", "author:", "a" * 300, "x" * 5000,
       "(" * 200 + "x" + ")" * 200, "Gotwald~2", "*i*n*", "Stalin OR", "NOT", "😀",
       "ListRecords", "GetRecord", "oai_dc", "tei", "oai:primary-source-library.local:x",
       ESSAY, "stalin", "1953", "1950", "relevance", "date"]
TIMEOUT = 10.0


def _pct(data: bytes) -> str:
    return "".join(f"%{b:02X}" for b in data)


# A value as it goes into the URL, already percent-encoded: text (any code point, so control
# characters and NUL too), raw bytes that need not be UTF-8, or a known odd value.
values = st.one_of(
    st.sampled_from(ODD).map(lambda v: urllib.parse.quote(v, safe="")),
    st.text(max_size=40).map(lambda v: urllib.parse.quote(v, safe="")),
    st.binary(max_size=12).map(_pct),
    st.sampled_from(["%ff", "%00", "%C0%80", "%ED%A0%80", "%E2%80", "%25", "%5D", "%%", "%zz"]),
)
segments = st.one_of(
    st.sampled_from([ESSAY, "stalin-1950-08-27-gottwald", "no-such-doc", "stalin", "a" * 300,
                     "1", "17", "x" * 256]),
    values.filter(lambda v: v and "%2F" not in v.upper() and v not in (".", "..")),
)


@st.composite
def requests(draw) -> tuple[str, str, bytes | None]:
    """(method, path with query string, POST body or None)."""
    template = draw(st.sampled_from(sorted(ROUTES)))
    path = template
    for slot in ("{id}", "{n}", "{p}"):
        if slot in path:
            path = path.replace(slot, draw(segments))
    names = ROUTES[template]
    params = draw(st.lists(st.tuples(st.sampled_from(names), values), max_size=4)) \
        if names else draw(st.lists(st.tuples(st.just("q"), values), max_size=1))
    query = "&".join(f"{k}={v}" for k, v in params)
    if template == "/oai" and draw(st.booleans()):
        return "POST", path, query.encode()
    return "GET", path + ("?" + query if query else ""), None


def test_no_route_answers_5xx_or_runs_on(server, tmp_path):
    counts: Counter = Counter()
    slowest: list[tuple[float, str]] = []

    @settings(max_examples=200, deadline=None, derandomize=False, database=None,
              suppress_health_check=list(HealthCheck))
    @given(requests())
    def one(req):
        method, path, body = req
        request = urllib.request.Request(server + path, data=body, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT + 5) as r:
                status = r.status
                r.read()
        except urllib.error.HTTPError as err:
            status = err.code
            err.read()
        seconds = time.perf_counter() - started
        counts["requests"] += 1
        counts[f"{status // 100}xx"] += 1
        slowest.append((seconds, f"{method} {path[:120]}"))
        assert status < 500, f"{method} {path[:300]} → {status}"
        assert seconds < TIMEOUT, f"{method} {path[:300]} took {seconds:.1f} s"

    one()
    slowest.sort(reverse=True)
    summary = {"requests": counts["requests"], "2xx": counts["2xx"], "3xx": counts["3xx"],
               "4xx": counts["4xx"], "5xx": counts["5xx"],
               "slowest_seconds": round(slowest[0][0], 3) if slowest else None}
    (tmp_path / "fuzz-counts.json").write_text(json.dumps(summary, indent=1))
    print(f"\nfuzz: {summary['requests']} requests, {summary['4xx']} 4xx, {summary['5xx']} 5xx "
          f"({summary['2xx']} 2xx, {summary['3xx']} 3xx); slowest {summary['slowest_seconds']} s"
          f" ({slowest[0][1] if slowest else ''})")
    assert counts["requests"] >= 100 and counts["5xx"] == 0
    assert counts["4xx"] > 0 and counts["2xx"] > 0  # both kinds of answer were exercised


def test_no_route_answers_5xx_to_a_segment_past_the_file_system_s_limit(server):
    """Found by the fuzzing above: /doc/ with 5,000 characters looked for a withdrawn file of
    that name, and the file system's "file name too long" became a 500."""
    for template in sorted(ROUTES):
        for segment in ("x" * 5000, "a" * 300, "x" * 256):
            path = template.replace("{id}", segment).replace("{n}", segment).replace(
                "{p}", segment)
            try:
                with urllib.request.urlopen(server + path, timeout=TIMEOUT) as response:
                    status = response.status
            except urllib.error.HTTPError as err:
                status = err.code
            assert status < 500, f"{template} with {len(segment)} characters → {status}"
