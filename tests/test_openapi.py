"""The OpenAPI description: valid OpenAPI 3.1, complete (every JSON route is described), true
(real responses of a running server match their schemas, errors included), and readable as an
HTML page made on the server without scripts."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from library.views.apidoc import SPEC_PATH
from library.views.routes import ROUTES

from .conftest import ESSAY

SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
JSON_TYPES = ("application/json", "application/vnd.citationstyles.csl+json")


def fetch(base: str, path: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=30) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def schema_for(path: str, status: int, ctype: str) -> dict:
    """The response schema the description gives, with its components alongside so that its
    ``#/components/...`` references resolve."""
    op = SPEC["paths"][path]["get"]
    media = op["responses"][str(status)]["content"][ctype.split(";")[0].strip()]
    return {**media["schema"], "components": SPEC["components"]}


def check(base: str, template: str, url: str, status: int) -> object:
    code, ctype, body = fetch(base, url)
    assert code == status, body[:300]
    data = json.loads(body)
    schema = schema_for(template, code, ctype)
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: e.path)
    assert not errors, f"{url}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5])
    return data


def test_the_description_is_valid_openapi_3_1():
    validate(SPEC)
    assert SPEC["openapi"].startswith("3.1")


def test_every_json_route_is_described_and_nothing_else():
    """Rules of views.routes that answer JSON, in OpenAPI's path syntax."""
    json_rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule) for rule, *_ in ROUTES
                  if rule.startswith("/api/") or rule.endswith("/cite.json")}
    assert json_rules == set(SPEC["paths"])


@pytest.mark.parametrize("template, url, status", [
    ("/api/docs", "/api/docs", 200),
    ("/api/doc/{doc_id}", f"/api/doc/{ESSAY}", 200),
    ("/api/doc/{doc_id}", "/api/doc/stalin-1950-08-27-gottwald", 200),
    ("/api/doc/{doc_id}", "/api/doc/no-such-document", 404),
    ("/api/doc/{doc_id}/notes", f"/api/doc/{ESSAY}/notes", 200),
    ("/api/doc/{doc_id}/notes", "/api/doc/" + "a" * 300 + "/notes", 404),
    ("/api/search", "/api/search?q=Gottwald", 200),
    ("/api/search", "/api/search?q=Stalin&type=letter&sort=date&limit=2&page=2", 200),
    ("/api/search", "/api/search?q=Gotwald", 200),  # corrected: corrected_from set
    ("/api/search", "/api/search?q=%D0%A5%D1%80%D1%83%D1%89%D1%91%D0%B2", 200),  # Хрущёв
    ("/api/search", "/api/search?q=nothingmatchesthisatall", 200),
    ("/api/search", "/api/search?q=Stalin%5D", 400),
    ("/api/search", "/api/search?q=Stalin&year=%C2%B2", 400),
    ("/api/trace", "/api/trace?q=blind+kittens", 200),
    ("/api/trace", "/api/trace", 400),
    ("/doc/{doc_id}/cite.json", f"/doc/{ESSAY}/cite.json", 200),
    ("/doc/{doc_id}/cite.json", "/doc/stalin-1950-08-27-gottwald/cite.json"
     "?passage=stalin-1950-08-27-gottwald-q1", 200),
    ("/api/openapi.json", "/api/openapi.json", 200),
])
def test_real_responses_match_their_schemas(server, template, url, status):
    check(server, template, url, status)


def test_every_document_and_its_notes_match(server):
    """Every document of the store, not just one: the schemas must hold for all of them."""
    for doc in check(server, "/api/docs", "/api/docs", 200):
        check(server, "/api/doc/{doc_id}", f"/api/doc/{doc['doc_id']}", 200)
        check(server, "/api/doc/{doc_id}/notes", f"/api/doc/{doc['doc_id']}/notes", 200)
        check(server, "/doc/{doc_id}/cite.json", f"/doc/{doc['doc_id']}/cite.json", 200)


def test_the_schemas_would_catch_a_wrong_response(server):
    """The schemas are strict enough to fail: a field missing, renamed or of the wrong type."""
    _, _, body = fetch(server, "/api/search?q=Gottwald")
    data = json.loads(body)
    validator = Draft202012Validator(schema_for("/api/search", 200, "application/json"))
    assert validator.is_valid(data)
    for broken in ({k: v for k, v in data.items() if k != "total"},
                   {**data, "totl": 1}, {**data, "page": "1"},
                   {**data, "groups": [{"doc_id": "x"}]}):
        assert not validator.is_valid(broken)


def test_the_api_page_is_made_from_the_description(server):
    code, ctype, body = fetch(server, "/help/api")
    assert code == 200 and ctype.startswith("text/html")
    page = body.decode()
    for path in SPEC["paths"]:
        assert f"GET {path}" in page
    for name in SPEC["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    # no script of its own: only the site's shared, same-origin ones (the description is
    # rendered on the server), and nothing fetched from elsewhere
    # (and the interface's translated words, as data: JSON, never run)
    scripts = [t for t in re.findall(r"<script[^>]*>", page)
               if t != '<script type="application/json" id="ui-strings">']
    assert all(re.fullmatch(r'<script src="/static/[\w.-]+\.js" defer>', t) for t in scripts)
    assert "https://" not in page.split("</header>", 1)[1]
    assert 'href="#schema-SearchResponse"' in page and "<code>q</code> (required)" in page
    with urllib.request.urlopen(server + "/help/api", timeout=10) as r:
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    code, _, _ = fetch(server, "/api")  # redirected to the page
    assert code == 200
