"""Search with stemming and without: index build time and size and query time, at 1× and
at a larger scale, on SQLite (the FTS5 table) and on PostgreSQL (the stored vectors and
their GIN index).

    .venv/bin/python bench/bench_search.py [--scales 1,100] [--runs 5]
    DATABASE_URL=postgres://…/any .venv/bin/python bench/bench_search.py   # PostgreSQL

Each scale is a new installation filled by ``rapport demo --scale N``: a throw-away
SQLite file, or a new database on the server DATABASE_URL names. Each figure is measured
in a process of its own with ``RAPPORT_SEARCH_STEMMING=0`` (words as typed, prefixes, no
stems: search as it was) and ``=1`` (the default); each rebuilds the index in its own
format (three times, the median is printed) before it searches. The reader is the demo's
NATO approver. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["staff", "cyber defence", "cyberdéfense", "cyber défense", "résilience", "menaces hybrides",
           "capacités nationales", "military mobility", "exercises"]

SCRIPT = r"""
import json, statistics, sys, time
import django
django.setup()
from django.db import connection
from rapport.access.models import User
from rapport.search.service import search

runs, queries = int(sys.argv[1]), json.loads(sys.argv[2])
out = {"build": None, "size": None, "queries": {}}
if connection.vendor == "sqlite":
    from rapport.search.sqlite import TABLE, ensure_index
    size = "SELECT sum(length(block)) FROM " + TABLE + "_data"
else:
    from rapport.search.postgres import TABLE, ensure_index
    size = "SELECT pg_total_relation_size('" + TABLE + "')"  # the table, its TOAST and its GIN index
samples = []
for _ in range(3):
    start = time.perf_counter()
    ensure_index(connection, force=True)
    samples.append(time.perf_counter() - start)
out["build"] = statistics.median(samples)
with connection.cursor() as cursor:
    cursor.execute(size)
    out["size"] = cursor.fetchone()[0]
user = User.objects.get(username="nato-approver")
for query in queries:
    hits = search(user, query)  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        search(user, query)
        samples.append(time.perf_counter() - start)
    out["queries"][query] = (len(hits), statistics.median(samples))
print(json.dumps(out))
"""


def _database(url: str, name: str) -> str:
    """A new, empty database of that name on the PostgreSQL server ``url`` names."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query (the median is printed)")
    args = parser.parse_args()

    rapport = ROOT / ".venv" / "bin" / "rapport"
    server = os.environ.get("DATABASE_URL", "")
    for scale in (int(s) for s in args.scales.split(",")):
        folder = Path(tempfile.mkdtemp(prefix="rapport-bench-search-"))
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "RAPPORT_SEARCH_STEMMING")}
        env.update(RAPPORT_DATA_DIR=str(folder), RAPPORT_SECRET_KEY=secrets.token_urlsafe(50),
                   RAPPORT_AUDIT_KEY=secrets.token_hex(32), DJANGO_SETTINGS_MODULE="rapport.settings.base")
        env["DATABASE_URL"] = (_database(server, f"rapport_bench_search_{scale}") if server.startswith("postgres")
                               else f"sqlite:///{folder}/bench.sqlite3")
        for step in (["init"], ["demo", "--scale", str(scale)]):
            done = subprocess.run([str(rapport), *step], env=env, capture_output=True, text=True)
            if done.returncode:
                sys.exit(done.stderr)
        figures = {}
        for stemming in ("0", "1"):
            out = subprocess.run([sys.executable, "-c", SCRIPT, str(args.runs), json.dumps(QUERIES)],
                                 env={**env, "RAPPORT_SEARCH_STEMMING": stemming}, capture_output=True, text=True,
                                 cwd=ROOT)
            if out.returncode:
                sys.exit(out.stderr)
            figures[stemming] = json.loads(out.stdout.strip().splitlines()[-1])
        vendor = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
        print(f"\n{scale}× ({vendor})")
        plain, stemmed = figures["0"], figures["1"]
        print(f"index build: {plain['build']:.2f} s without stemming, {stemmed['build']:.2f} s with; "
              f"index {plain['size'] / 1e6:.1f} MB → {stemmed['size'] / 1e6:.1f} MB")
        print(f"{'query':<24}{'hits without':>14}{'ms without':>12}{'hits with':>11}{'ms with':>9}")
        for query in QUERIES:
            (h0, t0), (h1, t1) = plain["queries"][query], stemmed["queries"][query]
            print(f"{query:<24}{h0:>14}{t0 * 1000:>12.1f}{h1:>11}{t1 * 1000:>9.1f}")
        total0 = statistics.fmean(t for _h, t in plain["queries"].values())
        total1 = statistics.fmean(t for _h, t in stemmed["queries"].values())
        print(f"{'mean':<24}{'':>14}{total0 * 1000:>12.1f}{'':>11}{total1 * 1000:>9.1f}")


if __name__ == "__main__":
    main()
