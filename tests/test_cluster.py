"""Imports on a real Dask cluster: a `dask scheduler` and two `dask worker` processes (the
commands `distributed` installs) on 127.0.0.1. A mixed batch imported through the cluster is
searchable, names the workers that read it, and gives the same TEI and passages as a local
import; a worker killed in the middle of an OCR import loses no page; a scheduler that is not
there is exit 2 within seconds."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.teidoc import read_document

from .conftest import ROOT, _free_port
from .pdfmake import scanned_pdf

DASK = Path(sys.executable).parent / "dask"
pytestmark = pytest.mark.skipif(not shutil.which("tesseract"),
                                reason="tesseract not installed (apt-get install tesseract-ocr)")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers, w1 and w2, without nannies (a killed worker
    stays dead)."""
    logs = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = {}
    env = dict(os.environ, DASK_LOGGING__DISTRIBUTED="warning")
    with open(logs / "scheduler.log", "wb") as log:
        procs["scheduler"] = subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"], stdout=log, stderr=log, env=env, start_new_session=True)
    for name in ("w1", "w2"):
        with open(logs / f"{name}.log", "wb") as log:
            procs[name] = subprocess.Popen(
                [str(DASK), "worker", address, "--name", name, "--nthreads", "1",
                 "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"],
                stdout=log, stderr=log, env=env, start_new_session=True)
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(2, timeout=90)
    yield address, procs
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def indexed_store(tmp_path_factory):
    """The committed store with its index built once; each import gets a copy."""
    root = tmp_path_factory.mktemp("store")
    shutil.copytree(ROOT / "sources", root / "sources")
    env = _env(root)
    subprocess.run([sys.executable, "-m", "library.cli", "import", str(root / "none")],
                   env=env, cwd=ROOT, capture_output=True)  # builds the index, imports nothing
    return root


def _env(root: Path, **extra) -> dict:
    return dict(os.environ, LIBRARY_HOME=str(root / "var"), LIBRARY_SOURCES=str(root / "sources"),
                **extra)


def _copy(store: Path, dest: Path) -> Path:
    shutil.copytree(store, dest)
    return dest


def _import(root: Path, *args: str, timeout: float = 240) -> tuple[int, dict, str]:
    out = subprocess.run([sys.executable, "-m", "library.cli", "import", *args, "--json"],
                         env=_env(root), cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout)
    report = json.loads(out.stdout) if out.stdout.strip().startswith("{") else {}
    return out.returncode, report, out.stderr


def _batch(folder: Path) -> Path:
    folder.mkdir()
    (folder / "memo.txt").write_text("A memo on the Zyxomatic harvest plan of 1952, sent to "
                                     "the ministry by telegram.\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html lang='en'><head><title>Minutes of the bureau</title></head><body><article>"
        "<h1>Minutes of the bureau</h1><p>The bureau discussed the Quorvantic railway and "
        "the grain delegation at length, and adjourned.</p></article></body></html>",
        encoding="utf-8")
    shutil.copy(ROOT / "tests/fixtures/import/tei/seward-letter.xml", folder / "seward.xml")
    (folder / "scan.pdf").write_bytes(scanned_pdf(1, seed=7))
    return folder


