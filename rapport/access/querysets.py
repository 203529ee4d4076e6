"""The one read path for partnership content: ``Model.objects.visible_to(user)``.

A user reads a record when its marking's rank is at or below their clearance
(ranks make the schemes equivalent) and it is releasable to one of the
organisations they read for; PUBLIC records are readable by everyone. Signed-out
readers see only PUBLIC records that are published. Each model may narrow this
further through ``extra_visibility`` (drafts stay inside their organisation).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q


def _user_scope(user) -> tuple[bool, int, list[int]]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, 0, []
    return True, user.clearance_rank, user.reading_organisations()


class MarkedQuerySet(models.QuerySet):
    def visible_to(self, user) -> MarkedQuerySet:
        model = self.model
        signed_in, rank, orgs = _user_scope(user)
        public = Q(classification__rank=0)
        if not signed_in:
            return self.filter(public & model.publication_filter())
        through = model.releasable_to.through
        source_field = f"{model._meta.model_name}_id"
        releasable = Exists(
            through.objects.filter(**{source_field: OuterRef("pk")}, organisation_id__in=orgs)
        )
        marking = public | (Q(classification__rank__lte=rank) & releasable)
        return self.filter(marking & model.extra_visibility(user, orgs))

    def public(self) -> MarkedQuerySet:
        return self.filter(Q(classification__rank=0) & self.model.publication_filter())


def is_visible(obj, user) -> bool:
    """Whether one object passes the same filter (used by tests and policy)."""
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


def get_visible_or_404(queryset, user, **lookup):
    """The object if the user may read it; otherwise the same NotFound as a missing one."""
    from rapport.core.errors import NotFound

    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise NotFound(queryset.model._meta.verbose_name)
    return obj
