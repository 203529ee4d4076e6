"""Benchmark: the joint report of the open period at 1×, 10× and 100× the default data.

    .venv/bin/python bench/bench_reports.py [--scale 1 10 [100]] [--formats html,md,docx,pdf]
                                            [--edition public] [--repeat 3] [--pdf-repeat N]
    .venv/bin/python bench/bench_reports.py --database sqlite:////tmp/demo100/db.sqlite3

Each scale is a throw-away installation made as ``rapport init`` and ``rapport demo --scale N``
make one (the default data, the demo accounts, then ``rapport.seed.demo.generate``, the
generator bench/bench_web.py and ``rapport demo`` use), in a process of its own. The report
is that of the open period (the twelfth in the default data), whose demonstration contributions are partly
approved: only approved ones enter a report.

For each scale and edition it prints the median time of: reading the rows (``load_records``,
every visible row the document is made from), assembling the document (reading included),
rendering each format from the assembled document, and WeasyPrint alone on the same HTML
(the PDF renderer is that plus the HTML); then ratios (assembling to reading, DOCX to HTML,
PDF to WeasyPrint alone) and, across scales, how each time grew. Figures are printed, never
asserted.

The database is SQLite in a throw-away folder. With DATABASE_URL naming a PostgreSQL
database, each scale gets a database of its own next to it (``<name>_bench_<scale>``,
created and dropped here: the account needs CREATEDB), e.g. on scripts/pg's cluster.
``--database URL`` measures an existing database as it is (its scale is read from its
commitments), e.g. one made with ``rapport init && rapport demo --scale 100``.
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
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OWN_COMMITMENTS = 74  # the default data's register; --scale N makes N times as many
STEPS = ("read", "assemble", "html", "md", "docx", "pdf", "weasyprint")


# Parent: one process per scale ---------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10], help="scales to run (default 1 10)")
    parser.add_argument("--database", help="measure this existing database as it is (one run, no set-up)")
    parser.add_argument("--formats", default="html,md,docx,pdf")
    parser.add_argument("--edition", default="public", help="comma-separated editions (default public)")
    parser.add_argument("--period", type=int, help="period ordinal (default: the open period)")
    parser.add_argument("--repeat", type=int, default=3, help="samples per step; the median is shown")
    parser.add_argument("--pdf-repeat", type=int, help="samples of PDF and WeasyPrint (default --repeat)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    runs = []
    if args.database:
        runs.append(run_child(args, None, args.database))
    else:
        for scale in args.scale:
            runs.append(run_child(args, scale, None))
    growth(runs)


def run_child(args, scale: int | None, database: str | None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="rapport-bench-reports-"))
    env = dict(os.environ, RAPPORT_DATA_DIR=str(folder), RAPPORT_SECRET_KEY=secrets.token_urlsafe(50),
               RAPPORT_AUDIT_KEY=secrets.token_hex(32), DJANGO_SETTINGS_MODULE="rapport.settings.base")
    created = None
    if database:
        env["DATABASE_URL"] = database
    elif os.environ.get("DATABASE_URL", "").startswith("postgres"):
        created = env["DATABASE_URL"] = _pg_database(os.environ["DATABASE_URL"], f"_bench_{scale}", create=True)
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    out = folder / "result.json"
    cmd = [sys.executable, __file__, "--child", str(out), "--formats", args.formats, "--edition", args.edition,
           "--repeat", str(args.repeat), "--scale", str(scale or 0)]
    if args.period:
        cmd += ["--period", str(args.period)]
    if args.pdf_repeat:
        cmd += ["--pdf-repeat", str(args.pdf_repeat)]
    try:
        done = subprocess.run(cmd, env=env, cwd=ROOT)
        if done.returncode:
            sys.exit(f"the run at scale {scale} failed")
        return json.loads(out.read_text())
    finally:
        if created:
            _pg_database(os.environ["DATABASE_URL"], f"_bench_{scale}", create=False)
        shutil.rmtree(folder, ignore_errors=True)


def _pg_database(url: str, suffix: str, create: bool) -> str:
    """Create (or drop) a database named after the one in ``url``; return its URL."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def growth(runs: list[dict]) -> None:
    if len(runs) < 2:
        return
    print("\nGrowth between scales (time at the larger scale ÷ time at the smaller; linear is the ratio of sizes)")
    pairs = list(zip(runs, runs[1:], strict=False))
    for edition in runs[0]["editions"]:
        print(f"  edition {edition}")
        steps = [f"{a['scale']}×→{b['scale']}×" for a, b in pairs]
        print(f"    {'step':<12}" + "".join(f"{label:>14}" for label in steps))
        sizes = "".join(f"{b['contributions'] / max(a['contributions'], 1):>13.1f}×" for a, b in pairs)
        print(f"    {'size':<12}{sizes}")
        for step in STEPS:
            cells = []
            for a, b in pairs:
                ta, tb = a["editions"][edition].get(step), b["editions"][edition].get(step)
                cells.append(f"{tb / ta:>13.1f}×" if ta and tb else f"{'—':>14}")
            print(f"    {step:<12}" + "".join(cells))


