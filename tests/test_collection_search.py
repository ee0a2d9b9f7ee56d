"""``collection:`` finds a collection by its name, quoted when it has spaces and in any case,
from the command line, the JSON API and the search page (a real index and server)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from .conftest import start_server, stop_server
from .test_import import FIXTURES, cli, run_import


def test_collection_search_finds_a_named_collection_everywhere(scratch, engine, monkeypatch):
    # the CLI and the server read LIBRARY_ENGINE: the whole path runs on each engine
    monkeypatch.setenv("LIBRARY_ENGINE", engine)
    report = run_import(scratch, FIXTURES / "csv" / "kremlin-40.csv", collection="Kremlin news")
    assert len(report.imported) == 40
    for q in ('collection:"Kremlin news"', 'collection:"kremlin NEWS"'):
        out = cli(scratch, "search", q, "--json")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["documents"] == 40
    both = json.loads(cli(scratch, "search", 'collection:"Kremlin news" Ukraine', "--json").stdout)
    assert 0 < both["documents"] < 40
    assert json.loads(cli(scratch, "search", "collection:Kremlin", "--json").stdout)[
        "documents"] == 0  # a name is matched whole, not word by word
    proc, base = start_server(scratch.home, scratch.sources)
    try:
        q = urllib.parse.quote('collection:"Kremlin news"')
        with urllib.request.urlopen(f"{base}/api/search?q={q}", timeout=30) as r:
            data = json.load(r)
        assert data["documents"] == 40
        assert [f["value"] for f in data["facets"]["collection"]] == ["Kremlin news"]
        with urllib.request.urlopen(f"{base}/search?q={q}", timeout=30) as r:
            page = r.read().decode()
        assert "in 40 documents match" in page
    finally:
        stop_server(proc)
