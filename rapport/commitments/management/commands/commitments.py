import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rapport.commitments.models import Commitment
from rapport.core.commands import RapportCommand
from rapport.partnerships.models import Area


class Command(RapportCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = gettext_lazy(
        "List the commitments (common proposals) with their reference, area and mandate. "
        "Only PUBLIC commitments are listed: the command line reads as the public does. "
        "--json prints an array of objects with ref, area, area_name, mandate, mandate_date, title, wording."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", help=gettext_lazy("Only this area of cooperation (its key, e.g. hybrid, cyber)."))
        parser.add_argument("--json", action="store_true", help=gettext_lazy("Print JSON instead of a table."))

    def handle(self, *args, area=None, json=False, **options):
        qs = Commitment.objects.visible_to(None).select_related("area", "mandate").order_by("area__order", "order", "ref")
        if area:
            if not Area.objects.visible_to(None).filter(key=area).exists():
                keys = ", ".join(Area.objects.visible_to(None).order_by("order").values_list("key", flat=True))
                raise CommandError(_("No area %(area)s. Areas: %(keys)s") % {"area": repr(area), "keys": keys})
            qs = qs.filter(area__key=area)
        rows = [
            {"ref": c.ref, "area": c.area.key, "area_name": c.area.name, "mandate": c.mandate.key,
             "mandate_date": c.mandate.date.isoformat(), "title": c.title, "wording": c.wording}
            for c in qs
        ]
        if json:
            self.stdout.write(_json(rows))
            return
        for r in rows:
            self.stdout.write(f"{r['ref']:<13} {r['area']:<22} {r['title']}")
        self.stdout.write(ngettext("%(count)s commitment(s).", "%(count)s commitment(s).", len(rows)) % {"count": len(rows)})


def _json(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
