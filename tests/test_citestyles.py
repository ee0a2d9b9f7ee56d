"""Chicago (notes and bibliography), MLA and APA references, by citeproc-py with the vendored CSL
styles, checked against the patterns of the styles' own guides for a journal article, a book and
an archival document; and the library's own records in every style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from library import cite, citestyles
from library.documents import DocumentStore

from .conftest import ROOT

ARTICLE = {"id": "weathersby", "type": "article-journal",
           "title": "Did Stalin Lure the United States into the Korean War?",
           "author": [{"family": "Weathersby", "given": "Kathryn"}],
           "container-title": "Cold War International History Project Bulletin",
           "volume": "6", "page": "1-10", "issued": {"date-parts": [[1995]]}}
BOOK = {"id": "radzinsky", "type": "book", "title": "Stalin",
        "author": [{"family": "Radzinsky", "given": "Edvard"}],
        "translator": [{"family": "Willetts", "given": "H. T."}],
        "publisher": "Doubleday", "publisher-place": "New York", "edition": "2",
        "issued": {"date-parts": [[1996]]}}
ARCHIVAL = {"id": "filippov", "type": "manuscript",
            "title": "Letter from Filippov (Stalin) to the Soviet Ambassador in Prague",
            "author": [{"family": "Stalin", "given": "Iosif"}],
            "archive": "Wilson Center Digital Archive",
            "archive_location": "APRF, fond 3, opis 1",
            "issued": {"date-parts": [[1950, 8, 27]]},
            "URL": "https://digitalarchive.wilsoncenter.org/document/112016"}

# (item, style) → (note or in-text citation, bibliography entry), as each guide writes them:
# Chicago 18 (full given names, American punctuation inside quotation marks, no place of
# publication), MLA 9 ("Translated by", "vol.", "pp."), APA 7 (initials, year in parentheses)
EXPECTED = {
    ("article", "chicago"): (
        "Kathryn Weathersby, “Did Stalin Lure the United States into the Korean War?” "
        "<i>Cold War International History Project Bulletin</i> 6 (1995): 1–10.",
        "Weathersby, Kathryn. “Did Stalin Lure the United States into the Korean War?” "
        "<i>Cold War International History Project Bulletin</i> 6 (1995): 1–10."),
    ("article", "mla"): (
        "(Weathersby, “Did Stalin Lure the United States into the Korean War?”)",
        "Weathersby, Kathryn. “Did Stalin Lure the United States into the Korean War?” "
        "<i>Cold War International History Project Bulletin</i>, vol. 6, 1995, pp. 1–10."),
    ("article", "apa"): (
        "(Weathersby, 1995)",
        "Weathersby, K. (1995). Did Stalin Lure the United States into the Korean War? "
        "<i>Cold War International History Project Bulletin</i>, <i>6</i>, 1–10."),
    ("book", "chicago"): (
        "Edvard Radzinsky, <i>Stalin</i>, 2nd ed., trans. H. T. Willetts (Doubleday, 1996).",
        "Radzinsky, Edvard. <i>Stalin</i>. 2nd ed. Translated by H. T. Willetts. Doubleday, "
        "1996."),
    ("book", "mla"): (
        "(Radzinsky, <i>Stalin</i>)",
        "Radzinsky, Edvard. <i>Stalin</i>. Translated by H. T. Willetts, 2nd ed., Doubleday, "
        "1996."),
    ("book", "apa"): (
        "(Radzinsky, 1996)",
        "Radzinsky, E. (1996). <i>Stalin</i> (H. T. Willetts, trans.; 2nd ed.). Doubleday."),
    ("archival", "chicago"): (
        "Iosif Stalin, “Letter from Filippov (Stalin) to the Soviet Ambassador in Prague,” "
        "August 27, 1950, APRF, fond 3, opis 1, Wilson Center Digital Archive, "
        "https://digitalarchive.wilsoncenter.org/document/112016.",
        "Stalin, Iosif. “Letter from Filippov (Stalin) to the Soviet Ambassador in Prague.” "
        "August 27, 1950. APRF, fond 3, opis 1. Wilson Center Digital Archive. "
        "https://digitalarchive.wilsoncenter.org/document/112016."),
    ("archival", "mla"): (
        "(Stalin, “Letter from Filippov (Stalin) to the Soviet Ambassador in Prague”)",
        "Stalin, Iosif. “Letter from Filippov (Stalin) to the Soviet Ambassador in Prague.” "
        "27 Aug. 1950, Wilson Center Digital Archive, APRF, fond 3, opis 1, "
        "https://digitalarchive.wilsoncenter.org/document/112016."),
    ("archival", "apa"): (
        "(Stalin, 1950)",
        "Stalin, I. (1950). <i>Letter from Filippov (Stalin) to the Soviet Ambassador in "
        "Prague</i>. Wilson Center Digital Archive (APRF, fond 3, opis 1). "
        "https://digitalarchive.wilsoncenter.org/document/112016"),
}
ITEMS = {"article": ARTICLE, "book": BOOK, "archival": ARCHIVAL}


@pytest.mark.parametrize(("kind", "style"), sorted(EXPECTED))
def test_each_style_as_its_guide_writes_it(kind, style):
    f = citestyles.format_item(ITEMS[kind], style)
    assert (str(f.note), str(f.bibliography)) == EXPECTED[(kind, style)]


def test_values_are_escaped_and_never_markup():
    hostile = dict(ARTICLE, title='<script>alert(1)</script> & "co"')
    for style in citestyles.STYLES:
        f = citestyles.format_item(hostile, style)
        for text in (str(f.note), str(f.bibliography)):
            assert "<script" not in text
            assert re.sub(r"</?i>", "", text).count("<") == 0


def test_a_paragraph_is_located_in_the_note_only():
    f = citestyles.format_item(ARTICLE, "chicago", paragraph="4")
    assert str(f.note).endswith("6 (1995): para. 4.")  # the place cited, not the pages
    assert "para." not in str(f.bibliography)


@pytest.fixture(scope="module")
def store():
    return DocumentStore(Path(ROOT / "sources"))


def test_every_record_gives_a_reference_in_every_style(store):
    """The essay's and the works' records: author, title and date reach every style, with
    the library's address."""
    for doc in store.all():
        if doc.type == "register":
            continue
        it = cite.item(doc, "https://library.example")
        for f in citestyles.references(it):
            text = re.sub(r"<[^>]+>", "", str(f.bibliography))
            if doc.authors:
                assert cite.split_name(doc.authors[0]).family in text, (doc.doc_id, f.style)
            assert doc.date[:4] in text or f.style == "mla", (doc.doc_id, f.style, text)
            assert f"/doc/{doc.doc_id}" in text
            assert "Edition," not in text and ".." not in text


def test_the_essay_names_its_periodical(store):
    it = cite.item(store.get("thom-2022-lessons"), "https://library.example")
    chicago = {f.style: f for f in citestyles.references(it)}["chicago"]
    assert "<i>Desk Russie (English Edition)</i>, March 25, 2022" in str(chicago.bibliography)


def test_the_document_page_and_the_cite_page_show_the_three_styles(repo_paths):
    from library.app import create_app

    client = create_app(repo_paths, prepare_index=False).test_client()
    page = client.get("/doc/radzinsky-1996-stalin").get_data(as_text=True)
    for label in ("Chicago (notes and bibliography)", "MLA", "APA"):
        assert f"<dt>{label}</dt>" in page
    assert "Radzinsky, Edvard. <i>Stalin</i>. Doubleday, 1996." in page
    passage = client.get("/doc/thom-2022-lessons/cite?passage=thom-2022-lessons-p4")
    html = passage.get_data(as_text=True)
    assert passage.status_code == 200 and "para. 4" in html and "(Thom, 2022, para. 4)" in html
    assert client.get("/doc/thom-2022-lessons/cite?passage=nope").status_code == 404
