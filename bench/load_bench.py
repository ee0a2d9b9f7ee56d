"""Load benchmark: concurrent clients against the production server and the development server,
in the same run, on the same library.

    python bench/load_bench.py [--clients 32] [--seconds 60] [--workers 2] [--no-kremlin]
        [--mix realistic|search] [--copies N] [--servers gunicorn,waitress,dev]
        [--library DIR] [--vary] [--cold]

The library is the committed store plus the Kremlin CSV (816 documents) imported into a
temporary copy. Each server in turn (gunicorn as ``library serve`` runs it, waitress, and
Flask's development server as ``library serve --dev`` runs it) gets ``--clients`` concurrent
clients for ``--seconds``, with a realistic mix: the search API and the search page, reader
pages, document JSON, and quotation tracing (``--mix search``), or (``--mix realistic``, the
default) the mix of issue 16: that plus whole-result exports (CSV, RIS, BibTeX), OAI-PMH,
citation exports, person pages, the timeline and the citation graph, and faceted searches.
``--copies N`` imports N varied copies of the Kremlin CSV (816 records each) to measure a larger
library. Each client sends its requests from an address of its own (``X-Forwarded-For``, the
server run with ``LIBRARY_PROXIES=1``), so the per-address limit of expensive routes applies to
each as it would to separate readers; 429 answers are counted apart from errors. Prints
requests/s, p50/p95/p99 latency (whole answers read), p99 with whole-result exports timed to
their first byte (they stream; their download times are printed apart), and errors
(any status other than 200, or no answer) per server, and the ratios against the development
server. ``--vary`` ORs a word no passage holds into every search, so that none is answered
from what the server counted for an earlier one. The clients run in 4 processes beside the
server on the same machine, so they take some of its CPU: the figures are for comparison
within one run. Run on demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KREMLIN = ROOT / "bench" / "data" / "kremlin-en-2021-2022.csv"
TERMS = ["Stalin", "Putin", "Malenkov", "Beria", "Molotov", "Korea", "sanctions", "Ukraine",
         "Gottwald", "funeral", "doctors", "economy", "Khrushchev", "Mikoyan", "Zhou"]
QUERIES = TERMS + ['"Central Committee"', "Stalin AND Beria", "Molot*", "Malenkof~1",
                   "Путин", "date:[1952 TO 1953] Stalin", "type:memoir Beria"]
QUOTES = ["the West is trying to split our society", "a new world war is not inevitable",
          "He was rude and capricious"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copies(home: Path, n: int) -> list[Path]:
    """``n`` copies of the Kremlin CSV, each record's link and text varied (new documents)."""
    import csv
    csv.field_size_limit(sys.maxsize)
    with open(KREMLIN, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for i in range(1, n + 1):
        path = home / f"kremlin-copy-{i}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow(dict(row, link=f"{row['link']}-copy{i}",
                                     body=f"Copy {i}. {row['body']}"))
        out.append(path)
    return out


def prepare(home: Path, kremlin: bool, copies: int = 0) -> tuple[dict, list[str]]:
    """A copy of the store (plus the Kremlin records), indexed: (environment, document ids)."""
    shutil.copytree(ROOT / "sources", home / "sources")
    shutil.copytree(ROOT / "seeds", home / "seeds")
    env = _environment(home)
    if kremlin:
        subprocess.run([sys.executable, "-m", "library.cli", "import", str(KREMLIN),
                        *map(str, _copies(home, copies)), "--rights", "CC BY 4.0",
                        "--no-validate"], env=env, check=True, capture_output=True, cwd=ROOT)
    else:
        subprocess.run([sys.executable, "-m", "library.cli", "build"], env=env, check=True,
                       capture_output=True, cwd=ROOT)
    # the registers' pages are redirects to /persons and /places, not document pages
    ids = _documents(home)
    return env, ids


