"""``library optimize`` merges the index's segments into one (each import's commit adds one,
and every search pays for each): the same answers after, fewer segments, the write lock held."""

from __future__ import annotations

from whoosh import index as whoosh_index

from library.search.searcher import Searcher
from library.search.searchtypes import SearchRequest

from .test_cli import run

QUERIES = ["Stalin", "Beria AND Malenkov", '"Central Committee"', "Molot*", "Путин",
           "minutes", "harvest"]


def segments(paths) -> int:
    return len(whoosh_index.open_dir(paths.index, indexname="passages")._segments())


def answers(paths) -> list:
    s = Searcher.for_store(paths.index, paths.sources)
    out = []
    for q in QUERIES:
        r = s.search(SearchRequest(q, per_page=20))
        out.append((q, r.total, r.documents,
                    [(g.doc_id, g.count, [p.passage_id for p in g.passages]) for g in r.groups]))
    return out


def test_optimize_merges_the_segments_and_keeps_every_answer(scratch, tmp_path):
    for n in range(3):  # three imports: three commits
        text = tmp_path / f"minutes-{n}.txt"
        text.write_text(f"Minutes {n} of the harvest committee.\n\nStalin spoke; item {n} "
                        "was adjourned.\n", encoding="utf-8")
        done = run(["import", str(text), "--rights", "Public domain"], scratch)
        assert done.returncode == 0, done.stderr
    before = segments(scratch)
    assert before >= 2
    want = answers(scratch)
    out = run(["optimize"], scratch)
    assert out.returncode == 0, out.stderr
    assert f"{before} segment(s) before, 1 after" in out.stdout
    assert segments(scratch) == 1
    assert answers(scratch) == want
    assert any(total for _, total, _, _ in want)


def test_optimize_refuses_an_index_behind_the_store(scratch, tmp_path):
    (scratch.sources / "stray.xml").write_bytes(
        (scratch.sources / "thom-2022-lessons.xml").read_bytes().replace(
            b'xml:id="thom-2022-lessons"', b'xml:id="stray"', 1))
    out = run(["optimize"], scratch)
    assert out.returncode == 1 and "run `library build`" in out.stderr
