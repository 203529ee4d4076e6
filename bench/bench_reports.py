"""Benchmark: the time of each report format, and its ratio to the time of only
reading the same rows from the database (the visible-records load).

For the default data (eighth report) and for a synthetic partnership 100× the
size of the default data's register. Prints figures; asserts nothing. Runs on a
throw-away SQLite file unless DATABASE_URL is set:

    .venv/bin/python bench/bench_reports.py [--scale 100] [--formats html,md,docx,pdf]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
tmp = tempfile.mkdtemp(prefix="rapport-bench-")
os.environ.setdefault("RAPPORT_DATA_DIR", tmp)
# A throw-away installation: its own keys (rapport init would write them to the data directory).
os.environ.setdefault("RAPPORT_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("RAPPORT_AUDIT_KEY", secrets.token_hex(32))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from rapport.reports.assemble import assemble  # noqa: E402
from rapport.reports.build import edition_for, render_document  # noqa: E402
from rapport.reports.records import load_records  # noqa: E402


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def read_rows(period, edition):
    """Only the database reads: every visible row the document is made from, materialised."""
    r = load_records(period, edition)
    for obj in [*r.contributions.values(), *r.highlights]:
        for name in ("formats", "meetings", "exercises", "activities"):
            list(getattr(obj, name).all())
    return r


def bench(label, period, edition_name, formats, repeat):
    edition = edition_for(period, edition_name)
    read = timed(lambda: read_rows(period, edition), repeat)
    doc_time = timed(lambda: assemble(period, edition), repeat)
    doc = assemble(period, edition)
    print(f"\n{label} — edition {edition.name}: {len(doc.canonical_json()) / 1024:.0f} KiB of document")
    print(f"  {'step':<22}{'seconds':>9}{'× read':>9}")
    print(f"  {'read rows':<22}{read:>9.3f}{1:>9.1f}")
    print(f"  {'assemble document':<22}{doc_time:>9.3f}{doc_time / read:>9.1f}")
    for fmt in formats:
        reps = 1 if fmt in ("pdf", "docx") and repeat > 1 and "100" in label else repeat
        t = timed(lambda fmt=fmt: render_document(assemble(period, edition), fmt), reps)
        size = len(render_document(doc, fmt)) if reps == repeat else 0
        note = f"  ({size / 1024:.0f} KiB)" if size else ""
        print(f"  {fmt + ' (assemble+render)':<22}{t:>9.3f}{t / read:>9.1f}{note}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--formats", default="html,md,docx,pdf")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    formats = args.formats.split(",")
    call_command("migrate", verbosity=0)
    from rapport.core.registry import registry
    from rapport.seed.load import load_dataset

    load_dataset(registry["seed_datasets"]["eu_nato"])
    from rapport.partnerships.models import Partnership

    eighth = Partnership.objects.get(key="eu-nato").periods.get(ordinal=8)
    bench("Default data, eighth report", eighth, "public", formats, args.repeat)
    bench("Default data, eighth report", eighth, "nato", formats, args.repeat)

    from tests.synthetic import build

    start = time.perf_counter()
    # 74 commitments in the default register; 100× is 7,400 (10 areas × 7.4 each × scale).
    data = build(prefix="bench", n_areas=10, per_area=74 // 10 + 1, scale=args.scale, periods=2)
    n = len(data["commitments"])
    print(f"\nBuilt a synthetic partnership of {n} commitments and {2 * n * 2} contributions "
          f"in {time.perf_counter() - start:.1f} s")
    bench(f"Synthetic partnership, {args.scale}× ({n} commitments)", data["periods"][1], "bench0", formats, args.repeat)


if __name__ == "__main__":
    main()
