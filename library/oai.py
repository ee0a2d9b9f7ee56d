"""OAI-PMH 2.0: the collection for harvesters. Six verbs, two formats (``oai_dc``, and ``tei``:
the TEI header as stored), sets by collection, resumption tokens, and the protocol's errors.
Datestamps are the stored files' modification times (UTC, seconds)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from indexer.store import doc_path
from indexer.tei import NS
from indexer.teidoc import Document

from .documents import DocumentStore

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TEI = NS["tei"]
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
    "tei": ("https://tei-c.org/release/xml/tei/custom/schema/xsd/tei_all.xsd", TEI),
}
PAGE = 10
ARGS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$")
# characters XML 1.0 cannot carry: an argument holding one cannot be echoed in the response
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_TOKEN = 2_000  # the tokens this repository issues are a few hundred characters


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Entry:
    """What a list of records needs of a document, without reading its TEI: the TEI is read
    only for the page of records answered."""

    doc_id: str
    collection: str
    stamp: str  # the stored file's modification time, UTC, to the second
    withdrawn: bool = False


def stamp_of(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entries_of(store: DocumentStore, rows: Mapping[str, tuple[str, str]]) -> list[Entry]:
    """The records of the documents in ``rows`` (doc_id → (type, collection), as the index
    holds them) and of the withdrawn ones, oldest first (registers are not records). Costs a
    file status per document: call it once per index generation (library/picturecache.py)."""
    out = []
    for doc_id, (kind, collection) in rows.items():
        if kind == "register":
            continue
        try:
            out.append(Entry(doc_id, collection, stamp_of(doc_path(store.sources, doc_id))))
        except OSError:  # gone since the index was read: not a record until it is again
            continue
    for doc in store.withdrawn():  # tombstones: few, and read whole
        out.append(Entry(doc.doc_id, doc.collection, stamp_of(doc.path), withdrawn=True))
    return sorted(out, key=lambda e: (e.stamp, e.doc_id))


@dataclass
class Repository:
    store: DocumentStore
    base_url: str
    namespace: str = "primary-source-library.local"
    name: str = "Primary-source library: Stalin 1952-53, Putin 2022"
    admin_email: str = "librarian@localhost"
    # the records as entries (``entries_of``), kept by the caller; by default read from the
    # store's files, every one of them
    entries: Callable[[], list[Entry]] | None = None

    # -- the collection as records -----------------------------------------------------------
    def records(self) -> list[Entry]:
        """Every record, oldest first; withdrawn documents too, whose records say they are
        deleted (deletedRecord=persistent)."""
        if self.entries is not None:
            return self.entries()
        return entries_of(self.store, {d.doc_id: (d.type, d.collection)
                                       for d in self.store.all()})

    def _document(self, entry: Entry) -> Document:
        doc = self.store.get(entry.doc_id)
        if doc is None:  # unreadable or gone since the list was made
            raise OAIError("idDoesNotExist", f"no record {self.identifier(entry.doc_id)!r}")
        return doc

    def identifier(self, doc_id: str) -> str:
        return f"oai:{self.namespace}:{doc_id}"

    def doc_id(self, identifier: str) -> str:
        prefix = f"oai:{self.namespace}:"
        if not identifier.startswith(prefix):
            raise OAIError("idDoesNotExist", f"no record {identifier!r} in this repository")
        return identifier[len(prefix):]

    @staticmethod
    def set_spec(collection: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", collection.lower()).strip("-") or "unsorted"

    # -- the protocol ------------------------------------------------------------------------
    def respond(self, args: Mapping[str, list[str]]) -> bytes:
        verb = (args.get("verb") or [""])[0]
        root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation",
                 f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
        etree.SubElement(root, f"{{{OAI}}}responseDate").text = dt.datetime.now(
            dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        request = etree.SubElement(root, f"{{{OAI}}}request")
        request.text = self.base_url
        try:
            if verb not in ARGS:
                raise OAIError("badVerb", f"{verb!r} is not an OAI-PMH verb" if verb else
                               "the verb argument is missing")
            params = self._check(verb, args)
            for key, value in params.items():
                request.set(key, value)
            request.set("verb", verb)
            root.append(getattr(self, f"_{verb}")(params))
        except OAIError as err:
            error = etree.SubElement(root, f"{{{OAI}}}error", code=err.code)
            error.text = _NOT_XML.sub("\ufffd", str(err))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _check(self, verb: str, args: Mapping[str, list[str]]) -> dict[str, str]:
        required, optional = ARGS[verb]
        params = {}
        for key, values in args.items():
            if key == "verb":
                if len(values) > 1:
                    raise OAIError("badVerb", "the verb argument is repeated")
                continue
            if key not in required | optional:
                raise OAIError("badArgument", f"{verb} does not take the argument {key!r}")
            if len(values) > 1:
                raise OAIError("badArgument", f"the argument {key!r} is repeated")
            if _NOT_XML.search(values[0]):
                raise OAIError("badArgument", f"the argument {key!r} holds a control character "
                               "or another character XML cannot carry")
            params[key] = values[0]
        if "resumptionToken" in params:
            if len(params) > 1:
                raise OAIError("badArgument", "resumptionToken is an exclusive argument")
            return params
        missing = required - set(params)
        if missing:
            raise OAIError("badArgument", f"{verb} needs {', '.join(sorted(missing))}")
        return self._check_values(params)

    @staticmethod
    def _check_values(params: dict[str, str]) -> dict[str, str]:
        """Dates and format: the arguments of a request, or those a resumption token carries."""
        for key in ("from", "until"):
            if key in params and not _is_date(params[key]):
                raise OAIError("badArgument", f"{key}={params[key]!r} is not a UTC date "
                               "(YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)")
        if "from" in params and "until" in params and \
                len(params["from"]) != len(params["until"]):
            raise OAIError("badArgument", "from and until must have the same granularity")
        if "metadataPrefix" in params and params["metadataPrefix"] not in FORMATS:
            raise OAIError("cannotDisseminateFormat", f"{params['metadataPrefix']!r} is not a "
                           f"format of this repository ({', '.join(FORMATS)})")
        return params

    def _Identify(self, params):  # noqa: N802 (OAI verbs are spelled as in the protocol)
        el = etree.Element(f"{{{OAI}}}Identify")
        records = self.records()
        earliest = records[0].stamp if records else "1970-01-01T00:00:00Z"
        for tag, text in (("repositoryName", self.name), ("baseURL", self.base_url),
                          ("protocolVersion", "2.0"), ("adminEmail", self.admin_email),
                          ("earliestDatestamp", earliest), ("deletedRecord", "persistent"),
                          ("granularity", "YYYY-MM-DDThh:mm:ssZ")):
            etree.SubElement(el, f"{{{OAI}}}{tag}").text = text
        return el

    def _ListMetadataFormats(self, params):  # noqa: N802
        if "identifier" in params:
            self._entry(self.doc_id(params["identifier"]))
        el = etree.Element(f"{{{OAI}}}ListMetadataFormats")
        for prefix, (schema, namespace) in FORMATS.items():
            fmt = etree.SubElement(el, f"{{{OAI}}}metadataFormat")
            for tag, text in (("metadataPrefix", prefix), ("schema", schema),
                              ("metadataNamespace", namespace)):
                etree.SubElement(fmt, f"{{{OAI}}}{tag}").text = text
        return el

    def _ListSets(self, params):  # noqa: N802
        if "resumptionToken" in params:
            raise OAIError("badResumptionToken", "ListSets is answered in one response")
        el = etree.Element(f"{{{OAI}}}ListSets")
        collections = sorted({e.collection for e in self.records()})
        for collection in collections:
            s = etree.SubElement(el, f"{{{OAI}}}set")
            etree.SubElement(s, f"{{{OAI}}}setSpec").text = self.set_spec(collection)
            etree.SubElement(s, f"{{{OAI}}}setName").text = collection
        return el

    def _entry(self, doc_id: str) -> Entry:
        for entry in self.records():
            if entry.doc_id == doc_id:
                return entry
        raise OAIError("idDoesNotExist", f"no record {self.identifier(doc_id)!r}")

    def _GetRecord(self, params):  # noqa: N802
        entry = self._entry(self.doc_id(params["identifier"]))
        el = etree.Element(f"{{{OAI}}}GetRecord")
        el.append(self._record(entry, params["metadataPrefix"], full=True))
        return el

    def _ListIdentifiers(self, params):  # noqa: N802
        return self._list("ListIdentifiers", params, full=False)

    def _ListRecords(self, params):  # noqa: N802
        return self._list("ListRecords", params, full=True)

    def _list(self, verb: str, params: dict[str, str], full: bool):
        if "resumptionToken" in params:
            params, offset = self._decode(params["resumptionToken"])
        else:
            offset = 0
        selected = [e for e in self.records() if self._selected(e, params)]
        if not selected:
            raise OAIError("noRecordsMatch", "no record matches these arguments")
        if offset >= len(selected):
            raise OAIError("badResumptionToken", "the token points past the end of the list")
        el = etree.Element(f"{{{OAI}}}{verb}")
        for entry in selected[offset : offset + PAGE]:
            el.append(self._record(entry, params["metadataPrefix"], full))
        following = offset + PAGE
        if following < len(selected) or offset:
            token = etree.SubElement(el, f"{{{OAI}}}resumptionToken",
                                     completeListSize=str(len(selected)), cursor=str(offset))
            token.text = self._encode(params, following) if following < len(selected) else ""
        return el

    def _selected(self, entry: Entry, params: dict[str, str]) -> bool:
        if "set" in params and self.set_spec(entry.collection) != params["set"]:
            return False
        stamp = entry.stamp
        day = stamp[:10]
        if "from" in params and (stamp if "T" in params["from"] else day) < params["from"]:
            return False
        if "until" in params and (stamp if "T" in params["until"] else day) > params["until"]:
            return False
        return True

    @staticmethod
    def _encode(params: dict[str, str], offset: int) -> str:
        data = json.dumps({"p": params, "o": offset}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    @classmethod
    def _decode(cls, token: str) -> tuple[dict[str, str], int]:
        """A token's arguments and offset, checked as strictly as a request's own arguments:
        a token is only base64 JSON, so anyone can forge one."""
        bad = OAIError("badResumptionToken", "the resumption token is not one this repository "
                       "issued")
        if len(token) > MAX_TOKEN:
            raise bad
        try:
            data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            params, offset = data["p"], data["o"]
        except (ValueError, KeyError, TypeError, IndexError, RecursionError):
            raise bad from None
        allowed = ARGS["ListRecords"][0] | ARGS["ListRecords"][1] - {"resumptionToken"}
        if not isinstance(params, dict) or not set(params) <= allowed or \
                not all(isinstance(v, str) and not _NOT_XML.search(v) for v in params.values()) \
                or type(offset) is not int or offset < 0 or "metadataPrefix" not in params:
            raise bad
        try:
            return cls._check_values(params), offset
        except OAIError:
            raise bad from None

    def _record(self, entry: Entry, prefix: str, full: bool):
        header = etree.Element(f"{{{OAI}}}header")
        if entry.withdrawn:
            header.set("status", "deleted")
        etree.SubElement(header, f"{{{OAI}}}identifier").text = self.identifier(entry.doc_id)
        etree.SubElement(header, f"{{{OAI}}}datestamp").text = entry.stamp
        etree.SubElement(header, f"{{{OAI}}}setSpec").text = self.set_spec(entry.collection)
        if not full:
            return header
        record = etree.Element(f"{{{OAI}}}record")
        record.append(header)
        if entry.withdrawn:  # a deleted record has a header only
            return record
        doc = self._document(entry)
        metadata = etree.SubElement(record, f"{{{OAI}}}metadata")
        metadata.append(self._dc(doc) if prefix == "oai_dc" else self._tei_header(doc))
        return record

    def _dc(self, doc: Document):
        dc = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
        dc.set(f"{{{XSI}}}schemaLocation",
               f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
        values = [("title", doc.title)] + [("creator", a) for a in doc.authors] + [
            ("date", doc.date), ("type", doc.type), ("language", doc.language),
            ("rights", doc.licence), ("rights", doc.licence_url), ("source", doc.provenance),
            ("identifier", f"{self.base_url.rsplit('/oai', 1)[0]}/doc/{doc.doc_id}"),
            ("relation", doc.collection), ("description", doc.description)]
        values += [("subject", v) for v in doc.subjects] + [("coverage", v) for v in doc.places]
        values += [("source", f"{label}: {v}") for label, v in (
            ("Shelfmark", doc.shelfmark), ("Archival reference", doc.archival_ref)) if v]
        values += [("format", doc.extent)] + [("identifier", v) for _, v in doc.identifiers]
        if doc.title_original:
            values.insert(1, ("title", doc.title_original))
        for tag, value in values:
            if value:
                etree.SubElement(dc, f"{{{DC}}}{tag}").text = value
        return dc

    @staticmethod
    def _tei_header(doc: Document):
        header = doc.root.find("tei:teiHeader", NS)
        copy = etree.fromstring(etree.tostring(header))
        return copy


def _is_date(value: str) -> bool:
    """A UTC date or date-time in one of the two granularities, and a real one."""
    if not _DATE.match(value):
        return False
    try:
        dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ" if "T" in value else "%Y-%m-%d")
    except ValueError:
        return False
    return True
