"""Librarian sessions, log-in limits, redirects after log-in, cookie settings and canonical URLs,
through the Flask test client (each test with its own LIBRARY_HOME). The same against a real
``library serve`` process is in test_accounts_http.py."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from indexer.paths import Paths
from library.accounts import Limits
from library.app import create_app
from library.settings import ConfigError, canonical_base, from_env
from library.users import Users
from library.views.auth import safe_next

from .conftest import ESSAY

PASSWORD = "correct horse battery"
OAI = "{http://www.openarchives.org/OAI/2.0/}"


@pytest.fixture()
def home(repo_paths, tmp_path) -> Paths:
    """A home of its own (accounts, sessions, attempts) sharing the session's index."""
    (tmp_path / "index").symlink_to(repo_paths.index, target_is_directory=True)
    Users(tmp_path).add("anna", PASSWORD)
    return Paths(seeds=repo_paths.seeds, sources=repo_paths.sources, home=tmp_path)


@pytest.fixture()
def make_app(home, monkeypatch):
    def make(**env: str):
        for key in ("LIBRARY_BASE_URL", "LIBRARY_SECURE_COOKIES", "LIBRARY_SESSION_HOURS"):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return create_app(home, prepare_index=False)
    return make


@pytest.fixture()
def app(make_app):
    return make_app()


def csrf(client) -> str:
    page = client.get("/login").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def log_in(client, password: str = PASSWORD, name: str = "anna", next_: str | None = None):
    url = "/login" + (f"?next={next_}" if next_ is not None else "")
    return client.post(url, data={"csrf": csrf(client), "name": name, "password": password})


def error_text(response) -> str:
    return re.search(r'class="error"[^>]*>([^<]*)<', response.text).group(1)


