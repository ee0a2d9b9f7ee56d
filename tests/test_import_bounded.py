"""Issue 16: imports accept what archives hold and cost a bounded amount: text in UTF-16 or
UTF-32 with a byte-order mark is read (it was refused as "binary content")."""

from __future__ import annotations

import codecs

import pytest

from indexer.formats.text import decode
from indexer.teidoc import read_document

from .test_import import run_import

TEXT = "Письмо Сталина Готвальду.\n\nThe letter of 27 August 1950 about Korea.\n"


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", codecs.BOM_UTF16_LE),
                                          ("utf-16-be", codecs.BOM_UTF16_BE),
                                          ("utf-32-le", codecs.BOM_UTF32_LE),
                                          ("utf-32-be", codecs.BOM_UTF32_BE),
                                          ("utf-8", codecs.BOM_UTF8)])
def test_text_with_a_byte_order_mark_is_decoded(encoding, bom):
    text, said = decode(bom + TEXT.encode(encoding))
    assert text == TEXT and encoding in said


def test_a_utf16_text_file_is_imported(scratch, tmp_path):
    path = tmp_path / "letter-utf16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))
    report = run_import(scratch, path)
    (done,) = report.imported
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert "Готвальду" in " ".join(p.text for p in doc.passages)
    assert "utf-16-le" in doc.provenance or any("utf-16" in n for n in done.warnings + [
        doc.provenance])
