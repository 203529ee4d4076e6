from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand
from rapport.periods.models import ReportingPeriod
from rapport.reports.models import Report


class Command(RapportCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = gettext_lazy("List the reporting periods: ordinal, dates, state, and the state of each period's report.")

    def handle(self, *args, **options):
        reports = {r.period_id: r for r in Report.objects.visible_to(None)}
        for p in ReportingPeriod.objects.order_by("partnership", "ordinal"):
            report = reports.get(p.pk)
            state = report.get_state_display() if report else _("no published report")
            # The columns line up: the ordinal, the dates (ISO, as the other commands print them),
            # the period's state and its report's.
            self.stdout.write(_("%(ordinal)s  %(start)s – %(end)s  %(state)s %(report)s") % {
                "ordinal": f"{p.ordinal:>3}", "start": f"{p.start:%Y-%m-%d}", "end": f"{p.end:%Y-%m-%d}",
                "state": f"{p.get_state_display():<24}", "report": state})
