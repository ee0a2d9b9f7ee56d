"""Search benchmark: index build throughput and search latency on a large collection, for both
engines in one run.

    python bench/search_bench.py            # full size: 208,774 passages, 53 MB of text
    python bench/search_bench.py --scale 0.05 --queries 20    # a quick look (~10k passages)

    python bench/search_bench.py --million  # also tantivy at about 1,000,000 passages

Builds a collection from the 816 Kremlin news items of ``bench/data`` (CC BY 4.0) repeated with
variations (sentence order shuffled, a share of sentences dropped, numbers changed) into TEI files,
then, in one run:

1. indexes the same passages with bare Whoosh (one stemmed text field, stored), bare tantivy (one
   stemmed text field) and the library's own build on each engine (TEI parsing, two analysed
   text fields, person tagging, facets), and prints the throughputs, their ratios and the peak
   memory of each library build;
2. starts ``library serve`` on the collection with each engine and times ``/api/search`` over
   HTTP (snippets, KWIC, facets and name variants included) for term, AND, phrase, fuzzy, prefix
   and name-variant queries drawn from the collection, beside the floors: bare Whoosh (top 10
   with highlighted snippets) and bare tantivy (top 10 and the count) answering the same
   queries in-process; then the pages that list the library (home, persons, timeline, graph,
   bibliography) and the server's memory (peak resident size of its largest process);
3. with ``--million``, the same for tantivy on about 1,000,000 passages.

Targets (issue 14): tantivy p95 ≤ 10 × bare tantivy at 208k, ≤ 40 ms at 1M; Whoosh p95 ≤ 2 ×
bare Whoosh; pages ≤ 300 ms at 10,000 documents; a server process ≤ 1 GB. Run on demand; never
part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tantivy  # noqa: E402
from load_bench import wait_warmed  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import STOP_WORDS, StemmingAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import FuzzyTermPlugin, QueryParser  # noqa: E402

from indexer.chunker import split_sentences  # noqa: E402
from indexer.header import HeaderRecord, tei_document  # noqa: E402
from indexer.index import update_index  # noqa: E402
from indexer.tei import XML_ID, E, serialize  # noqa: E402
from library.server import default_workers  # noqa: E402

DATA = ROOT / "bench" / "data" / "kremlin-en-2021-2022.csv"
NAME_QUERIES = ["Путин", "Poutine", "Зеленский", "Selenskyj", "Мишустин", "Собянин", "Kadyrow",
                "Staline", "Сталин", "Chruschtschow", "Ельцин", "Jelzin"]
PASSAGES = "passages.json"  # the generated passages, kept with --keep for --reuse
KINDS = ["term", "AND", "phrase", "fuzzy", "prefix", "name-variant"]


def read_items() -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with open(DATA, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def paragraphs(text: str, size: int = 180) -> list[str]:
    """Runs of whole sentences of about ``size`` characters (the passage size of the target)."""
    out, current = [], ""
    for sentence in split_sentences(" ".join(text.split())):
        current = f"{current} {sentence}".strip()
        if len(current) >= size:
            out.append(current)
            current = ""
    return out + ([current] if current else [])


def vary(sentences: list[str], rng: random.Random, copy: int) -> list[str]:
    if copy == 0:
        return sentences
    kept = [s for s in sentences if rng.random() > 0.1] or sentences[:1]
    rng.shuffle(kept)
    return [re.sub(r"\d+", lambda m: str(int(m.group()) + copy), s) for s in kept]


def make_store(store: Path, copies: int, scale: float = 1.0
               ) -> tuple[list[tuple[str, str]], int]:
    """TEI files for ``copies`` varied copies of the items (a ``scale`` share of them); returns
    (passage id, text) pairs."""
    store.mkdir(parents=True)
    shutil.copy(ROOT / "sources" / "persons.xml", store / "persons.xml")
    rng = random.Random(1953)
    passages: list[tuple[str, str]] = []
    items = read_items()
    items = items[: max(1, round(len(items) * scale))]
    for copy in range(copies):
        for i, item in enumerate(items):
            doc_id = f"kremlin-{copy:02d}-{i:04d}"
            body = E.div(type="text")
            sentences = vary(paragraphs(item["body"]), rng, copy)
            for n, sentence in enumerate(sentences, start=1):
                pid = f"{doc_id}-p{n}"
                p = E.p(sentence)
                p.set(XML_ID, pid)
                body.append(p)
                passages.append((pid, sentence))
            rec = HeaderRecord(
                doc_id=doc_id, title=item["headline"], authors=["President of Russia"],
                date=item["date"][:10], language="en", text_language="en", type="news",
                rights="cc-by-4.0", licence="CC BY 4.0, kremlin.ru", provenance=item["link"],
                bibl={"title": item["headline"], "url": item["link"]},
                collection=f"Kremlin copy {copy}",
            )
            (store / f"{doc_id}.xml").write_bytes(serialize(tei_document(rec, E.body(body))))
    return passages, len(items) * copies


def add_documents(store: Path, n: int) -> list[Path]:
    """``n`` new documents (copies of existing ones under new ids), as an import adds them."""
    added = []
    for i, path in enumerate(sorted(store.glob("kremlin-00-*.xml"))[:n]):
        new = store / f"added-{i:02d}.xml"
        new.write_bytes(path.read_bytes().replace(path.stem.encode(), new.stem.encode()))
        added.append(new)
    return added


def bare_index(passages: list[tuple[str, str]], where: Path) -> float:
    schema = Schema(id=ID(stored=True, unique=True), text=TEXT(stored=True,
                                                                analyzer=StemmingAnalyzer()))
    where.mkdir(parents=True)
    ix = whoosh_index.create_in(where, schema)
    started = time.perf_counter()
    writer = ix.writer(limitmb=256)
    for pid, text in passages:
        writer.add_document(id=pid, text=text)
    writer.commit()
    return time.perf_counter() - started


def bare_tantivy_index(passages: list[tuple[str, str]], where: Path) -> float:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("text", stored=False, tokenizer_name="en_stem", index_option="position")
    where.mkdir(parents=True)
    ix = tantivy.Index(sb.build(), path=str(where))
    started = time.perf_counter()
    writer = ix.writer(256_000_000, 1)
    for pid, text in passages:
        writer.add_document(tantivy.Document(id=pid, text=text))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def time_bare_tantivy(where: Path, queries: dict) -> dict:
    """Top 10 and the count, as bare tantivy answers each kind (prefix: a regex query; fuzzy:
    a fuzzy-term query of one edit)."""
    ix = tantivy.Index.open(str(where))
    ix.reload()
    s = ix.searcher()
    out = {}
    for kind, qs in queries.items():
        if kind == "name-variant":
            continue
        times = []
        for q in qs:
            started = time.perf_counter()
            if kind == "prefix":
                query = tantivy.Query.regex_query(ix.schema, "text", re.escape(q[:-1]) + ".*")
            elif kind == "fuzzy":
                query = tantivy.Query.fuzzy_term_query(ix.schema, "text", q.rstrip("~"), 1)
            else:
                query = ix.parse_query(q, ["text"])
            s.search(query, 10, count=True)
            times.append((time.perf_counter() - started) * 1000)
        out[kind] = times
    return out


def make_queries(passages: list[tuple[str, str]], n: int, rng: random.Random) -> dict:
    # stop words are not searched alone (the library says so and answers 400)
    words_of = [[w for w in re.findall(r"[A-Za-z]{3,}", t) if w.lower() not in STOP_WORDS]
                for _, t in rng.sample(passages, 20 * n)]
    long_words = [w.lower() for ws in words_of for w in ws if len(w) >= 6]
    queries: dict[str, list[str]] = {k: [] for k in KINDS}
    for ws in words_of:
        if len(queries["term"]) < n and ws:
            queries["term"].append(rng.choice(ws).lower())
        if len(queries["AND"]) < n and len(ws) >= 6:
            a, b = rng.sample([w for w in ws if len(w) > 4] or ws, 2) if len(
                [w for w in ws if len(w) > 4]) >= 2 else ws[:2]
            queries["AND"].append(f"{a.lower()} AND {b.lower()}")
        if len(queries["phrase"]) < n and len(ws) >= 8:
            start = rng.randrange(0, len(ws) - 3)
            queries["phrase"].append('"' + " ".join(ws[start : start + 3]).lower() + '"')
    for w in rng.sample(long_words, n):
        i = rng.randrange(1, len(w) - 1)
        queries["fuzzy"].append(w[:i] + ("a" if w[i] != "a" else "e") + w[i + 1 :] + "~")
    queries["prefix"] = [w[:4] + "*" for w in rng.sample(long_words, n)]
    queries["name-variant"] = [NAME_QUERIES[i % len(NAME_QUERIES)] for i in range(n)]
    return queries


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def time_api(base: str, queries: dict) -> dict:
    out = {}
    for kind, qs in queries.items():
        times = []
        for q in qs:
            url = f"{base}/api/search?q={urllib.parse.quote(q)}"
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=60) as r:
                r.read()
            times.append((time.perf_counter() - started) * 1000)
        out[kind] = times
    return out


def time_bare(where: Path, queries: dict) -> dict:
    ix = whoosh_index.open_dir(where)
    parser = QueryParser("text", ix.schema)
    parser.add_plugin(FuzzyTermPlugin())
    out = {}
    with ix.searcher() as s:
        for kind, qs in queries.items():
            if kind == "name-variant":
                continue
            times = []
            for q in qs:
                started = time.perf_counter()
                results = s.search(parser.parse(q), limit=10)
                for hit in results:
                    hit.highlights("text")
                times.append((time.perf_counter() - started) * 1000)
            out[kind] = times
    return out


PAGES = ["/", "/persons", "/timeline", "/graph", "/bibliography"]


def time_pages(base: str, rounds: int = 5) -> dict:
    out = {}
    for page in PAGES:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + page, timeout=120) as r:
                    r.read()
            except urllib.error.HTTPError as exc:
                times.append(float("nan"))
                print(f"  {page}: HTTP {exc.code}")
                break
            times.append((time.perf_counter() - started) * 1000)
        out[page] = times
    return out


def tree_peak_mb(pid: int) -> float:
    """The largest peak resident size (VmHWM) among ``pid`` and its descendants."""
    peak, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return peak


def serve_and_time(engine: str, store: Path, home: Path, queries: dict) -> dict:
    port = free_port()
    env = dict(os.environ, LIBRARY_SOURCES=str(store), LIBRARY_HOME=str(home),
               LIBRARY_ENGINE=engine)
    log = home / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "library.cli", "serve", "--port",
                                   str(port)], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 1800
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/search?q=russia", timeout=60).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("library serve did not start") from None
                time.sleep(0.5)
        # each process's warming (library/warming.py) done, as on a server that has started
        print(f"  {engine}: warmed {wait_warmed(log, default_workers()):.0f} s after "
              "answering", flush=True)
        for _ in range(4):  # every worker opens the index and warms its caches
            for q in ("government", "Putin", "economy AND growth"):
                urllib.request.urlopen(f"{base}/api/search?q={urllib.parse.quote(q)}").read()
        api = time_api(base, queries)
        pages = time_pages(base)
        return {"api": api, "pages": pages, "memory": tree_peak_mb(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def peak_build(engine: str, store: Path, index: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of the library's build, in a process of its own."""
    code = ("import sys, time, resource; from pathlib import Path; "
            "from indexer.index import build_index; t = time.perf_counter(); "
            "build_index(Path(sys.argv[1]), Path(sys.argv[2]), engine=sys.argv[3]); "
            "print(time.perf_counter() - t, "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, str(store), str(index), engine],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def print_latency(api: dict, engines: list[str], floors: dict, n: int, label: str) -> None:
    print(f"\nsearch latency at {label}, ms ({n} queries each; library = /api/search over "
          "HTTP with snippets, KWIC, facets, name variants; floors in-process: bare Whoosh = "
          "top 10 with snippets, bare tantivy = top 10 + count)")
    head = "".join(f"  {e:>8} p50    p95" for e in engines)
    print(f"  kind         {head}   " + "   ".join(f"{f:>12} p50  p95" for f in floors)
          + "   p95 ratios")
    for kind in KINDS:
        cols = "".join(f"  {statistics.median(api[e]['api'][kind]):12.1f} "
                       f"{percentile(api[e]['api'][kind], 95):6.1f}" for e in engines)
        fl, ratios = "", []
        for name, got in floors.items():
            t = got.get(kind)
            fl += (f"   {statistics.median(t):12.2f} {percentile(t, 95):5.2f}" if t
                   else "              —     —")
            engine = name.split()[-1]
            if t and engine in api:
                ratios.append(f"{engine} {percentile(api[engine]['api'][kind], 95) / max(percentile(t, 95), 0.01):.1f}×")  # noqa: E501
        print(f"  {kind:<12}{cols}{fl}   {', '.join(ratios)}")


