"""The progress bar of `library import`: on a terminal it shows files and pages done, failures
and time; with --json, or when output is not a terminal, nothing at all."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

from .conftest import ROOT


def _run(scratch, batch, *args, tty: bool) -> tuple[str, str]:
    env = dict(os.environ, LIBRARY_HOME=str(scratch.home), LIBRARY_SOURCES=str(scratch.sources),
               COLUMNS="120")
    if not tty:
        out = subprocess.run([sys.executable, "-m", "library.cli", "import", str(batch), *args],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
        return out.stdout, out.stderr
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "library.cli", "import", str(batch), *args],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    out = proc.communicate(timeout=300)[0]
    os.close(leader)
    return out.decode(), b"".join(chunks).decode(errors="replace")


def test_a_terminal_gets_a_progress_bar_and_json_or_a_pipe_get_none(scratch, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(3):
        (batch / f"note-{n}.txt").write_text(f"Note {n} on the Plovdiv delegation.",
                                             encoding="utf-8")
    (batch / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    _, bar = _run(scratch, batch, "--rights", "Public domain", tty=True)
    assert "files 4/4" in bar and "failed 1" in bar, bar
    for again in ("again-1", "again-2"):
        copy = tmp_path / again
        copy.mkdir()
        (copy / f"{again}.txt").write_text(f"{again} of the Plovdiv notes.", encoding="utf-8")
    out, err = _run(scratch, tmp_path / "again-1", "--json", tty=True)
    assert out.lstrip().startswith("{") and "files" not in err
    out, err = _run(scratch, tmp_path / "again-2", tty=False)
    assert "imported 1" in out and "files" not in err
