"""Issue 16: the pictures cost a bounded amount whatever the size of the store: past a few
dozen documents a span of the timeline labels only the documents the essay cites and counts
the rest by month (each month a link to its documents), and the text equivalent lists counts
by year. Checked by what is drawn (not by timing): the same number of labels for 200 and
for 5,000 documents."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

from library import pictures

EVENTS = [("1952-10", "Economic Problems of Socialism in the USSR published", "p4"),
          ("1953-03-05", "Death of Stalin", "p2")]


def _docs(n: int) -> list:
    rng = random.Random(n)
    docs = []
    for i in range(n):
        year = rng.choice([1950, 1951, 1952, 1953, 1961, 2022])
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if year == 2022:
            date = f"2022-03-{rng.randint(1, 28):02d}"
        docs.append(SimpleNamespace(doc_id=f"d{i}", title=f"Document {i} about the Kremlin",
                                    date=date, type="letter"))
    docs.append(SimpleNamespace(doc_id="economic-problems",
                                title="Economic Problems of Socialism in the USSR",
                                date="1952", type="treatise"))
    return docs


def _drawn(n: int) -> tuple[int, int, str]:
    docs = _docs(n)
    svg = str(pictures.timeline(EVENTS, "essay", docs, {"economic-problems", "d1", "d2"}))
    return svg.count("<text"), svg.count("<a "), svg


def test_the_timeline_draws_a_summary_of_the_same_size_for_any_store():
    small, large = _drawn(1_000), _drawn(5_000)
    # the same labels (give or take the axis labels drawn again on a ruler) and bars
    assert abs(small[0] - large[0]) <= 8 and large[0] < 80 and abs(small[1] - large[1]) <= 60
    svg = large[2]
    assert "by month" in svg and "date%3A%5B1952-" in svg  # bars link to their documents
    assert "Economic Problems of Socialism in the USSR" in svg  # the cited one is labelled
    assert "Document 4000 about" not in svg  # the others are counted


def test_the_text_equivalent_counts_by_year_past_its_limit():
    listing = pictures.timeline_listing(_docs(5_000), {"economic-problems"})
    assert [d.doc_id for d in listing["documents"]] == ["economic-problems"]
    years = dict((y, c) for y, c, _ in listing["years"])
    assert sum(years.values()) == 5_001
    assert pictures.timeline_listing(_docs(10), set())["years"] == []


def test_a_document_dated_by_year_sits_at_the_date_its_event_gives():
    svg = str(pictures.timeline(EVENTS, "essay", _docs(5), set()))
    days = dict(re.findall(r"<title>([^<]*?Economic Problems[^<:]*?)</title>", svg) and
                re.findall(r"data-day='([^']*)' data-x='([^']*)'><title>1952(?:-10)?: Economic",
                           svg))
    xs = set(re.findall(r"data-x='([^']*)'><title>1952(?:-10)?: Economic", svg))
    assert len(xs) == 1 and all(day.startswith("1952-10") for day in days)


def test_the_timeline_page_of_a_large_store_answers_200(tmp_path):
    """The page itself (template, filters, the locale's numbers) with more documents than the
    text equivalent lists one by one."""
    import shutil

    from indexer.index import build_index
    from indexer.paths import Paths
    from library.app import create_app

    from .conftest import ROOT
    from .hostile import TEMPLATE

    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    for i in range(pictures.MAX_LISTED + 5):
        (tmp_path / "sources" / f"many-{i}.xml").write_text(TEMPLATE.format(
            doc_id=f"many-{i}", title=f"Letter {i}", author="A. Writer", licence_target="",
            lang="en", facsimile="", note=""), encoding="utf-8")
    paths = Paths(seeds=ROOT / "seeds", sources=tmp_path / "sources", home=tmp_path / "var")
    build_index(paths.sources, paths.index)
    client = create_app(paths, prepare_index=False).test_client()
    r = client.get("/timeline")
    assert r.status_code == 200 and "by-year" in r.text
    assert client.get("/timeline", headers={"Accept-Language": "ru"}).status_code == 200
