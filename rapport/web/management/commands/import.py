from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rapport.access.models import User
from rapport.periods.models import ReportingPeriod
from rapport.web.imports import plan as planning
from rapport.web.imports.reading import MAX_BYTES, Problem, Unreadable, read
from rapport.web.imports.template import template
from rapport.web.queries import the_partnership


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
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
        parser.add_argument("file", nargs="?", help="The XLSX file to import (contributions).")
        parser.add_argument("--user", required=True, help="The account that writes (its organisation's contributions).")
        parser.add_argument("--period", required=True, type=int, help="The reporting period's number.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--output", help="Where to write the template (template).")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active account {options['user']!r}.")
        period = ReportingPeriod.objects.visible_to(user).select_related("partnership").filter(
            partnership=the_partnership(), ordinal=options["period"]).first()
        if period is None:
            raise CommandError(f"No reporting period {options['period']}.")
        if options["what"] == "template":
            return self._template(user, period, options.get("output"))
        if not options.get("file"):
            raise CommandError("Name the file to import.")
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        try:
            upload = read(data)
        except Unreadable as exc:
            raise CommandError(f"{Problem(None, '', str(exc))} Nothing was written.") from None
        if options["dry_run"]:
            plan = planning.preview(user, period, upload)
            written = False
        else:
            plan, written = planning.apply(user, period, upload)
            if not written and not plan.all_problems:
                plan = planning.preview(user, period, upload)
        self._show(plan)
        if plan.all_problems:
            raise CommandError(f"Nothing was written: {plan.summary()}.")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {plan.summary()}; nothing was written.")
        elif written:
            self.stdout.write(f"Written: {plan.summary()}.")

    def _show(self, plan) -> None:
        for p in plan.problems:
            self.stdout.write(str(p))
        for row in plan.rows:
            if row.problems:
                for p in row.problems:
                    self.stdout.write(str(p))
            elif row.status in (planning.NEW, planning.CHANGED):
                fields = ", ".join(c.column for c in row.changes)
                self.stdout.write(f"Row {row.number} {row.reference}: {row.status} ({fields})")

    def _template(self, user, period, output) -> None:
        from rapport.web.exports import record_export
        from rapport.web.spreadsheets import Sheet

        if not output:
            raise CommandError("Give --output FILE for the template.")
        data, rows, markings = template(user, period)
        Path(output).write_bytes(data)
        sheet = Sheet(title="Contributions template", columns=[], marking=markings.sheet.text, rows=[[]] * rows,
                      top_rank=markings.sheet.rank)
        record_export(user, what="contributions-template", fmt="xlsx", sheet=sheet,
                      params={"period": str(period.ordinal)})
        self.stdout.write(f"{rows} rows written to {output} ({markings.sheet.text}).")
