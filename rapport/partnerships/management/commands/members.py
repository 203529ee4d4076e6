import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rapport.partnerships.models import Membership, Organisation


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = "List an organisation's member states on a date (default today), with the date each joined."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="Organisation key, e.g. eu or nato.")
        parser.add_argument("--on", help="Date, YYYY-MM-DD (default: today).")

    def handle(self, *args, organisation, on=None, **options):
        org = Organisation.objects.filter(key=organisation).first()
        if org is None:
            keys = ", ".join(Organisation.objects.values_list("key", flat=True))
            raise CommandError(f"No organisation {organisation!r}. Organisations: {keys}")
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on must be a date as YYYY-MM-DD, not {on!r}") from None
        members = Membership.objects.current(day).filter(organisation=org).select_related("state").order_by("state__name")
        for m in members:
            self.stdout.write(f"{m.state.code:<3} {m.state.name:<28} since {m.joined:%Y-%m-%d}")
        self.stdout.write(f"{org.short_name} had {members.count()} member states on {day:%Y-%m-%d}.")
