"""Fixtures: the repository's store, an index built from it into a temporary LIBRARY_HOME, and
a real ``library serve`` process over HTTP."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


@pytest.fixture()
def scratch(tmp_path) -> Paths:
    """A writable copy of seeds and store, for tests that change them."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    return Paths(seeds=tmp_path / "seeds", sources=tmp_path / "sources", home=tmp_path / "var")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """``library serve`` in its own process, on a free port; yields the base URL."""
    home = tmp_path_factory.mktemp("serve-home")
    port = _free_port()
    env = dict(os.environ, LIBRARY_HOME=str(home), LIBRARY_SOURCES=str(ROOT / "sources"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "library.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/docs", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise RuntimeError(f"library serve did not start:\n{out}") from None
            time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
