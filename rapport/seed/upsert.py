"""Create-or-update one record by its natural key, audited, and only when something changed.

This is what makes loading idempotent: a second load finds every value equal and
writes nothing, not even an audit entry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError
from rapport.markings.models import MarkedModel


class Upserter:
    def __init__(self, *, actor=None):
        self.actor = actor
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.unchanged: Counter[str] = Counter()
        self.deleted: Counter[str] = Counter()
        self._deferred: list | None = None

    def defer_audit(self) -> None:
        """Hold audit entries back until ``flush_audit``: the very first schemes and
        levels must exist before an entry can carry the PUBLIC marking."""
        self._deferred = []

    def flush_audit(self) -> None:
        pending, self._deferred = self._deferred or [], None
        for obj, creating, before, marking in pending:
            self._audit(obj, creating, before, marking)

    def __call__(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        m2m: dict[str, Iterable[models.Model]] | None = None,
        *,
        source: str,
        record_label: str,
    ) -> models.Model:
        obj = model.objects.filter(**lookup).first()
        creating = obj is None
        if creating:
            obj = model(**lookup)
        before = None if creating else snapshot(obj)
        marking = None if creating or not isinstance(obj, MarkedModel) else (
            obj.classification, list(obj.releasable_to.all()))
        changed = creating
        for name, value in values.items():
            field = model._meta.get_field(name)
            if field.is_relation:
                new = value.pk if value is not None else None
                if getattr(obj, field.attname) != new:
                    setattr(obj, name, value)
                    changed = True
            elif getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed:
            try:
                obj.full_clean(validate_unique=True, validate_constraints=True)
            except ValidationError as exc:
                raise _input_error(exc, source, record_label) from None
            obj.save()
        for name, targets in (m2m or {}).items():
            targets = list(targets)
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
                manager.set(targets)
                changed = True
        label = model._meta.label_lower
        if not changed:
            self.unchanged[label] += 1
            return obj
        (self.created if creating else self.updated)[label] += 1
        if self._deferred is not None:
            self._deferred.append((obj, creating, before, marking))
        else:
            self._audit(obj, creating, before, marking)
        return obj

    def _audit(self, obj, creating: bool, before, marking=None) -> None:
        # An update that lowers a record's marking keeps the stricter one on its entry: the
        # entry's before-values were read under the old marking.
        stricter = {}
        if marking is not None and marking[0].rank > obj.classification.rank:
            stricter = {"classification": marking[0], "releasable_to": marking[1]}
        record(
            actor=self.actor,
            verb=Verb.RECORD_CREATED if creating else Verb.RECORD_UPDATED,
            obj=obj,
            before=before,
            after=snapshot(obj),
            message="loaded from a dataset file",
            system_actor="data loader",
            **stricter,
        )


def _input_error(exc: ValidationError, source: str, record_label: str) -> InputError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = "; ".join(m for e in errors for m in e.messages)
        return InputError(message, source=source, record=record_label, field="" if field == "__all__" else field)
    return InputError("; ".join(exc.messages), source=source, record=record_label)
