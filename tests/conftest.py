"""Fixtures: the repository's store, an index built from it into a temporary LIBRARY_HOME (with
the default engine, and one per engine for the search suite), and a real ``library serve``
process over HTTP."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from indexer.engines import ENGINES
from indexer.index import build_index
from indexer.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
ESSAY = "thom-2022-lessons"


@pytest.fixture(scope="session")
def repo_paths(tmp_path_factory) -> Paths:
    """The committed seeds and store, with the index in a temporary home."""
    home = tmp_path_factory.mktemp("home")
    paths = Paths(seeds=ROOT / "seeds", sources=ROOT / "sources", home=home)
    build_index(paths.sources, paths.index)
    return paths


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    """Each engine in turn: the search suite runs against both."""
    return request.param


@pytest.fixture(scope="session")
def engine_paths(tmp_path_factory, engine) -> Paths:
    """The committed store indexed by ``engine``, in a home of its own."""
    home = tmp_path_factory.mktemp(f"home-{engine}")
    paths = Paths(seeds=ROOT / "seeds", sources=ROOT / "sources", home=home)
    build_index(paths.sources, paths.index, engine=engine)
    return paths


@pytest.fixture(scope="session")
def indexed_copy(tmp_path_factory) -> Paths:
    """A copy of seeds and store with its index, built once for every ``scratch``."""
    root = tmp_path_factory.mktemp("indexed-copy")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "sources", root / "sources")
    paths = Paths(seeds=root / "seeds", sources=root / "sources", home=root / "var")
    build_index(paths.sources, paths.index)
    return paths


@pytest.fixture()
def bare_scratch(tmp_path) -> Paths:
    """A writable copy of seeds and store without an index."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    return Paths(seeds=tmp_path / "seeds", sources=tmp_path / "sources", home=tmp_path / "var")


@pytest.fixture()
def scratch(tmp_path, indexed_copy) -> Paths:
    """A writable copy of seeds and store, for tests that change them, with its index (a copy
    of one built once: the store's index, built again for each of some 70 tests, was minutes
    of the suite). The index holds each document's sha256, so it is current for the copy."""
    shutil.copytree(indexed_copy.seeds, tmp_path / "seeds")
    shutil.copytree(indexed_copy.sources, tmp_path / "sources")
    shutil.copytree(indexed_copy.home, tmp_path / "var",
                    ignore=shutil.ignore_patterns("*.lock", "write.lock"))
    return Paths(seeds=tmp_path / "seeds", sources=tmp_path / "sources", home=tmp_path / "var")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str) -> tuple[int, bytes]:
    """(status, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_until_up(base: str, proc, log: Path, seconds: float = 180) -> None:
    """Wait for a server process to answer, or kill it and fail with its log."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/api/docs", timeout=2)
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"the server did not start:\n"
                                   f"{log.read_text(errors='replace')}") from None
            time.sleep(0.2)


def start_server(home: Path, sources: Path, **env_extra: str):
    """``library serve`` in its own process, on a free port: (process, base URL)."""
    port = _free_port()
    # the suite asks for pictures and exports faster than a reader: the per-address limit
    # (library/ratelimit.py) is raised unless a test sets it
    env = dict(os.environ, LIBRARY_HOME=str(home), LIBRARY_SOURCES=str(sources),
               **{"LIBRARY_RATE_BURST": "100000", **env_extra})
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "serve.log", "wb")  # a file, not a pipe: a full pipe would stall it
    proc = subprocess.Popen(
        [sys.executable, "-m", "library.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, proc, home / "serve.log")
    return proc, base


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server_home(tmp_path_factory) -> Path:
    """The home (index, accounts) of the ``server`` below: a test may add an account to it."""
    return tmp_path_factory.mktemp("serve-home")


@pytest.fixture(scope="session")
def server(server_home):
    """The committed store served over HTTP (read-only use); yields the base URL."""
    proc, base = start_server(server_home, ROOT / "sources")
    yield base
    stop_server(proc)


CHROMIUM = os.environ.get("LIBRARY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; in CI its absence is a failure, not a skip."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: browser tests must run in CI")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
