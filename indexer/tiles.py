"""Deep zoom: each page image cut into IIIF Image API tiles once, at import, by libvips (through
pyvips, in the process: Debian ``libvips42``, which ``libvips-tools`` brings), with a thumbnail.
The library then serves them as static files (IIIF level 0 with ``tiles`` and ``sizes``): a
reader on a phone loads the few tiles its screen shows, and zooming into a carbon copy shows the
300 dpi the OCR read instead of a blur.

``p1-….jpg`` gets the folder ``p1-…/`` beside it: the tiles as libvips lays them out
(``x,y,w,h/w,h/0/default.jpg``, its ``info.json``) and the thumbnail at
``full/<w>,<h>/0/default.jpg``.

The tiles are cut where the page was rendered, in its page task (``cut``: from the page's pixels
already in memory, into one zip, plain data that crosses from a worker to the writer like the
page's JPEG). In the process, not by running ``vips dzsave``: that took 220 ms of CPU a page,
80 ms of it starting the program and more decoding the JPEG again, against 70 ms
(bench/ingest_bench.py measures the whole import). The writer unpacks them beside the page
image in its scratch folder (``unpack``), before it takes the write lock, and moves the folder
into the store with the image: cutting, the slow part, never holds the lock. Without libvips,
or when it fails, the page keeps its one image (the viewer then loads it whole) and the import
goes on; ``make`` cuts a page already in the store (``library reocr``).
"""

from __future__ import annotations

import functools
import io
import logging
import os
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from PIL import Image

TILE = 512  # pixels: 2-6 tiles fill a phone's screen, 6-12 a laptop's
TILE_QUALITY = 75  # JPEG quality of the tiles (the page image itself keeps its own)
THUMB_WIDTH = 160  # the strip of pages under the viewer
# a page's tiles at most, unpacked: a 10,000-pixel page's tiles are about 40 MB
MAX_UNPACKED = 256 * 1024 * 1024
STALE = (".tiles-new", ".tiles-old")  # the suffixes of folders a killed writer may leave
log = logging.getLogger(__name__)


def folder_for(image: Path) -> Path:
    """The tiles' folder of a page image (``p1-….jpg`` → ``p1-…``)."""
    return image.with_suffix("")


@functools.cache
def _vips():
    """pyvips with libvips loaded, or None (the library is a system package: a worker may lack
    it, and then its pages have no tiles)."""
    os.environ.setdefault("VIPS_CONCURRENCY", "1")  # workers, not threads, share the cores
    try:
        import pyvips
    except Exception as exc:  # noqa: BLE001  (pyvips raises a bare Exception without libvips)
        log.warning("no deep-zoom tiles: libvips cannot be loaded (%s)", exc)
        return None
    pyvips.cache_set_max(0)  # one page at a time: nothing to reuse, memory to keep
    return pyvips


def available() -> bool:
    return _vips() is not None


def cut(image: Image.Image) -> bytes:
    """A page's tiles and thumbnail as one zip (stored, not compressed: JPEGs), or b"" when
    libvips is missing or fails (the page then keeps its one image)."""
    vips = _vips()
    if vips is None:
        return b""
    if image.mode not in ("L", "RGB"):
        image = image.convert("L")
    try:
        pixels = vips.Image.new_from_memory(image.tobytes(), image.width, image.height,
                                            1 if image.mode == "L" else 3, "uchar")
        # into memory, not a folder: 70 ms of CPU a 300 dpi page against 100 ms writing files
        made = pixels.dzsave_buffer(layout="iiif3", tile_size=TILE, overlap=0,
                                    suffix=f".jpg[Q={TILE_QUALITY},strip]", container="zip",
                                    compression=0, basename="t")
    except Exception as exc:  # noqa: BLE001  (pyvips.Error: the page goes on without)
        log.warning("no tiles for a page: %s", exc)
        return b""
    thumb = image.copy()
    thumb.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 4))
    small = io.BytesIO()
    thumb.save(small, "JPEG", quality=80)
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(made)) as z, \
            zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as out:
        for member in z.infolist():
            if not member.is_dir():
                out.writestr(member.filename.removeprefix("t/"), z.read(member))
        out.writestr(f"full/{thumb.width},{thumb.height}/0/default.jpg", small.getvalue())
    return packed.getvalue()


def unpack(packed: bytes, image: Path) -> bool:
    """``cut``'s zip into the tiles' folder beside ``image``. Only relative names without
    ``..`` and at most ``MAX_UNPACKED`` bytes: the zip comes from a worker, possibly another
    machine's. False (and nothing left) when it is not such a zip."""
    return _extract(packed, folder_for(image), image.name)


def _extract(packed: bytes, target: Path, what: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(packed)) as z:
            members = z.infolist()
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                raise ValueError("too large")
            for m in members:
                name = PurePosixPath(m.filename)
                if m.is_dir() or name.is_absolute() or ".." in name.parts or not name.parts:
                    raise ValueError(f"unexpected name {m.filename!r}")
            z.extractall(target)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        log.warning("tiles of %s not kept: %s", what, exc)
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def move(scratch_image: Path, image: Path) -> bool:
    """The tiles unpacked beside ``scratch_image`` into place beside the store's ``image``,
    replacing an earlier version's (renamed into place, never half there). False when there
    are none."""
    made = folder_for(scratch_image)
    if not made.is_dir():
        return False
    _into_place(made, folder_for(image))
    return True


def make(image: Path) -> bool:
    """Cut ``image`` (in the store) into tiles and a thumbnail beside it, replacing what an
    earlier run left; False when it cannot."""
    if not available():
        return False
    try:
        with Image.open(image) as page:
            packed = cut(page)
    except OSError as exc:
        log.warning("no tiles for %s: %s", image.name, exc)
        return False
    target = folder_for(image)
    work = target.with_name(f".{target.name}.{os.getpid()}{STALE[0]}")  # not .tmp: a folder
    shutil.rmtree(work, ignore_errors=True)
    if not packed or not _extract(packed, work, image.name):
        return False
    _into_place(work, target)
    return True


def _into_place(made: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.{os.getpid()}{STALE[0]}")
    if made != staged:  # (a copy when the scratch folder is on another file system)
        shutil.rmtree(staged, ignore_errors=True)
        shutil.move(made, staged)
    if target.exists():  # an earlier version's tiles of the same page (library reocr)
        old = target.with_name(f".{target.name}.{os.getpid()}{STALE[1]}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        staged.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staged.rename(target)


def clean_stale(folder: Path) -> int:
    """Remove the tile folders a killed writer left half made or half replaced in a
    document's facsimile folder (call under the write lock). Returns how many."""
    removed = 0
    for stale in folder.glob(".*"):
        if stale.is_dir() and stale.name.endswith(STALE):
            shutil.rmtree(stale, ignore_errors=True)
            removed += 1
    return removed
