"""The pipeline's layering, read from the source: the indexer never imports the library, and
only an engine's adapter names its engine."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADAPTERS = {"whoosh": "indexer/engines/whoosh_engine.py",
            "tantivy": "indexer/engines/tantivy_engine.py"}


def imports(path: Path) -> set[str]:
    """Top-level package of every module ``path`` imports (relative imports resolved)."""
    found = set()
    package = path.relative_to(ROOT).parts[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(package if node.level else (node.module or "").split(".")[0])
    return found


def sources(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def test_the_indexer_never_imports_the_library():
    offenders = [str(p.relative_to(ROOT)) for p in sources("indexer") if "library" in imports(p)]
    assert offenders == []


def test_only_the_adapters_name_their_engine():
    for engine, adapter in ADAPTERS.items():
        users = {str(p.relative_to(ROOT)) for p in sources("indexer", "library")
                 if engine in imports(p)}
        assert users == {adapter}, engine
