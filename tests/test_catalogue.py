"""The catalogue from real files: a FRUS TEI document's own date and language, a kremlin.ru
page's main text and licence, one collection rule; rights as URIs; EDTF dates parsed, stored
in TEI, shown in words and searched by the years they span."""

from __future__ import annotations

import pytest

from indexer import dates
from indexer.rights import map_rights
from indexer.teidoc import read_document

from .test_import import FIXTURES, run_import, search

KENNAN = FIXTURES / "tei" / "1957-03-21-kennan-to-leopold.xml"
KREMLIN = FIXTURES / "html" / "kremlin-en-51764.html"


def _doc(scratch, outcome):
    return read_document(scratch.sources / f"{outcome.doc_id}.xml")


# -- reading real files ----------------------------------------------------------------------
def test_frus_tei_gets_the_documents_date_language_title_and_the_batchs_collection(
        scratch, tmp_path):
    memo = tmp_path / "memo.txt"
    memo.write_text("A memorandum on the Foreign Relations series and its advisory committee.",
                    encoding="utf-8")
    report = run_import(scratch, KENNAN, memo, rights="")
    kennan, other = sorted(report.imported, key=lambda o: o.path.endswith("memo.txt"))
    doc = _doc(scratch, kennan)
    # the document's date (publicationStmt/date[@type=created]), not the posting of the file
    assert doc.date == "1957-03-21" and doc.date_edtf == "1957-03-21"
    assert "2013" not in doc.date
    creation = doc.root.find("{*}teiHeader/{*}profileDesc/{*}creation/{*}date")
    assert creation.get("when") == "1957-03-21"
    # the header states no language: detected from the text, and written as langUsage
    assert doc.language == "en"
    assert doc.root.find(".//{*}langUsage/{*}language").get("ident") == "en"
    assert doc.title == ("Correspondence Between Richard Leopold and George Kennan, "
                         "February-March 1957")
    # one collection rule for the whole batch: TEI and text alike
    assert doc.collection == _doc(scratch, other).collection == "Imported"
    assert "date 1957-03-21 from publicationStmt/date[@type='created']" in doc.provenance
    # and a date filter finds it by the document's year
    hits = search(scratch, "Woodward year:1957")
    assert any(h.doc_id == kennan.doc_id for h in hits.hits)


def test_a_batch_collection_or_the_files_own_applies_before_the_default(scratch, tmp_path):
    (done,) = run_import(scratch, KENNAN, collection="FRUS history").imported
    assert _doc(scratch, done).collection == "FRUS history"


def test_kremlin_page_main_text_without_site_chrome_and_its_cc_by_licence(scratch):
    report = run_import(scratch, KREMLIN, rights="")
    (done,) = report.imported
    assert not done.warning  # the page states its licence: no "Copyright Not Evaluated"
    doc = _doc(scratch, done)
    assert doc.licence_url == "https://creativecommons.org/licenses/by/4.0/"
    assert (doc.rights, doc.rights_label) == (
        "cc-by-4.0", "Creative Commons Attribution 4.0 International")
    texts = [p.text for p in doc.passages if p.kind == "p"]
    joined = "\n".join(texts)
    for chrome in ("Publication status", "Direct link", "Text version", "Send a Letter",
                   "All content on this site is licensed"):
        assert chrome not in joined
    assert texts[0].startswith("The President outlined the priority tasks")
    assert "I wish you and your families success." in joined
    assert doc.title == "Presentation of officers appointed to senior command posts"
    assert doc.date == "2016-04-21" and doc.language == "en"


# -- rights ----------------------------------------------------------------------------------
@pytest.mark.parametrize("given, uri, warned", [
    ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/", False),
    ("public domain", "https://creativecommons.org/publicdomain/mark/1.0/", False),
    ("http://creativecommons.org/licenses/by-sa/4.0/deed.ru",
     "https://creativecommons.org/licenses/by-sa/4.0/", False),
    ("Public domain (work of the US federal government, 17 U.S.C. § 105).",
     "http://rightsstatements.org/vocab/NoC-US/1.0/", False),
    ("In Copyright", "http://rightsstatements.org/vocab/InC/1.0/", False),
    ("Copyright Not Evaluated", "http://rightsstatements.org/vocab/CNE/1.0/", False),
    ("CC BY", "http://rightsstatements.org/vocab/CNE/1.0/", True),  # which version?
    ("free for the family's use", "http://rightsstatements.org/vocab/CNE/1.0/", True),
    ("CC BY 4.0 or CC BY-SA 4.0", "http://rightsstatements.org/vocab/CNE/1.0/", True),
])
def test_free_text_rights_are_mapped_only_when_unambiguous(given, uri, warned):
    mapped = map_rights(given)
    assert mapped.statement.uri == uri
    assert bool(mapped.warning) == warned
    if warned:
        assert mapped.note == given  # the words are kept