# Child: one installation, one scale ------------------------------------------------------------


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    start = time.perf_counter()
    partnership, scale = _install(args.scale[0])
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    period = _period(partnership, args.period)
    from rapport.contributions.models import Contribution

    approved = Contribution.objects.filter(period=period, state="approved").count()
    total = Contribution.objects.filter(period=period).count()
    commitments = partnership.commitments.count()
    print(f"\n{database}, {scale}× the default data: {commitments} commitments; period {period.ordinal} holds "
          f"{total} contributions, {approved} approved (set up in {time.perf_counter() - start:.0f} s)", flush=True)
    result = {"scale": scale, "database": database, "contributions": approved, "editions": {}}
    for edition in args.edition.split(","):
        result["editions"][edition] = measure(period, edition, args)
    Path(args.child).write_text(json.dumps(result))


def _install(scale: int):
    """The default data, the demo accounts and the demonstration data at this scale
    (an existing database is taken as it is)."""
    from django.core.management import call_command

    from rapport.access.demo import ensure_demo_users
    from rapport.core.registry import registry
    from rapport.partnerships.models import Partnership
    from rapport.seed.demo import generate
    from rapport.seed.load import load_dataset

    if scale:
        call_command("migrate", verbosity=0)
        load_dataset(registry["seed_datasets"]["eu_nato"])
        partnership = Partnership.objects.get(key="eu-nato")
        ensure_demo_users(partnership)  # approved contributions name their approver
        generate(partnership, scale=scale)
        return partnership, scale
    partnership = Partnership.objects.get(key="eu-nato")
    own = partnership.commitments.exclude(mandate__kind="demonstration").count() or OWN_COMMITMENTS
    return partnership, round(partnership.commitments.count() / own)


def _period(partnership, ordinal):
    from rapport.periods.choices import PeriodState

    periods = partnership.periods.order_by("ordinal")
    found = periods.filter(ordinal=ordinal).first() if ordinal else periods.filter(state=PeriodState.OPEN).first()
    if found is None:
        sys.exit("no such period (and no open one)")
    return found


def timed(fn, repeat: int) -> tuple[float, list[float], object]:
    samples, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples, value


def measure(period, edition_name: str, args) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rapport.reports.assemble import assemble
    from rapport.reports.build import edition_for, render_document
    from rapport.reports.records import load_records
    from rapport.reports.renderers.html import render_html

    edition = edition_for(period, edition_name)
    with CaptureQueriesContext(connection) as queries:
        load_records(period, edition)
    times: dict[str, float] = {}
    notes: dict[str, str] = {}
    pdf_repeat = args.pdf_repeat or args.repeat

    def step(name, fn, repeat=args.repeat):
        median, samples, value = timed(fn, repeat)
        times[name] = median
        spread = f"{min(samples):.3f}–{max(samples):.3f}" if len(samples) > 1 else ""
        print(f"  {name:<12}{median:>10.3f}{median / times['read']:>9.1f}  {spread:<16}{notes.get(name, '')}",
              flush=True)
        return value

    print(f"\n  edition {edition.name}: reading makes {len(queries)} queries")
    print(f"  {'step':<12}{'seconds':>10}{'× read':>9}  {'min–max':<16}output")
    step("read", lambda: load_records(period, edition))
    doc = step("assemble", lambda: assemble(period, edition))
    html = render_html(doc)
    for fmt in args.formats.split(","):
        size = len(render_document(doc, fmt))
        notes[fmt] = f"{size / 1024:,.0f} KiB"
        step(fmt, lambda fmt=fmt: render_document(doc, fmt), pdf_repeat if fmt == "pdf" else args.repeat)
    if "pdf" in args.formats.split(","):
        pages = _weasyprint(html)
        notes["weasyprint"] = f"{pages} pages, on the same HTML"
        step("weasyprint", lambda: _weasyprint(html), pdf_repeat)
    ratios = [("assemble ÷ read", "assemble", "read"), ("docx ÷ html", "docx", "html"),
              ("pdf ÷ weasyprint", "pdf", "weasyprint")]
    shown = [f"{label} {times[a] / times[b]:.2f}" for label, a, b in ratios if a in times and b in times]
    print("  " + "; ".join(shown))
    return times


def _weasyprint(html: str) -> int:
    from weasyprint import HTML

    rendered = HTML(string=html).render()
    rendered.write_pdf()
    return len(rendered.pages)


if __name__ == "__main__":
    main()
