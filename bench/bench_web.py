"""Pages as a user feels them: throughput, p99 latency and size of the main pages under
load, each as a ratio to a trivial page served through the same middleware.

    .venv/bin/python bench/bench_web.py [--scale 1] [--duration 10] [--connections 16]

It builds a throw-away installation (``rapport init``, then ``rapport demo --scale N``),
starts ``rapport serve`` (gunicorn, 2 workers × 4 threads) on a free loopback port,
signs in as a NATO coordinator, and drives each page with ``wrk`` (Debian's package;
``scripts/setup --bench`` installs it). The database is SQLite in the throw-away
folder unless DATABASE_URL names another (a PostgreSQL database is emptied first by
``rapport init``'s migrations only if it is new: give it an empty one). Figures
are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RAPPORT = ROOT / ".venv" / "bin" / "rapport"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(env, *args, quiet=True):
    out = subprocess.run([str(RAPPORT), *args], env=env, capture_output=quiet, text=True)
    if out.returncode:
        sys.exit(f"rapport {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def wait_for(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server did not answer at {url}")


def sign_in(base: str, username: str, password: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"})
    answer = opener.open(request)
    answer.read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies or "/accounts/login/" in answer.geturl():  # refused, or a second step asked
        sys.exit(f"could not sign in as {username}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def fetch(url: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, len(response.read())


def wrk(url: str, cookie: str, duration: int, connections: int) -> tuple[float, float]:
    """(requests per second, p99 latency in ms)."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s",
                          "-H", f"Cookie: {cookie}", url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return rps, float(p99.group(1)) * factor[p99.group(2)] if p99 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the throw-away folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run scripts/setup --bench")
    folder = Path(tempfile.mkdtemp(prefix="rapport-bench-web-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    # Two-factor sign-in is one more step at sign-in, not a cost per page: the benchmark's
    # coordinator signs in with a password alone.
    env.update(RAPPORT_DATA_DIR=str(folder), RAPPORT_SECRET_KEY=secrets.token_urlsafe(50),
               RAPPORT_AUDIT_KEY=secrets.token_hex(32), RAPPORT_TWO_FACTOR_ROLES="")
    env.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    start = time.perf_counter()
    run(env, "init")
    print(run(env, "demo", "--scale", str(args.scale)).strip())
    print(f"set up {database} at {args.scale}× in {time.perf_counter() - start:.1f} s")
    passwords = dict(line.split("\t")[:2] for line in (folder / "demo-passwords.txt").read_text().splitlines())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(RAPPORT), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"{base}/health/")
        cookie = sign_in(base, "nato-coordinator", passwords["nato-coordinator"])
        first = run(env, "commitments", "--json")
        ref = re.search(r'"ref": "([^"]+)"', first).group(1)
        detail = _commitment_url(env, ref)
        pages = [("trivial view (/health/)", "/health/"), ("commitments list", "/commitments/"),
                 ("commitment detail", detail), ("dashboard", "/dashboard/"), ("search", "/search/?q=staff"),
                 ("audit log", "/audit/"), ("public home", "/"), ("public report 8", "/public/reports/8/")]
        print(f"\n{database}, {args.scale}× the default data; wrk -c{args.connections}, {args.duration} s per page, "
              "gunicorn 2 workers × 4 threads")
        print(f"{'page':<26}{'req/s':>9}{'× trivial':>11}{'p99 ms':>9}{'size KB':>10}")
        trivial = None
        for label, path in pages:
            status, size = fetch(base + path, cookie)
            rps, p99 = wrk(base + path, cookie, args.duration, args.connections)
            trivial = trivial or rps
            print(f"{label:<26}{rps:>9.1f}{rps / trivial:>11.3f}{p99:>9.0f}{size / 1024:>10.0f}"
                  + ("" if status == 200 else f"  (status {status})"))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def _commitment_url(env, ref: str) -> str:
    out = subprocess.run([str(RAPPORT), "shell", "-c",
                          f"from rapport.commitments.models import Commitment; "
                          f"print(Commitment.objects.get(ref={ref!r}).pk)"], env=env, capture_output=True, text=True)
    return f"/commitments/{out.stdout.strip().splitlines()[-1]}/"


if __name__ == "__main__":
    main()
