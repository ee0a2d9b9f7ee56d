"""Seeds → TEI: structure of the essay, the cited works, headers, rights, stable ids."""

from __future__ import annotations

import hashlib
import re

import pytest
from lxml import etree

from indexer.bibliography import SeedError, load_footnotes, load_works
from indexer.build import build_all, build_sources
from indexer.check import check_store
from indexer.store import document_paths
from indexer.tei import NS, XML_ID
from indexer.teidoc import read_document
from indexer.xmlsafe import XMLInputError, parse_bytes
from library.trace import locator

from .conftest import ESSAY, ROOT


@pytest.fixture(scope="module")
def essay():
    return read_document(ROOT / "sources" / f"{ESSAY}.xml")


def test_rebuild_is_byte_identical(scratch):
    before = {p.name: p.read_bytes() for p in document_paths(scratch.sources)}
    for p in document_paths(scratch.sources):
        p.unlink()
    report, _ = build_all(scratch, locator)  # TEI, index, then the essay's quotations traced
    after = {p.name: p.read_bytes() for p in document_paths(scratch.sources)}
    assert report.documents == len(before) == len(after)
    assert after == before, "the committed store differs from what the seeds generate"
    build_all(scratch, locator)
    assert {p.name: p.read_bytes() for p in document_paths(scratch.sources)} == before


def test_essay_notes_are_17_in_order_each_pointing_into_another_document(essay):
    assert [n.n for n in essay.notes] == [str(i) for i in range(1, 18)]
    for note in essay.notes:
        assert note.status == "inferred"
        assert note.cert in ("high", "medium", "low")
        assert len(note.targets) == 1
        target_doc, target_id = note.targets[0]
        assert target_doc != ESSAY
        target = read_document(ROOT / "sources" / f"{target_doc}.xml")
        assert target.passage(target_id) is not None, (note.n, target_id)


def test_essay_structure_caption_epigraph_paragraphs_quotes(essay):
    body = essay.body
    figure = body.find("tei:figure", NS)
    assert "63th anniversary" in "".join(figure.itertext())
    assert figure.find("tei:bibl/tei:respStmt/tei:name", NS).text == "openrussia.ru"
    epigraph = body.find("tei:epigraph/tei:cit", NS)
    assert epigraph.find("tei:quote", NS).text.startswith("And yet, what would become")
    assert epigraph.find("tei:bibl", NS).text.strip() == "Germaine de Staël"
    assert epigraph.find("tei:bibl/tei:note[@n='1']", NS) is not None
    paragraphs = body.findall("tei:p", NS)
    assert len(paragraphs) == 10
    assert all(p.get(XML_ID) == f"{ESSAY}-p{i}" for i, p in enumerate(paragraphs, 1))
    quotes = ["".join(q.itertext()) for q in body.iter("{*}quote")]
    assert any(q.startswith("You are blind kittens") for q in quotes)
    # the mistyped closing mark of footnote 14 (them…“14) still closes the quotation
    assert any(q.startswith("I tell them to do one thing") and q.endswith("reprimand them…")
               for q in quotes)
    # no footnote digits are left in the running text
    text = " ".join(p.text for p in essay.passages if p.kind == "p")
    assert "makes3" not in text and "Staël1" not in text and "citizen9" not in text


def test_essay_editorial_notes_for_the_misdatings(essay):
    notes = essay.root.findall(".//tei:note[@type='editorial']", NS)
    texts = " ".join("".join(n.itertext()) for n in notes)
    assert "27 August 1950" in texts and "16 March 2022" in texts


def test_every_header_states_title_licence_provenance_and_input_digest():
    for path in document_paths(ROOT / "sources"):
        doc = read_document(path)
        assert doc.title and doc.date and doc.type and doc.language, path.name
        assert doc.licence and doc.rights in ("public-domain", "cc-by-4.0", "copyright",
                                              "uncertain"), path.name
        assert doc.provenance, path.name
        if doc.type == "register":  # born-digital: it is its own input
            continue
        assert doc.inputs and all(len(d) == 64 for _, d in doc.inputs), path.name
        assert doc.record is not None and doc.record.get(XML_ID) == f"{doc.doc_id}-bibl"


def test_copyrighted_works_hold_only_quoted_excerpts():
    essay_text = (ROOT / "seeds" / "000_20b8c818f787fb07.txt").read_text(encoding="utf-8")
    works = load_works(ROOT / "seeds" / "works.toml")
    restricted = [w for w in works.values() if w.rights in ("copyright", "uncertain")]
    assert len(restricted) >= 10
    for work in restricted:
        doc = read_document(ROOT / "sources" / f"{work.id}.xml")
        assert doc.holding == "excerpts"
        assert doc.body.find(".//tei:p", NS) is None, work.id
        for cit in doc.body.iter("{*}cit"):
            quote = "".join(cit.find("tei:quote", NS).itertext())
            assert quote in essay_text, (work.id, quote[:40])
            assert len(quote) < 900


