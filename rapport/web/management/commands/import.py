from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rapport.access.models import User
from rapport.core.commands import RapportCommand
from rapport.periods.models import ReportingPeriod
from rapport.web.imports import plan as planning
from rapport.web.imports.reading import MAX_BYTES, Problem, Unreadable, read
from rapport.web.imports.template import template
from rapport.web.queries import the_partnership


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy(
        "Import one organisation's contributions of one period from a spreadsheet, as one account: "
        "'rapport import contributions FILE --user NAME --period N [--dry-run]'. The account writes for its own "
        "organisation, through the same checks as the pages (it must be a drafter or coordinator, the period open "
        "for writing, the markings its own scheme's up to its clearance). Each row is compared with what is "
        "stored and shown as new, changed (with the fields that change) or unchanged; with --dry-run nothing is "
        "written. Otherwise everything is written in one transaction, an audit entry per change, or nothing at "
        "all if any row has an error. Importing the same file again changes nothing. "
        "'rapport import template --user NAME --period N --output FILE' writes the template to fill in."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["contributions", "template"])
        parser.add_argument("file", nargs="?", help=gettext_lazy("The XLSX file to import (contributions)."))
        parser.add_argument("--user", required=True, help=gettext_lazy("The account that writes (its organisation's contributions)."))
        parser.add_argument("--period", required=True, type=int, help=gettext_lazy("The reporting period's number."))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("Show what would change; write nothing."))
        parser.add_argument("--output", help=gettext_lazy("Where to write the template (template)."))

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active account %(username)s.") % {"username": repr(options["user"])})
        period = ReportingPeriod.objects.visible_to(user).select_related("partnership").filter(
            partnership=the_partnership(), ordinal=options["period"]).first()
        if period is None:
            raise CommandError(_("No reporting period %(number)s.") % {"number": options["period"]})
        if options["what"] == "template":
            return self._template(user, period, options.get("output"))
        if not options.get("file"):
            raise CommandError(_("Name the file to import."))
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s.") % {"file": path, "error": exc.strerror or exc}) from None
        try:
            upload = read(data)
        except Unreadable as exc:
            raise CommandError(_("%(problem)s Nothing was written.") % {"problem": Problem(None, "", str(exc))}) from None
        if options["dry_run"]:
            plan = planning.preview(user, period, upload)
            written = False
        else:
            plan, written = planning.apply(user, period, upload)
            if not written and not plan.all_problems:
                plan = planning.preview(user, period, upload)
        self._show(plan)
        if plan.all_problems:
            raise CommandError(_("Nothing was written: %(summary)s.") % {"summary": plan.summary()})
        if options["dry_run"]:
            self.stdout.write(_("Dry run: %(summary)s; nothing was written.") % {"summary": plan.summary()})
        elif written:
            self.stdout.write(_("Written: %(summary)s.") % {"summary": plan.summary()})

    def _show(self, plan) -> None:
        for p in plan.problems:
            self.stdout.write(str(p))
        for row in plan.rows:
            if row.problems:
                for p in row.problems:
                    self.stdout.write(str(p))
            elif row.status in (planning.NEW, planning.CHANGED):
                fields = ", ".join(c.column for c in row.changes)
                self.stdout.write(_("Row %(number)s %(reference)s: %(status)s (%(fields)s)")
                                  % {"number": row.number, "reference": row.reference, "status": row.status,
                                     "fields": fields})

    def _template(self, user, period, output) -> None:
        from rapport.web.exports import record_export
        from rapport.web.spreadsheets import Sheet

        if not output:
            raise CommandError(_("Give --output FILE for the template."))
        data, rows, markings = template(user, period)
        Path(output).write_bytes(data)
        sheet = Sheet(title="Contributions template", columns=[], marking=markings.sheet.text, rows=[[]] * rows,
                      top_rank=markings.sheet.rank)
        record_export(user, what="contributions-template", fmt="xlsx", sheet=sheet,
                      params={"period": str(period.ordinal)})
        self.stdout.write(ngettext("%(n)s row written to %(file)s (%(marking)s).",
                                   "%(n)s rows written to %(file)s (%(marking)s).", rows)
                          % {"n": rows, "file": output, "marking": markings.sheet.text})
