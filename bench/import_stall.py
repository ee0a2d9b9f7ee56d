"""Do readers wait while a librarian imports? Searches during a web import, timed.

    python bench/import_stall.py [--workers 2]

Starts ``library serve`` on a copy of the store, logs in as a librarian, uploads the 32
FRUS-history TEI files (whose import compiles tei_all, seconds of work) through ``/import``, and
sends a search every 50 ms from before the upload until the job has ended. Prints the number of
searches, their p50/p95/max latency, and how long the job took. The job runs in a process of its
own, so the server's own requests should not stall (target: none over 1 s). Run on demand; never
part of the test suite.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRUS = ROOT / "bench" / "data" / "tei" / "historyatstate-frus-history-articles"
PASSWORD = "a long enough password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def multipart(fields: dict[str, str], files: list[Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                f"{value}\r\n").encode()
    for path in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                f"filename=\"{path.name}\"\r\nContent-Type: application/xml\r\n\r\n").encode()
        out += path.read_bytes() + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        shutil.copytree(ROOT / "sources", home / "sources")
        env = dict(os.environ, LIBRARY_HOME=str(home / "var"),
                   LIBRARY_SOURCES=str(home / "sources"))
        subprocess.run([sys.executable, "-m", "library.cli", "users", "add", "bench",
                        "--password-stdin"], input=PASSWORD + "\n", text=True, env=env,
                       check=True, capture_output=True)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        with open(home / "serve.log", "wb") as log:
            server = subprocess.Popen([sys.executable, "-m", "library.cli", "serve", "--port",
                                       str(port), "--workers", str(args.workers)], env=env,
                                      cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/api/docs", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            page = opener.open(base + "/login").read().decode()
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            opener.open(base + "/login", urllib.parse.urlencode(
                {"csrf": csrf, "name": "bench", "password": PASSWORD}).encode())
            page = opener.open(base + "/import").read().decode()
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            times: list[float] = []
            stop = threading.Event()

            def probe() -> None:
                while not stop.is_set():
                    started = time.perf_counter()
                    urllib.request.urlopen(base + "/api/search?q=Stalin", timeout=30).read()
                    times.append(time.perf_counter() - started)
                    time.sleep(0.05)

            prober = threading.Thread(target=probe)
            prober.start()
            time.sleep(1)
            body, ctype = multipart({"csrf": csrf, "rights": "Public domain"},
                                    sorted(FRUS.glob("*.xml")))
            started = time.perf_counter()
            req = urllib.request.Request(base + "/import", body, {"Content-Type": ctype})
            job_url = opener.open(req).geturl()
            while time.perf_counter() - started < 300:
                state = re.search(r'data-state="(\w+)"', opener.open(job_url).read().decode())
                if state and state.group(1) in ("done", "failed"):
                    break
                time.sleep(0.5)
            job_seconds = time.perf_counter() - started
            time.sleep(1)
            stop.set()
            prober.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        ms = sorted(t * 1000 for t in times)
        result = {"searches": len(ms), "p50_ms": round(ms[len(ms) // 2], 1),
                  "p95_ms": round(ms[int(0.95 * len(ms))], 1), "max_ms": round(ms[-1], 1),
                  "job_seconds": round(job_seconds, 1)}
        print(f"{len(ms)} searches during a web import of 32 TEI files ({job_seconds:.1f} s): "
              f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, max {result['max_ms']} ms "
              "(target: none over 1,000 ms)")
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
