"""Every URL of the library, declared as data: (rule, endpoint, view[, methods])."""

from __future__ import annotations

from .. import i18n
from . import api, apidoc, edit, exports, iiif, librarian, pages, persons, results, sidebyside

ROUTES = [
    ("/", "home", pages.home),
    ("/search", "search", pages.search),
    ("/search/export.csv", "search_export_csv", results.export_csv),
    ("/search/export.ris", "search_export_ris", results.export_ris),
    ("/search/export.bib", "search_export_bib", results.export_bib),
    ("/help", "help_index", pages.help_index),
    ("/help/search", "query_help", pages.query_help),
    ("/help/import", "import_guide", pages.import_guide),
    ("/language", "choose_language", i18n.choose_language),
    ("/doc/persons", "register_document", persons.register_document),
    ("/doc/<docid:doc_id>", "document", pages.document),
    ("/persons", "persons", persons.persons),
    ("/bibliography", "bibliography", pages.bibliography),
    ("/timeline", "timeline", pages.timeline),
    ("/graph", "graph", pages.graph),
    ("/persons/<docid:person_id>", "person", persons.person),
    ("/doc/<docid:doc_id>.xml", "document_xml", pages.document_xml),
    ("/doc/<docid:doc_id>/note/<n>", "side_by_side", sidebyside.note),
    ("/doc/<docid:doc_id>/original", "original", iiif.original),
    ("/doc/<docid:doc_id>/edit", "edit_record", edit.edit_form, ["GET", "POST"]),
    ("/iiif/<docid:doc_id>/manifest.json", "iiif_manifest", iiif.manifest),
    ("/iiif/<docid:doc_id>/<n>/info.json", "iiif_info", iiif.info),
    ("/iiif/<docid:doc_id>/<n>/<region>/<size>/<rotation>/<name>", "iiif_image", iiif.image),
    ("/doc/<docid:doc_id>/cite.bib", "cite_bib", exports.bib),
    ("/doc/<docid:doc_id>/cite.ris", "cite_ris", exports.ris),
    ("/doc/<docid:doc_id>/cite.json", "cite_csl", exports.csl),
    ("/oai", "oai", exports.oai, ["GET", "POST"]),
    ("/api/docs", "api_docs", api.docs),
    ("/api/doc/<docid:doc_id>", "api_doc", api.doc),
    ("/api/doc/<docid:doc_id>/notes", "api_notes", api.notes),
    ("/api/search", "api_search", api.search),
    ("/api/trace", "api_trace", api.trace),
    ("/api/openapi.json", "api_openapi", apidoc.openapi_json),
    ("/api", "api_index", apidoc.to_page),
    ("/help/api", "api_help", apidoc.page),
    ("/login", "login", librarian.login, ["GET", "POST"]),
    ("/logout", "logout", librarian.logout, ["POST"]),
    ("/import", "import_form", librarian.import_form),
    ("/import", "import_submit", librarian.import_submit, ["POST"]),
    ("/import/<job_id>", "import_job", librarian.import_job),
]
