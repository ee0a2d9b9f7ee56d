"""Deep-zoom tiles: cut in the page task, unpacked by the writer outside the write lock, renamed
into the store; a zip that is not one of ours leaves nothing; what a killed writer left is
cleaned."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from PIL import Image, ImageDraw

from indexer import tiles
from indexer.store import clean_temporaries

needs_vips = pytest.mark.skipif(not tiles.available() and not os.environ.get("CI"),
                                reason="libvips not installed")


def _image(width: int = 1700, height: int = 2200) -> Image.Image:
    image = Image.new("L", (width, height), 255)
    ImageDraw.Draw(image).rectangle((100, 100, 600, 160), fill=0)
    return image


def _page(width: int = 1700, height: int = 2200) -> bytes:
    out = io.BytesIO()
    _image(width, height).save(out, "JPEG")
    return out.getvalue()


@needs_vips
def test_tiles_cut_in_the_task_unpacked_and_moved_into_place(tmp_path):
    packed = tiles.cut(_image())
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


@needs_vips
def test_tiles_hold_the_page_s_pixels_in_gray_and_in_colour(tmp_path):
    for mode, ink in (("L", 0), ("RGB", (0, 0, 0))):
        image = _image().convert(mode)
        ImageDraw.Draw(image).rectangle((600, 600, 1000, 1000), fill=ink)
        with zipfile.ZipFile(io.BytesIO(tiles.cut(image))) as z:
            info = json.loads(z.read("info.json"))
            assert (info["width"], info["height"]) == image.size
            with Image.open(io.BytesIO(z.read("512,512,512,512/512,512/0/default.jpg"))) as t:
                gray = t.convert("L")
                # the square drawn from (600, 600) is dark from (88, 88) of this tile on
                assert gray.getpixel((200, 200)) < 40 and gray.getpixel((40, 40)) > 215


@needs_vips
def test_a_page_already_in_the_store_is_cut_beside_it(tmp_path):
    image = tmp_path / "p1-0123456789ab.jpg"
    image.write_bytes(_page(900, 1300))
    assert tiles.make(image)
    folder = image.with_suffix("")
    assert json.loads((folder / "info.json").read_text())["width"] == 900
    assert list((folder / "full").glob("160,*/0/default.jpg"))
    assert not list(tmp_path.glob(".*"))


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
