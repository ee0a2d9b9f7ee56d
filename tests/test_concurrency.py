"""Many hands: two imports at once with searches during both, several server workers starting
on a fresh home, all against real processes over HTTP."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from indexer.check import check_store
from indexer.index import stale_documents
from indexer.writelock import write_lock

from .conftest import ROOT, _free_port, http_get, start_server, stop_server, wait_until_up
from .test_import import FIXTURES, cli


def _env(paths) -> dict:
    return dict(os.environ, LIBRARY_SEEDS=str(paths.seeds), LIBRARY_SOURCES=str(paths.sources),
                LIBRARY_HOME=str(paths.home))


def _batch(folder, tag: str, n: int) -> None:
    """``n`` small texts whose names are the same in every batch (archives reuse names), each
    with a word of its own."""
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"minutes-{i % 5}.txt" if i < 5 else folder / f"report-{i}.txt").write_text(
            f"Minutes of meeting {i}.\n\nThe word of this file is zq{tag}x{i}.\n",
            encoding="utf-8")


def test_two_imports_at_once_with_searches_during_both(scratch, tmp_path):
    assert cli(scratch, "build").returncode == 0
    _batch(tmp_path / "a", "alpha", 20)
    _batch(tmp_path / "b", "beta", 20)
    proc, base = start_server(scratch.home, scratch.sources)
    statuses: list[int] = []
    stop = threading.Event()

    def searching() -> None:
        queries = ["Stalin", "Malenkov AND funeral", '"Central Committee"', "Molot*", "Beria~1"]
        i = 0
        while not stop.is_set():
            status, _ = http_get(f"{base}/api/search?q={urllib.request.quote(queries[i % 5])}")
            statuses.append(status)
            statuses.append(http_get(f"{base}/doc/thom-2022-lessons")[0])
            i += 1

    readers = [threading.Thread(target=searching) for _ in range(2)]
    try:
        for t in readers:
            t.start()
        args = ["--rights", "CC0"]
        # both start while a writer holds the lock (so both must say whom they wait for), then
        # contend for it with each other
        holding = write_lock(scratch.home, "import")
        holding.__enter__()
        logs = [tmp_path / "import-a.log", tmp_path / "import-b.log"]
        imports = [subprocess.Popen(
            [sys.executable, "-m", "library.cli", "import", str(folder), *extra, *args],
            cwd=ROOT, env=_env(scratch), stdout=subprocess.PIPE, stderr=open(log, "w"),
            text=True) for log, (folder, extra) in zip(logs, (
                (tmp_path / "a", [str(FIXTURES / "csv" / "kremlin-40.csv")]),
                (tmp_path / "b", [str(FIXTURES / "tei"), "--no-validate"])), strict=True)]
        deadline = time.monotonic() + 120
        while not all("waiting for" in log.read_text() for log in logs):
            assert time.monotonic() < deadline and all(p.poll() is None for p in imports)
            time.sleep(0.1)
        holding.__exit__(None, None, None)
        outputs = [(p.communicate(timeout=300)[0], log.read_text())
                   for p, log in zip(imports, logs, strict=True)]
        # the new documents reach the running server without a restart, within seconds
        deadline = time.monotonic() + 10
        while True:
            found = [json.loads(http_get(f"{base}/api/search?q=zq{tag}x7")[1])["total"]
                     for tag in ("alpha", "beta")]
            if found == [1, 1] or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    finally:
        stop.set()
        for t in readers:
            t.join()
        stop_server(proc)
    assert [p.returncode for p in imports] == [0, 0], outputs
    assert all("waiting for the import started" in err and f"by pid {os.getpid()}" in err
               for _, err in outputs), outputs
    assert not any("Traceback" in err for _, err in outputs)
    assert found == [1, 1]
    assert len(statuses) > 20 and set(statuses) == {200}, sorted(set(statuses))
    # nothing lost: every file of both batches is a document of its own, searchable
    from library.search.searcher import Searcher, SearchRequest

    searcher = Searcher.for_store(scratch.index, scratch.sources)
    for tag in ("alpha", "beta"):
        for i in range(20):
            r = searcher.search(SearchRequest(f"zq{tag}x{i}"))
            assert r.documents == 1, (tag, i)
    _, faults = check_store(scratch.sources)
    assert faults == []
    assert stale_documents(scratch.sources, scratch.index) == ([], [])


def test_several_workers_start_on_a_fresh_home(tmp_path):
    """gunicorn run directly with several workers, each building the index it lacks, and
    ``library serve --workers``: both start, the index is built once, nothing left over."""
    for n, command in enumerate([
            [sys.executable, "-m", "gunicorn", "--workers", "3", "--worker-class", "gthread",
             "--no-control-socket", "library.app:create_app()"],
            [sys.executable, "-m", "library.cli", "serve", "--workers", "2"]]):
        home = tmp_path / f"home{n}"
        home.mkdir()
        port = _free_port()
        log = home / "serve.log"
        bind = (["--bind", f"127.0.0.1:{port}"] if "gunicorn" in command
                else ["--port", str(port)])
        with open(log, "wb") as out:
            proc = subprocess.Popen(command + bind, cwd=ROOT, stdout=out,
                                    stderr=subprocess.STDOUT,
                                    env=dict(os.environ, LIBRARY_HOME=str(home),
                                             LIBRARY_SOURCES=str(ROOT / "sources")))
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, proc, log)
            codes = {http_get(f"{base}/api/search?q=Stalin")[0] for _ in range(30)}
        finally:
            stop_server(proc)
        text = log.read_text()
        assert codes == {200}, text
        assert "Traceback" not in text and "Worker failed to boot" not in text, text
        assert text.count("index built from") == 1, text
        assert sorted(p.name for p in home.iterdir() if "index" in p.name) == ["index"]


def test_an_import_job_is_seen_by_every_worker_and_outlives_a_restart(tmp_path):
    from .test_accounts_http import Client, users

    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    home = tmp_path / "var"
    assert users(home, "add", "anna").returncode == 0
    proc, base = start_server(home, tmp_path / "sources")
    try:
        browser = Client(base)
        assert browser.log_in("anna")[0] == 302
        status, headers, _ = browser.upload(browser.csrf("/import"))
        assert status == 303
        job = headers["Location"]
        deadline = time.monotonic() + 60
        while 'data-state="done"' not in browser.get(job)[2]:
            assert time.monotonic() < deadline, browser.get(job)[2]
            time.sleep(0.3)
        # two workers, each with its own connections: every answer shows the job's report
        pages = [Client(base, browser.cookie).get(job) for _ in range(12)]
    finally:
        stop_server(proc)
    summaries = {re.search(r'<p class="summary">([^<]*)</p>', body).group(1)
                 for s, _, body in pages if s == 200 and "note.txt" in body}
    assert [s for s, _, _ in pages] == [200] * 12 and len(summaries) == 1, pages[0]
    proc, base = start_server(home, tmp_path / "sources")
    try:
        again = Client(base)
        assert again.log_in("anna")[0] == 302
        status, _, body = again.get(job)
    finally:
        stop_server(proc)
    assert status == 200 and summaries == {
        re.search(r'<p class="summary">([^<]*)</p>', body).group(1)}


def _key(home: str) -> bytes:
    from library.users import secret_key

    return secret_key(Path(home))


def test_workers_starting_at_once_share_one_session_key(tmp_path):
    """Every worker makes the key if it finds none: all must end with the same one."""
    from concurrent.futures import ProcessPoolExecutor

    for n in range(5):
        home = tmp_path / f"home{n}"
        with ProcessPoolExecutor(8) as pool:
            keys = list(pool.map(_key, [str(home)] * 16))
        assert len(set(keys)) == 1 and len(keys[0]) == 32
        assert [p.name for p in home.iterdir()] == ["secret_key"]
