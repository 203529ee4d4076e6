from pathlib import Path

from django.core.management.base import CommandError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rapport.access.models import User
from rapport.core.commands import RapportCommand
from rapport.web.exports import LISTS, record_export
from rapport.web.spreadsheets import FORMATS, render


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy(
        "Write a list as a spreadsheet, as one account sees it: 'rapport export LIST --user NAME "
        "[--format xlsx|csv] [--query \"area=3&period=12\"] --output FILE'. LIST is commitments (the commitment "
        "list), contributions (the list's period's contributions in full, the organisations side by side), "
        "evidence (one kind: --query \"kind=meetings|formats|exercises|activities&q=WORDS\") or audit (the audit "
        "log: --query \"verb=VERB\"). The query takes the list page's filters as its address shows them; the file "
        "holds only what that account may read, a marking column per row and the highest marking at the top and "
        "bottom. Every export is an audit entry."
    )

    def add_arguments(self, parser):
        parser.add_argument("list", choices=sorted(LISTS))
        parser.add_argument("--user", required=True, help=gettext_lazy("The account whose view is exported."))
        parser.add_argument("--format", default="xlsx", choices=sorted(FORMATS))
        parser.add_argument("--query", default="", help=gettext_lazy("The list's filters, as in the page's address."))
        parser.add_argument("--output", required=True, help=gettext_lazy("The file to write ('-' for standard output, CSV only)."))

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active account %(username)s.") % {"username": repr(options["user"])})
        fmt, output = options["format"], options["output"]
        if output == "-" and fmt != "csv":
            raise CommandError(_("Only CSV goes to standard output; give --output FILE for XLSX."))
        params = QueryDict(options["query"])
        sheet, errors = LISTS[options["list"]](user, params)
        if errors:
            raise CommandError(_("Nothing was written: %(errors)s")
                               % {"errors": "; ".join(f"{f}: {' '.join(e)}" for f, e in errors.items())})
        data = render(sheet, fmt)
        if output == "-":
            self.stdout.write(data.decode("utf-8-sig"), ending="")
        else:
            Path(output).write_bytes(data)
        record_export(user, what=options["list"], fmt=fmt, sheet=sheet, params=params)
        if output != "-":
            n = len(sheet.rows)
            self.stdout.write(ngettext("%(n)s row written to %(file)s (%(marking)s).",
                                       "%(n)s rows written to %(file)s (%(marking)s).", n)
                              % {"n": n, "file": output, "marking": sheet.marking})
