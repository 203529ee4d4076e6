"""Benchmark: loading the default data, and the visibility filter at 100× data.

Prints figures; asserts nothing. Runs on a throw-away SQLite file unless
DATABASE_URL is set:

    .venv/bin/python bench/bench_load_and_visibility.py
"""

from __future__ import annotations

import os
import random
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def timed(fn, repeat=5):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    from rapport.access.models import User
    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution
    from rapport.core.registry import registry
    from rapport.markings.models import ClassificationLevel
    from rapport.partnerships.models import Organisation
    from rapport.periods.models import ReportingPeriod
    from rapport.seed.load import load_dataset

    call_command("migrate", verbosity=0, skip_checks=True)
    folder = registry["seed_datasets"]["eu_nato"]
    start = time.perf_counter()
    load_dataset(folder)
    first = time.perf_counter() - start
    again = timed(lambda: load_dataset(folder), repeat=3)
    print(f"database: {connection.vendor}")
    print(f"load default data, first time: {first * 1000:8.1f} ms")
    print(f"load default data, unchanged:  {again * 1000:8.1f} ms (idempotent re-load)")

    # 100× the default data's contributions: 100 reporting periods × 74 commitments × 2 organisations
    # = 14,800 contributions with random markings, states and releasability.
    import datetime

    base = ReportingPeriod.objects.order_by("-ordinal").first()
    ReportingPeriod.objects.bulk_create([
        ReportingPeriod(partnership=base.partnership, ordinal=n, state="closed",
                        start=datetime.date(2025 + n, 6, 1), end=datetime.date(2026 + n, 5, 31))
        for n in range(base.ordinal + 1, 101)
    ])
    orgs = list(Organisation.objects.all())
    levels = {o.pk: list(ClassificationLevel.objects.filter(scheme=o.scheme)) for o in orgs}
    commitments = list(Commitment.objects.all())
    periods = list(ReportingPeriod.objects.all())
    rng = random.Random(7)
    rows, through_rows = [], []
    Through = Contribution.releasable_to.through
    for period in periods:
        for c in commitments:
            for org in orgs:
                rows.append(Contribution(organisation=org, commitment=c, period=period, narrative="x " * 80,
                                         state=rng.choice(["draft", "submitted", "approved"]),
                                         classification=rng.choice(levels[org.pk][:4])))
    Contribution.objects.bulk_create(rows, batch_size=2000)
    for contribution_id, org_id in Contribution.objects.values_list("pk", "organisation_id"):
        through_rows.append(Through(contribution_id=contribution_id, organisation_id=org_id))
        if rng.random() < 0.5:
            other = rng.choice(orgs).pk
            if other != org_id:
                through_rows.append(Through(contribution_id=contribution_id, organisation_id=other))
    Through.objects.bulk_create(through_rows, batch_size=5000, ignore_conflicts=True)
    total = Contribution.objects.count()
    print(f"contributions: {total} ({len(commitments)} commitments × {len(periods)} periods × {len(orgs)} organisations)")

    user = User.objects.create(username="bench", organisation=orgs[0], role="reader",
                               clearance=levels[orgs[0].pk][2])
    raw = timed(lambda: list(Contribution.objects.values_list("pk", flat=True)))
    visible = timed(lambda: list(Contribution.objects.visible_to(user).values_list("pk", flat=True)))
    count_raw = timed(lambda: Contribution.objects.count())
    count_visible = timed(lambda: Contribution.objects.visible_to(user).count())
    n_visible = Contribution.objects.visible_to(user).count()
    print(f"list all ids, unfiltered:      {raw * 1000:8.1f} ms")
    print(f"list ids visible_to(user):     {visible * 1000:8.1f} ms ({n_visible} of {total} visible; ratio {visible / raw:.2f}×)")
    print(f"count unfiltered:              {count_raw * 1000:8.1f} ms")
    print(f"count visible_to(user):        {count_visible * 1000:8.1f} ms (ratio {count_visible / count_raw:.2f}×)")


if __name__ == "__main__":
    main()
