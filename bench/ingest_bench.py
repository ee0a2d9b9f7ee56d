"""Ingest at archive scale: the import pipeline in this process, on a LocalCluster and on a
Dask cluster (a `dask scheduler` and two `dask worker` processes on 127.0.0.1).

    python bench/ingest_bench.py [--pages 100] [--html 2000] [--only scans|html]
                                 [--skip-crossover]

1. A generated scanned batch (``--pages`` pages in 10-page PDFs, no text layer, OCR'd in
   English), run four ways: bare ``tesseract`` on the same page images, one process per core
   (the floor); ``library import --jobs 1``; ``--jobs 2``; ``--cluster`` with two workers.
   Pages per minute, and ratios against the floor and against ``--jobs 1``.
2. ``--html`` generated HTML files: ``--jobs 1``, ``--jobs 2``, ``--cluster``; documents/s.
3. The cross-over below which ``--jobs 2`` runs in this process: small batches run both ways
   (``LIBRARY_IN_PROCESS_BELOW=0`` forces the LocalCluster).

Each import is the real command, timed from its start to its end (Python's start, the
cluster's start, reading, OCR, writing, indexing), into an empty store. Figures and ratios
come from the same run; say, with them, whether the machine was shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.pdfmake import scanned_pdf  # noqa: E402

DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scanned_batch(folder: Path, pages: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(0, pages, 10):
        (folder / f"scan-{i // 10:03d}.pdf").write_bytes(
            scanned_pdf(min(10, pages - i), seed=i, lines=8, dpi=150))
    return folder


def html_batch(folder: Path, files: int) -> Path:
    folder.mkdir(parents=True)
    words = ("grain plan ministry telegram harvest delegation railway bureau minutes "
             "committee report conference secretary archive folder").split()
    for n in range(files):
        body = " ".join(words[(n * 7 + k) % len(words)] for k in range(120))
        (folder / f"page-{n:05d}.html").write_text(
            f"<html lang='en'><head><title>Minutes {n}</title></head><body><article>"
            f"<h1>Minutes {n}</h1><p>{body}.</p><p>Item {n} was adjourned.</p></article>"
            "</body></html>", encoding="utf-8")
    return folder


def page_images(batch: Path, out: Path) -> list[Path]:
    """The pages as the import renders them for OCR (300 dpi, gray)."""
    import pypdfium2 as pdfium

    out.mkdir()
    images = []
    for pdf in sorted(batch.glob("*.pdf")):
        doc = pdfium.PdfDocument(pdf.read_bytes())
        for i in range(len(doc)):
            image = doc[i].render(scale=300 / 72, grayscale=True).to_pil()
            images.append(out / f"{pdf.stem}-{i + 1}.png")
            image.save(images[-1])
        doc.close()
    return images


def floor(images: list[Path], cores: int) -> float:
    """Bare Tesseract, one process per core: seconds for every page."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(image: Path) -> None:
        subprocess.run(["tesseract", str(image), "stdout", "-l", "eng", "tsv"], env=env,
                       capture_output=True, check=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - started


def run_import(batch: Path, *args: str, **env) -> tuple[float, dict]:
    store = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    (store / "sources").mkdir()
    environ = dict(os.environ, LIBRARY_HOME=str(store / "var"),
                   LIBRARY_SOURCES=str(store / "sources"), **env)
    # the (empty) index first, so that its build is not timed
    subprocess.run([sys.executable, "-m", "library.cli", "import", str(store / "none")],
                   env=environ, cwd=ROOT, capture_output=True)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "library.cli", "import", str(batch), "--json",
                          "--rights", "Public domain", "--ocr-lang", "eng", *args],
                         env=environ, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    shutil.rmtree(store, ignore_errors=True)
    if out.returncode not in (0, 1) or not out.stdout.startswith("{"):
        raise SystemExit(f"import failed ({out.returncode}): {out.stderr[-2000:]}")
    return seconds, json.loads(out.stdout)


