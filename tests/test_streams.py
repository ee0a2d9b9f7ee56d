"""A server streams at most ``LIBRARY_EXPORTS_AT_ONCE`` whole-result exports at once, across
its worker processes (library/streams.py): another is answered 429 with Retry-After until the
first is done, whichever address asks; other pages are never refused for it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from library.app import create_app


@pytest.fixture
def app(indexed_copy, monkeypatch):
    monkeypatch.setenv("LIBRARY_EXPORTS_AT_ONCE", "1")
    return create_app(indexed_copy, prepare_index=False)


def test_a_second_export_waits_for_the_first(app):
    one, two = app.test_client(), app.test_client()
    first = one.get("/search/export.csv?q=Stalin", buffered=False,
                    environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert first.status_code == 200
    busy = two.get("/search/export.ris?q=Beria", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert busy.status_code == 429 and int(busy.headers["Retry-After"]) > 0
    assert "other exports" in busy.text
    # reading is not refused meanwhile
    assert two.get("/search?q=Beria").status_code == 200
    assert two.get("/api/search?q=Beria").status_code == 200
    body = b"".join(first.response)
    first.close()  # the last row sent: the slot is given back
    assert body.startswith(b"rank,doc_id") and b"Stalin" in body
    again = two.get("/search/export.ris?q=Beria", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert again.status_code == 200 and again.text.startswith("TY  -")


def test_a_refused_query_gives_its_slot_back(app):
    c = app.test_client()
    assert c.get("/search/export.csv?q=" + "(" * 40 + "x").status_code == 400
    assert c.get("/search/export.csv?q=Stalin").status_code == 200


def test_no_limit_when_set_to_zero(indexed_copy, monkeypatch):
    monkeypatch.setenv("LIBRARY_EXPORTS_AT_ONCE", "0")
    c = create_app(indexed_copy, prepare_index=False).test_client()
    first = c.get("/search/export.csv?q=Stalin", buffered=False)
    assert c.get("/search/export.csv?q=Beria").status_code == 200
    first.close()


HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from indexer.paths import Paths
    from library.app import create_app
    seeds, sources, home = map(Path, sys.argv[1:4])
    app = create_app(Paths(seeds=seeds, sources=sources, home=home), prepare_index=False)
    export = app.test_client().get("/search/export.csv?q=Stalin", buffered=False)
    print(export.status_code, flush=True)
    sys.stdin.read()  # streaming, until killed
""")


def test_the_slot_is_shared_by_processes_and_freed_when_one_dies(app, indexed_copy):
    """Another worker process's export takes the slot; killed mid-export, it frees it."""
    root = Path(__file__).resolve().parent.parent
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(indexed_copy.seeds), str(indexed_copy.sources),
         str(indexed_copy.home)], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env=dict(os.environ, LIBRARY_EXPORTS_AT_ONCE="1"))
    try:
        assert holder.stdout.readline().strip() == "200"
        c = app.test_client()
        assert c.get("/search/export.ris?q=Beria").status_code == 429
        assert c.get("/search?q=Beria").status_code == 200
    finally:
        holder.kill()
        holder.wait()
    assert c.get("/search/export.ris?q=Beria").status_code == 200


def test_slots_fall_back_to_the_process_where_no_lock_file_can_be_made(tmp_path):
    from library.streams import Slots
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    slots = Slots(blocked / "exports", 1)  # its folder cannot be made
    held = slots.acquire()
    assert held is not None and slots.acquire() is None
    slots.release(held)
    assert slots.acquire() is not None
