"""``library reocr DOC_ID``: read a scanned document's kept original again (after Tesseract,
its language data or the OCR layout rules improved), as a new version of the same document:
same id, its previous TEI kept in ``sources/versions/``, its rights, collection and language
carried over, its text, word boxes, page images and (unless a manifest gave them) title and
date made afresh. It goes through the import (``--replace``), so it waits for the write lock,
reports like an import and is indexed like one."""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from indexer.paths import Paths

from . import facsimiles


def add_parser(sub) -> None:
    r = sub.add_parser("reocr", help="machine-read a scanned document's kept original again, "
                       "as a new version of it")
    r.add_argument("doc_id")
    r.add_argument("--ocr", choices=["auto", "force"], default="auto",
                   help="auto: the pages without a text layer; force: every page")
    r.add_argument("--ocr-lang", default="", help="Tesseract languages (default: the "
                   "document's language, else chosen page by page)")
    r.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace, paths: Paths) -> int:
    from indexer.ingest import Importer, ImportOptions, report_text, to_json
    from indexer.ocr import TESSERACT_LANG
    from indexer.teidoc import read_document

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", args.doc_id):
        print(f"library reocr: {args.doc_id!r} is not a document id", file=sys.stderr)
        return 2
    path = paths.sources / f"{args.doc_id}.xml"
    if not path.is_file():
        print(f"library reocr: no document {args.doc_id} in {paths.sources}", file=sys.stderr)
        return 2
    doc = read_document(path)
    kept = facsimiles.original(paths.sources, doc)
    if kept is None:
        print(f"library reocr: {args.doc_id} has no kept original to read again",
              file=sys.stderr)
        return 2
    name, original = kept
    if original.suffix.lower() not in (".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg"):
        print(f"library reocr: {args.doc_id} was made from {name}, not a scan or a PDF",
              file=sys.stderr)
        return 2
    lang = args.ocr_lang or (doc.language if doc.language in TESSERACT_LANG else "")
    options = ImportOptions(collection=doc.collection, rights=doc.licence, ocr=args.ocr,
                            ocr_lang=lang, replace=args.doc_id)
    with tempfile.TemporaryDirectory(prefix="reocr-") as tmp:
        # under the name it was imported with: its id hint and file-name title stay the same
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or original.name
        copy = Path(tmp) / safe
        shutil.copyfile(original, copy)
        report = Importer(paths, options).run([copy])
    print(to_json(report) if args.json else report_text(report))
    return 1 if report.failed else 0
