"""Page images before and after deep zoom (run on demand, never in the tests), in one run:

- before: what the library kept until now, one 150 dpi JPEG per page (quality 80), served
  whole (IIIF level 0 without tiles);
- after: the 300 dpi page image, its 512 px tiles and a thumbnail (indexer/tiles.py).

The scans of tests/fixtures/ocr are imported once (after); the "before" store is the same
store with each page image brought back to 150 dpi and its tiles removed. Prints the store's
bytes per page (files, and disk use with 4 KiB blocks), and for a reader opening a document
in Chromium at 390 and 1280 px: the time from the viewer's first request until the page
image is first painted, and the image bytes loaded by then (median of 5 loads).
Usage: python bench/tiles_bench.py
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest import Importer, ImportOptions  # noqa: E402
from indexer.manifest import read_manifest  # noqa: E402
from indexer.paths import Paths  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

SCANS = [ROOT / "tests/fixtures/ocr/104-10003-10041.pdf",
         ROOT / "tests/fixtures/ocr/two-column-memo.pdf"]
LOADS = 5
# the first time the viewer's canvas holds a painted pixel, from the viewer's first request
# (its page's info.json): what the image format costs, apart from the page around it
FIRST_PAINT = """() => new Promise(done => {
  const tick = () => {
    const c = document.querySelector('#facsimile-viewer canvas');
    if (c && c.width) {
      const ctx = c.getContext('2d');
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4 * 97) {
        if (d[i] > 0) {
          const bytes = performance.getEntriesByType('resource')
            .filter(e => e.name.includes('/iiif/') && e.name.endsWith('.jpg'))
            .reduce((s, e) => s + (e.encodedBodySize || 0), 0);
          const info = performance.getEntriesByType('resource')
            .find(e => e.name.endsWith('/info.json'));
          return done({ms: performance.now() - (info ? info.startTime : 0), bytes: bytes});
        }
      }
    }
    requestAnimationFrame(tick);
  };
  tick();
})"""


def store_bytes(folder: Path) -> tuple[int, int, int]:
    """(pages, bytes of files, bytes of disk with 4 KiB blocks, folders included)."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    dirs = [p for p in folder.rglob("*") if p.is_dir()]
    pages = len(list(folder.glob("*/p*.jpg")))
    size = sum(p.stat().st_size for p in files)
    disk = sum(-(-p.stat().st_size // 4096) * 4096 for p in files) + 4096 * len(dirs)
    return pages, size, disk


def to_before(sources: Path) -> None:
    """The store as it was: each page image at 150 dpi, no tiles."""
    for image in sources.glob("facsimiles/*/p*.jpg"):
        shutil.rmtree(image.with_suffix(""), ignore_errors=True)
        with Image.open(image) as page:
            half = page.resize((page.width // 2, page.height // 2), Image.LANCZOS)
        half.save(image, "JPEG", quality=80, optimize=True)
        for tei in sources.glob("*.xml"):
            text = tei.read_text(encoding="utf-8")
            if image.name not in text:
                continue
            m = re.search(rf'url="[^"]*{re.escape(image.name)}"[^>]*', text)
            new = re.sub(r'width="\d+px"', f'width="{half.width}px"', m.group(0))
            new = re.sub(r'height="\d+px"', f'height="{half.height}px"', new)
            text = text.replace(m.group(0), new)
            # the surface's extent follows its image
            stem = image.name.split("-")[0][1:]
            text = re.sub(rf'(<surface[^>]*n="{stem}"[^>]*lrx=")\d+("[^>]*lry=")\d+',
                          rf"\g<1>{half.width}\g<2>{half.height}", text)
            tei.write_text(text, encoding="utf-8")


def first_paint(browser, base: str, doc_id: str, width: int) -> tuple[float, float]:
    times, sizes = [], []
    for _ in range(LOADS):
        context = browser.new_context(viewport={"width": width, "height": 844 if width < 500
                                                else 800})
        page = context.new_page()
        page.goto(f"{base}/doc/{doc_id}")
        got = page.evaluate(FIRST_PAINT)
        times.append(got["ms"])
        sizes.append(got["bytes"])
        context.close()
    return statistics.median(times), statistics.median(sizes)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="tiles-bench-") as tmp:
        root = Path(tmp)
        results = {}
        after = root / "after"
        shutil.copytree(ROOT / "sources", after / "sources")
        batch = root / "batch"
        batch.mkdir()
        for scan in SCANS:
            shutil.copy(scan, batch / scan.name)
        (root / "m.csv").write_text("file,language,rights\n" + "".join(
            f"{s.name},en,Public domain\n" for s in SCANS))
        manifest, _ = read_manifest(root / "m.csv")
        paths = Paths(seeds=ROOT / "seeds", sources=after / "sources", home=after / "var")
        report = Importer(paths, ImportOptions(), manifest).run([batch])
        ids = [o.doc_id for o in report.imported]
        before = root / "before"
        shutil.copytree(after, before)
        to_before(before / "sources")
        # (the server re-indexes the two documents whose TEI changed)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for label, home in (("before", before), ("after", after)):
                pages, size, disk = store_bytes(home / "sources" / "facsimiles")
                proc, base = start_server(home / "var", home / "sources")
                try:
                    paints = {w: [first_paint(browser, base, d, w) for d in ids]
                              for w in (390, 1280)}
                finally:
                    stop_server(proc)
                results[label] = (pages, size, disk, paints)
            browser.close()
    print("Page images, before (150 dpi, one JPEG) and after (300 dpi, tiles + thumbnail);"
          " machine shared with other work, figures of one run")
    print(f"{'':8} {'KB/page files':>14} {'KB/page disk':>13}  "
          + "  ".join(f"{f'first paint {w}px ms (KB)':>26}" for w in (390, 1280)))
    for label, (pages, size, disk, paints) in results.items():
        cells = []
        for w in (390, 1280):
            ms = statistics.mean(p[0] for p in paints[w])
            kb = statistics.mean(p[1] for p in paints[w]) / 1024
            cells.append(f"{ms:>18.0f} ({kb:>5.0f})")
        print(f"{label:8} {size / pages / 1024:>14.0f} {disk / pages / 1024:>13.0f}  "
              + "  ".join(cells))
    b, a = results["before"], results["after"]

    def mean(result, w, k):
        return statistics.mean(p[k] for p in result[3][w])

    print(f"ratios after/before: store {a[1] / a[0] / (b[1] / b[0]):.2f}x (files); "
          + "; ".join(f"at {w}px first paint {mean(a, w, 0) / mean(b, w, 0):.2f}x, image "
                      f"bytes {mean(a, w, 1) / max(1, mean(b, w, 1)):.2f}x" for w in (390, 1280)))

if __name__ == "__main__":
    main()