def replay(app, cookie: str):
    """A new client holding only a copy of an old session cookie."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def test_logout_ends_the_session_for_every_copy_of_the_cookie(app):
    client = app.test_client()
    assert log_in(client).status_code == 302
    assert client.get("/import").status_code == 200
    stolen = client.get_cookie("session").value
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/import").text).group(1)
    assert replay(app, stolen).get("/import").status_code == 200  # the copy works while open
    assert client.post("/logout", data={"csrf": token}).status_code == 302
    old = replay(app, stolen)
    refused = old.get("/import")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    upload = old.post("/import", data={"csrf": token, "files": [(b"x", "x.txt")]},
                      content_type="multipart/form-data")
    assert upload.status_code == 403
    assert "Log out" not in old.get("/").text  # the header no longer names anna either


def test_removing_an_account_or_changing_its_password_ends_its_sessions(app, home):
    first, second = app.test_client(), app.test_client()
    log_in(first), log_in(second)
    assert first.get("/import").status_code == 200
    Users(home.home).add("anna", "a brand new password")  # password changed
    assert first.get("/import").status_code == 302
    assert second.get("/import").status_code == 302
    assert log_in(second, "a brand new password").status_code == 302
    assert second.get("/import").status_code == 200
    assert Users(home.home).remove("anna")
    assert second.get("/import").status_code == 302


def test_sessions_expire_on_the_server_and_in_the_cookie(make_app, home):
    app = make_app(LIBRARY_SESSION_HOURS="2")
    client = app.test_client()
    response = log_in(client)
    expires = re.search(r"Expires=([^;]+)", response.headers["Set-Cookie"]).group(1)
    left = time.mktime(time.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT")) - time.mktime(
        time.gmtime())
    assert abs(left - 2 * 3600) < 60
    assert client.get("/import").status_code == 200
    # the clock moves past the session's end: the server refuses it, whatever the cookie says
    with sqlite3.connect(home.home / "accounts.sqlite") as db:
        db.execute("UPDATE sessions SET expires = ?", (time.time() - 1,))
    assert client.get("/import").status_code == 302


def test_secure_cookies_when_asked(make_app):
    plain = log_in(make_app().test_client()).headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    secure = log_in(make_app(LIBRARY_SECURE_COOKIES="1").test_client()).headers["Set-Cookie"]
    assert "; Secure" in secure


def test_the_right_password_is_refused_while_the_account_is_locked(app):
    client = app.test_client()
    for _ in range(5):
        assert log_in(client, "wrong password!").status_code == 401
    locked = log_in(client)
    assert locked.status_code == 429
    message = error_text(locked)
    assert message.startswith("Too many failed log-ins for this account. Try again after ")
    assert "(in 15 minutes)" in message
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert client.get("/import").status_code == 302  # not logged in
    Users(app.extensions["library"].paths.home).add("boris", PASSWORD)
    assert log_in(app.test_client(), name="boris").status_code == 302  # others are not locked


def test_the_lock_lifts_when_the_window_passes(app):
    app.config["LOGIN_LIMITS"] = Limits(per_account=2, per_address=20, window=1.0)
    client = app.test_client()
    log_in(client, "wrong password!"), log_in(client, "wrong password!")
    assert log_in(client).status_code == 429
    time.sleep(1.1)
    assert log_in(client).status_code == 302


def test_one_address_trying_many_names_is_limited(app):
    client = app.test_client()
    for n in range(20):  # four names, five failures each: no account is locked
        assert log_in(client, "wrong password!", name=f"user{n % 4}").status_code == 401
    locked = log_in(client)
    assert locked.status_code == 429
    assert "from your address" in error_text(locked)


def test_a_success_forgets_the_earlier_typos(app):
    client = app.test_client()
    for _ in range(4):
        log_in(client, "wrong password!")
    assert log_in(client).status_code == 302
    for _ in range(4):
        assert log_in(app.test_client(), "wrong password!").status_code == 401


@pytest.mark.parametrize("next_, expected", [
    ("/%09/evil.example", "/import"),
    ("/%0A/x", "/import"),
    ("/%0D%0ASet-Cookie:x=1", "/import"),
    ("//evil", "/import"),
    ("%2F%2Fevil", "/import"),
    ("///evil", "/import"),
    ("/%5Cevil", "/import"),
    ("/%5C/evil", "/import"),
    ("https://evil", "/import"),
    ("https:/evil", "/import"),
    ("javascript:alert(1)", "/import"),
    ("/%252F%252Fevil", "/import"),
    ("/./%2F%2Fevil", "/import"),
    ("/%E2%80%8B/evil", "/import"),  # a zero-width space
    ("/%C2%A0/evil", "/import"),  # a no-break space
    ("evil", "/import"),
    ("", "/import"),
    ("/import%3Fx%3D1", "/import?x=1"),
    ("/import?x=1", "/import?x=1"),
    ("/doc/" + ESSAY, "/doc/" + ESSAY),
])
def test_after_logging_in_only_a_path_of_this_site(app, next_, expected):
    response = log_in(app.test_client(), next_=next_)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


@given(st.text(alphabet=st.sampled_from("/\\:.%20aAE9\t\n\u200b\u00a0?#@"), max_size=12)
       | st.text(max_size=12))
def test_no_next_leaves_the_site_as_a_browser_reads_it(target):
    chosen = safe_next(target, "/import")
    # what a browser makes of a Location: tabs and newlines dropped, backslashes as slashes
    read = re.sub(r"[\t\n\r]", "", chosen).replace("\\", "/").lstrip("\x00- ")
    assert read.startswith("/") and not read.startswith("//")
    assert chosen == "/import" or chosen == target


def test_the_login_page_sends_next_on(app):
    client = app.test_client()
    to_login = client.get("/import?x=1")
    assert to_login.status_code == 302
    page = client.get(to_login.headers["Location"]).text
    action = re.search(r'<form class="form" method="post" action="([^"]+)"', page).group(1)
    assert action.startswith("/login?next=/import")
    done = client.post(action.replace("&amp;", "&"), data={
        "csrf": csrf(client), "name": "anna", "password": PASSWORD})
    assert done.headers["Location"] == "/import?x=1"


def _canonical_urls(client, host: str) -> dict[str, str]:
    """Every absolute URL the library gives out for the essay, asked for with ``Host``."""
    headers = {"Host": host}
    page = client.get(f"/doc/{ESSAY}", headers=headers).text
    found = {
        "cite box": re.search(r'class="citation">[^<]*?(\S+)</p>', page).group(1),
        "highwire": re.search(r'name="citation_abstract_html_url" content="([^"]+)"',
                              page).group(1),
        "coins": re.search(r"rft_id=([^&\"]+)", page).group(1),
        "bibtex": re.search(r"url = \{([^}]+)\}",
                            client.get(f"/doc/{ESSAY}/cite.bib", headers=headers).text).group(1),
        "ris": re.search(r"UR  - (\S+)",
                         client.get(f"/doc/{ESSAY}/cite.ris", headers=headers).text).group(1),
        "csl": json.loads(client.get(f"/doc/{ESSAY}/cite.json", headers=headers).text)[0]["URL"],
    }
    identify = etree.fromstring(client.get("/oai?verb=Identify", headers=headers).data)
    found["oai baseURL"] = identify.findtext(f".//{OAI}baseURL")
    found["oai request"] = identify.findtext(f"{OAI}request")
    record = client.get(f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier="
                        f"oai:primary-source-library.local:{ESSAY}", headers=headers).data
    found["oai identifier"] = etree.fromstring(record).findtext(
        ".//{http://purl.org/dc/elements/1.1/}identifier")
    return found


def test_a_forged_host_changes_no_citation_or_oai_url(make_app):
    client = make_app(LIBRARY_BASE_URL="https://library.example.org/").test_client()
    for host in ("evil.example", "library.example.org", "localhost"):
        urls = _canonical_urls(client, host)
        doc = f"https://library.example.org/doc/{ESSAY}"
        assert urls["coins"] == quote(doc, safe="")
        del urls["coins"]
        assert urls == {"cite box": doc, "highwire": doc, "bibtex": doc, "ris": doc,
                        "csl": doc, "oai baseURL": "https://library.example.org/oai",
                        "oai request": "https://library.example.org/oai", "oai identifier": doc}


@pytest.mark.parametrize("value", ["library.example.org", "ftp://x.org", "https://",
                                   "https://x.org/?a=1", "https://user@x.org", "https://x.org:po",
                                   "https://x .org", "https://x.org\\y"])
def test_a_base_url_that_is_not_one_is_refused(value):
    with pytest.raises(ConfigError, match="LIBRARY_BASE_URL"):
        canonical_base(value)


def test_settings_that_are_not_numbers_or_flags_are_refused():
    assert canonical_base("https://x.org:8443/lib/") == "https://x.org:8443/lib"
    with pytest.raises(ConfigError, match="LIBRARY_SESSION_HOURS"):
        from_env({"LIBRARY_SESSION_HOURS": "eight"})
    with pytest.raises(ConfigError, match="LIBRARY_SESSION_HOURS"):
        from_env({"LIBRARY_SESSION_HOURS": "nan"})
    with pytest.raises(ConfigError, match="LIBRARY_SECURE_COOKIES"):
        from_env({"LIBRARY_SECURE_COOKIES": "perhaps"})
