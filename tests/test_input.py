"""Bad input is answered, never crashes: malformed and oversized queries, junk filters and page
numbers, impossible document ids and forged OAI-PMH tokens get a 4xx (or an OAI error code, or
exit 2) with a message that says what is wrong and where. The searcher is tested over the index
of the committed store, the pages over a real ``library serve``."""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from library.search import limits
from library.search.searcher import QueryError, Searcher, SearchRequest

from .conftest import ESSAY
from .test_cli import run

LONG_ID = "a" * 300


@pytest.fixture(scope="module")
def s(engine_paths):
    return Searcher.for_store(engine_paths.index, engine_paths.sources)


def fetch(base: str, path: str, data: bytes | None = None) -> tuple[int, str, str]:
    """(status, content type, body) of a GET (or a POST of ``data``), errors included."""
    try:
        with urllib.request.urlopen(base + path, data=data, timeout=30) as r:
            return r.status, r.headers["Content-Type"], r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode()


# -- the searcher -----------------------------------------------------------------------------
@pytest.mark.parametrize("q, expected", [
    ("Stalin]", "unexpected ']' at character 7: no '[' is open"),
    ("war ] peace", "unexpected ']' at character 5"),
    ("(" * 1000 + "Stalin" + ")" * 1000, "the limit is 1,000"),
    ("(" * 33 + "Stalin" + ")" * 33, "'(' at character 33 nests parentheses 33 deep; the limit "
     "is 32"),
    ("a " * 201, "the query has 201 words or phrases; the limit is 200"),
    ("x" * 30_000, "the query is 30,000 characters long; the limit is 1,000"),
    ("Gottwaldovaniyevichskiyeeeeeeeeeeeeeeeeee~", "is 41 letters long; fuzzy search takes "
     "words of up to 40"),
])
def test_oversized_and_stray_input_is_refused_with_where_and_why(s, q, expected):
    with pytest.raises(QueryError) as err:
        s.search(SearchRequest(q))
    assert expected in str(err.value)


def test_thirty_two_levels_of_parentheses_still_search(s):
    assert s.search(SearchRequest("(" * 32 + "Gottwald" + ")" * 32)).total > 0


@pytest.mark.parametrize("key, value", [
    ("year", "²"), ("year", "--5"), ("year", "٣"), ("decade", "99999999999999999999999"),
    ("year", "1e9"), ("decade", "\x00"),
])
def test_numeric_filters_must_be_years(s, key, value):
    with pytest.raises(QueryError, match=f"filter {key}=.* is not a number"):
        s.search(SearchRequest("Stalin", filters={key: [value]}))


def test_year_filters_still_filter(s):
    assert s.search(SearchRequest("Stalin", filters={"year": ["1952"]})).total > 0
    assert s.search(SearchRequest("Stalin", filters={"decade": ["1950"]})).total > 0


def test_long_words_are_not_spelling_corrected(s):
    """Correcting costs the square of a word's length: past 40 letters, nothing is tried."""
    started = time.perf_counter()
    r = s.search(SearchRequest("Gottwaldd" + "x" * 900))
    assert r.total == 0 and r.did_you_mean is None and r.corrected_from is None
    assert time.perf_counter() - started < 10
    assert s.search(SearchRequest("Gotwald")).corrected_from == "Gotwald"  # short ones are


def test_wildcard_expansion_is_bounded(s, monkeypatch):
    """On this small index no wildcard reaches the bound of 1,000 words, so a query that
    expands to 900-odd of them is run against a bound of 500. (The bound on words is tested
    here, not speed: the first search gets a generous time budget, as a loaded machine needs.)"""
    with limits.budget(120):
        assert s.search(SearchRequest("*i*n*")).total > 0  # under the default bound
    monkeypatch.setattr(limits, "MAX_EXPANSION", 500)
    with pytest.raises(QueryError, match=r"'\*i\*n\*' matches more than 500 different"):
        s.search(SearchRequest("*i*n*"))
    monkeypatch.setattr(limits, "MAX_EXPANSION", 3)
    with pytest.raises(QueryError, match="'war~2' matches more than 3"):
        s.search(SearchRequest("war~2"))


def test_a_search_past_its_time_budget_is_refused(s):
    with limits.budget(0.0), pytest.raises(limits.QueryTooSlow, match="took too long"):
        s.search(SearchRequest("Stalin OR Beria OR war"))
    assert s.search(SearchRequest("Stalin OR Beria OR war")).total > 0  # budget gone with it


def test_the_budget_counts_the_search_s_own_work_and_caps_its_waiting():
    """Waiting for a core (a busy server) does not spend a budget; working does, and waiting
    ends at WALL_FACTOR times the budget."""
    with limits.budget(0.3):
        time.sleep(0.35)  # waiting: no CPU
        limits.check()
        with pytest.raises(limits.QueryTooSlow):
            started = time.thread_time()
            while time.thread_time() - started < 0.4:  # working
                limits.check()
    with limits.budget(0.2), pytest.raises(limits.QueryTooSlow):
        time.sleep(0.2 * limits.WALL_FACTOR + 0.05)
        limits.check()


def test_query_seconds_from_the_environment(monkeypatch):
    monkeypatch.setenv("LIBRARY_QUERY_SECONDS", "0.5")
    assert limits.query_seconds() == 0.5
    for junk in ("abc", "-1", "0"):
        monkeypatch.setenv("LIBRARY_QUERY_SECONDS", junk)
        assert limits.query_seconds() == limits.DEFAULT_SECONDS