class Cluster:
    """A scheduler and two single-threaded workers on 127.0.0.1."""

    def __enter__(self) -> str:
        port = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        env = dict(os.environ, DASK_LOGGING__DISTRIBUTED="error")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env,
                 "start_new_session": True}
        self.procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1",
                                        "--port", str(port), "--no-dashboard"], **quiet)]
        self.procs += [subprocess.Popen([str(DASK), "worker", self.address, "--nthreads", "1",
                                         "--name", f"w{n}", "--no-dashboard",
                                         "--host", "127.0.0.1"], **quiet) for n in (1, 2)]
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        return self.address

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--html", type=int, default=2000)
    ap.add_argument("--only", choices=("scans", "html"), help="run one of the two batches")
    ap.add_argument("--skip-crossover", action="store_true")
    args = ap.parse_args()
    kinds = [args.only] if args.only else ["html", "scans"]
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-data-"))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the "
          "start (other work on the machine skews every figure; the ratios are of one run)")
    rows = []
    try:
        html = html_batch(work / "html", args.html) if "html" in kinds else None
        scans = scanned_batch(work / "scans", args.pages) if "scans" in kinds else None
        if html:
            for label, extra in (("--jobs 1", ["--jobs", "1"]),
                                 ("--jobs 2", ["--jobs", "2"])):
                # (a LocalCluster for --jobs 2 whatever the batch's size)
                seconds, report = run_import(html, *extra, LIBRARY_IN_PROCESS_BELOW="0")
                rows.append(("html", label, len(report["imported"]), seconds))
                print(f"html {label}: {seconds:.1f} s", flush=True)
        if scans:
            images = page_images(scans, work / "images")
            pages = len(images)
            seconds = floor(images, 2)
            rows.append(("scans", "bare tesseract, 2 processes (floor)", pages, seconds))
            print(f"floor: {pages} pages in {seconds:.1f} s", flush=True)
            for label, extra in (("--jobs 1", ["--jobs", "1"]),
                                 ("--jobs 2", ["--jobs", "2"])):
                seconds, report = run_import(scans, *extra, LIBRARY_IN_PROCESS_BELOW="0")
                assert len(report["imported"]) == len(list(scans.glob("*.pdf"))), \
                    report["failed"]
                rows.append(("scans", label, pages, seconds))
                print(f"{label}: {seconds:.1f} s", flush=True)
        with Cluster() as address:
            if html:
                seconds, report = run_import(html, "--cluster", address)
                rows.append(("html", "--cluster, 2 workers", len(report["imported"]),
                             seconds))
                print(f"html cluster: {seconds:.1f} s", flush=True)
            if scans:
                seconds, report = run_import(scans, "--cluster", address)
                workers = sorted({o["worker"] for o in report["imported"]})
                rows.append(("scans", f"--cluster, 2 workers ({', '.join(workers)})", pages,
                             seconds))
                print(f"cluster: {seconds:.1f} s", flush=True)
        crossover = [] if args.skip_crossover else measure_crossover(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report_table(rows, crossover)


def measure_crossover(work: Path) -> list[tuple[str, float, float]]:
    found = []
    for files in (4, 64):
        batch = html_batch(work / f"small-{files}", files)
        inside, _ = run_import(batch, "--jobs", "2", LIBRARY_IN_PROCESS_BELOW="100000")
        cluster, _ = run_import(batch, "--jobs", "2", LIBRARY_IN_PROCESS_BELOW="0")
        found.append((f"{files} HTML files", inside, cluster))
    for pages in (2,):
        batch = scanned_batch(work / f"small-scan-{pages}", pages)
        inside, _ = run_import(batch, "--jobs", "2", LIBRARY_IN_PROCESS_BELOW="100000")
        cluster, _ = run_import(batch, "--jobs", "2", LIBRARY_IN_PROCESS_BELOW="0")
        found.append((f"{pages} scanned page(s)", inside, cluster))
    return found


def report_table(rows: list, crossover: list) -> None:
    base = {k: s for k, label, _, s in rows if label == "--jobs 1"}
    floor_seconds = next((s for k, label, _, s in rows if "floor" in label), 0.0)
    print("\n| batch | how | items | seconds | rate | × --jobs 1 | × floor |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for kind, label, items, seconds in rows:
        if kind == "scans":
            rate = f"{items * 60 / seconds:.1f} pages/min"
            floor_ratio = f"{floor_seconds / seconds:.2f}"
        else:
            rate = f"{items / seconds:.1f} docs/s"
            floor_ratio = ""
        ratio = "" if "floor" in label else f"{base[kind] / seconds:.2f}"
        print(f"| {kind} | {label} | {items} | {seconds:.1f} | {rate} | {ratio} | "
              f"{floor_ratio} |")
    if crossover:
        print("\n| small batch, --jobs 2 | in this process (s) | LocalCluster (s) |")
        print("|---|---:|---:|")
        for label, inside, cluster in crossover:
            print(f"| {label} | {inside:.1f} | {cluster:.1f} |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