def test_free_texts_are_held_whole_with_matching_digest():
    works = load_works(ROOT / "seeds" / "works.toml")
    full = [w for w in works.values() if w.holding == "full"]
    assert {w.rights for w in full} <= {"public-domain", "cc-by-4.0"}
    for work in full:
        data = (ROOT / "seeds" / work.text).read_bytes()
        doc = read_document(ROOT / "sources" / f"{work.id}.xml")
        assert (work.text.split("/")[-1], hashlib.sha256(data).hexdigest()) in doc.inputs
        held = " ".join(p.text for p in doc.passages if p.kind == "p")
        last_words = " ".join(data.decode().split()[-6:])
        assert last_words in held


def test_putin_speech_is_split_into_sensible_passages():
    doc = read_document(ROOT / "sources" / "putin-2022-03-16-regions.xml")
    paras = [p for p in doc.passages if p.kind == "p"]
    assert 30 <= len(paras) <= 80
    assert all(len(p.text) <= 1000 for p in paras)
    assert all(p.text[-1] in ".!?…>" for p in paras)
    assert any("self-detoxification" in p.text for p in paras)
    notes = " ".join(p.text for p in doc.passages if p.kind == "editorial")
    assert "16 March 2022" in notes


def test_footnote_table_errors_name_the_file_and_entry(tmp_path):
    works = load_works(ROOT / "seeds" / "works.toml")
    bad = tmp_path / "footnotes.toml"
    bad.write_text('[[footnote]]\nn = 1\nwork = "no-such-work"\npassage = "x"\n'
                   'status = "inferred"\n', encoding="utf-8")
    with pytest.raises(SeedError, match=r"footnotes.toml: footnote #1: work 'no-such-work'"):
        load_footnotes(bad, works)


def test_a_marker_count_mismatch_stops_the_build_and_leaves_the_store(scratch):
    table = scratch.seeds / "footnotes.toml"
    text = table.read_text(encoding="utf-8")
    table.write_text(text[: text.rindex("[[footnote]]")], encoding="utf-8")
    before = {p.name: p.read_bytes() for p in document_paths(scratch.sources)}
    with pytest.raises(ValueError, match="found 17 footnote markers .* 16 entries"):
        build_sources(scratch)
    assert {p.name: p.read_bytes() for p in document_paths(scratch.sources)} == before


def test_store_passes_check():
    docs, faults = check_store(ROOT / "sources")
    assert faults == []
    assert len(docs) == len(document_paths(ROOT / "sources"))


def test_check_finds_broken_links_duplicate_ids_and_bad_xml(scratch):
    gottwald = scratch.sources / "stalin-1950-08-27-gottwald.xml"
    gottwald.write_bytes(gottwald.read_bytes().replace(b"gottwald-q1", b"gottwald-q9"))
    putin = scratch.sources / "putin-2022-03-16-regions.xml"
    putin.write_bytes(putin.read_bytes().replace(b'"putin-2022-03-16-regions-p2"',
                                                 b'"putin-2022-03-16-regions-p1"'))
    (scratch.sources / "broken.xml").write_bytes(b"<TEI><teiHeader></TEI>")
    _, faults = check_store(scratch.sources)
    joined = "\n".join(faults)
    assert ("footnote 4 points to stalin-1950-08-27-gottwald#stalin-1950-08-27-gottwald-q1, "
            "which does not exist") in joined
    assert re.search(r"putin-2022-03-16-regions.xml:\d+:\d+: ", joined)
    assert "ID putin-2022-03-16-regions-p1 already defined" in joined
    assert "broken.xml:1:" in joined and "not well-formed" in joined


@pytest.mark.parametrize("payload, message", [
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
     "declares entities"),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     b"<r>&b;&b;</r>", "declares entities"),
    (b'<!DOCTYPE r SYSTEM "http://example.org/evil.dtd"><r/>', "external DTD"),
    (b"<r><p>unclosed</r>", "input.xml:1:"),
])
def test_hostile_or_malformed_xml_is_refused_with_where(payload, message):
    with pytest.raises(XMLInputError, match=message):
        parse_bytes(payload, where="input.xml")


def test_parser_never_reads_the_file_an_entity_names(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    payload = (f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>&x;</r>').encode()
    with pytest.raises(XMLInputError):
        parse_bytes(payload)
    try:
        tree = etree.fromstring(payload, etree.XMLParser(resolve_entities=False, no_network=True))
        assert "TOP-SECRET" not in etree.tostring(tree).decode()
    except etree.XMLSyntaxError:
        pass


def test_every_stored_document_is_valid_tei_p5():
    from indexer.validation import tei_errors

    for path in document_paths(ROOT / "sources"):
        errors = tei_errors(parse_bytes(path.read_bytes(), str(path)), path.name)
        assert errors == [], errors
