from django.core.management.base import BaseCommand

from rapport.periods.models import ReportingPeriod
from rapport.reports.models import Report


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = "List the reporting periods: ordinal, dates, state, and the state of each period's report."

    def handle(self, *args, **options):
        reports = {r.period_id: r for r in Report.objects.visible_to(None)}
        for p in ReportingPeriod.objects.order_by("partnership", "ordinal"):
            report = reports.get(p.pk)
            state = report.get_state_display() if report else "no published report"
            self.stdout.write(f"{p.ordinal:>3}  {p.start:%Y-%m-%d} – {p.end:%Y-%m-%d}  {p.get_state_display():<24} {state}")
