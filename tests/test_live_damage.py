"""Issue 16: damage never resets a connection. A segment truncated under a running server
(Whoosh maps its files into memory: reading past a truncated end was SIGBUS, killing both
workers mid-request) gives 503 with Retry-After and a rebuild, and the workers live on."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request

import pytest

from .conftest import http_get, start_server, stop_server


def test_a_segment_truncated_while_serving_gives_503_then_the_index_is_rebuilt(scratch):
    if os.environ.get("LIBRARY_ENGINE", "whoosh") != "whoosh":
        pytest.skip("Whoosh's segment files")
    proc, base = start_server(scratch.home, scratch.sources)
    try:
        # every worker warms up: its searcher opens (and, before the fix, maps) the segment
        for q in ("Stalin", "Korea", "Gottwald", "Beria", "kittens", "Putin") * 3:
            assert http_get(f"{base}/api/search?q={q}")[0] == 200
        (seg,) = (scratch.home / "index").glob("passages_*.seg")
        os.truncate(seg, 64)
        answers = []
        for q in ("Molotov", "Malenkov", "Truman", "Eisenhower", "Mao", "China") * 2:
            try:
                with urllib.request.urlopen(f"{base}/api/search?q={q}", timeout=30) as r:
                    answers.append((r.status, ""))
            except urllib.error.HTTPError as e:
                answers.append((e.code, e.headers.get("Retry-After", "")))
            except (ConnectionError, OSError) as exc:  # a reset connection: what must not be
                answers.append(("reset", repr(exc)))
        assert not [a for a in answers if a[0] == "reset"], answers
        assert {a[0] for a in answers} <= {200, 503}
        assert 503 in {a[0] for a in answers}
        assert all(a[1] for a in answers if a[0] == 503)  # each 503 says when to come back
        # the rebuild from the store makes search whole again, in the same workers
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status, body = http_get(f"{base}/api/search?q=Stalin")
            if status == 200 and json.loads(body)["total"] > 20:
                break
            time.sleep(1)
        assert status == 200
    finally:
        stop_server(proc)
    log = (scratch.home / "serve.log").read_text()
    assert "SIGBUS" not in log
    assert "damaged" in log
