from django.core.management.base import BaseCommand, CommandError

from rapport.core.errors import InputError
from rapport.partnerships.models import Partnership
from rapport.seed.demo import generate


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = (
        "Fill the open reporting periods with demonstration contributions, joint texts and evidence links, "
        "every text saying it is demonstration text, so the dashboard and the report have something to show. "
        "--scale N first adds demonstration commitments until the partnership has N times its own, to try "
        "Rapport at a larger size. Each row gets its audit entry. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="How many times the partnership's commitments (default 1).")
        parser.add_argument("--partnership", help="Partnership key, when more than one is loaded.")

    def handle(self, *args, scale, partnership, **options):
        found = list(Partnership.objects.filter(key=partnership) if partnership else Partnership.objects.all()[:2])
        if len(found) != 1:
            raise CommandError(f"No partnership {partnership!r}." if partnership else
                               "Name the partnership with --partnership." if found else
                               "No partnership is loaded; run 'rapport init'.")
        try:
            summary = generate(found[0], scale=scale)
        except InputError as exc:
            raise CommandError(f"Nothing was added. {exc.detail}") from None
        self.stdout.write(summary.describe())
