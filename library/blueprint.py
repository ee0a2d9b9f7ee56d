"""Registers the routes (declared as data in ``views.routes``) and the error pages."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import gettext as _

from .importwords import for_web, isotime
from .search.searcher import IndexUnavailable
from .views.routes import ROUTES
from .views.urls import TEMPLATE_FILTERS, TEMPLATE_GLOBALS, TEMPLATE_TESTS

blueprint = Blueprint("library", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/static")

for rule, endpoint, view, *methods in ROUTES:
    blueprint.add_url_rule(rule, endpoint, view, methods=methods[0] if methods else ["GET"])
for name, fn in TEMPLATE_GLOBALS.items():
    blueprint.add_app_template_global(fn, name)
for name, fn in TEMPLATE_TESTS.items():
    blueprint.add_app_template_test(fn, name)
for name, fn in TEMPLATE_FILTERS.items():
    blueprint.add_app_template_filter(fn, name)
blueprint.add_app_template_filter(for_web, "for_web")
blueprint.add_app_template_filter(isotime, "isotime")


def _wants_json() -> bool:
    return request.path.startswith("/api/")


@blueprint.app_errorhandler(404)
def not_found(error):
    if _wants_json():
        return jsonify(error="not found", path=request.path), 404
    return render_template("error.html", status=404, title=_("Not found"),
                           message=_("There is no page at %(path)s.", path=request.path)), 404


@blueprint.app_errorhandler(400)
def bad_request(error):
    if _wants_json():
        return jsonify(error=error.description), 400
    return render_template("error.html", status=400, title=_("Bad request"),
                           message=error.description), 400


@blueprint.app_errorhandler(403)
def forbidden(error):
    return render_template("error.html", status=403, title=_("Not allowed"),
                           message=_("This page is for librarians: log in first.")), 403


@blueprint.app_errorhandler(413)
def too_large(error):
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    return render_template("error.html", status=413, title=_("Upload too large"),
                           message=_("The upload is larger than the library accepts in one "
                                     "batch (%(limit)s MB); send the files in several batches.",
                                     limit=limit)), 413


@blueprint.app_errorhandler(405)
def method_not_allowed(error):
    if _wants_json():
        return jsonify(error="method not allowed"), 405
    return render_template("error.html", status=405, title=_("Method not allowed"),
                           message=_("This address only answers GET.")), 405


@blueprint.app_errorhandler(503)
def unavailable(error):
    if _wants_json():
        return jsonify(error=error.description), 503
    return render_template("error.html", status=503, title=_("Cannot be shown"),
                           message=error.description), 503


@blueprint.app_errorhandler(IndexUnavailable)
def index_unavailable(error):
    if _wants_json():
        return jsonify(error=str(error)), 503, {"Retry-After": "30"}
    return render_template("error.html", status=503, title=_("Search is being repaired"),
                           message=str(error)), 503, {"Retry-After": "30"}