def test_unmapped_rights_are_kept_as_a_note_with_a_warning(scratch, tmp_path):
    memo = tmp_path / "family.txt"
    memo.write_text("A letter kept by the family of the ambassador, about the harvest.",
                    encoding="utf-8")
    (done,) = run_import(scratch, memo, rights="free for the family's use").imported
    assert "rights “free for the family's use” is not a rightsstatements.org" in done.warning
    doc = _doc(scratch, done)
    assert doc.licence_url == "http://rightsstatements.org/vocab/CNE/1.0/"
    assert doc.rights_note == "As stated: free for the family's use"


# -- EDTF ------------------------------------------------------------------------------------
@pytest.mark.parametrize("edtf, words, attrs", [
    ("1953-03-05", "5 March 1953", {"when": "1953-03-05"}),
    ("1953-03~", "about March 1953", {"when": "1953-03", "cert": "medium"}),
    ("1952?", "probably 1952", {"when": "1952", "cert": "low"}),
    ("1952/1953", "1952 or 1953", {"notBefore": "1952-01-01", "notAfter": "1953-12-31"}),
    ("1953-21", "spring 1953", {"notBefore": "1953-03-01", "notAfter": "1953-05-31"}),
    ("195X", "the 1950s", {"notBefore": "1950-01-01", "notAfter": "1959-12-31"}),
    ("[1952,1953]", "1952 or 1953", {"notBefore": "1952-01-01", "notAfter": "1953-12-31"}),
])
def test_edtf_dates_in_words_and_in_tei_and_back(edtf, words, attrs):
    parsed = dates.parse(edtf)
    assert parsed.words == words
    el = dates.date_element(parsed)
    assert {k: v for k, v in el.attrib.items() if k in attrs} == attrs
    assert el.text == words
    assert dates.from_element(el) == edtf  # nothing lost on the way back


def test_tei_dates_without_edtf_are_read_as_edtf():
    from indexer.tei import E

    assert dates.from_element(E.date(notBefore="1952", notAfter="1953")) == "1952/1953"
    assert dates.from_element(E.date(when="1953-03", cert="low")) == "1953-03?"
    assert dates.from_element(E.date("1953-03-05")) == "1953-03-05"
    with pytest.raises(dates.DateError, match="not an EDTF date"):
        dates.parse("spring of 1953")


def test_a_range_is_stored_shown_and_found_by_every_year_it_spans(scratch, tmp_path):
    memo = tmp_path / "undated-memo.txt"
    memo.write_text("An undated memorandum on the succession after the Leader.",
                    encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,date,rights\nundated-memo.txt,1952/1953,public domain\n",
                        encoding="utf-8")
    from indexer.ingest import Importer, ImportOptions
    from indexer.manifest import read_manifest

    m, problems = read_manifest(manifest)
    assert problems == []
    (done,) = Importer(scratch, ImportOptions(), m).run([memo]).imported
    doc = _doc(scratch, done)
    assert (doc.date_edtf, doc.date_words, doc.year, doc.year_to) == (
        "1952/1953", "1952 or 1953", 1952, 1953)
    date = doc.root.find("{*}teiHeader/{*}profileDesc/{*}creation/{*}date")
    assert (date.get("notBefore"), date.get("notAfter")) == ("1952-01-01", "1953-12-31")
    for query in ("succession year:1952", "succession year:1953", "succession date:1953",
                  "succession date:[1953 TO 1960]"):
        found = search(scratch, query)
        assert done.doc_id in {h.doc_id for h in found.hits}, query
    assert done.doc_id not in {h.doc_id for h in search(scratch, "succession year:1954").hits}
    from library.search.searcher import Searcher, SearchRequest

    searcher = Searcher.for_store(scratch.index, scratch.sources)
    for key, value in (("year", "1953"), ("decade", "1950")):
        filtered = searcher.search(SearchRequest("succession", filters={key: [value]}))
        assert done.doc_id in {h.doc_id for h in filtered.hits}, key