def _documents(home: Path) -> list[str]:
    return sorted(p.stem for p in (home / "sources").glob("*.xml")
                  if p.stem not in ("persons", "places"))


def _environment(home: Path) -> dict:
    return dict(os.environ, LIBRARY_HOME=str(home / "var"), LIBRARY_SOURCES=str(home / "sources"),
                LIBRARY_SEEDS=str(home / "seeds"), LIBRARY_PROXIES="1")


def reuse(home: Path) -> tuple[dict, list[str]]:
    """A library ``prepare`` made in an earlier run (``--library``)."""
    return _environment(home), _documents(home)


def wait_warmed(log: Path, processes: int, most: float = 300) -> float:
    """Seconds until ``processes`` serving processes have logged their warming (the pictures
    and busiest person pages made ahead, as after any start): the load measures a server
    ready to serve, not its first minute (``--cold`` measures that)."""
    started = time.monotonic()
    while time.monotonic() - started < most:
        if log.read_text(errors="replace").count("warmed ") >= processes:
            break
        time.sleep(0.5)
    return time.monotonic() - started


def server_command(kind: str, port: int, workers: int, threads: int) -> list[str]:
    if kind == "gunicorn":
        return [sys.executable, "-m", "library.cli", "serve", "--port", str(port),
                "--workers", str(workers), "--threads", str(threads)]
    if kind == "waitress":
        return [sys.executable, "-m", "waitress", "--listen", f"127.0.0.1:{port}",
                "--threads", "8", "--call", "library.app:create_app"]
    return [sys.executable, "-m", "library.cli", "serve", "--port", str(port), "--dev"]


def wait_up(base: str, proc) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/docs", timeout=5)
            return
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


PERSONS = ["stalin", "beria", "malenkov", "molotov", "khrushchev", "putin", "gottwald"]
FACETS = ["type=memoir", "lang=en", "decade=1950", "person=stalin", "type=news"]


def _vary(query: str, rng: random.Random) -> str:
    """The query with a word no passage holds ORed in: the same matches, but a query the
    server has not counted before (``--vary``: every search pays for its count)."""
    return f"({query}) OR zq{rng.getrandbits(40):x}" if VARY else query


VARY = False


def realistic_mix(rng: random.Random, ids: list[str]) -> str:
    """Issue 16's mix: what readers, harvesters and citation managers ask for."""
    r = rng.random()
    q = urllib.parse.quote(_vary(rng.choice(QUERIES), rng))
    term = urllib.parse.quote(_vary(rng.choice(TERMS), rng))
    if r < 0.25:
        return f"/api/search?q={q}"
    if r < 0.37:
        return f"/search?q={q}"
    if r < 0.45:
        return f"/search?q={term}&{rng.choice(FACETS)}"
    if r < 0.60:
        return f"/doc/{rng.choice(ids)}"
    if r < 0.66:
        return f"/api/doc/{rng.choice(ids)}"
    if r < 0.71:
        return f"/doc/{rng.choice(ids)}/cite.{rng.choice(['bib', 'ris', 'json'])}"
    if r < 0.75:
        return f"/search/export.{rng.choice(['csv', 'ris', 'bib'])}?q={term}"
    if r < 0.79:
        return rng.choice(["/oai?verb=ListRecords&metadataPrefix=oai_dc",
                           "/oai?verb=Identify",
                           f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier="
                           f"oai:primary-source-library.local:{rng.choice(ids)}"])
    if r < 0.84:
        return rng.choice(["/persons", f"/persons/{rng.choice(PERSONS)}"])
    if r < 0.88:
        return rng.choice(["/timeline", "/graph"])
    if r < 0.94:
        return f"/api/trace?q={urllib.parse.quote(rng.choice(QUOTES))}"
    return f"/doc/{rng.choice(ids)}?q={term}"


