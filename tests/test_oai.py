"""OAI-PMH 2.0, harvested by a real harvester client (sickle) over HTTP, and the protocol's
errors for bad verbs, arguments and tokens."""

from __future__ import annotations

import re
import urllib.parse
import urllib.request

import pytest
from sickle import Sickle

from .conftest import ESSAY, ROOT

RECORDS = sorted(p.stem for p in (ROOT / "sources").glob("*.xml")
                 if p.stem not in ("persons", "places"))  # registers are not records
NS = "oai:primary-source-library.local:"


def raw(server, query: str) -> str:
    with urllib.request.urlopen(f"{server}/oai?{query}", timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/xml")
        return r.read().decode()


def test_sickle_harvests_every_record_in_both_formats(server):
    sickle = Sickle(f"{server}/oai")
    assert sickle.Identify().repositoryName.startswith("Primary-source library")
    prefixes = {f.metadataPrefix for f in sickle.ListMetadataFormats()}
    assert prefixes == {"oai_dc", "tei"}
    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))  # pages of 10: tokens used
    assert len(RECORDS) > 10
    assert sorted(r.header.identifier for r in records) == [NS + d for d in RECORDS]
    essay = next(r for r in records if r.header.identifier == NS + ESSAY)
    assert essay.metadata["title"] == ["The lessons of an end of reign: Stalin 1952-3, Putin 2022"]
    assert essay.metadata["creator"] == ["Françoise Thom"]
    assert essay.metadata["rights"][0].startswith("© Françoise Thom")
    tei = list(sickle.ListRecords(metadataPrefix="tei"))
    assert len(tei) == len(RECORDS)
    assert "teiHeader" in tei[0].raw and "sourceDesc" in tei[0].raw
    identifiers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc"))
    assert len(identifiers) == len(RECORDS)
    sets = {s.setSpec for s in sickle.ListSets()}
    assert "the-essay-and-its-sources" in sets
    in_set = list(sickle.ListIdentifiers(metadataPrefix="oai_dc",
                                        set="the-essay-and-its-sources"))
    assert len(in_set) == len(RECORDS)
    one = sickle.GetRecord(identifier=NS + "stalin-1950-08-27-gottwald", metadataPrefix="oai_dc")
    assert one.metadata["date"] == ["1950-08-27"]


@pytest.mark.parametrize("query, code", [
    ("verb=Nonsense", "badVerb"),
    ("", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&color=red", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2030-01-01T00:00:00Z",
     "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere:x", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + NS + "no-such-doc", "idDoesNotExist"),
    ("verb=ListRecords&resumptionToken=forged", "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=forged&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
])
def test_protocol_errors(server, query, code):
    body = raw(server, query)
    assert re.search(rf'<error code="{code}">[^<]+</error>', body), body


def test_post_is_answered_like_get(server):
    data = urllib.parse.urlencode({"verb": "Identify"}).encode()
    with urllib.request.urlopen(f"{server}/oai", data=data, timeout=10) as r:
        assert b"<protocolVersion>2.0</protocolVersion>" in r.read()