def print_pages(api: dict, engines: list[str], docs: int) -> None:
    print(f"\npages listing the library, ms over HTTP ({docs:,} documents; median / max of 5; "
          "target ≤ 300)")
    for page in PAGES:
        print(f"  {page:<14}" + "".join(
            f"  {e}: {statistics.median(api[e]['pages'][page]):8.1f} / "
            f"{max(api[e]['pages'][page]):8.1f}" for e in engines))
    print("server memory, peak resident MB of its largest process (target ≤ 1,024): "
          + ", ".join(f"{e} {api[e]['memory']:.0f}" for e in engines))


def run_size(work: Path, copies: int, scale: float, engines: list[str], n_queries: int,
             bare_whoosh: bool) -> dict:
    """One collection size: builds, the floors, latency over HTTP, pages, memory."""
    store = work / "sources"
    print(f"\ncollection: {copies} × {scale:g} of 816 Kremlin items → {store}")
    started = time.perf_counter()
    passages, docs = make_store(store, copies, scale)
    (work / PASSAGES).write_text(json.dumps(passages), encoding="utf-8")
    text_mb = sum(len(t.encode()) for _, t in passages) / 1e6
    label = f"{len(passages):,} passages"
    print(f"  {docs:,} documents, {label}, {text_mb:.1f} MB of text "
          f"(generated in {time.perf_counter() - started:.0f} s)", flush=True)
    bare_s: dict[str, float] = {}
    if bare_whoosh:
        bare_s["bare Whoosh"] = bare_index(passages, work / "bare")
    bare_s["bare tantivy"] = bare_tantivy_index(passages, work / "bare-tantivy")
    build: dict[str, tuple[float, float]] = {}
    for engine in engines:
        build[engine] = peak_build(engine, store, work / engine / "index")
        print(f"  built with {engine} in {build[engine][0]:.1f} s", flush=True)
    print("\nindex build                      seconds     MB/s   peak MB")
    for name, secs in bare_s.items():
        print(f"  {name:<30} {secs:8.1f}  {text_mb / secs:7.3f}")
    for engine in engines:
        secs, peak = build[engine]
        print(f"  library, {engine:<21} {secs:8.1f}  {text_mb / secs:7.3f}  {peak:8.0f}"
              + ("   target ≥ 3 MB/s, ≤ 2,048 MB at 1M" if engine == "tantivy" else ""))
    added = add_documents(store, 10)
    print(f"\nadding {len(added)} documents to the library (update_index; target ≤ 2 s):")
    for engine in engines:
        started = time.perf_counter()
        update_index(store, work / engine / "index", added)
        print(f"  {engine:<8} {time.perf_counter() - started:6.2f} s", flush=True)
    return time_search(work, store, passages, docs, engines, n_queries, bare_whoosh)