def _normalised(tei: bytes) -> str:
    """The TEI apart from timestamps."""
    return re.sub(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?", "T", tei.decode())


def test_a_mixed_batch_on_the_cluster_is_the_same_as_a_local_import(cluster, indexed_store,
                                                                    tmp_path):
    address, _ = cluster
    batch = _batch(tmp_path / "batch")
    on_cluster = _copy(indexed_store, tmp_path / "cluster")
    local = _copy(indexed_store, tmp_path / "local")
    code, report, err = _import(on_cluster, str(batch), "--cluster", address, "--rights",
                                "Public domain")
    assert code == 0, err
    imported = report["imported"]
    assert sorted(Path(o["path"]).name for o in imported) == [
        "memo.txt", "page.html", "scan.pdf", "seward.xml"]
    assert {o["worker"] for o in imported} <= {"w1", "w2"}
    (scan,) = [o for o in imported if o["path"].endswith("scan.pdf")]
    assert scan["ocr_seconds"] > 0
    code, local_report, err = _import(local, str(batch), "--rights", "Public domain")
    assert code == 0, err
    assert {o["worker"] for o in local_report["imported"]} == {"in-process"}
    assert [o["doc_id"] for o in local_report["imported"]] == [o["doc_id"] for o in imported]
    for o in imported:
        mine = on_cluster / "sources" / f"{o['doc_id']}.xml"
        theirs = local / "sources" / f"{o['doc_id']}.xml"
        assert _normalised(mine.read_bytes()) == _normalised(theirs.read_bytes()), o["path"]
        assert ([(p.id, p.text) for p in read_document(mine).passages]
                == [(p.id, p.text) for p in read_document(theirs).passages])
    # searchable: what each file says is found, in the document it went to
    for word, doc_id in (("Zyxomatic", "memo"), ("Quorvantic", "page")):
        found = subprocess.run([sys.executable, "-m", "library.cli", "search", word, "--json"],
                               env=_env(on_cluster), cwd=ROOT, capture_output=True, text=True)
        assert doc_id in {g["doc_id"] for g in json.loads(found.stdout)["groups"]}, word


def test_an_unreachable_scheduler_is_exit_2_within_seconds(indexed_store, tmp_path):
    root = _copy(indexed_store, tmp_path / "store")
    before = sorted(p.name for p in (root / "sources").iterdir())
    started = time.monotonic()
    code, _, err = _import(root, str(_batch(tmp_path / "batch")), "--cluster",
                           f"tcp://127.0.0.1:{_free_port()}", timeout=60)
    assert code == 2
    assert time.monotonic() - started < 30  # a Python start, the imports, and 5 s of trying
    assert "cannot reach the Dask scheduler" in err and "Traceback" not in err
    assert sorted(p.name for p in (root / "sources").iterdir()) == before


def test_a_worker_killed_mid_ocr_loses_no_page(cluster, indexed_store, tmp_path):
    """Runs last: it kills w1."""
    address, procs = cluster
    pages = 4
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "long-scan.pdf").write_bytes(scanned_pdf(pages, seed=3, lines=4))
    root = _copy(indexed_store, tmp_path / "store")
    proc = subprocess.Popen([sys.executable, "-m", "library.cli", "import", str(batch),
                             "--cluster", address, "--json", "--ocr-lang", "eng"],
                            env=_env(root), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    from distributed import Client

    with Client(address, timeout=30) as client:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # until w1 is reading a page
            processing = client.processing()
            w1 = [a for a, info in client.scheduler_info()["workers"].items()
                  if info.get("name") == "w1"]
            if w1 and any(str(key).startswith("page-") for key in processing.get(w1[0], ())):
                break
            time.sleep(0.1)
        else:
            pytest.fail("w1 was never given a page")
    os.killpg(procs["w1"].pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    (done,) = json.loads(out)["imported"]
    assert done["worker"] in {"w1", "w2"}
    doc = read_document(root / "sources" / f"{done['doc_id']}.xml")
    tei = (root / "sources" / f"{done['doc_id']}.xml").read_text()
    assert tei.count("<surface ") == pages and tei.count('type="ocr"') == pages
    assert "No machine-read text" not in tei
    # every page's text is there, once
    numbers = [int(m) for m in re.findall(r"PAGE (\d+)", " ".join(p.text for p in
                                                                  doc.passages))]
    assert sorted(numbers) == list(range(1, pages + 1))


def test_local_workers_that_cannot_start_leave_the_import_to_this_process(tmp_path):
    """A real failure to start a LocalCluster (Dask's scratch folder cannot be made: a path
    under a plain file): the import runs in-process, says why, and imports everything."""
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch" / "memo.txt").write_text("A memo on the Zyxomatic harvest plan.\n")
    (tmp_path / "plain-file").write_text("")
    out = subprocess.run(
        [sys.executable, "-m", "library.cli", "import", str(tmp_path / "batch"), "--jobs", "2",
         "--json", "--rights", "Public domain"],
        env=_env(tmp_path, LIBRARY_IN_PROCESS_BELOW="0",
                 DASK_TEMPORARY_DIRECTORY=str(tmp_path / "plain-file" / "dask")),
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "2 local worker processes could not start" in out.stderr
    assert "importing in this process" in out.stderr and "Traceback" not in out.stderr
    (done,) = json.loads(out.stdout)["imported"]
    assert done["worker"] == "in-process"
    assert (tmp_path / "sources" / f"{done['doc_id']}.xml").is_file()
