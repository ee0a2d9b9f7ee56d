"""TEI schema benchmark: what compiling ``tei_all`` costs, as given and in the form
``indexer/schemacache.py`` derives and caches, and what that does to a 10-file import.

    python bench/schema_bench.py

Prints, each in a fresh process: the full schema's compile (cold), first use with an empty cache
(derive, write, compile), compile from the cache (warm); then ``library import`` wall time
(start-up and index update included) for two batches of 10 files, each into a fresh copy of the
store: a mixed batch (3 TEI, 2 PDF with text, 3 text, 2 HTML, as in the README's import
latency) and 10 TEI files; each with the full schema (``LIBRARY_FULL_TEI_SCHEMA=1``), with an
empty cache, with a warm one, and without validation (what the rest of the import costs).
Ratios are against the full schema measured in the same run.
Run on demand; never part of the test suite.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
TEI_SET = ROOT / "bench" / "data" / "tei" / "historyatstate-milestones"

COMPILE = """
import sys, time
from indexer import schemacache
from indexer.validation import SCHEMA
mode = sys.argv[1]
started = time.perf_counter()
if mode == "full":
    schemacache.full_schema(SCHEMA)
else:
    schemacache.compile_schema(SCHEMA)
print(time.perf_counter() - started)
"""


def compile_seconds(mode: str, cache: Path) -> float:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("LIBRARY_FULL_TEI_SCHEMA", None)
    out = subprocess.run([sys.executable, "-c", COMPILE, mode], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return float(out.stdout.split()[-1])


def mixed_batch(folder: Path) -> list[Path]:
    folder.mkdir()
    files = [FIXTURES / "tei" / name for name in
             ("1925-order.xml", "1957-03-21-kennan-to-leopold.xml", "seward-letter.xml")]
    files += [FIXTURES / "pdf" / "004-pdflatex-4-pages_pdflatex-4-pages.pdf",
              FIXTURES / "pdf" / "015-arabic_habibi.pdf",
              FIXTURES / "html" / "kremlin-en-51764.html"]
    for n in range(3):
        text = folder / f"note-{n}.txt"
        text.write_text(f"Memorandum {n}\n\n" + "\n\n".join(
            f"Paragraph {i} of note {n}: the committee met and discussed the harvest." for i in
            range(40)), encoding="utf-8")
        files.append(text)
    page = folder / "statement.html"
    page.write_text("<html><head><title>Statement</title></head><body><h1>Statement</h1>"
                    + "".join(f"<p>Paragraph {i} of the statement on the treaty.</p>"
                              for i in range(40)) + "</body></html>", encoding="utf-8")
    files.append(page)
    return files


def import_seconds(base: Path, files: list[Path], cache: Path, full: bool,
                   extra: tuple[str, ...] = ()) -> tuple[float, dict]:
    work = Path(tempfile.mkdtemp(prefix="schema-bench-run-"))
    try:
        shutil.copytree(base / "sources", work / "sources")
        shutil.copytree(base / "var", work / "var")
        env = dict(os.environ, LIBRARY_SOURCES=str(work / "sources"),
                   LIBRARY_HOME=str(work / "var"), LIBRARY_SEEDS=str(ROOT / "seeds"),
                   XDG_CACHE_HOME=str(cache))
        env.pop("LIBRARY_FULL_TEI_SCHEMA", None)
        if full:
            env["LIBRARY_FULL_TEI_SCHEMA"] = "1"
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "library.cli", "import", *map(str, files), "--rights",
             "as stated in the fixtures' SOURCES.md", "--json", *extra], env=env, cwd=work,
            capture_output=True, text=True)
        seconds = time.perf_counter() - started
        report = json.loads(result.stdout)
        return seconds, {k: len(report[k]) for k in ("imported", "skipped", "failed")}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="schema-bench-"))
    try:
        print("compile (fresh process each)           seconds   × full")
        full = compile_seconds("full", scratch / "unused")
        first = compile_seconds("cached", scratch / "cache-a")
        warm = compile_seconds("cached", scratch / "cache-a")
        for label, s in (("full tei_all, cold", full), ("derived, empty cache (derive+compile)",
                                                        first), ("derived, from the cache", warm)):
            print(f"  {label:<38} {s:>7.2f}  {s / full:>6.3f}")

        base = scratch / "store"
        shutil.copytree(ROOT / "sources", base / "sources")
        env = dict(os.environ, LIBRARY_SOURCES=str(base / "sources"),
                   LIBRARY_HOME=str(base / "var"), LIBRARY_SEEDS=str(ROOT / "seeds"))
        subprocess.run([sys.executable, "-m", "library.cli", "build"], env=env, cwd=base,
                       check=True, capture_output=True)
        batches = [("mixed 10 (3 TEI, 2 PDF, 3 text, 2 HTML)", mixed_batch(scratch / "mixed")),
                   ("10 TEI (Milestones)", sorted(TEI_SET.glob("*.xml"))[:10])]
        print("\nlibrary import, validation on           seconds   × full   "
              "imported/skipped/failed")
        for label, files in batches:
            assert len(files) == 10, label
            print(f"  {label}")
            runs = [("full tei_all", True, scratch / "unused"),
                    ("derived, empty cache", False, scratch / f"cache-{len(label)}"),
                    ("derived, warm cache", False, scratch / f"cache-{len(label)}"),
                    ("--no-validate (no schema at all)", False, scratch / "unused")]
            reference = None
            for name, use_full, cache in runs:
                extra = ("--no-validate",) if name.startswith("--no") else ()
                s, counts = import_seconds(base, files, cache, use_full, extra)
                reference = reference or s
                print(f"    {name:<36} {s:>7.2f}  {s / reference:>6.3f}   "
                      f"{counts['imported']}/{counts['skipped']}/{counts['failed']}")
        print(f"\n(machine: {os.cpu_count()} cores, load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
