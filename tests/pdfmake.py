"""Small PDFs made in the tests: pages of given sizes with or without a text layer (written by
hand, a few hundred bytes), and scanned pages (images of typed text, no text layer)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont

WORDS = ("memorandum harvest committee ministry report grain plan delegation railway "
         "telegram conference minutes secretary bureau translation archive folder").split()


def text_pdf(pages: list[tuple[float, float, str | None]]) -> bytes:
    """A PDF whose pages are (width pt, height pt, text or None for a blank page)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for width, height, text in pages:
        contents = b""
        if text:
            size = max(12, min(width, height) / 30)
            line = text.replace("\\", "").replace("(", "").replace(")", "")
            stream = (f"BT /F1 {size:.0f} Tf 36 {height - 2 * size:.0f} Td ({line}) Tj ET"
                      .encode("latin-1"))
            ref = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
            contents = b" /Contents %d 0 R" % ref
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Resources "
                        b"<< /Font << /F1 %d 0 R >> >>%s >>"
                        % (pages_obj, width, height, font, contents)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = (b"<< /Type /Pages /Kids [%s] /Count %d >>"
                              % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def scanned_pdf(pages: int, seed: int = 1, lines: int = 6, dpi: int = 100) -> bytes:
    """``pages`` scanned pages (A5 at ``dpi``, a few lines of typed words each, no text layer);
    page n begins with the word PAGE and its number, so that every page can be found."""
    rng = random.Random(seed)
    font = ImageFont.load_default(size=round(dpi * 0.22))
    images = []
    for n in range(1, pages + 1):
        image = Image.new("L", (round(5.8 * dpi), round(8.3 * dpi)), 255)
        draw = ImageDraw.Draw(image)
        y = dpi // 2
        draw.text((dpi // 2, y), f"PAGE {n}", fill=0, font=font)
        for _ in range(lines):
            y += round(dpi * 0.4)
            draw.text((dpi // 2, y), " ".join(rng.choice(WORDS) for _ in range(5)), fill=0,
                      font=font)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()
