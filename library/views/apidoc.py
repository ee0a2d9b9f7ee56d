"""The JSON API described: the OpenAPI 3.1 description (``library/openapi.json``, a data file)
served as it is, and read into an HTML page on the server (no script, no CDN)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import Response, redirect, render_template, url_for
from markupsafe import Markup, escape

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.json"
_REF = "#/components/schemas/"


@cache
def spec_bytes() -> bytes:
    return SPEC_PATH.read_bytes()


@cache
def spec() -> dict:
    """The description, parsed (read once: it ships with the code)."""
    return json.loads(spec_bytes())


def openapi_json() -> Response:
    return Response(spec_bytes(), mimetype="application/json")


def to_page():
    return redirect(url_for("library.api_help"))


def type_html(schema: dict) -> Markup:
    """A schema's type in a few words, each referenced schema a link to its table."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(_REF)
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    if "allOf" in schema:
        return Markup(" + ").join(type_html(s) for s in schema["allOf"] if "$ref" in s) or \
            Markup("object")
    kind = schema.get("type", "object")
    if kind == "array":
        return Markup("array of ") + type_html(schema.get("items", {}))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return Markup("object: name → ") + type_html(schema["additionalProperties"])
    text = " or ".join(kind) if isinstance(kind, list) else kind
    if "enum" in schema:
        text += ": " + " | ".join(map(str, schema["enum"]))
    bounds = [f"{k} {schema[k]}" for k in ("minimum", "maximum", "maxLength") if k in schema]
    if bounds:
        text += f" ({', '.join(bounds)})"
    return escape(text)


def _fields(schema: dict) -> list[dict]:
    """The properties of an object schema (``allOf`` parts merged, referenced parts
    expanded), as rows: name, type, required, description."""
    if "$ref" in schema:
        schema = spec()["components"]["schemas"][schema["$ref"].removeprefix(_REF)]
    rows: list[dict] = []
    for part in schema.get("allOf", []):
        rows += _fields(part)
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        rows.append({"name": name, "type": type_html(prop), "required": name in required,
                     "description": prop.get("description", "")})
    return rows


def _operations() -> list[dict]:
    out = []
    for path, methods in spec()["paths"].items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": type_html(p.get("schema", {})),
                       "description": p.get("description", ""), "example": p.get("example")}
                      for p in op.get("parameters", [])]
            responses = []
            for status, resp in op.get("responses", {}).items():
                for ctype, media in (resp.get("content") or {"": {}}).items():
                    responses.append({"status": status, "description": resp["description"],
                                      "type": ctype,
                                      "schema": type_html(media.get("schema", {}))})
            out.append({"method": method.upper(), "path": path, "id": op["operationId"],
                        "summary": op.get("summary", ""), "description": op.get("description", ""),
                        "parameters": params, "responses": responses})
    return out


def page():
    d = spec()
    schemas = [{"name": name, "description": s.get("description", ""), "fields": _fields(s),
                "variants": [", ".join(v["required"]) for v in s.get("oneOf", [])]}
               for name, s in d["components"]["schemas"].items()]
    return render_template("api.html", info=d["info"], version=d["openapi"],
                           operations=_operations(), schemas=schemas)
