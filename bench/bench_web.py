"""Pages as a user feels them: throughput, p99 latency and size of the main pages under
load, each as a ratio to a trivial page served through the same middleware.

    .venv/bin/python bench/bench_web.py [--scale 1] [--duration 10] [--connections 16]

It builds a throw-away installation (``rapport init``, then ``rapport demo --scale N``),
starts ``rapport serve`` (gunicorn, 2 workers × 4 threads) on a free loopback port,
signs in as a NATO coordinator, and drives each page with ``wrk`` (Debian's package;
``scripts/setup --bench`` installs it): ``bench/_server.py``. The database is SQLite in
the throw-away folder unless DATABASE_URL names another (a PostgreSQL database is emptied
first by ``rapport init``'s migrations only if it is new: give it an empty one). Figures
are printed, never asserted.
"""

from __future__ import annotations

import argparse

from _server import fetch, first_commitment_pk, installation, require_wrk, sign_in, wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the throw-away folder")
    args = parser.parse_args()
    require_wrk()
    # Two-factor sign-in is one more step at sign-in, not a cost per page: the benchmark's
    # coordinator signs in with a password alone.
    with installation(args.scale, prefix="rapport-bench-web-", keep=args.keep, RAPPORT_TWO_FACTOR_ROLES="") as server:
        base = server.base
        cookie = {"Cookie": sign_in(base, "nato-coordinator", server.passwords["nato-coordinator"])}
        detail = f"/commitments/{first_commitment_pk(server.env)}/"
        pages = [("trivial view (/health/)", "/health/"), ("commitments list", "/commitments/"),
                 ("commitment detail", detail), ("dashboard", "/dashboard/"), ("search", "/search/?q=staff"),
                 ("audit log", "/audit/"), ("public home", "/"), ("public report 8", "/public/reports/8/")]
        print(f"\n{server.database}, {args.scale}× the default data; wrk -c{args.connections}, {args.duration} s "
              "per page, gunicorn 2 workers × 4 threads")
        print(f"{'page':<26}{'req/s':>9}{'× trivial':>11}{'p99 ms':>9}{'size KB':>10}")
        trivial = None
        for label, path in pages:
            status, size = fetch(base + path, cookie)
            rps, p99 = wrk(base + path, cookie, args.duration, args.connections)
            trivial = trivial or rps
            print(f"{label:<26}{rps:>9.1f}{rps / trivial:>11.3f}{p99:>9.0f}{size / 1024:>10.0f}"
                  + ("" if status == 200 else f"  (status {status})"))


if __name__ == "__main__":
    main()
