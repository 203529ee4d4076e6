"""What the load benchmarks share: a throw-away installation (``rapport init``, then
``rapport demo --scale N``) served by ``rapport serve`` (gunicorn, 2 workers × 4 threads) on a
free loopback port, signing in to it, reading one record's id through ``rapport shell``, and
driving a URL with ``wrk`` (Debian's package; ``scripts/setup --bench`` installs it).

The database is SQLite in the throw-away folder unless DATABASE_URL names another (a PostgreSQL
database is emptied first by ``rapport init``'s migrations only if it is new: give it an empty
one)."""

from __future__ import annotations

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
from contextlib import contextmanager
from dataclasses import dataclass
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


def fetch(url: str, headers: dict[str, str]) -> tuple[int, int]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, len(response.read())


def wrk(url: str, headers: dict[str, str], duration: int, connections: int) -> tuple[float, float]:
    """(requests per second, p99 latency in ms)."""
    sent = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s",
                          *sent, url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return rps, float(p99.group(1)) * factor[p99.group(2)] if p99 else float("nan")


def shell(env, code: str) -> str:
    """The last line ``rapport shell -c CODE`` printed."""
    out = subprocess.run([str(RAPPORT), "shell", "-c", code], env=env, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def commitment_pk(env, ref: str) -> str:
    return shell(env, f"from rapport.commitments.models import Commitment; print(Commitment.objects.get(ref={ref!r}).pk)")


def first_commitment_pk(env) -> str:
    first = run(env, "commitments", "--json")
    return commitment_pk(env, re.search(r'"ref": "([^"]+)"', first).group(1))


@dataclass
class Server:
    env: dict[str, str]
    base: str  # http://127.0.0.1:PORT
    folder: Path  # the throw-away data directory
    database: str  # "SQLite" or "PostgreSQL"
    passwords: dict[str, str]  # the demo accounts'


def require_wrk() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run scripts/setup --bench")


@contextmanager
def installation(scale: int, *, prefix: str, keep: bool = False, **settings: str):
    """Build a throw-away installation at ``scale``× the default data (printing what ``rapport demo``
    made and how long it took), serve it and yield a Server; stop it and remove the folder
    afterwards (unless ``keep``). ``settings`` are environment variables for the installation."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(RAPPORT_DATA_DIR=str(folder), RAPPORT_SECRET_KEY=secrets.token_urlsafe(50),
               RAPPORT_AUDIT_KEY=secrets.token_hex(32), **settings)
    env.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    start = time.perf_counter()
    run(env, "init")
    print(run(env, "demo", "--scale", str(scale)).strip())
    print(f"set up {database} at {scale}× in {time.perf_counter() - start:.1f} s")
    passwords = dict(line.split("\t")[:2] for line in (folder / "demo-passwords.txt").read_text().splitlines())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(RAPPORT), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"{base}/health/")
        yield Server(env=env, base=base, folder=folder, database=database, passwords=passwords)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
