"""The audit log at growing lengths: ``rapport audit verify`` and the audit pages.

    .venv/bin/python bench/bench_audit.py [--entries 20000 200000] [--repeat 5]

Each length is a throw-away installation (``rapport init`` and the demo accounts, SQLite
unless DATABASE_URL names an empty PostgreSQL database) whose log is grown to the given
number of entries with ``audit.record.record_many`` (the writer ``rapport demo`` uses),
one entry per commitment in turn, marked as the commitment is. For each length it prints:

- the full verification (every entry's keyed hash, the head, the checkpoint file) in
  seconds and entries per second: it should be linear in the length;
- the status the audit page shows (``page_status``: entries since the last check);
- the first page of ``/audit/``, the page after following the "older" cursor ten times,
  and one object's page, as the NATO coordinator, in milliseconds (median of --repeat):
  they should not grow with the length.

Figures are printed, never asserted.
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

CHILD = r"""
import statistics, sys, time
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()  # responses carry their template context (the cursors)
from django.test import Client
from rapport.access.models import User
from rapport.audit.models import AuditEvent
from rapport.audit.record import Entry, record_many
from rapport.audit.verify import page_status, verify_chain
from rapport.commitments.models import Commitment

wanted, repeat = int(sys.argv[1]), int(sys.argv[2])
commitments = list(Commitment.objects.select_related("classification").prefetch_related("releasable_to"))
have = AuditEvent.objects.count()
start = time.perf_counter()
while have < wanted:
    batch = [Entry(obj=c, message="Benchmark entry.", classification=c.classification,
                   releasable_to=list(c.releasable_to.all()))
             for c in (commitments[(have + i) % len(commitments)] for i in range(min(20000, wanted - have)))]
    have += record_many(actor=None, verb="commitment.updated", entries=batch, system_actor="bench")
grown = time.perf_counter() - start


def median(fn):
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


start = time.perf_counter()
status = verify_chain()
verify = time.perf_counter() - start
assert status.ok, status
page = median(page_status)
client = Client()
client.force_login(User.objects.get(username="nato-coordinator"))


def first():
    response = client.get("/audit/")
    assert response.status_code == 200
    return response


deep_url = "/audit/"
for _ in range(10):
    deep_url = f"/audit/?before={client.get(deep_url).context['entries'].older}"
deep = lambda: client.get(deep_url)


target = Commitment.objects.visible_to(User.objects.get(username="nato-coordinator")).order_by("pk").first()
obj = lambda: client.get(f"/audit/commitments.commitment/{target.pk}/")
assert obj().status_code == 200
first()
print(f"{AuditEvent.objects.count():>10}{grown:>9.1f}{verify:>10.2f}{AuditEvent.objects.count() / verify:>12,.0f}"
      f"{page * 1000:>12.1f}{median(first) * 1000:>11.1f}{median(deep) * 1000:>12.1f}{median(obj) * 1000:>11.1f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[20000, 200000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rapport = ROOT / ".venv" / "bin" / "rapport"
    print(f"{'entries':>10}{'grow s':>9}{'verify s':>10}{'entries/s':>12}{'status ms':>12}{'page 1 ms':>11}"
          f"{'page 11 ms':>12}{'object ms':>11}")
    for entries in args.entries:
        folder = Path(tempfile.mkdtemp(prefix="rapport-bench-audit-"))
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(RAPPORT_DATA_DIR=str(folder), RAPPORT_SECRET_KEY=secrets.token_urlsafe(50),
                   DJANGO_SETTINGS_MODULE="rapport.settings.base")
        env.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        done = subprocess.run([str(rapport), "init"], env=env, capture_output=True, text=True)
        if done.returncode:
            sys.exit(done.stderr)
        out = subprocess.run([sys.executable, "-c", CHILD, str(entries), str(args.repeat)], env=env,
                             capture_output=True, text=True, cwd=ROOT)
        print(out.stdout.rstrip() or out.stderr[-3000:])


if __name__ == "__main__":
    main()
