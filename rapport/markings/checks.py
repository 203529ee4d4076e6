"""System checks that keep the security model whole as the code grows."""

from django.apps import apps
from django.core.checks import Error, register
from django.db import models

# Models that hold text but are not marked, each with the reason.
UNMARKED_WITH_TEXT = {
    "partnerships.partnership": "reference data describing the partnership itself; public by nature",
    "partnerships.assessmentscheme": "reference data: the scale's description is public",
    "partnerships.principle": "the agreed guiding principles are public",
    "periods.reportingperiod": "reference data: dates and a note on their precision",
    "periods.extension": "an organisation's administrative note, read only by its own staff who may see the "
                         "commitment (ExtensionQuerySet.visible_to); its audit entries are internal to it",
    "contributions.contributionrevision": "read only through its contribution, whose marking it snapshots",
    "contributions.jointtextapproval": "read only through its joint text",
    "reports.reportapproval": "read only through its report",
    "federation.statement": "an instance's signed approval of a shared record (keys, a hash, the approver's name), "
                            "read only through the joint text or report it approves",
}


@register()
def content_models_are_marked(app_configs, **kwargs):
    from rapport.markings.models import MarkedModel

    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith("rapport."):
            continue
        label = model._meta.label_lower
        has_text = any(isinstance(f, models.TextField) for f in model._meta.concrete_fields)
        if has_text and not issubclass(model, MarkedModel) and label not in UNMARKED_WITH_TEXT:
            errors.append(
                Error(
                    f"{label} holds text but carries no marking.",
                    hint="Inherit rapport.markings.models.MarkedModel, or add it to UNMARKED_WITH_TEXT with a reason.",
                    obj=model,
                    id="rapport.E001",
                )
            )
    return errors
