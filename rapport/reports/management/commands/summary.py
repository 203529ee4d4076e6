"""rapport summary: the public summary of a period's report, as Markdown."""

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand
from rapport.core.errors import RapportError


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy(
        "Print the public summary of a period's report (a press-release style text) as Markdown. "
        "It is written from PUBLIC content only. It reads as the public: the report must be published, "
        "unless --user names an account that may read the report's public edition (a draft's, say).")

    def add_arguments(self, parser):
        parser.add_argument("--period", type=int, required=True,
                            help=gettext_lazy("Ordinal of the reporting period, e.g. 8."))
        parser.add_argument("--partnership", help=gettext_lazy("Partnership key, when more than one is loaded."))
        parser.add_argument("--user", help=gettext_lazy("Act as this account (to read the summary of a report not "
                                                        "yet published)."))

    def handle(self, *args, period, partnership=None, user=None, **options):
        from rapport.reports.build import find_period, public_summary_markdown, require_edition
        from rapport.reports.management.commands.report import _account, database_error

        try:
            period_obj = find_period(period, partnership)
            require_edition(_account(user), period_obj, "public")
            self.stdout.write(public_summary_markdown(period_obj))
        except RapportError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise database_error(exc) from None
