"""Deep-zoom tiles: cut in the page task, unpacked by the writer outside the write lock, renamed
into the store; a zip that is not one of ours leaves nothing; what a killed writer left is
cleaned."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile

import pytest
from PIL import Image, ImageDraw

from indexer import tiles
from indexer.store import clean_temporaries

needs_vips = pytest.mark.skipif(not shutil.which("vips") and not os.environ.get("CI"),
                                reason="libvips-tools not installed")


def _page(width: int = 1700, height: int = 2200) -> bytes:
    image = Image.new("L", (width, height), 255)
    ImageDraw.Draw(image).rectangle((100, 100, 600, 160), fill=0)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@needs_vips
def test_tiles_cut_in_the_task_unpacked_and_moved_into_place(tmp_path):
    packed = tiles.cut(_page())
    assert packed and zipfile.is_zipfile(io.BytesIO(packed))
    scratch = tmp_path / "import-1-x" / "p1-abc.jpg"
    scratch.parent.mkdir()
    scratch.write_bytes(_page())
    assert tiles.unpack(packed, scratch)
    store = tmp_path / "sources" / "facsimiles" / "doc" / "p1-0123456789ab.jpg"
    store.parent.mkdir(parents=True)
    (store.with_suffix("") / "old").mkdir(parents=True)  # an earlier version's tiles
    assert tiles.move(scratch, store)
    folder = store.with_suffix("")
    info = json.loads((folder / "info.json").read_text())
    assert (info["width"], info["height"]) == (1700, 2200)
    assert info["tiles"][0]["width"] == tiles.TILE
    (thumb,) = (folder / "full").glob("*/0/default.jpg")
    with Image.open(thumb) as t:
        assert t.width == tiles.THUMB_WIDTH
    assert not (folder / "old").exists()  # replaced whole, not merged
    assert not list(store.parent.glob(".*"))  # nothing staged left behind
    assert not scratch.with_suffix("").exists()


@pytest.mark.parametrize("name", ["../escape.jpg", "/abs.jpg", "a/../../b.jpg"])
def test_a_zip_with_a_name_outside_its_folder_leaves_nothing(tmp_path, name):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as z:
        z.writestr("info.json", "{}")
        z.writestr(name, b"x")
    image = tmp_path / "scratch" / "p1-abc.jpg"
    image.parent.mkdir()
    assert not tiles.unpack(packed.getvalue(), image)
    assert not image.with_suffix("").exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["scratch"]


def test_not_a_zip_leaves_nothing(tmp_path):
    assert not tiles.unpack(b"not a zip", tmp_path / "p1.jpg")
    assert not list(tmp_path.iterdir())


def test_tile_folders_a_killed_writer_left_are_cleaned(tmp_path):
    doc = tmp_path / "sources" / "facsimiles" / "doc"
    kept = doc / "p1-0123456789ab"
    for folder in (kept, doc / ".p1-0123456789ab.999.tiles-new",
                   doc / ".p1-0123456789ab.999.tiles-old"):
        (folder / "0,0,512,512").mkdir(parents=True)
    assert clean_temporaries(tmp_path / "sources") == 2
    assert [p.name for p in doc.iterdir()] == [kept.name]