def request_mix(rng: random.Random, ids: list[str]) -> str:
    r = rng.random()
    q = urllib.parse.quote(_vary(rng.choice(QUERIES), rng))
    if r < 0.35:
        return f"/api/search?q={q}"
    if r < 0.55:
        return f"/search?q={q}"
    if r < 0.75:
        return f"/doc/{rng.choice(ids)}"
    if r < 0.85:
        return f"/api/doc/{rng.choice(ids)}"
    if r < 0.92:
        return f"/api/trace?q={urllib.parse.quote(rng.choice(QUOTES))}"
    return f"/doc/{rng.choice(ids)}?q={urllib.parse.quote(rng.choice(TERMS))}"


def client_process(port: int, threads: int, seconds: float, ids: list[str], seed: int, out,
                   mix: str = "realistic", vary: bool = False):
    """``threads`` clients, each one keep-alive connection and address, requests back to
    back."""
    global VARY
    VARY = vary
    choose = realistic_mix if mix == "realistic" else request_mix
    results: list[tuple[float, int, str, float]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            path = choose(rng, ids)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={
                    "X-Forwarded-For": f"10.{seed}.{n // 250}.{n % 250 + 1}"})
                resp = conn.getresponse()
                resp.read(1)
                first = time.perf_counter() - started  # a download's first byte
                resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                status, first = 0, time.perf_counter() - started
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - started, status, path, first))
        with lock:
            results.extend(mine)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    out.put(results)


