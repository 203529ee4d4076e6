"""Every export is an audit entry: which list, the format, the filters, the number of rows."""

from __future__ import annotations

from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import Organisation

from ..queries import the_partnership
from ..spreadsheets import Sheet


def record_export(user, *, what: str, fmt: str, sheet: Sheet, params) -> None:
    """One audit entry per export, about the partnership: marked at the sheet's highest rank in
    the reader's own scheme and kept to the reader's organisations (who took what away is
    their business)."""
    orgs = (list(Organisation.objects.filter(pk=user.organisation_id)) if user.organisation_id
            else list(Organisation.objects.filter(pk__in=user.reading_organisations()).order_by("pk")))
    scheme_ids = [o.scheme_id for o in orgs]
    rank = max(sheet.top_rank, 1)  # at least internal: an export is the organisation's own business
    level = (ClassificationLevel.objects.filter(scheme_id__in=scheme_ids, rank=rank).order_by("pk").first()
             or ClassificationLevel.objects.filter(rank=rank).order_by("pk").first())
    record(actor=user, verb=Verb.EXPORT_DOWNLOADED, obj=the_partnership(),
           after={"list": what, "format": fmt, "rows": len(sheet.rows),
                  "filters": {k: v for k, v in _params(params).items() if k != "page"}},
           classification=level, releasable_to=orgs)


def _params(params) -> dict:
    if params is None:
        return {}
    if hasattr(params, "lists"):
        return {k: v if len(v) > 1 else v[0] for k, v in params.lists()}
    return dict(params)
