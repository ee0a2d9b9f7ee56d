"""The bounds of an import, each settable by an environment variable (read when used, so that a
server and its jobs, or a test, can change them). README: "Bounds of an import"."""

from __future__ import annotations

import os


def _number(name: str, default: float, minimum: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value >= minimum else default


def max_pages() -> int:
    """Pages (of a PDF) or frames (of an image file) one file may hold; more is refused."""
    return int(_number("LIBRARY_MAX_PAGES", 2000, 1))


def max_page_pixels() -> int:
    """Pixels one rendered page may have: a larger page is rendered at a lower resolution (and
    the report says so). 40 million is an A2 sheet at 300 dpi, about 40 MB in gray; Tesseract
    needs several times that."""
    return int(_number("LIBRARY_PAGE_MAX_PIXELS", 40_000_000, 10_000))


def blank_ink() -> float:
    """A page whose dark pixels are fewer than this share of the page is blank, and is not
    machine-read (0.0002: 1,700 pixels of an A4 page at 300 dpi, a handful of letters)."""
    return _number("LIBRARY_BLANK_INK", 0.0002, 0.0)


def pages_in_flight(workers: int) -> int:
    """Pages rendered and not yet written (they wait as images): rendering never runs further
    ahead of OCR than this."""
    return int(_number("LIBRARY_PAGES_IN_FLIGHT", 2 * workers + 2, 1))
