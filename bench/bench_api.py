"""The API under load next to the pages that show the same records: throughput and p99 latency
of each API route and of its page, and the ratio of the two.

    .venv/bin/python bench/bench_api.py [--scale 1] [--duration 10] [--connections 16]

It builds a throw-away installation and serves it as ``bench/bench_web.py`` does
(``bench/_server.py``), makes a read token for the NATO coordinator with ``rapport token
create`` and signs the same account in for the pages, then drives each route and each page
with ``wrk``: a page of 50 commitments, one commitment, the open period's contributions (on
the pages, the commitment list for that period, which shows each organisation's contribution
side by side; ``/periods/N/`` is the cycle's deadlines and agreements, not its contributions),
and the audit log. The API's rate limit on reads is switched off for the run
(``RAPPORT_API_READS_PER_MINUTE=0``), or wrk would measure 429s. Figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import json
import urllib.request

from _server import fetch, first_commitment_pk, installation, require_wrk, run, shell, sign_in, wrk

ACCOUNT = "nato-coordinator"


def _token(env) -> str:
    out = run(env, "token", "create", ACCOUNT, "--name", "bench_api", "--scope", "read", "--days", "1")
    return out.strip().splitlines()[-1]  # the token itself, printed last


def _open_period(env) -> str:
    return shell(env, "from rapport.periods.models import ReportingPeriod; "
                      "print(ReportingPeriod.objects.filter(state='open').order_by('ordinal').last().ordinal)")


def _count(url: str, headers: dict[str, str]) -> int:
    """How many items the API's first page holds (to say what was measured)."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=120) as response:
        return len(json.load(response).get("items", []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds per route and per page (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the throw-away folder")
    args = parser.parse_args()
    require_wrk()
    # As in bench_web.py, the coordinator signs in to the pages with a password alone.
    with installation(args.scale, prefix="rapport-bench-api-", keep=args.keep, RAPPORT_TWO_FACTOR_ROLES="",
                      RAPPORT_API_READS_PER_MINUTE="0") as server:
        base, env = server.base, server.env
        page_auth = {"Cookie": sign_in(base, ACCOUNT, server.passwords[ACCOUNT])}
        api_auth = {"Authorization": f"Bearer {_token(env)}"}
        commitment, period = first_commitment_pk(env), _open_period(env)
        pairs = [("commitments list", "/api/v1/commitments?limit=50", "/commitments/"),
                 ("commitment detail", f"/api/v1/commitments/{commitment}", f"/commitments/{commitment}/"),
                 (f"period {period} contributions", f"/api/v1/contributions?period={period}&limit=50",
                  f"/commitments/?period={period}"),
                 ("audit log", "/api/v1/audit?limit=50", "/audit/")]
        print(f"\n{server.database}, {args.scale}× the default data; wrk -c{args.connections}, {args.duration} s "
              "per route, gunicorn 2 workers × 4 threads; the API as the NATO coordinator's read token, "
              "the pages as the coordinator signed in; API rate limit on reads off "
              "(RAPPORT_API_READS_PER_MINUTE=0)")
        print(f"{'records':<26}{'API req/s':>10}{'page req/s':>11}{'API/page':>9}{'API p99':>9}{'page p99':>9}"
              f"{'API KB':>8}{'page KB':>8}  items")
        for label, api_path, page_path in pairs:
            measured = []
            for path, auth in ((api_path, api_auth), (page_path, page_auth)):
                status, size = fetch(base + path, auth)
                rps, p99 = wrk(base + path, auth, args.duration, args.connections)
                measured.append((status, size, rps, p99))
            (a_status, a_size, a_rps, a_p99), (p_status, p_size, p_rps, p_p99) = measured
            items = _count(base + api_path, api_auth) if "?" in api_path else 1
            notes = "".join(f"  ({what} status {status})" for what, status in (("API", a_status), ("page", p_status))
                            if status != 200)
            print(f"{label:<26}{a_rps:>10.1f}{p_rps:>11.1f}{a_rps / p_rps:>9.2f}{a_p99:>9.0f}{p_p99:>9.0f}"
                  f"{a_size / 1024:>8.1f}{p_size / 1024:>8.1f}  {items}{notes}")


if __name__ == "__main__":
    main()
