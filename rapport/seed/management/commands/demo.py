from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand
from rapport.core.errors import InputError
from rapport.partnerships.models import Partnership
from rapport.seed.demo import generate


class Command(RapportCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = gettext_lazy(
        "Fill the open reporting periods with demonstration contributions, joint texts and evidence links, "
        "every text saying it is demonstration text, so the dashboard and the report have something to show. "
        "--scale N first adds demonstration commitments until the partnership has N times its own, to try "
        "Rapport at a larger size. Each row gets its audit entry. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help=gettext_lazy("How many times the partnership's commitments (default 1)."))
        parser.add_argument("--partnership", help=gettext_lazy("Partnership key, when more than one is loaded."))

    def handle(self, *args, scale, partnership, **options):
        found = list(Partnership.objects.filter(key=partnership) if partnership else Partnership.objects.all()[:2])
        if len(found) != 1:
            raise CommandError(_("No partnership %(key)s.") % {"key": repr(partnership)} if partnership else
                               _("Name the partnership with --partnership.") if found else
                               _("No partnership is loaded; run 'rapport init'."))
        try:
            summary = generate(found[0], scale=scale)
        except InputError as exc:
            raise CommandError(_("Nothing was added. %(error)s") % {"error": exc.detail}) from None
        self.stdout.write(summary.describe())
