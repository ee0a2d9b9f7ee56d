"""IIIF for documents with page images: a Presentation 3 manifest per document, and the Image
API at level 0 (each page a static full-size JPEG and its ``info.json``), which Mirador,
Universal Viewer and OpenSeadragon open; and the kept original, to download."""

from __future__ import annotations

import mimetypes
import re

from flask import abort, jsonify, send_file

from .. import facsimiles
from ..settings import base_url
from .context import document_or_404, lib

PRESENTATION = "http://iiif.io/api/presentation/3/context.json"
IMAGE = "http://iiif.io/api/image/3/context.json"
# the IIIF "rights" property takes only these (anything else goes in requiredStatement)
_RIGHTS_URI = re.compile(r"^https?://(creativecommons\.org/(licenses|publicdomain)/|"
                         r"rightsstatements\.org/vocab/)")


def _iiif(path: str) -> str:
    return f"{base_url().rstrip('/')}/iiif/{path}"


def _pages_or_404(doc_id: str):
    doc = document_or_404(doc_id)
    found = facsimiles.pages(doc)
    if not found:
        abort(404)
    return doc, found


def manifest(doc_id: str):
    doc, found = _pages_or_404(doc_id)
    page_url = f"{base_url().rstrip('/')}/doc/{doc_id}"
    data = {
        "@context": PRESENTATION,
        "id": _iiif(f"{doc_id}/manifest.json"),
        "type": "Manifest",
        "label": {"none": [doc.title]},
        "metadata": [
            {"label": {"en": [k]}, "value": {"none": [v]}}
            for k, v in (("Author", doc.author), ("Date", doc.date), ("Type", doc.type),
                         ("Language", doc.language), ("Collection", doc.collection)) if v],
        "requiredStatement": {"label": {"en": ["Rights"]}, "value": {"none": [doc.licence]}},
        "homepage": [{"id": page_url, "type": "Text", "label": {"none": [doc.title]},
                      "format": "text/html"}],
        "seeAlso": [{"id": f"{page_url}.xml", "type": "Dataset", "format": "application/tei+xml",
                     "profile": "http://www.tei-c.org/ns/1.0"}],
        "items": [_canvas(doc_id, p) for p in found],
    }
    if any(p.words_url for p in found):  # machine-read words to search, with their boxes
        data["service"] = [search_service(doc_id)]
    if _RIGHTS_URI.match(doc.licence_url or ""):
        data["rights"] = doc.licence_url
    return jsonify(data), 200, {"Access-Control-Allow-Origin": "*"}


def search_service(doc_id: str) -> dict:
    """The manifest's declaration of its IIIF Content Search 2.0 service (views.iiifsearch)."""
    return {"id": _iiif(f"{doc_id}/search"), "type": "SearchService2"}


def _canvas(doc_id: str, p: facsimiles.Page) -> dict:
    canvas = _iiif(f"{doc_id}/canvas/{p.n}")
    service = _iiif(f"{doc_id}/{p.n}")
    return {
        "id": canvas, "type": "Canvas", "label": {"none": [f"p. {p.n}"]},
        "width": p.width, "height": p.height,
        "items": [{
            "id": f"{canvas}/page", "type": "AnnotationPage",
            "items": [{
                "id": f"{canvas}/image", "type": "Annotation", "motivation": "painting",
                "target": canvas,
                "body": {"id": f"{service}/full/max/0/default.jpg", "type": "Image",
                         "format": "image/jpeg", "width": p.width, "height": p.height,
                         "service": [{"id": service, "type": "ImageService3",
                                      "profile": "level0"}]},
            }],
        }],
    }


def info(doc_id: str, n: str):
    doc, _ = _pages_or_404(doc_id)
    p = facsimiles.page(doc, n) or abort(404)
    tiles, sizes = facsimiles.tile_info(lib().store.sources, p)
    data = {
        "@context": IMAGE, "id": _iiif(f"{doc_id}/{n}"), "type": "ImageService3",
        "protocol": "http://iiif.io/api/image", "profile": "level0",
        "width": p.width, "height": p.height,
        "sizes": [*sizes, {"width": p.width, "height": p.height}],
    }
    if tiles:  # deep zoom: the client loads the tiles its view needs (indexer.tiles)
        data["tiles"] = tiles
    return jsonify(data), 200, {"Access-Control-Allow-Origin": "*"}


def image(doc_id: str, n: str, region: str, size: str, rotation: str, name: str):
    """Level 0: the full image at its full size, and the tiles and thumbnail its info.json
    lists; any other request is 400 (not supported)."""
    doc, _ = _pages_or_404(doc_id)
    p = facsimiles.page(doc, n) or abort(404)
    sources = lib().store.sources
    sizes = ("max", "full", f"{p.width},", f"{p.width},{p.height}", f"!{p.width},{p.height}")
    if rotation != "0" or name != "default.jpg":
        abort(400, description="this image service is IIIF level 0: no rotation or quality")
    if region == "full" and size in sizes:
        path = facsimiles.image_path(sources, p)
    else:
        path = facsimiles.tile_path(sources, p, region, size)
        if path is None:
            abort(400, description="this image service is IIIF level 0: only the full image, "
                                   "and the tiles and sizes its info.json lists, are served")
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=86400)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def original(doc_id: str):
    """The file the document was made from, as it was imported (byte for byte)."""
    doc = document_or_404(doc_id)
    found = facsimiles.original(lib().store.sources, doc)
    if found is None:
        abort(404)
    name, path = found
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or f"{doc_id}{path.suffix}"
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=safe)