def reuse_size(work: Path, engines: list[str], n_queries: int, bare_whoosh: bool) -> dict:
    """The searches of one size again, on the collection and indexes a kept run left."""
    store = work / "sources"
    passages = [tuple(p) for p in json.loads((work / PASSAGES).read_text(encoding="utf-8"))]
    docs = sum(1 for _ in store.glob("kremlin-*.xml"))
    print(f"\ncollection kept in {work}: {docs:,} documents, {len(passages):,} passages")
    return time_search(work, store, passages, docs, engines, n_queries, bare_whoosh)


def time_search(work: Path, store: Path, passages: list, docs: int, engines: list[str],
                n_queries: int, bare_whoosh: bool) -> dict:
    """Latency over HTTP beside the floors, the listing pages, memory."""
    label = f"{len(passages):,} passages"
    queries = make_queries(passages, n_queries, random.Random(7))
    api = {e: serve_and_time(e, store, work / e, queries) for e in engines}
    floors = {}
    if bare_whoosh:
        floors["bare whoosh"] = time_bare(work / "bare", queries)
    floors["bare tantivy"] = time_bare_tantivy(work / "bare-tantivy", queries)
    print_latency(api, engines, floors, n_queries, label)
    print_pages(api, engines, docs)
    print("\nexample queries: " + "; ".join(f"{k}: {v[0]}" for k, v in queries.items()))
    return api


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=17, help="copies of the 816 items (17: "
                    "208,774 passages)")
    ap.add_argument("--scale", type=float, default=1.0, help="share of the 816 items to use "
                    "(0.05 for a quick run)")
    ap.add_argument("--queries", type=int, default=40, help="queries of each kind")
    ap.add_argument("--engines", default="whoosh,tantivy", help="engines to compare")
    ap.add_argument("--million", action="store_true",
                    help="then tantivy alone at about 1,000,000 passages (82 copies)")
    ap.add_argument("--million-only", action="store_true",
                    help="tantivy alone at about 1,000,000 passages, without the 208k run")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    ap.add_argument("--reuse", type=Path, help="a folder a run with --keep left: time the "
                    "searches again on its collection and indexes, without building")
    args = ap.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if args.reuse:
        for size in ("base", "million"):
            if (args.reuse / size / PASSAGES).exists():
                reuse_size(args.reuse / size, engines if size == "base" else ["tantivy"],
                           args.queries, size == "base")
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="library-bench-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not args.million_only:
            run_size(work / "base", args.copies, args.scale, engines, args.queries, True)
        if args.million or args.million_only:
            shutil.rmtree(work / "base", ignore_errors=True)
            run_size(work / "million", 82, args.scale, ["tantivy"], args.queries, False)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