# -- the command ------------------------------------------------------------------------------
def test_cli_search_refuses_a_stray_bracket_with_exit_2(repo_paths):
    result = run(["search", "Stalin]"], repo_paths)
    assert result.returncode == 2, result.stderr
    assert "unexpected ']' at character 7" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_search_and_trace_over_budget_or_too_long_exit_2(repo_paths):
    slow = run(["search", "Stalin OR Beria"], repo_paths, LIBRARY_QUERY_SECONDS="0.000001")
    assert slow.returncode == 2 and "took too long" in slow.stderr, slow.stderr
    trace = run(["trace", "word " * 500], repo_paths)
    assert trace.returncode == 2 and "the limit is 2,000" in trace.stderr, trace.stderr


# -- pages and API over HTTP ------------------------------------------------------------------
PAREN = urllib.parse.quote("(" * 1000 + "x" + ")" * 1000)


@pytest.mark.parametrize("path, status, message", [
    ("/search?q=Stalin%5D", 400, "unexpected &#39;]&#39; at character 7"),
    ("/api/search?q=Stalin%5D", 400, "unexpected ']' at character 7"),
    (f"/doc/{ESSAY}?q=%5D", 400, "unexpected &#39;]&#39; at character 1"),
    (f"/api/search?q={PAREN}", 400, "the limit is 1,000"),
    ("/api/search?q=" + "(" * 40 + "x" + ")" * 40, 400, "the limit is 32"),
    ("/api/search?q=Stalin&year=%C2%B2", 400, "filter year='²' is not a number"),
    ("/api/search?q=Stalin&year=--5", 400, "filter year='--5' is not a number"),
    ("/api/search?q=Stalin&decade=99999999999999999999999", 400, "is not a number"),
    ("/search?q=Stalin&decade=99999999999999999999999", 400, "is not a number"),
    ("/api/trace?q=" + "word+" * 500, 400, "the limit is 2,000"),
    (f"/doc/{LONG_ID}", 404, "There is no page"),
    (f"/doc/{LONG_ID}.xml", 404, "There is no page"),
    (f"/api/doc/{LONG_ID}", 404, "not found"),
    (f"/api/doc/{LONG_ID}/notes", 404, "not found"),
    (f"/doc/{LONG_ID}/cite.bib", 404, "There is no page"),
    (f"/doc/{LONG_ID}/cite.json", 404, "There is no page"),
    (f"/doc/{LONG_ID}/note/1", 404, "There is no page"),
])
def test_bad_input_gets_a_4xx_with_a_message(server, path, status, message):
    code, ctype, body = fetch(server, path)
    assert code == status, body[:300]
    assert message in body
    if path.startswith("/api/"):
        assert ctype.startswith("application/json") and "error" in json.loads(body)


@pytest.mark.parametrize("query", ["page=-1", "page=1e9", "limit=abc", "page=%C2%B2",
                                   "limit=99999999999999999999", "sort=%00", "page="])
def test_junk_page_and_limit_are_clamped(server, query):
    code, _, body = fetch(server, f"/api/search?q=Gottwald&{query}")
    assert code == 200, body
    data = json.loads(body)
    assert data["page"] == 1 and 1 <= data["limit"] <= 100 and data["total"] > 0


# -- OAI-PMH ----------------------------------------------------------------------------------
def token(payload) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("query, code", [
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=%01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=%01", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=%00", "badArgument"),
    ("verb=%01", "badVerb"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2020-13-45", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=%D9%A2%D9%A0%D9%A2%D9%A0-01-01",
     "badArgument"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=%ff", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:primary-source-library.local:"
     + LONG_ID, "idDoesNotExist"),
    ("verb=ListRecords&resumptionToken=" + "A" * 5000, "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=%ff%fe", "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=%01", "badArgument"),
    ("verb=ListRecords&resumptionToken=" + token(b"\xff\xfe junk"), "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token(["metadataPrefix"]), "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token({"p": ["metadataPrefix"], "o": 0}),
     "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token({"p": {"metadataPrefix": "oai_dc"}, "o": -10}),
     "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token({"p": {"metadataPrefix": "oai_dc"},
                                                  "o": 1000}), "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token({"p": {"metadataPrefix": "oai_dc"},
                                                  "o": "1e400"}), "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token(b'{"p":{"metadataPrefix":"oai_dc"},"o":1e400}'),
     "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token({"p": {"metadataPrefix": "oai_dc", "set": 1},
                                                  "o": 0}), "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token({"p": {"metadataPrefix": "oai_dc",
                                                        "from": "yesterday"}, "o": 0}),
     "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token({"p": {"metadataPrefix": "oai_dc",
                                                        "color": "red"}, "o": 0}),
     "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=" + token(b"[" * 600), "badResumptionToken"),
])
def test_oai_bad_arguments_and_forged_tokens_get_protocol_errors(server, query, code):
    status, ctype, body = fetch(server, "/oai?" + query)
    assert status == 200 and ctype.startswith("text/xml"), body[:300]
    assert re.search(rf'<error code="{code}">[^<]+</error>', body), body[:600]


def test_oai_post_with_a_control_character(server):
    data = urllib.parse.urlencode({"verb": "ListSets", "resumptionToken": "\x02"}).encode()
    status, _, body = fetch(server, "/oai", data)
    assert status == 200 and '<error code="badArgument">' in body


def test_a_token_the_repository_issued_still_works(server):
    _, _, first = fetch(server, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc")
    issued = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", first).group(1)
    status, _, second = fetch(server, "/oai?verb=ListIdentifiers&resumptionToken=" + issued)
    assert status == 200 and "<error" not in second and "<identifier>" in second
