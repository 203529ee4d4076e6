"""Partnership rules for 'rapport check'."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from rapport.core.integrity import integrity_rule

from .models import Mandate


@integrity_rule("partnerships.proposal_counts")
def every_endorsed_proposal_is_registered() -> list[str]:
    sets = Mandate.objects.filter(proposal_count__isnull=False).annotate(
        n=Count("commitments", filter=Q(commitments__parent__isnull=True))
    )
    return [_("%(mandate)s endorsed %(endorsed)s proposals but %(registered)s are registered.")
            % {"mandate": m.key, "endorsed": m.proposal_count, "registered": m.n}
            for m in sets if m.n != m.proposal_count]