# -- the record errors of the issue, and exports that carry the new fields ---------------------
def test_shepilovs_record_is_the_russian_edition_with_its_source_stated():
    from .conftest import ROOT

    doc = read_document(ROOT / "sources" / "shepilov-2001-neprimknuvshii.xml")
    assert doc.title == "Neprimknuvshii. Vospominaniya"
    record = " ".join("".join(doc.record.itertext()).split())
    assert "Vagrius" in record and "2001" in record
    assert "The Kremlin's Scholar" not in doc.title
    assert "Record corrected" in doc.provenance and "essay-footnotes research" in \
        doc.provenance


def test_every_seeded_document_states_its_rights_as_a_uri():
    from indexer.rights import by_uri

    from .conftest import ROOT

    for path in sorted((ROOT / "sources").glob("*.xml")):
        doc = read_document(path)
        if doc.type == "register":
            continue
        assert by_uri(doc.licence_url), path.name
    essay = read_document(ROOT / "sources" / "thom-2022-lessons.xml")
    assert essay.licence_url == "http://rightsstatements.org/vocab/InC/1.0/"


def test_exports_carry_rights_uri_journal_and_edtf_dates_read_back_by_real_parsers(scratch):
    import json

    import bibtexparser
    import rispy
    from citeproc.source.json import CiteProcJSON

    from library import cite

    from .conftest import ROOT

    essay = read_document(ROOT / "sources" / "thom-2022-lessons.xml")
    it = cite.item(essay, "https://library.example.org")
    (entry,) = bibtexparser.parse_string(cite.bibtex(it)).entries
    assert entry.entry_type == "article"
    assert entry["journal"] == "Desk Russie (English edition)"
    assert "http://rightsstatements.org/vocab/InC/1.0/" in entry["copyright"]
    (record,) = rispy.loads(cite.ris(it))
    assert record["secondary_title"] == "Desk Russie (English edition)"
    assert any("http://rightsstatements.org/vocab/InC/1.0/" in n for n in record["notes"])
    data = json.loads(cite.csl_json(it))
    assert data[0]["license"] == "http://rightsstatements.org/vocab/InC/1.0/"
    assert data[0]["container-title"] == "Desk Russie (English edition)"
    assert CiteProcJSON(data)
    # an uncertain range: biblatex's EDTF date, CSL's two date-parts with circa
    (done,) = run_import(scratch, KREMLIN, rights="").imported
    from indexer.edit import RecordEdit, edit_record

    edit_record(scratch, done.doc_id, RecordEdit(
        "Presentation of officers", date="2015~/2016",
        rights="https://creativecommons.org/licenses/by/4.0/"), "anna")
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    it = cite.item(doc, "https://library.example.org")
    (entry,) = bibtexparser.parse_string(cite.bibtex(it)).entries
    assert entry["date"] == "2015~/2016" and entry["year"] == "2015"
    issued = json.loads(cite.csl_json(it))[0]["issued"]
    assert issued == {"date-parts": [[2015], [2016]], "circa": True}
    assert CiteProcJSON(json.loads(cite.csl_json(it)))


