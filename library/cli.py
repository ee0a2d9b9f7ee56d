"""The ``library`` command: build, serve, search, check.

Exit codes: 0 success, 1 a fault was found (check) or an operation failed, 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from indexer.bibliography import SeedError
from indexer.essay import EssayError
from indexer.index import BuildError
from indexer.paths import Paths


def _build(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.build import build_all

    started = time.perf_counter()
    seeds, index = build_all(paths)
    print(f"TEI: {seeds.documents} documents generated from seeds/ "
          f"({seeds.written} written, {seeds.documents - seeds.written} unchanged), "
          f"{seeds.footnotes} footnotes")
    print(f"index: {index.documents} documents, {index.passages} passages, {index.notes} notes, "
          f"{index.citations} citation links → {paths.index}")
    print(f"done in {time.perf_counter() - started:.2f} s")
    return 0


def _serve(args: argparse.Namespace, paths: Paths) -> int:
    from library.app import create_app, ensure_index

    if ensure_index(paths):
        print(f"index built from {paths.sources} into {paths.index}", file=sys.stderr)
    app = create_app(paths)
    print(f"serving the library on http://{args.host}:{args.port}/", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0


def _search(args: argparse.Namespace, paths: Paths) -> int:
    from library.app import ensure_index
    from library.searcher import QueryError, Searcher

    ensure_index(paths)
    try:
        results = Searcher(paths.index).search(args.query, limit=args.limit)
    except QueryError as exc:
        print(f"library search: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({
            "query": results.query, "total": results.total,
            "hits": [{"doc_id": h.doc_id, "passage_id": h.passage_id, "title": h.title,
                      "author": h.author, "date": h.date, "snippet": h.snippet, "url": h.url}
                     for h in results.hits],
        }, ensure_ascii=False, indent=2))
        return 0
    import html
    import re

    print(f"{results.total} passages match {results.query!r}")
    for h in results.hits:
        snippet = re.sub(r"</?mark>", "*", h.snippet)
        print(f"\n{h.title} ({h.date}) — {h.url}\n  {html.unescape(snippet)}")
    return 0


def _check(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.check import check_store

    docs, faults = check_store(paths.sources)
    for fault in faults:
        print(fault)
    notes = sum(len(d.notes) for d in docs)
    passages = sum(len(d.passages) for d in docs)
    verdict = "OK" if not faults else f"{len(faults)} fault(s)"
    print(f"{verdict}: {len(docs)} documents, {passages} passages, {notes} footnotes checked "
          f"in {paths.sources}", file=sys.stderr if faults else sys.stdout)
    return 1 if faults else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="library", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="generate TEI from seeds/ into sources/, then build the index")
    s = sub.add_parser("serve", help="serve the library (builds the index first if needed)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=5000)
    q = sub.add_parser("search", help="search the index from the command line")
    q.add_argument("query")
    q.add_argument("--limit", type=int, default=10)
    q.add_argument("--json", action="store_true", help="print JSON, as /api/search does")
    sub.add_parser("check", help="check every TEI file: well-formed, ids unique, links resolve")
    return p


COMMANDS = {"build": _build, "serve": _serve, "search": _search, "check": _check}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    paths = Paths.from_env()
    try:
        return COMMANDS[args.command](args, paths)
    except (SeedError, EssayError, BuildError) as exc:
        print(f"library {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
