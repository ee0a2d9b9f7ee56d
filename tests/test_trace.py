"""Quotation provenance: the essay's unattributed quotations traced to their sources, every
footnote's quotation checked against its target, and perturbed quotations traced back to their
passage at a measured rate."""

from __future__ import annotations

import json
import random
import statistics
import urllib.parse
import urllib.request

import pytest

from indexer.tei import local
from indexer.teidoc import read_document
from library.search.searcher import Searcher
from library.trace import Tracer

from .conftest import ESSAY, ROOT

TOP1_TARGET = 0.95


@pytest.fixture(scope="module")
def tracer(engine_paths):
    return Tracer(Searcher.for_store(engine_paths.index, engine_paths.sources))


def essay_quotes() -> list[tuple[str, str | None]]:
    """(quotation, number of the footnote that cites it, or None) for every quotation of the
    essay: a footnote cites the nearest quotation before it in the same passage."""
    doc = read_document(ROOT / "sources" / f"{ESSAY}.xml")
    out: list[list] = []
    for passage in doc.passages:
        last = None
        for el in passage.element.iter("{*}quote", "{*}note"):
            if local(el) == "quote":
                last = [" ".join("".join(_running_text(el)).split()), None]
                out.append(last)
            elif el.get("type") == "footnote" and last is not None and last[1] is None:
                last[1] = el.get("n")
    return [tuple(x) for x in out]


def _running_text(el):
    if el.text:
        yield el.text
    for child in el:
        if local(child) != "note":
            yield from _running_text(child)
        if child.tail:
            yield child.tail


def test_the_essays_putin_and_stalin_quotations_are_traced_to_their_sources(tracer):
    quotes = [q for q, n in essay_quotes() if n is None and len(q) > 80]
    putin = [q for q in quotes if "collective West" in q or "self-purification" in q
             or "fifth column" in q]
    assert len(putin) == 3
    for q in putin:
        matches, _ = tracer.trace(q, exclude=ESSAY)
        assert matches[0].doc_id == "putin-2022-03-16-regions", q[:40]
        assert 0.3 < matches[0].score < 1  # a re-translation: found, and said to differ
    problems = next(q for q in quotes if "unified world market" in q)
    matches, _ = tracer.trace(problems, exclude=ESSAY)
    assert matches[0].passage_id == "stalin-1952-economic-problems-q1"
    assert matches[0].score == 1.0


def test_every_footnote_quotation_is_found_in_its_target_or_flagged(tracer):
    notes = {n.n: n for n in read_document(ROOT / "sources" / f"{ESSAY}.xml").notes}
    quoted = {n: q for q, n in essay_quotes() if n}
    confirmed, flagged = [], []
    for n, note in notes.items():
        target = note.targets[0][1]
        q = quoted.get(n)
        if q is None:
            flagged.append(n)  # the footnote follows no quotation: nothing to trace
            continue
        matches, _ = tracer.trace(q, exclude=ESSAY)
        if matches and matches[0].passage_id == target:
            confirmed.append(n)
        else:
            flagged.append(n)
    assert sorted(flagged, key=int) == ["2", "9", "10"]  # paraphrases, cited without quotation
    assert len(confirmed) == 14


def perturb(words: list[str], rng: random.Random) -> str:
    """One or two of: an ellipsis for a run of words, OCR noise, two words swapped, a word
    dropped, curly quotation marks and a bracketed insertion."""
    words = list(words)
    for op in rng.sample(["ellipsis", "ocr", "swap", "drop", "marks"], 2):
        if op == "ellipsis" and len(words) > 10:
            i = rng.randrange(3, len(words) - 5)
            words[i : i + 3] = ["…"]
        elif op == "ocr":
            for _ in range(2):
                i = rng.randrange(len(words))
                w = words[i]
                if len(w) > 4:
                    j = rng.randrange(1, len(w) - 1)
                    words[i] = w[:j] + rng.choice("lIrnm1") + w[j + 1 :]
        elif op == "swap" and len(words) > 4:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif op == "drop" and len(words) > 6:
            del words[rng.randrange(len(words))]
        elif op == "marks":
            words.insert(rng.randrange(len(words)), "[sic]")
            words[0] = "“" + words[0]
            words[-1] += "”"
    return " ".join(words)


