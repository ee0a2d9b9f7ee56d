"""Same results, checked: record what the searcher answers (totals, document counts, facets,
sorts, pages, top-10 order) on both engines, then compare a later run with the record.

    python bench/answers.py record before.json     # at the branch point
    python bench/answers.py compare before.json    # after a change: prints every difference

Queries: the judged relevance set (tests/relevance/queries.toml) over the committed store, and
the benchmark's generated queries (``bench/search_bench.py``) over a share of its collection,
each with every sort, a page 2, facet filters and a search inside one document. Each engine's
index is built afresh by the code under test. Run on demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from indexer.index import build_index  # noqa: E402
from library.search.searcher import QueryError, Searcher, SearchRequest  # noqa: E402

SORTS = ("relevance", "date", "date-desc", "title")


def answer(searcher: Searcher, req: SearchRequest) -> dict:
    try:
        r = searcher.search(dataclasses.replace(req, ranked=10))
    except QueryError as exc:
        return {"error": type(exc).__name__}
    return {
        "total": r.total, "documents": r.documents, "page": r.page, "pages": r.pages,
        "groups": [[g.doc_id, g.count, [p.passage_id for p in g.passages]] for g in r.groups],
        "facets": {k: [[v.value, v.count, v.selected] for v in vs] for k, vs in r.facets.items()},
        "ranked10": r.ranked[:10], "did_you_mean": r.did_you_mean,
        "corrected_from": r.corrected_from, "also_searched": r.also_searched,
        "matched_passages": r.matched_passages,
    }


def requests_for(queries: list[str], searcher: Searcher) -> list[tuple[str, SearchRequest]]:
    out = []
    for q in queries:
        for sort in SORTS:
            out.append((f"{q} | sort={sort}", SearchRequest(q, sort=sort)))
        out.append((f"{q} | page=2", SearchRequest(q, page=2)))
        try:
            first = searcher.search(SearchRequest(q))
        except QueryError:
            continue
        for key in ("type", "decade", "person"):
            values = first.facets.get(key) or []
            if values:
                v = values[0].value
                out.append((f"{q} | {key}={v}", SearchRequest(q, filters={key: [v]})))
        if first.groups:
            doc = first.groups[0].doc_id
            out.append((f"{q} | within={doc}", SearchRequest(q, within=doc)))
    return out


def run(work: Path, scale: float, n: int, engines: list[str], before: dict | None) -> dict:
    from search_bench import make_queries, make_store

    relevance = [q["q"] for q in tomllib.loads(
        (ROOT / "tests" / "relevance" / "queries.toml").read_text(encoding="utf-8"))["query"]]
    store = work / "bench-sources"
    passages, _ = make_store(store, 17, scale)
    bench_q = [q for qs in make_queries(passages, n, random.Random(7)).values() for q in qs]
    out: dict = {}
    for engine in engines:
        for name, sources, queries in (("store", ROOT / "sources", relevance),
                                       ("bench", store, bench_q)):
            index = work / engine / name / "index"
            build_index(sources, index, engine=engine)
            searcher = Searcher.for_store(index, sources)
            out[f"{engine}/{name}"] = {label: answer(searcher, req)
                                       for label, req in requests_for(queries, searcher)}
            print(f"{engine}/{name}: {len(out[f'{engine}/{name}'])} requests", flush=True)
            if before is not None:  # compared as soon as answered
                compare({f"{engine}/{name}": before[f"{engine}/{name}"]}, out)
    return out


def compare(before: dict, after: dict) -> int:
    differ = 0
    for part, answers in before.items():
        for label, old in answers.items():
            new = after.get(part, {}).get(label)
            if new and "facets" in new and "facets" in old:  # a facet added since is not a change
                new = {**new, "facets": {k: v for k, v in new["facets"].items()
                                         if k in old["facets"]}}
            if new != old:
                differ += 1
                keys = [k for k in old if new is None or old.get(k) != new.get(k)]
                print(f"DIFFERS {part}: {label}: {', '.join(keys)}")
                for k in keys[:3]:
                    print(f"    before {k}: {json.dumps(old.get(k), ensure_ascii=False)[:300]}")
                    print(f"    after  {k}: "
                          f"{json.dumps((new or {}).get(k), ensure_ascii=False)[:300]}")
    total = sum(len(a) for a in before.values())
    print(f"{total - differ} of {total} answers identical")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("record", "compare"))
    ap.add_argument("file", type=Path)
    ap.add_argument("--scale", type=float, default=0.1, help="share of the bench collection")
    ap.add_argument("--queries", type=int, default=12, help="bench queries of each kind")
    ap.add_argument("--engines", default="whoosh,tantivy")
    args = ap.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    before = None
    if args.action == "compare":
        before = {k: v for k, v in json.loads(args.file.read_text(encoding="utf-8")).items()
                  if k.split("/")[0] in engines}
    with tempfile.TemporaryDirectory(prefix="library-answers-") as tmp:
        got = run(Path(tmp), args.scale, args.queries, engines, before)
    if before is None:
        args.file.write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
        return 0
    return compare(before, got)


if __name__ == "__main__":
    sys.exit(main())
