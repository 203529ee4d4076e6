"""Benchmark: exchange packages between two instances (the EU's and NATO's, each with its own
SQLite database, or NATO's on PostgreSQL when DATABASE_URL names a server), at 1× and 100× the
default data.

    .venv/bin/python bench/bench_exchange.py [--scale 1 100]

For each scale: both instances are initialised as their organisations and pin each other
(links accredited up to RESTRICTED), ``rapport demo --scale N`` fills both (the same synthetic
commitments on each side), NATO's instance drops its demo copy of the EU's contributions, then
the EU's instance exports everything NATO may receive and NATO's imports it, then the same
again (nothing new: the incremental cost). Times are measured inside one process each
(``rapport shell``), without the command's start-up; the figure per record is the time ÷ the
records in the package."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.federation.instances import Pair

EXPORT = """
import time
from rapport.federation.exporting import export_package, peer_by_key
t = time.perf_counter()
data, made = export_package(peer_by_key("nato"))
took = time.perf_counter() - t
open({path!r}, "wb").write(data)
import json
print(json.dumps({{"seconds": took, "bytes": len(data), "records": made.object_count}}))
"""

IMPORT = """
import time
from rapport.federation.importing import import_package
data = open({path!r}, "rb").read()
t = time.perf_counter()
out = import_package(data)
took = time.perf_counter() - t
import json
print(json.dumps({{"seconds": took, "created": out.created, "updated": out.updated, "unchanged": out.unchanged,
                  "replay": out.replay}}))
"""

DROP_EU = """
from rapport.contributions.models import Contribution, ContributionRevision
eu = Contribution.objects.filter(organisation__key="eu")
Contribution.objects.filter(pk__in=eu.values("pk")).update(approved_revision=None)
ContributionRevision.objects.filter(contribution__in=eu).delete()
eu.delete()
"""


def _json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def measure(scale: int) -> None:
    with Pair() as pair:
        for instance in (pair.eu, pair.nato):
            instance.run("demo", "--scale", str(scale))
        pair.nato.shell(DROP_EU)
        print(f"\n{scale}× the default data (EU's instance: SQLite; NATO's: "
              f"{'PostgreSQL' if pair.pg_name else 'SQLite'})")
        print(f"  {'step':<28}{'records':>9}{'seconds':>10}{'ms/record':>11}{'size':>12}")
        for n, label in ((1, "first package"), (2, "next package (nothing new)")):
            path = pair.root / f"package-{n}.json"
            out = _json(pair.eu.shell(EXPORT.format(path=str(path))))
            per = out["seconds"] * 1000 / out["records"] if out["records"] else 0
            print(f"  {'export, ' + label:<28}{out['records']:>9}{out['seconds']:>10.3f}{per:>11.3f}"
                  f"{out['bytes'] / 1024:>10.0f} KB")
            got = _json(pair.nato.shell(IMPORT.format(path=str(path))))
            records = got["created"] + got["updated"] + got["unchanged"]
            per = got["seconds"] * 1000 / records if records else 0
            print(f"  {'import, ' + label:<28}{records:>9}{got['seconds']:>10.3f}{per:>11.3f}"
                  f"{'':>12}  ({got['created']} new, {got['updated']} changed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 100])
    args = parser.parse_args()
    for scale in args.scale:
        measure(scale)


if __name__ == "__main__":
    main()