def test_perturbed_quotations_are_traced_back_to_their_passage(tracer, capsys):
    rng = random.Random(1952)
    sources = ["putin-2022-03-16-regions", "truman-1953-01-15-farewell-address",
               "eisenhower-1953-04-16-chance-for-peace", "eisenhower-1953-12-08-atoms-for-peace",
               "eisenhower-1953-01-20-first-inaugural-address"]
    passages = [p for d in sources for p in read_document(ROOT / "sources" / f"{d}.xml").passages
                if p.kind == "p" and len(p.text.split()) >= 20]
    sample = rng.sample(passages, 80)
    hits, times = 0, []
    for p in sample:
        words = p.text.split()
        start = rng.randrange(0, len(words) - 15)
        quote = perturb(words[start : start + rng.randrange(12, 25)], rng)
        matches, seconds = tracer.trace(quote)
        times.append(seconds * 1000)
        hits += bool(matches) and matches[0].passage_id == p.id
    rate = hits / len(sample)
    with capsys.disabled():
        print(f"\ntrace: {len(sample)} perturbed quotations, top-1 = {rate:.3f}, "
              f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    assert rate >= TOP1_TARGET


def test_trace_api_and_cli(server, repo_paths):
    q = "You are blind kittens, after me you will lose the country"
    with urllib.request.urlopen(f"{server}/api/trace?q={urllib.parse.quote(q)}&exclude={ESSAY}",
                                timeout=10) as r:
        data = json.loads(r.read())
    top = data["matches"][0]
    assert top["passage_id"] == "malyshev-1952-12-01-diary-q1" and 0 < top["score"] <= 1
    text = read_document(ROOT / "sources" / "malyshev-1952-12-01-diary.xml").passage(
        top["passage_id"]).text
    assert text[top["start"] : top["end"]] == "blind kittens, after me you will lose the country"
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{server}/api/trace?q=", timeout=10)
    assert err.value.code == 400


def test_side_by_side_highlights_the_quotation_in_both(server):
    def page(n):
        with urllib.request.urlopen(f"{server}/doc/{ESSAY}/note/{n}", timeout=10) as r:
            return r.read().decode()

    four = page(4)
    # the held excerpt is the quotation itself: highlighted once, in the essay, not repeated
    assert four.count('<mark class="quoted">') == 1 and "not printed twice" in four
    assert "found in the cited passage (match 1.00)" in four
    assert 'href="/doc/stalin-1950-08-27-gottwald#stalin-1950-08-27-gottwald-q1"' in four
    # an excerpt holding more than the quotation: both sides, each on the exact words
    twelve = page(12)
    assert twelve.count('<mark class="quoted">It only irritates him.') == 2
    assert "The footnote follows no quotation" in page(2)
    with pytest.raises(urllib.error.HTTPError) as err:
        page(99)
    assert err.value.code == 404
    with urllib.request.urlopen(f"{server}/doc/{ESSAY}", timeout=10) as r:
        assert f'href="/doc/{ESSAY}/note/4">Footnote 4 side by side</a>' in r.read().decode()


def test_build_traces_the_essays_quotations_into_its_tei_and_readers_see_it(server):
    tree = read_document(ROOT / "sources" / f"{ESSAY}.xml").root
    traced = {q.get("source").split("#")[1]: float(q.get("cert"))
              for q in tree.iter("{*}quote") if q.get("resp") == "#library-trace"}
    assert traced["malyshev-1952-12-01-diary-q1"] == 1.0
    assert 0.3 < traced["putin-2022-03-16-regions-p27"] < 1
    assert "stalin-1952-economic-problems-q1" in traced
    with urllib.request.urlopen(f"{server}/doc/{ESSAY}", timeout=10) as r:
        page = r.read().decode()
    # unfootnoted quotations: Economic Problems, Zhou Enlai, and Putin four times
    assert page.count('class="probable-source"') == 6
    assert 'href="/doc/putin-2022-03-16-regions#putin-2022-03-16-regions-p27" title="The essay ' \
        'gives no footnote here' in page
    # the cited works are held only as the essay's excerpts: said so (explained once in the
    # notes' key), not claimed as a check
    assert page.count("Quotation: excerpt only.") == 14
    assert page.count("it cannot be checked against the source") == 1
    assert "✓ The quotation is found in the cited passage" not in page
