"""Deep zoom: each page image cut into IIIF Image API tiles once, when it is moved into the
store, by libvips (``vips dzsave --layout iiif3``, Debian ``libvips-tools``), with a thumbnail.
The library then serves them as static files (IIIF level 0 with ``tiles`` and ``sizes``): a
reader on a phone loads the few tiles its screen shows, and zooming into a carbon copy shows
the 300 dpi the OCR read instead of a blur.

``p1-….jpg`` gets the folder ``p1-…/`` beside it: the tiles as libvips lays them out
(``x,y,w,h/w,h/0/default.jpg``, its ``info.json``) and the thumbnail at
``full/<w>,<h>/0/default.jpg``. Without libvips, or when it fails, the page keeps its one image
(the viewer then loads it whole, as before) and the import goes on.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

from PIL import Image

TILE = 512  # pixels: 2-6 tiles fill a phone's screen, 6-12 a laptop's
TILE_QUALITY = 75  # JPEG quality of the tiles (the page image itself keeps its own)
THUMB_WIDTH = 160  # the strip of pages under the viewer
SECONDS = 300  # for one page's tiles, then given up (the page keeps its one image)
log = logging.getLogger(__name__)


def folder_for(image: Path) -> Path:
    """The tiles' folder of a page image (``p1-….jpg`` → ``p1-…``)."""
    return image.with_suffix("")


def available() -> bool:
    return shutil.which("vips") is not None


def make(image: Path) -> bool:
    """Cut ``image`` into tiles and a thumbnail beside it, replacing what an earlier run left
    (the whole folder is renamed into place, never half written); False when it cannot."""
    if not available():
        return False
    target = folder_for(image)
    work = target.with_name(f".{target.name}.{os.getpid()}.tiles-new")  # not .tmp: a folder
    shutil.rmtree(work, ignore_errors=True)
    try:
        subprocess.run(["vips", "dzsave", str(image), str(work), "--layout", "iiif3",
                        "--tile-size", str(TILE), "--overlap", "0",
                        "--suffix", f".jpg[Q={TILE_QUALITY},strip]"],
                       check=True, capture_output=True, timeout=SECONDS)
        with Image.open(image) as page:
            page.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 4))
            size = f"{page.width},{page.height}"
            thumb = work / "full" / size / "0" / "default.jpg"
            thumb.parent.mkdir(parents=True)
            page.save(thumb, "JPEG", quality=80)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("no tiles for %s: %s", image.name, exc)
        shutil.rmtree(work, ignore_errors=True)
        return False
    if target.exists():  # an earlier version's tiles of the same page (library reocr)
        old = target.with_name(f".{target.name}.{os.getpid()}.tiles-old")
        target.rename(old)
        work.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        work.rename(target)
    return True
