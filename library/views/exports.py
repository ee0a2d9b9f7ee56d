"""Citation exports of a document or a passage (?passage=<xml:id>)."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request

from .. import cite, citestyles
from ..oai import Repository, entries_of
from ..settings import base_url, external_url
from .context import document_or_404, lib

FORMATS = {
    "bib": (cite.bibtex, "application/x-bibtex"),
    "ris": (cite.ris, "application/x-research-info-systems"),
    "json": (cite.csl_json, "application/vnd.citationstyles.csl+json"),
}


def cite_item(doc_id: str) -> cite.Item:
    doc = document_or_404(doc_id)
    passage = request.args.get("passage") or None
    if passage and doc.passage(passage) is None:
        abort(404)
    return cite.item(doc, base_url(), passage)


def _export(doc_id: str, fmt: str):
    render, mimetype = FORMATS[fmt]
    it = cite_item(doc_id)
    return Response(render(it), mimetype=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f'inline; filename="{it.key}.{fmt}"'})


def page(doc_id: str):
    """The document or one passage (?passage=) in Chicago, MLA and APA, with its exports."""
    it = cite_item(doc_id)
    return render_template("cite.html", doc=document_or_404(doc_id), passage=it.passage,
                           cite_url=it.url, references=citestyles.references(it))


def bib(doc_id: str):
    return _export(doc_id, "bib")


def ris(doc_id: str):
    return _export(doc_id, "ris")


def csl(doc_id: str):
    return _export(doc_id, "json")


def oai():
    """OAI-PMH 2.0; GET and POST take the same arguments."""
    args = request.form if request.method == "POST" else request.args
    library = lib()

    def entries():
        return entries_of(library.store, {d.doc_id: (d.type, d.collection)
                                          for d in library.searcher.documents().values()})

    repository = Repository(library.store, external_url("library.oai"),
                            name=current_app.config["LIBRARY_NAME"],
                            admin_email=current_app.config["LIBRARY_ADMIN_EMAIL"],
                            entries=lambda: library.pictures.get(
                                "oai-records", library.searcher.generation(), entries))
    return Response(repository.respond(args.to_dict(flat=False)),
                    mimetype="text/xml; charset=utf-8")
