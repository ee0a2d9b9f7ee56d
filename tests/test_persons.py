"""Person pages and the persName tags that feed them."""

from __future__ import annotations

import re
import urllib.request

from lxml import etree

from indexer.persons import Register, tag_persons
from indexer.tei import E

from .conftest import ESSAY, ROOT


def get(server, path):
    with urllib.request.urlopen(server + path, timeout=10) as r:
        return r.read().decode()


def test_mentions_are_tagged_in_running_text_only():
    register = Register.load(ROOT / "seeds" / "persons.xml")
    body = E.body(E.p("Khrushchev and Sergo Beria met Beria; ",
                      E.quote("Готвальду писал Сталин"),
                      E.note("Stalin in a footnote", type="footnote"), " and Chou En-lai."))
    assert tag_persons(body, register) == 6
    refs = [(el.text, el.get("ref").split("#")[1]) for el in body.iter("{*}persName")]
    assert refs == [("Khrushchev", "khrushchev"), ("Sergo Beria", "sergo-beria"),
                    ("Beria", "beria"), ("Готвальду", "gottwald"), ("Сталин", "stalin"),
                    ("Chou En-lai", "zhou-enlai")]
    text = "".join(body.itertext())
    assert text.startswith("Khrushchev and Sergo Beria met Beria; Готвальду писал Сталин")
    note = body.find(".//{*}note")
    assert note.find("{*}persName") is None  # notes are not running text


def test_stored_essay_links_each_mention_to_its_person(server):
    tree = etree.parse(str(ROOT / "sources" / f"{ESSAY}.xml"))
    refs = {el.get("ref") for el in tree.iter("{*}persName")}
    assert {"persons.xml#stalin", "persons.xml#lozgachev", "persons.xml#zhou-enlai"} <= refs
    page = get(server, f"/doc/{ESSAY}")
    assert '<a class="person" href="/persons/lozgachev">Lozgachev</a>' in page


def test_person_pages_list_forms_and_every_mention(server):
    listing = get(server, "/persons")
    assert len(re.findall(r'<tr id="[a-z-]+">', listing)) == 46
    page = get(server, "/persons/khrushchev")
    for form in ("Хрущёв", "Chruschtschow", "Khrouchtchev", "Hruŝëv"):
        assert form in page
    (named,) = re.findall(r"Named in (\d+) passages? of (\d+) documents?", page)
    assert int(named[0]) >= 6
    assert page.count('<mark>') >= int(named[0])  # each mention highlighted in its snippet
    assert 'href="/doc/beria-1999-mon-pere#beria-1999-mon-pere-q3"' in page
    assert urllib.request.urlopen(server + "/doc/persons").geturl().endswith("/persons")


def test_bibliography_lists_every_cited_work_with_its_footnotes(server):
    page = get(server, "/bibliography")
    items = [i for i in re.findall(r"<li>(.*?)</li>", page, re.S)
             if "/language?" not in i]  # not the interface-language switch
    assert len(items) == 12  # 17 footnotes cite 12 distinct works
    beria = next(i for i in items if "beria-1999-mon-pere" in i)
    assert "cited 3 times" in beria
    assert re.findall(r"footnote (\d+)</a>", beria) == ["7", "8", "16"]


def test_timeline_and_citation_graph_are_linked_accessible_svg(server):
    for path, expected_links in (("/timeline", f"/doc/{ESSAY}#thom-2022-lessons-p2"),
                                 ("/graph", f"/doc/{ESSAY}#{ESSAY}-fn4-ref")):
        page = get(server, path)
        svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
        root = etree.fromstring(svg.encode())  # well-formed
        # a group, not an img: an img may not hold links (axe: nested-interactive)
        assert root.get("role") == "group" and root.find("{*}title").text
        links = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
        assert expected_links in links
        # every link says what it leads to: a <title> or visible text
        assert all(a.find("{*}title") is not None or "".join(a.itertext()).strip()
                   for a in root.iter("{http://www.w3.org/2000/svg}a"))
        assert "The same, as text" in page
    graph = get(server, "/graph")
    assert "17 footnotes → 12 cited works → 17 cited passages" in graph
    timeline = get(server, "/timeline")
    assert "Death of Stalin" in timeline and "Russia invades Ukraine" in timeline
