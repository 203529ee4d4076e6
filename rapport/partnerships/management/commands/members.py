import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rapport.core.commands import RapportCommand
from rapport.partnerships.models import Membership, Organisation


class Command(RapportCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = gettext_lazy("List an organisation's member states on a date (default today), with the date each joined.")

    def add_arguments(self, parser):
        parser.add_argument("organisation", help=gettext_lazy("Organisation key, e.g. eu or nato."))
        parser.add_argument("--on", help=gettext_lazy("Date, YYYY-MM-DD (default: today)."))

    def handle(self, *args, organisation, on=None, **options):
        org = Organisation.objects.filter(key=organisation).first()
        if org is None:
            keys = ", ".join(Organisation.objects.values_list("key", flat=True))
            raise CommandError(_("No organisation %(key)s. Organisations: %(keys)s") % {"key": repr(organisation), "keys": keys})
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(_("--on must be a date as YYYY-MM-DD, not %(value)s") % {"value": repr(on)}) from None
        members = Membership.objects.current(day).filter(organisation=org).select_related("state").order_by("state__name")
        for m in members:
            self.stdout.write(_("%(code)s %(name)s since %(date)s") % {
                "code": f"{m.state.code:<3}", "name": f"{m.state.name:<28}", "date": f"{m.joined:%Y-%m-%d}"})
        count = members.count()
        self.stdout.write(ngettext("%(organisation)s had %(count)s member state on %(date)s.",
                                   "%(organisation)s had %(count)s member states on %(date)s.", count)
                          % {"organisation": org.short_name, "count": count, "date": f"{day:%Y-%m-%d}"})
