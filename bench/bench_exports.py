"""Benchmark: the spreadsheets at the default data's size (74 commitments) and at 100× (7,400).

    .venv/bin/python bench/bench_exports.py [--scale 1 100] [--repeat 3]

Each scale is a throw-away installation made as ``rapport init`` and ``rapport demo --scale N``
make one (the default data, the demo accounts, then ``rapport.seed.demo.generate``), in a
process of its own, on SQLite in a temporary folder (or, with DATABASE_URL naming a PostgreSQL
database, a database of its own next to it, created and dropped here).

For each scale it prints the median time of building each list's sheet as an EU coordinator
reads it (every row, the visibility filter, each row's marking) and of writing it as XLSX and
as CSV, with the number of rows; then, for an EU drafter, the import template of the open
period and the preview of that template sent back unchanged (every row read and compared).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reports import _install, _pg_database  # the same throw-away installation

ROOT = Path(__file__).resolve().parent.parent
LISTS = (("commitments", {}), ("contributions", {}), ("evidence", {"kind": "meetings"}), ("audit", {}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 100], help="scales to run (default 1 100)")
    parser.add_argument("--repeat", type=int, default=3, help="samples per step; the median is shown")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    runs = [run_child(args, scale) for scale in args.scale]
    if len(runs) > 1:
        a, b = runs[0], runs[-1]
        print(f"\nGrowth {a['scale']}× → {b['scale']}× ({b['commitments'] / a['commitments']:.0f}× the commitments):")
        for step, seconds in a["times"].items():
            if b["times"].get(step) and seconds:
                print(f"  {step:<34}{b['times'][step] / seconds:>8.1f}×")


def run_child(args, scale: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="rapport-bench-exports-"))
    env = dict(os.environ, RAPPORT_DATA_DIR=str(folder), RAPPORT_SECRET_KEY=secrets.token_urlsafe(50),
               RAPPORT_AUDIT_KEY=secrets.token_hex(32), DJANGO_SETTINGS_MODULE="rapport.settings.base")
    created = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        created = env["DATABASE_URL"] = _pg_database(os.environ["DATABASE_URL"], f"_bench_exports_{scale}", create=True)
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    out = folder / "result.json"
    cmd = [sys.executable, __file__, "--child", str(out), "--repeat", str(args.repeat), "--scale", str(scale)]
    try:
        if subprocess.run(cmd, env=env, cwd=ROOT).returncode:
            sys.exit(f"the run at scale {scale} failed")
        return json.loads(out.read_text())
    finally:
        if created:
            _pg_database(os.environ["DATABASE_URL"], f"_bench_exports_{scale}", create=False)
        shutil.rmtree(folder, ignore_errors=True)


def timed(fn, repeat: int):
    samples, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), value


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict

    from rapport.access.models import User
    from rapport.periods.models import ReportingPeriod
    from rapport.web.exports import LISTS as SHEETS
    from rapport.web.imports import plan
    from rapport.web.imports.reading import read
    from rapport.web.imports.template import template
    from rapport.web.spreadsheets import to_csv, to_xlsx

    start = time.perf_counter()
    partnership, scale = _install(args.scale[0])
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    commitments = partnership.commitments.count()
    print(f"\n{database}, {scale}× the default data: {commitments} commitments "
          f"(set up in {time.perf_counter() - start:.0f} s)", flush=True)
    reader = User.objects.filter(organisation__key="eu", role="coordinator").order_by("pk").first()
    drafter = User.objects.filter(organisation__key="eu", role="drafter").order_by("pk").first()
    period = ReportingPeriod.objects.get(partnership=partnership, state="open")
    times: dict[str, float] = {}
    print(f"  {'step':<34}{'rows':>8}{'median':>10}")
    for name, query in LISTS:
        params = QueryDict(mutable=True)
        params.update(query)
        seconds, (sheet, _errors) = timed(lambda name=name, params=params: SHEETS[name](reader, params), args.repeat)
        rows = len(sheet.rows)
        for step, fn in ((f"{name}: build the sheet", None), (f"{name}: XLSX", to_xlsx), (f"{name}: CSV", to_csv)):
            if fn is not None:
                seconds, _data = timed(lambda fn=fn, sheet=sheet: fn(sheet), args.repeat)
            times[step] = seconds
            print(f"  {step:<34}{rows:>8}{seconds:>9.3f}s", flush=True)
    seconds, (data, rows, _markings) = timed(lambda: template(drafter, period), args.repeat)
    times["import: the template"] = seconds
    print(f"  {'import: the template':<34}{rows:>8}{seconds:>9.3f}s", flush=True)
    seconds, upload = timed(lambda: read(data), args.repeat)
    times["import: read the file"] = seconds
    print(f"  {'import: read the file':<34}{len(upload.rows):>8}{seconds:>9.3f}s", flush=True)
    seconds, result = timed(lambda: plan.preview(drafter, period, upload), args.repeat)
    times["import: preview (nothing changes)"] = seconds
    print(f"  {'import: preview (nothing changes)':<34}{len(result.rows):>8}{seconds:>9.3f}s  "
          f"({result.summary()})", flush=True)
    Path(args.child).write_text(json.dumps({"scale": scale, "commitments": commitments, "times": times}))


if __name__ == "__main__":
    main()
