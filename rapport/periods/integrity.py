"""Period rules for 'rapport check'."""

from __future__ import annotations

from django.utils.translation import gettext as _

from rapport.core.integrity import integrity_rule

from .models import ReportingPeriod


@integrity_rule("periods.no_overlap")
def periods_do_not_overlap() -> list[str]:
    problems, previous = [], None
    for p in ReportingPeriod.objects.order_by("partnership", "ordinal"):
        if previous and previous.partnership_id == p.partnership_id and p.start <= previous.end:
            problems.append(_("Period %(ordinal)s starts before period %(previous)s ends.")
                                % {"ordinal": p.ordinal, "previous": previous.ordinal})
        previous = p
    return problems
