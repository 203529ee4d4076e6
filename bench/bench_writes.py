"""Writes at scale: edits, submissions and approvals per second through the services
(policy, validation, revision, audit entry, search index), at 1× and at a larger scale.

    .venv/bin/python bench/bench_writes.py [--scales 1,100] [--count 40]

Each scale is a throw-away SQLite installation (or the database DATABASE_URL names,
emptied by being new) filled by ``rapport demo --scale N``; the drafts the
demonstration left in the open period are edited, submitted and approved by the
demo accounts. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import statistics, sys, time
import django
django.setup()
from rapport.access.models import User
from rapport.contributions import services
from rapport.contributions.models import Contribution

count = int(sys.argv[1])
drafter, approver = User.objects.get(username="nato-drafter"), User.objects.get(username="nato-approver")
drafts = list(Contribution.objects.filter(organisation__key="nato", state="draft", period__state="open",
                                          classification__rank__lte=drafter.clearance_rank)
              .select_related("classification").order_by("pk")[:count])
timings = {"edit": [], "submit": [], "approve": []}
for c in drafts:
    start = time.perf_counter()
    c = services.edit_contribution(actor=drafter, contribution=c, base_version=c.version,
                                   narrative=c.narrative + " Edited for the benchmark.",
                                   classification=c.classification, releasable_to=list(c.releasable_to.all()))
    timings["edit"].append(time.perf_counter() - start)
    start = time.perf_counter()
    c = services.submit_contribution(actor=drafter, contribution=c)
    timings["submit"].append(time.perf_counter() - start)
    start = time.perf_counter()
    services.approve_contribution(actor=approver, contribution=c)
    timings["approve"].append(time.perf_counter() - start)
for name, samples in timings.items():
    print(f"{name:<8}{len(samples):>6}{1 / statistics.median(samples):>12.1f}{statistics.median(samples) * 1000:>12.1f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--count", type=int, default=40, help="contributions to edit, submit and approve")
    args = parser.parse_args()
    rapport = ROOT / ".venv" / "bin" / "rapport"
    for scale in (int(s) for s in args.scales.split(",")):
        folder = Path(tempfile.mkdtemp(prefix="rapport-bench-writes-"))
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(RAPPORT_DATA_DIR=str(folder), RAPPORT_SECRET_KEY=secrets.token_urlsafe(50),
                   RAPPORT_AUDIT_KEY=secrets.token_hex(32), DJANGO_SETTINGS_MODULE="rapport.settings.base")
        env.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        for step in (["init"], ["demo", "--scale", str(scale)]):
            done = subprocess.run([str(rapport), *step], env=env, capture_output=True, text=True)
            if done.returncode:
                sys.exit(done.stderr)
        print(f"\n{scale}× ({'PostgreSQL' if env['DATABASE_URL'].startswith('postgres') else 'SQLite'}): "
              f"{'write':<8}{'count':>6}{'per second':>12}{'median ms':>12}")
        out = subprocess.run([sys.executable, "-c", SCRIPT, str(args.count)], env=env, capture_output=True, text=True,
                             cwd=ROOT)
        print(out.stdout.rstrip() or out.stderr)


if __name__ == "__main__":
    main()
