"""The ``library`` command as a user runs it: exit codes and what it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT


def run(args, paths=None, **env):
    environ = dict(os.environ, **env)
    if paths:
        environ.update(LIBRARY_SEEDS=str(paths.seeds), LIBRARY_SOURCES=str(paths.sources),
                       LIBRARY_HOME=str(paths.home))
    return subprocess.run([sys.executable, "-m", "library.cli", *args], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=120)


def test_build_prints_counts_and_check_passes(scratch):
    result = run(["build"], scratch)
    assert result.returncode == 0, result.stderr
    assert "22 documents generated from seeds/ (0 written, 22 unchanged), 17 footnotes" in \
        result.stdout
    assert "17 citation links" in result.stdout
    check = run(["check"], scratch)
    assert check.returncode == 0 and check.stdout.startswith("OK: 22 documents")


def test_build_with_tantivy_over_two_jobs_gives_the_same_store_and_is_remembered(scratch):
    """The essay's traced quotations come out the same on tantivy (the store is unchanged), the
    index says it is tantivy's, and later commands keep it without being told."""
    env = {k: v for k, v in os.environ.items() if k != "LIBRARY_ENGINE"}
    result = run(["build", "--engine", "tantivy", "--jobs", "2"], scratch, **env)
    assert result.returncode == 0, result.stderr
    assert "(0 written, 22 unchanged)" in result.stdout and "(tantivy)" in result.stdout
    assert json.loads((scratch.index / "engine.json").read_text()) == {"engine": "tantivy"}
    found = run(["search", "Gottwald", "--json"], scratch, **env)
    assert found.returncode == 0 and json.loads(found.stdout)["total"] > 0, found.stderr
    assert json.loads((scratch.index / "engine.json").read_text()) == {"engine": "tantivy"}


def test_check_fails_on_a_broken_link(scratch):
    path = scratch.sources / "malyshev-1952-12-01-diary.xml"
    path.write_bytes(path.read_bytes().replace(b"diary-q1", b"diary-q2"))
    result = run(["check"], scratch)
    assert result.returncode == 1
    assert "footnote 17 points to malyshev-1952-12-01-diary#malyshev-1952-12-01-diary-q1" in \
        result.stdout


def test_build_refuses_a_bad_seed_and_changes_nothing(bare_scratch):
    scratch = bare_scratch
    works = scratch.seeds / "works.toml"
    works.write_text(works.read_text(encoding="utf-8") + "\n[[work]\n", encoding="utf-8")
    before = sorted((p.name, p.read_bytes()) for p in scratch.sources.glob("*.xml"))
    result = run(["build"], scratch)
    assert result.returncode == 1
    assert "works.toml: not valid TOML" in result.stderr
    assert sorted((p.name, p.read_bytes()) for p in scratch.sources.glob("*.xml")) == before
    assert not scratch.index.exists()


def test_search_json_and_text(scratch):
    result = run(["search", "Gottwald", "--json", "--limit", "3"], scratch)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # --limit counts documents; each brings its best passages
    assert data["total"] >= 3 and 1 < len(data["groups"]) <= 3 and data["limit"] == 3
    assert {h["doc_id"] for h in data["hits"]} == {g["doc_id"] for g in data["groups"]}
    assert any(h["doc_id"] == "stalin-1950-08-27-gottwald" for h in data["hits"])
    text = run(["search", "blind kittens"], scratch)
    assert "*blind kittens*" in text.stdout and "/doc/malyshev-1952-12-01-diary#" in text.stdout


def test_search_with_unbalanced_quote_is_a_usage_error(scratch):
    result = run(["search", '"blind kittens'], scratch)
    assert result.returncode == 2
    assert "never closed" in result.stderr
