"""The ``library`` command: build, serve, search, check.

Exit codes: 0 success, 1 a fault was found (check) or an operation failed, 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from indexer.bibliography import SeedError
from indexer.essay import EssayError
from indexer.index import BuildError
from indexer.paths import Paths
from library import reocr


def _build(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.build import build_all
    from library.trace import locator

    started = time.perf_counter()
    if args.engine:  # remembered by the index it builds (engine.json): later commands keep it
        os.environ["LIBRARY_ENGINE"] = args.engine
    seeds, index = build_all(paths, locator, on_wait=_say, jobs=args.jobs)
    print(f"TEI: {seeds.documents} documents generated from seeds/ "
          f"({seeds.written} written, {seeds.documents - seeds.written} unchanged), "
          f"{seeds.footnotes} footnotes")
    print(f"index: {index.documents} documents, {index.passages} passages, {index.notes} notes, "
          f"{index.citations} citation links → {paths.index} ({index.engine})")
    for fault in index.left_out:
        print(f"left out of the index (run `library check`): {fault}", file=sys.stderr)
    print(f"done in {time.perf_counter() - started:.2f} s")
    return 1 if index.left_out else 0


def _say(message: str) -> None:
    print(f"library: {message}", file=sys.stderr, flush=True)


def _serve(args: argparse.Namespace, paths: Paths) -> int:
    from library.server import serve
    from library.settings import ConfigError, from_env, server_address

    if args.workers < 1:
        print("library serve: --workers must be at least 1", file=sys.stderr)
        return 2
    # citations and OAI-PMH name this server, never the Host header a client sends
    if not os.environ.get("LIBRARY_BASE_URL"):
        os.environ["LIBRARY_BASE_URL"] = server_address(args.host, args.port)
    try:
        from_env(os.environ)  # checked here, once, rather than in every worker
    except ConfigError as exc:
        print(f"library serve: {exc}", file=sys.stderr)
        return 2
    serve(paths, args.host, args.port, args.workers, args.threads, dev=args.dev)
    return 0


def _search(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.index import ensure_index
    from library.search.searcher import QueryError, Searcher, SearchRequest
    from library.views.api import search_json

    ensure_index(paths.sources, paths.index)
    filters: dict[str, list[str]] = {}
    for item in args.filter:
        key, sep, value = item.partition("=")
        if not sep:
            print(f"library search: --filter takes KEY=VALUE, not {item!r}", file=sys.stderr)
            return 2
        filters.setdefault(key, []).append(value)
    req = SearchRequest(q=args.query, filters=filters, sort=args.sort, page=args.page,
                        per_page=args.limit, within=args.within)
    try:
        r = Searcher.for_store(paths.index, paths.sources).search(req)
    except QueryError as exc:
        print(f"library search: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(search_json(r), ensure_ascii=False, indent=2))
        return 0
    if r.corrected_from:
        print(f"no passage matches {r.corrected_from!r}; showing results for {r.query!r}")
    print(f"{r.total} passage{'s' if r.total != 1 else ''} in {r.documents} "
          f"document{'s' if r.documents != 1 else ''} match {r.query!r}"
          + (f" (page {r.page} of {r.pages})" if r.pages > 1 else ""))
    if r.also_searched:
        print("also searched: " + ", ".join(r.also_searched))
    if r.did_you_mean:
        print(f"did you mean: {r.did_you_mean}")
    width = 50
    for g in r.groups:
        print(f"\n{g.title} ({g.date}) — {g.count} passage{'s' if g.count != 1 else ''} — "
              f"/doc/{g.doc_id}")
        for p in g.passages:
            print(f"  {p.url}")
            for k in p.kwic or []:
                left = k.left[-width:]
                print(f"    {left:>{width}} *{k.match}* {k.right[:width]}")
            if not p.kwic:
                print("    " + p.text[:2 * width])
            for c in p.cited_by:
                print(f"    cited by {c.source_doc}, footnote {c.n} ({c.status}): {c.marker_url}")
    return 0


def _import(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.cluster import ClusterUnreachable
    from indexer.ingest import Importer, ImportOptions, report_text, to_json
    from indexer.manifest import read_manifest
    from library.progressbar import progress_bar

    manifest, problems = None, []
    if args.manifest:
        manifest, problems = read_manifest(args.manifest)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems and not args.check:  # a batch is checked whole: nothing goes in
            print(f"library import: the manifest has {len(problems)} problem(s); nothing "
                  "imported", file=sys.stderr)
            return 1
    options = ImportOptions(collection=args.collection or "", rights=args.rights or "",
                            pdf_password=args.pdf_password, validate_tei=not args.no_validate,
                            strict=args.strict, require_rights=args.require_rights,
                            ocr=args.ocr, ocr_lang=args.ocr_lang,
                            jobs=args.jobs, cluster=args.cluster or "",
                            check_only=args.check, replace=args.replace or "")
    if args.jobs < 1:
        print("library import: --jobs must be at least 1", file=sys.stderr)
        return 2
    bar = progress_bar(quiet=args.json)
    importer = Importer(paths, options, manifest, progress=bar, on_wait=_say)
    try:
        report = importer.run(args.paths)
    except ClusterUnreachable as exc:
        print(f"library import: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print(to_json(report))
    else:
        if args.check:
            print(f"check: {report.checked} file(s) read, {len(report.imported)} document(s) "
                  f"would be imported; nothing was imported")
        print(report_text(report))
    if not args.check:
        from indexer.index import engine_advice

        advice = engine_advice(paths.index)
        if advice:
            _say(advice)
    return 1 if problems else report.exit_code


def _trace(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.index import ensure_index
    from library.search.searcher import QueryError, Searcher
    from library.trace import Tracer, check_length
    from library.views.api import trace_json

    ensure_index(paths.sources, paths.index)
    searcher = Searcher.for_store(paths.index, paths.sources)
    try:
        check_length(args.quotation)
        matches, seconds = Tracer(searcher).trace(args.quotation, limit=args.limit,
                                                  exclude=args.exclude)
    except QueryError as exc:
        print(f"library trace: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(trace_json(args.quotation, matches, seconds), ensure_ascii=False,
                         indent=2))
        return 0
    if not matches:
        print("no passage of the collection shares enough words with this quotation")
        return 0
    for m in matches:
        passage = searcher.passage_text(m.passage_id)
        print(f"{m.score:.2f}  {m.title} — {m.url}")
        print(f"      …{passage[max(0, m.start - 30):m.end + 30]}…" if passage else "")
    print(f"({seconds * 1000:.0f} ms)")
    return 0


def _check(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.check import check_store

    docs, faults = check_store(paths.sources)
    if args.fixity:
        from indexer.ingest import fixity

        faults += fixity(paths.sources)
    for fault in faults:
        print(fault)
    notes = sum(len(d.notes) for d in docs)
    passages = sum(len(d.passages) for d in docs)
    verdict = "OK" if not faults else f"{len(faults)} fault(s)"
    print(f"{verdict}: {len(docs)} documents, {passages} passages, {notes} footnotes checked "
          f"in {paths.sources}", file=sys.stderr if faults else sys.stdout)
    return 1 if faults else 0


def _env_jobs() -> int:
    value = os.environ.get("LIBRARY_IMPORT_JOBS", "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="library", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate TEI from seeds/ into sources/, then build the "
                       "index")
    b.add_argument("--engine", choices=["whoosh", "tantivy"],
                   help="the search engine to build the index with (default: LIBRARY_ENGINE, "
                   "else the engine of the existing index, else whoosh)")
    b.add_argument("--jobs", type=int, default=1, help="processes sharing the per-document "
                   "work of the index build (TEI reading, person tagging, analysis)")
    s = sub.add_parser("serve", help="serve the library (builds the index first if needed)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=5000)
    s.add_argument("--workers", type=int, default=None,
                   help="server processes (default: the number of cores)")
    s.add_argument("--threads", type=int, default=4, help="threads per process (default 4)")
    s.add_argument("--dev", action="store_true",
                   help="Flask's development server instead of gunicorn (one process)")
    q = sub.add_parser("search", help="search the index from the command line")
    q.add_argument("query")
    q.add_argument("--limit", type=int, default=10, help="documents per page")
    q.add_argument("--page", type=int, default=1)
    q.add_argument("--sort", choices=["relevance", "date", "date-desc", "title"],
                   default="relevance")
    q.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                   help="facet filter, repeatable: author, type, lang, decade, year, person, "
                        "collection (e.g. --filter type=memoir)")
    q.add_argument("--in", dest="within", metavar="DOC_ID", help="search inside one document")
    q.add_argument("--json", action="store_true", help="print JSON, as /api/search does")
    c = sub.add_parser("check", help="check every TEI file: well-formed, ids unique, links "
                       "resolve")
    c.add_argument("--fixity", action="store_true",
                   help="also verify every kept original against the sha256 its TEI records")
    i = sub.add_parser("import", help="import files and folders (TEI, PDF, text, HTML, CSV "
                       "records) into the store and the index")
    i.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    i.add_argument("--manifest", type=Path, help="CSV with Dublin Core columns: file, title, "
                   "creator, date, language, type, rights, source, collection, description")
    i.add_argument("--collection", help="collection for every file the manifest does not place")
    i.add_argument("--rights", help="rights statement for files the manifest says nothing of")
    i.add_argument("--check", action="store_true",
                   help="read and check the whole batch, report every problem, import nothing")
    i.add_argument("--json", action="store_true", help="print the report as JSON")
    i.add_argument("--jobs", type=int, default=_env_jobs(),
                   help="worker processes reading files and pages on this machine (a Dask "
                   "LocalCluster; default LIBRARY_IMPORT_JOBS, else 1: in this process)")
    i.add_argument("--cluster", metavar="tcp://HOST:8786",
                   help="send the reading to a running Dask scheduler and its workers "
                   "(default: LIBRARY_DASK_SCHEDULER); the store stays on this machine")
    i.add_argument("--pdf-password", help="password of encrypted PDFs")
    i.add_argument("--replace", metavar="DOC_ID", help="the one file given is a new version of "
                   "this document (its previous TEI is kept in sources/versions/)")
    sub.add_parser("optimize", help="merge the index's segments into one (after large "
                   "imports: every search pays for each segment; Whoosh takes minutes at "
                   "10,000 documents; readers go on meanwhile, other writers wait)")
    t = sub.add_parser("trace", help="where a quotation most probably comes from")
    t.add_argument("quotation")
    t.add_argument("--limit", type=int, default=5)
    t.add_argument("--exclude", metavar="DOC_ID", help="a document not to look in (the one "
                   "that quotes)")
    t.add_argument("--json", action="store_true")
    reocr.add_parser(sub)
    u = sub.add_parser("users", help="librarian accounts for the web import")
    u.add_argument("action", choices=["add", "remove", "list"])
    u.add_argument("name", nargs="?")
    u.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input instead of asking")
    i.add_argument("--no-validate", action="store_true",
                   help="do not validate TEI against tei_all at all (it is still parsed)")
    i.add_argument("--strict", action="store_true",
                   help="refuse TEI that is not valid against tei_all (by default it is "
                   "imported and the schema's messages kept with it)")
    i.add_argument("--require-rights", action="store_true",
                   help="refuse files that state no rights (by default they are recorded as "
                   "'Copyright Not Evaluated')")
    i.add_argument("--ocr", choices=["auto", "force", "off"], default="auto",
                   help="OCR scanned pages (auto: pages without a text layer; force: every "
                   "page of PDFs; off: none)")
    i.add_argument("--ocr-lang", default="", metavar="LANGS",
                   help="Tesseract languages for every page (eng, rus, eng+rus); by default "
                   "the manifest's language, else detected page by page")
    return p


def _users(args: argparse.Namespace, paths: Paths) -> int:
    import getpass

    from library.users import UserError, Users

    users = Users(paths.home)
    if args.action == "list":
        print("\n".join(users.names()) or "(no accounts)")
        return 0
    if args.action == "remove":
        if users.remove(args.name):
            print(f"removed {args.name}")
            return 0
        print(f"library users: no account named {args.name!r}", file=sys.stderr)
        return 1
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if password != getpass.getpass("again: "):
            print("library users: the two passwords differ", file=sys.stderr)
            return 2
    try:
        users.add(args.name, password)
    except UserError as exc:
        print(f"library users: {exc}", file=sys.stderr)
        return 2
    print(f"account {args.name} saved (password hashed) in {users.path}")
    return 0


def _optimize(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.index import index_is_current, merge_index
    from indexer.writelock import write_lock

    if not index_is_current(paths.sources, paths.index):
        print("library optimize: the index is missing or behind the store; run `library "
              "build` (or any import) first", file=sys.stderr)
        return 1
    started = time.perf_counter()
    with write_lock(paths.home, "optimize", on_wait=_say):
        before, after = merge_index(paths.index)
    print(f"index: {before} segment(s) before, {after} after "
          f"({time.perf_counter() - started:.1f} s)")
    return 0


COMMANDS = {"build": _build, "serve": _serve, "search": _search, "check": _check,
            "import": _import, "users": _users, "trace": _trace, "optimize": _optimize}
COMMANDS["reocr"] = reocr.run


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.command == "users" and args.action != "list" and not args.name:
        p.error(f"users {args.action} needs a NAME")
    paths = Paths.from_env()
    logging.basicConfig(level=logging.INFO, format="library: %(message)s")
    if args.command == "serve" and args.workers is None:
        from library.server import default_workers

        args.workers = default_workers()
    try:
        return COMMANDS[args.command](args, paths)
    except (SeedError, EssayError, BuildError) as exc:
        print(f"library {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
