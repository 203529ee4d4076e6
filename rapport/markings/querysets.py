"""The one read path for partnership content: ``Model.objects.visible_to(user)``.

A user reads a record when its marking's rank is at or below their clearance
(ranks make the schemes equivalent) and it is releasable to one of the
organisations they read for; PUBLIC records are readable by everyone. Signed-out
readers see only PUBLIC records that are published. Each model may narrow this
further through ``extra_visibility`` (drafts stay inside their organisation).

The reader is anything that answers like a user: ``is_authenticated``,
``is_active``, ``clearance_rank``, ``organisation_id`` and
``reading_organisations()`` (report audiences do, see reports/editions.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone

from rapport.core.errors import NotFound

PUBLIC_RANK = 0


def reader_scope(user) -> tuple[bool, int, list[int]]:
    """(signed in and active, clearance rank, organisations read for).

    Worked out once per user object and day (a delegation's organisations come from its
    state's memberships): every query of a request reuses it. An account changed in the
    database is a new object at the next request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, PUBLIC_RANK, []
    key = (getattr(user, "clearance_id", None), getattr(user, "organisation_id", None),
           getattr(user, "delegation_id", None), timezone.localdate())
    cached = getattr(user, "_rapport_scope", None)
    if cached is None or cached[0] != key:
        cached = (key, (True, user.clearance_rank, user.reading_organisations()))
        try:
            user._rapport_scope = cached
        except AttributeError:  # a frozen reader (a report audience): cheap to work out anyway
            return cached[1]
    return cached[1]


def scope_key(user) -> tuple:
    """Everything ``visible_to(user)`` depends on, as a hashable value: two readers with the
    same key read exactly the same rows of every marked model (on the same day, which
    ``reader_scope`` already folds into a delegation's organisations).

    It is the clearance rank, the organisations read for, and the reader's own organisation
    (``extra_visibility`` keeps drafts inside it). A model whose ``extra_visibility`` comes
    to depend on anything else about the reader must add it here, or caches keyed by scope
    (``web/fragments.py``) would hand its rows to the wrong reader."""
    signed_in, rank, orgs = reader_scope(user)
    if not signed_in:
        return ("public",)
    return ("reader", rank, tuple(sorted(orgs)), getattr(user, "organisation_id", None))


class MarkedQuerySet(models.QuerySet):
    def visible_to(self, user) -> MarkedQuerySet:
        model = self.model
        signed_in, rank, orgs = reader_scope(user)
        public = Q(classification__rank=PUBLIC_RANK)
        if not signed_in:
            return self.filter(public & model.publication_filter())
        through = model.releasable_to.through
        source_field = f"{model._meta.model_name}_id"
        releasable = Exists(
            through.objects.filter(**{source_field: OuterRef("pk")}, organisation_id__in=orgs)
        )
        marking = public | (Q(classification__rank__lte=rank) & releasable)
        return self.filter(marking & self.extra_visibility_for(user, orgs))

    def extra_visibility_for(self, user, orgs) -> Q:
        """The model's own rule (``extra_visibility``); a queryset that knows more about its rows
        may build a narrower equivalent (the audit log's, for entries about known models)."""
        return self.model.extra_visibility(user, orgs)

    def prefetch_related(self, *lookups):
        return super().prefetch_related(*(lk.bind(self.model) if isinstance(lk, VisiblePrefetch) else lk
                                          for lk in lookups))

    def marking_summary(self, organisations) -> tuple[int, list[str]]:
        """(highest rank, short names of the organisations every non-public row is releasable to)
        of these rows, in one query: the marking of a figure computed from them."""
        rows = self.filter(classification__rank__gt=PUBLIC_RANK)
        counts = {f"o{o.pk}": Count("pk", distinct=True, filter=Q(releasable_to=o.pk)) for o in organisations}
        found = rows.aggregate(top=Max("classification__rank"), n=Count("pk", distinct=True), **counts)
        if not found["n"]:
            return PUBLIC_RANK, []
        return found["top"], [o.short_name for o in organisations if found[f"o{o.pk}"] == found["n"]]

    def with_marking(self) -> MarkedQuerySet:
        """Load what a portion marking needs (level and releasability) in a fixed number of queries."""
        return self.select_related("classification").prefetch_related("releasable_to")


class VisiblePrefetch(Prefetch):
    """A prefetch of marked related rows that only ever holds what ``user`` may read.

    ``Contribution.objects.visible_to(u).prefetch_related(VisiblePrefetch("meetings", u))``
    prefetches ``Meeting.objects.visible_to(u).with_marking()``, so a template's
    ``contribution.meetings.all`` can never reach a hidden row. The related model
    is found when the prefetch is added to a ``MarkedQuerySet`` (NetBox's
    RestrictedPrefetch, without having to name the queryset).
    """

    def __init__(self, lookup: str, user, queryset=None, to_attr: str | None = None):
        self.reader = user
        if queryset is not None:
            queryset = queryset.visible_to(user).with_marking()
        super().__init__(lookup, queryset=queryset, to_attr=to_attr)

    def bind(self, model) -> VisiblePrefetch:
        if self.queryset is None:
            related = model
            for part in self.prefetch_through.split(LOOKUP_SEP):
                related = related._meta.get_field(part).related_model
            self.queryset = related._default_manager.visible_to(self.reader).with_marking()
        return self

    def get_current_querysets(self, level):
        if self.queryset is None:
            raise TypeError(f"VisiblePrefetch({self.prefetch_through!r}) was not added to a MarkedQuerySet, "
                            "so it cannot tell which rows are visible; pass queryset=.")
        return super().get_current_querysets(level)


def is_visible(obj, user) -> bool:
    """Whether one object passes the same filter (used by the policy and the tests)."""
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


def get_visible_or_404(queryset, user, **lookup):
    """The object if the user may read it; otherwise the same NotFound as a missing one."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise NotFound(queryset.model._meta.verbose_name)
    return obj
