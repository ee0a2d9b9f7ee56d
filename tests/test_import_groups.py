"""Small files go several to a task (``indexer.pipeline.GROUP_FILES``): Dask's own cost of a
task is more than reading an HTML page. Each file of a group is still read, reported, and
failing alone; a file of pages (a PDF) goes alone, its pages tasks of their own."""

from __future__ import annotations

from pathlib import Path

from indexer.cluster import InProcess
from indexer.ingest import Importer, ImportOptions
from indexer.pipeline import GROUP_FILES

from .pdfmake import text_pdf


def test_small_files_go_several_to_a_task_and_each_still_fails_alone(scratch, tmp_path,
                                                                      monkeypatch):
    batch = tmp_path / "batch"
    batch.mkdir()
    memos = GROUP_FILES + 5
    for n in range(memos):
        (batch / f"memo-{n:02d}.txt").write_text(
            f"Memo {n} on the Plovdiv harvest, sent by telegram.\n", encoding="utf-8")
    (batch / "memo-03b.xml").write_text("<TEI><text>unclosed", encoding="utf-8")
    (batch / "memo-04.pdf").write_bytes(text_pdf([(595, 842, "The Varna grain report")]))
    sent: list[tuple[str, tuple]] = []
    submit = InProcess.submit

    def recorded(self, fn, *args):
        sent.append((fn.__name__, args))
        return submit(self, fn, *args)

    monkeypatch.setattr(InProcess, "submit", recorded)
    report = Importer(scratch, ImportOptions(rights="Public domain")).run([batch])

    names = sorted(Path(o.path).name for o in report.imported)
    assert names == sorted([f"memo-{n:02d}.txt" for n in range(memos)] + ["memo-04.pdf"])
    (failed,) = report.failed
    assert Path(failed.path).name == "memo-03b.xml" and "memo-03b.xml" in failed.error
    groups = [args[0] for name, args in sent if name == "read_files"]
    assert sorted(name for group in groups for name, _, _ in group) == sorted(
        [f"memo-{n:02d}.txt" for n in range(memos)] + ["memo-03b.xml"])
    assert len(groups) == 2 and all(len(g) <= GROUP_FILES for g in groups)
    # the PDF alone, and its page a task of its own
    assert [args[0] for name, args in sent if name == "read_file"] == ["memo-04.pdf"]
    assert sum(1 for name, _ in sent if name == "page") == 1
    # the report in the batch's order, as before grouping: ids do not depend on the groups
    assert [Path(o.path).name for o in report.imported][:5] == [
        "memo-00.txt", "memo-01.txt", "memo-02.txt", "memo-03.txt", "memo-04.pdf"]
