"""OCR engines compared on the test scans (run on demand, never in the tests):
pytesseract over pages rendered with pypdfium2, against OCRmyPDF (in an environment of its own:
``OCRMYPDF=/path/to/ocrmypdf``). Prints seconds per page, mean word confidence, characters."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract

SCANS = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
FILES = [("ocr/104-10003-10041.pdf", "eng"), ("import/pdf/104-10004-10156.pdf", "eng"),
         ("ocr/ru-typescript-scan.pdf", "rus")]
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def pytesseract_run(path: Path, lang: str) -> tuple[float, int, float, float]:
    start = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    confs, chars, render = [], 0, 0.0
    for page in pdf:
        t = time.perf_counter()
        image = page.render(scale=300 / 72, grayscale=True).to_pil()
        render += time.perf_counter() - t
        data = pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT)
        words = [(w, float(c)) for w, c in zip(data["text"], data["conf"], strict=True)
                 if float(c) >= 0 and w.strip()]
        confs += [c for _, c in words]
        chars += sum(len(w) for w, _ in words)
    pages = len(pdf)
    return (time.perf_counter() - start) / pages, pages, sum(confs) / max(1, len(confs)), chars


def ocrmypdf_run(path: Path, lang: str) -> tuple[float, int] | None:
    exe = os.environ.get("OCRMYPDF")
    if not exe:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        proc = subprocess.run([exe, "-l", lang, "--rasterizer", "pypdfium", "--jobs", "1",
                               "--output-type", "pdf", "--sidecar", f"{tmp}/out.txt",
                               str(path), f"{tmp}/out.pdf"], capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode:
            print(proc.stderr[-600:], file=sys.stderr)
            return None
        text = Path(f"{tmp}/out.txt").read_text()
    pages = len(pdfium.PdfDocument(str(path)))
    return elapsed / pages, len("".join(text.split()))


if __name__ == "__main__":
    for name, lang in FILES:
        s, pages, conf, chars = pytesseract_run(SCANS / name, lang)
        print(f"{name} ({pages} p., {lang}): pytesseract+pypdfium2 {s:.2f} s/page, "
              f"confidence {conf:.1f}, {chars} chars")
        other = ocrmypdf_run(SCANS / name, lang)
        if other:
            print(f"    OCRmyPDF {other[0]:.2f} s/page, {other[1]} chars")
