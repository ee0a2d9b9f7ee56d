"""Import benchmark: the Kremlin CSV (816 records), both Office of the Historian TEI sets and the
PDF test files, imported with ``library import`` into a fresh copy of the store.

    python bench/import_bench.py [--jobs 2]

Prints, per batch and in all: files, documents imported, skipped and failed, seconds,
documents/s, MB/s of input, and the import process's peak memory (max RSS); then every file
that failed, with the reason. Run on demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
BATCHES = [
    ("Kremlin CSV (816 records)", [DATA / "kremlin-en-2021-2022.csv"], []),
    ("TEI: Milestones (19 files)", [DATA / "tei" / "historyatstate-milestones"], []),
    ("TEI: FRUS history (32 files)", [DATA / "tei" / "historyatstate-frus-history-articles"], []),
    ("TEI: both sets, --no-validate", [DATA / "tei"], ["--no-validate"]),
    ("PDFs (11 files)", [DATA / "pdf"], ["--pdf-password", "openpassword"]),
]


def size(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
        total += sum(f.stat().st_size for f in files if f.suffix.lower() in (".csv", ".xml",
                                                                             ".pdf"))
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="library-import-bench-"))
    try:
        shutil.copytree(ROOT / "sources", work / "sources")
        env = dict(os.environ, LIBRARY_SOURCES=str(work / "sources"),
                   LIBRARY_HOME=str(work / "var"), LIBRARY_SEEDS=str(ROOT / "seeds"))
        subprocess.run([sys.executable, "-m", "library.cli", "build"], env=env, cwd=work,
                       check=True, capture_output=True)  # index of the starting store
        print(f"{'batch':<32} {'docs':>5} {'skip':>5} {'fail':>5} {'s':>7} {'docs/s':>7} "
              f"{'MB/s':>6} {'peak MB':>8}")
        failures = []
        totals = [0, 0.0, 0]
        for label, inputs, extra in BATCHES:
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "library.cli", "import", *map(str, inputs), "--rights",
                 "as stated in bench/data/SOURCES.md", "--json", "--jobs", str(args.jobs),
                 *extra], env=env, cwd=work, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            report = json.loads(result.stdout)
            mb = size(inputs) / 1e6
            n = len(report["imported"])
            totals[0] += n
            totals[1] += seconds
            totals[2] += size(inputs)
            print(f"{label:<32} {n:>5} {len(report['skipped']):>5} {len(report['failed']):>5} "
                  f"{seconds:>7.1f} {n / seconds:>7.1f} {mb / seconds:>6.2f} "
                  f"{max(peak, before) / 1024:>8.0f}")
            failures += [(label, f["path"], f["error"]) for f in report["failed"]]
        print(f"{'all':<32} {totals[0]:>5} {'':>5} {'':>5} {totals[1]:>7.1f} "
              f"{totals[0] / totals[1]:>7.1f} {totals[2] / 1e6 / totals[1]:>6.2f}")
        print("\n(peak MB: the largest import process so far, RSS)")
        print("\nfailed, and why:")
        for label, path, error in failures:
            print(f"  [{label}] {Path(path).name}: {error[:200]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