def test_the_richer_record_goes_to_tei_oai_and_every_export(scratch, tmp_path):
    import json

    import bibtexparser
    import rispy
    from citeproc.source.json import CiteProcJSON
    from lxml import etree

    from indexer.edit import RecordEdit, edit_record
    from library import cite
    from library.documents import DocumentStore
    from library.oai import Repository

    # a TEI file whose source is described in prose (FRUS): the fields go into notes there
    (done,) = run_import(scratch, KENNAN, rights="public domain").imported
    subjects = ["Foreign Relations of the United States (Series)",
                "United States -- Foreign relations -- 1953-1961"]
    changed = edit_record(scratch, done.doc_id, RecordEdit(
        "Leopold-Kennan correspondence", ["Richard W. Leopold", "George F. Kennan"],
        "1957-02/1957-03", rights="https://creativecommons.org/publicdomain/mark/1.0/",
        description="Three letters on the future of the Foreign Relations series.",
        subjects=subjects, places=["Washington, D.C."], shelfmark="Lot File 96 D 292, Box 1",
        archival_ref="Department of State, Office of the Historian, HAC files 1957-1990",
        extent="5 pp."), "anna")
    assert changed == ["title", "authors", "date", "description", "subjects", "places",
                       "shelfmark", "archival_ref", "extent"]
    doc = read_document(scratch.sources / f"{done.doc_id}.xml")
    assert (doc.description, doc.subjects, doc.places, doc.shelfmark, doc.extent) == (
        "Three letters on the future of the Foreign Relations series.", subjects,
        ["Washington, D.C."], "Lot File 96 D 292, Box 1", "5 pp.")
    assert doc.date_words == "between February 1957 and March 1957"
    # Dublin Core
    repo = Repository(DocumentStore(scratch.sources), "https://library.example.org/oai")
    xml = repo.respond({"verb": ["GetRecord"], "metadataPrefix": ["oai_dc"],
                        "identifier": [repo.identifier(done.doc_id)]})
    dc = etree.fromstring(xml)
    values = {(etree.QName(e).localname, e.text) for e in dc.iter(
        "{http://purl.org/dc/elements/1.1/}*")}
    assert ("subject", subjects[1]) in values and ("coverage", "Washington, D.C.") in values
    assert ("source", "Shelfmark: Lot File 96 D 292, Box 1") in values
    assert ("rights", "https://creativecommons.org/publicdomain/mark/1.0/") in values
    assert ("description", doc.description) in values and ("format", "5 pp.") in values
    # CSL-JSON, BibTeX, RIS read back
    it = cite.item(doc, "https://library.example.org")
    data = json.loads(cite.csl_json(it))[0]
    assert data["abstract"] == doc.description and "Washington, D.C." in data["keyword"]
    assert data["archive_location"].startswith("Lot File 96 D 292")
    assert CiteProcJSON([data])
    (entry,) = bibtexparser.parse_string(cite.bibtex(it)).entries
    assert entry["abstract"] == doc.description and entry["date"] == "1957-02/1957-03"
    (record,) = rispy.loads(cite.ris(it))
    assert record["keywords"] == [*subjects, "Washington, D.C."]
    assert record["abstract"] == doc.description
    assert record["call_number"].startswith("Lot File 96 D 292")


def test_authority_ids_of_persons_are_read_and_checked(tmp_path):
    from indexer.persons import Register

    register = tmp_path / "persons.xml"
    register.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><listPerson>'
        '<person xml:id="someone"><persName type="display">Some One</persName>'
        '<idno type="VIAF">123456789</idno><idno type="Wikidata">Q42</idno>'
        '<idno type="GND">118-5</idno><idno type="Wikidata">not-an-id</idno></person>'
        '</listPerson></body></text></TEI>', encoding="utf-8")
    person = Register.load(register).persons["someone"]
    assert person.authorities == [
        ("VIAF", "123456789", "https://viaf.org/viaf/123456789"),
        ("Wikidata", "Q42", "https://www.wikidata.org/wiki/Q42"),
        ("GND", "118-5", "https://d-nb.info/gnd/118-5")]


def test_header_identifiers_are_the_documents_own(tmp_path, scratch):
    tei = tmp_path / "frus-memo.xml"
    tei.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>'
        'Memorandum</title><author>Richard W. Leopold</author></titleStmt><publicationStmt>'
        '<publisher>Office of the Historian</publisher><idno type="frus">frus1955-57v24d101'
        '</idno></publicationStmt><sourceDesc><p>A scan.</p></sourceDesc></fileDesc>'
        '</teiHeader><text><body><p>A memorandum on the series and its advisory committee, '
        'written in the spring.</p></body></text></TEI>', encoding="utf-8")
    (done,) = run_import(scratch, tei, validate_tei=False).imported
    doc = _doc(scratch, done)
    assert doc.identifiers == [("frus", "frus1955-57v24d101")]
    assert (doc.title, doc.authors) == ("Memorandum", ["Richard W. Leopold"])
