"""Sessions, log-in limits, cookies and canonical URLs against real ``library serve`` processes
over HTTP, with accounts changed by the real ``library users`` command in another process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode

import pytest
from lxml import etree

from .conftest import ESSAY, ROOT, start_server, stop_server

PASSWORD = "correct horse battery"
OAI = "{http://www.openarchives.org/OAI/2.0/}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


_OPENER = urllib.request.build_opener(_NoRedirect)


class Client:
    """A browser reduced to one cookie: what it was last given, sent back as is."""

    def __init__(self, base: str, cookie: str = ""):
        self.base, self.cookie = base, cookie
        self.headers: dict[str, str] = {}

    def request(self, path: str, data: bytes | None = None, content_type: str = "",
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        sent = dict(headers or {})
        if self.cookie:
            sent["Cookie"] = self.cookie
        if content_type:
            sent["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=data, headers=sent)
        try:
            response = _OPENER.open(req, timeout=10)
        except urllib.error.HTTPError as err:
            response = err
        with response:
            body = response.read().decode()
            self.headers = dict(response.headers)
            set_cookie = response.headers.get("Set-Cookie")
            if set_cookie:
                self.cookie = set_cookie.split(";", 1)[0]
                if self.cookie == "session=":
                    self.cookie = ""
            return response.status, self.headers, body

    def get(self, path: str, **kwargs):
        return self.request(path, **kwargs)

    def post(self, path: str, form: dict[str, str]):
        return self.request(path, urlencode(form).encode(), "application/x-www-form-urlencoded")

    def csrf(self, path: str = "/login") -> str:
        return re.search(r'name="csrf" value="([^"]+)"', self.get(path)[2]).group(1)

    def log_in(self, name: str, password: str = PASSWORD):
        return self.post("/login", {"csrf": self.csrf(), "name": name, "password": password})

    def upload(self, csrf: str):
        """POST /import with one small text file, as the import form sends it."""
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                f"filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                f"A note of {boundary}.\r\n--{boundary}--\r\n").encode()
        return self.request("/import", body, f"multipart/form-data; boundary={boundary}")


def users(home, *args: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    env = dict(os.environ, LIBRARY_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "library.cli", "users", *args,
                           "--password-stdin"], input=password + "\n", text=True, env=env,
                          cwd=ROOT, capture_output=True)


@pytest.fixture(scope="module")
def librarian_server(tmp_path_factory):
    """A writable store, no LIBRARY_BASE_URL: the server names itself by its own address."""
    root = tmp_path_factory.mktemp("accounts-http")
    shutil.copytree(ROOT / "sources", root / "sources")
    home = root / "var"
    for name in ("anna", "boris", "carla"):
        assert users(home, "add", name).returncode == 0
    proc, base = start_server(home, root / "sources", LIBRARY_BASE_URL="")
    yield base, home
    stop_server(proc)


@pytest.fixture(scope="module")
def canonical_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("accounts-canonical")
    proc, base = start_server(home, ROOT / "sources", LIBRARY_SECURE_COOKIES="1",
                              LIBRARY_BASE_URL="https://library.example.org")
    yield base
    stop_server(proc)


def test_logout_ends_the_session_of_a_replayed_cookie(librarian_server):
    base, _ = librarian_server
    browser = Client(base)
    assert browser.log_in("anna")[0] == 302
    token = browser.csrf("/import")
    assert browser.upload(token)[0] == 303  # the session can import
    stolen = browser.cookie
    assert browser.post("/logout", {"csrf": token})[0] == 302
    thief = Client(base, stolen)
    status, headers, _ = thief.get("/import")
    assert status == 302 and headers["Location"].startswith("/login")
    assert Client(base, stolen).upload(token)[0] == 403


def test_removing_an_account_ends_its_live_session(librarian_server):
    base, home = librarian_server
    browser = Client(base)
    assert browser.log_in("boris")[0] == 302
    token = browser.csrf("/import")
    cookie = browser.cookie
    removed = users(home, "remove", "boris")
    assert removed.returncode == 0, removed.stderr
    assert Client(base, cookie).upload(token)[0] == 403
    status, headers, _ = Client(base, cookie).get("/import")
    assert status == 302 and headers["Location"].startswith("/login")


def test_the_right_password_is_refused_once_locked(librarian_server):
    base, _ = librarian_server
    browser = Client(base)
    for _ in range(5):
        assert browser.log_in("carla", "wrong password!")[0] == 401
    status, headers, page = browser.log_in("carla")
    assert status == 429
    assert "Too many failed log-ins for this account. Try again after" in page
    assert int(headers["Retry-After"]) > 14 * 60
    assert browser.get("/import")[0] == 302


def _served_urls(client: Client, host: str) -> set[str]:
    headers = {"Host": host}
    page = client.get(f"/doc/{ESSAY}", headers=headers)[2]
    found = set(re.findall(r'content="(https?://[^"]+)"', page))
    found |= set(re.findall(r'class="citation">[^<]*?(\S+)</p>', page))
    found |= set(re.findall(r"url = \{([^}]+)\}",
                            client.get(f"/doc/{ESSAY}/cite.bib", headers=headers)[2]))
    identify = etree.fromstring(client.get("/oai?verb=Identify", headers=headers)[2].encode())
    found.add(identify.findtext(f".//{OAI}baseURL"))
    return found


def test_a_forged_host_is_not_the_servers_address(librarian_server):
    base, _ = librarian_server
    urls = _served_urls(Client(base), "evil.example")
    assert urls == {f"{base}/doc/{ESSAY}", f"{base}/oai"}


def test_the_base_url_names_the_library_whatever_the_host(canonical_server):
    for host in ("evil.example", canonical_server.split("//")[1]):
        urls = _served_urls(Client(canonical_server), host)
        assert urls == {f"https://library.example.org/doc/{ESSAY}",
                        "https://library.example.org/oai"}


def test_secure_cookies_over_http(canonical_server):
    client = Client(canonical_server)
    client.get("/login")
    cookie = client.headers["Set-Cookie"]
    assert "; Secure" in cookie and "HttpOnly" in cookie