def load(port: int, clients: int, seconds: float, ids: list[str], mix: str = "realistic",
         vary: bool = False) -> dict:
    procs = 4
    queue: mp.Queue = mp.Queue()
    per = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    started = time.perf_counter()
    children = [mp.Process(target=client_process,
                           args=(port, n, seconds, ids, i, queue, mix, vary))
                for i, n in enumerate(per)]
    for c in children:
        c.start()
    results = [r for _ in children for r in queue.get()]
    for c in children:
        c.join()
    elapsed = time.perf_counter() - started
    times = sorted(t for t, _, _, _ in results)
    # a whole-result export streams: the reader has their answer at its first byte, and the
    # rest downloads (timed apart, below)
    first = sorted(f if p.startswith("/search/export") else t for t, _, p, f in results)

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p * len(times)))] * 1000 if times else 0.0

    errors = [(s, p) for _, s, p, _ in results if s not in (200, 429)]
    limited = sum(1 for _, s, _, _ in results if s == 429)
    answered = sorted(t for t, s, _, _ in results if s == 200)
    kinds: dict[str, list[float]] = {}
    refused: dict[str, int] = {}
    for t, status, p, _ in results:
        route = p.split("?")[0]
        if route.startswith("/doc/"):
            route = "/doc/<id>" + ("/cite" if "/cite." in route else "") + \
                ("?q" if "?q=" in p else "")
        elif route.startswith("/persons/"):
            route = "/persons/<id>"
        elif route.startswith("/api/doc/"):
            route = "/api/doc/<id>"
        elif route.startswith("/search/export"):
            route = "/search/export"
        kinds.setdefault(route, []).append(t)
        if status == 429:
            refused[route] = refused.get(route, 0) + 1
    slow = {k: round(sorted(v)[int(0.95 * len(v))] * 1000) for k, v in kinds.items()}
    p99_answered = answered[min(len(answered) - 1, int(0.99 * len(answered)))] * 1000 \
        if answered else 0.0
    exports = sorted(t for t, s, p, _ in results if p.startswith("/search/export") and s == 200)
    return {"requests": len(results), "rps": len(results) / elapsed, "p50": pct(0.50),
            "p95": pct(0.95), "p99": pct(0.99), "errors": len(errors), "limited": limited,
            "p99_first_byte": first[min(len(first) - 1, int(0.99 * len(first)))] * 1000
            if first else 0.0,
            "export_download_p50": exports[len(exports) // 2] * 1000 if exports else 0.0,
            "export_download_max": exports[-1] * 1000 if exports else 0.0,
            "p99_answered": p99_answered, "error_samples": errors[:5], "p95_by_route": slow,
            "429_by_route": refused, "exports_asked": len(kinds.get("/search/export", []))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    ap.add_argument("--no-kremlin", action="store_true", help="only the committed store")
    ap.add_argument("--servers", default="gunicorn,waitress,dev")
    ap.add_argument("--mix", choices=["realistic", "search"], default="realistic")
    ap.add_argument("--copies", type=int, default=0,
                    help="more copies of the Kremlin CSV (816 documents each)")
    ap.add_argument("--library", type=Path, default=None,
                    help="prepare the library in this folder, or reuse it when it is there "
                         "(a library of 10,000 documents takes a while to import)")
    ap.add_argument("--cold", action="store_true",
                    help="start the load as soon as the server answers, before its warming")
    ap.add_argument("--vary", action="store_true",
                    help="make every search a query the server has not counted (a word no "
                         "passage holds ORed in): the cost of searches never asked before")
    ap.add_argument("--no-limit", action="store_true",
                    help="turn the per-address limit of expensive routes off")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = args.library or Path(tmp)
        started = time.perf_counter()
        if args.library and (home / "prepared").is_file():
            env, ids = reuse(home)
            print(f"reusing the library in {home}")
        else:
            home.mkdir(parents=True, exist_ok=True)
            env, ids = prepare(home, not args.no_kremlin, args.copies)
            (home / "prepared").write_text("")
            print(f"prepared in {time.perf_counter() - started:.0f} s")
        if args.no_limit:
            env["LIBRARY_RATE_BURST"] = "0"
        print(f"library: {len(ids)} documents; {args.clients} clients, {args.seconds:.0f} s "
              f"per server, {os.cpu_count()} cores")
        rows = {}
        for kind in args.servers.split(","):
            port = _free_port()
            with open(home / f"{kind}.log", "wb") as log:
                proc = subprocess.Popen(server_command(kind, port, args.workers, args.threads),
                                        env=env,
                                        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_up(f"http://127.0.0.1:{port}", proc)
                if not args.cold:
                    waited = wait_warmed(home / f"{kind}.log",
                                         {"gunicorn": args.workers, "dev": 1}.get(kind, 0))
                    print(f"{kind}: warmed (library/warming.py) {waited:.0f} s after answering")
                load(port, 4, 3, ids, args.mix)  # warm the caches: searchers, documents
                rows[kind] = load(port, args.clients, args.seconds, ids, args.mix, args.vary)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        label = {"gunicorn": f"gunicorn ({args.workers} workers × {args.threads} threads)",
                 "waitress": "waitress (1 process × 8 threads)",
                 "dev": "Flask development server (--dev)"}
        base = rows.get("dev")
        print(f"\n| server | requests | req/s | p50 ms | p95 ms | p99 ms | p99 ms, exports at "
              f"first byte | export download p50 / max ms | errors | 429 |"
              f"{' req/s vs dev | p99 vs dev |' if base else ''}")
        print("|---|---|---|---|---|---|---|---|---|---|" + ("---|---|" if base else ""))
        for kind, r in rows.items():
            ratio = (f" {r['rps'] / base['rps']:.2f}× | {r['p99'] / base['p99']:.2f}× |"
                     if base else "")
            print(f"| {label[kind]} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | "
                  f"{r['p95']:.0f} | {r['p99']:.0f} | {r['p99_first_byte']:.0f} | "
                  f"{r['export_download_p50']:.0f} / {r['export_download_max']:.0f} | "
                  f"{r['errors']} | {r['limited']} |{ratio}")
        for kind, r in rows.items():
            print(f"{kind}: 429 by route {r['429_by_route']}; exports streamed "
                  f"{r['exports_asked'] - r['429_by_route'].get('/search/export', 0)} of "
                  f"{r['exports_asked']} asked")
        print("\ntarget (issue 16, realistic mix): 0 errors, p99 ≤ 1 s")
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
