"""Writing classification schemes (reference data, loaded as ``rapport load`` loads the rest;
kept here, above the audit app, because every change is recorded in the audit log): a scheme read from an XML SPIF (spif.py) is written in one
transaction, each change validated and recorded in the audit log; nothing changes on error.

Schemes are reference data that an operator manages from the command line (as ``rapport
load`` does), so the actor is the command, named in each audit entry. A level is never
removed (records carry it), and ranks are what makes levels equivalent across schemes, so
an import may rename levels and add ranks, never drop one. A level's marking texts per
language are created or updated as the file gives them; a language the file leaves out is kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rapport.core.errors import InputError
from rapport.markings.models import (
    ClassificationLevel,
    ClassificationScheme,
    LevelMarking,
)
from rapport.markings.spif import SchemeIn, export_scheme
from rapport.partnerships.models import Organisation

ACTOR = "rapport schemes import"


@dataclass
class ImportResult:
    scheme: ClassificationScheme
    created: list[str] = field(default_factory=list)  # what was made ("scheme nato", "level 6 …")
    updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _target(data: SchemeIn, key: str | None) -> tuple[ClassificationScheme | None, str]:
    key = key or data.key
    if key:
        return ClassificationScheme.objects.filter(key=key).first(), key
    found = ClassificationScheme.objects.filter(policy_id=data.policy_id).first()
    if found is None:
        raise InputError(_("no scheme has the policy %(policy)s and the file does not name one: say which with "
                           "--scheme KEY") % {"policy": data.policy_id}, field="scheme")
    return found, found.key


def _save(obj, label: str, result: ImportResult, *, creating: bool, before: dict | None) -> None:
    from rapport.audit.record import record, snapshot
    from rapport.audit.verbs import Verb

    try:
        obj.full_clean(validate_unique=True, validate_constraints=True)
        obj.save()
    except (ValidationError, IntegrityError) as exc:
        messages = exc.message_dict if hasattr(exc, "message_dict") else {"": [str(exc)]}
        detail = pgettext("between the items of a list", "; ").join(
            _("%(field)s: %(messages)s") % {"field": k, "messages": " ".join(v)} if k and k != "__all__"
            else " ".join(v) for k, v in messages.items())
        raise InputError(_("%(record)s: %(detail)s") % {"record": label, "detail": detail}) from None
    record(actor=None, verb=Verb.RECORD_CREATED if creating else Verb.RECORD_UPDATED, obj=obj,
           before=before, after=snapshot(obj), system_actor=ACTOR)
    (result.created if creating else result.updated).append(label)


def _apply(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def import_scheme(*, data: SchemeIn, key: str | None = None) -> ImportResult:
    """Create or update the scheme the SPIF describes (found by ``key``, the file's own key, or
    its policy identifier) and its levels by rank; importing the same file twice changes nothing."""
    from rapport.audit.record import snapshot

    scheme, key = _target(data, key)
    creating = scheme is None
    scheme = scheme or ClassificationScheme(key=key, name=data.name or data.policy_name)
    before = None if creating else snapshot(scheme)
    result = ImportResult(scheme)
    # A scheme without its own policy name or identifier exports the ones made from its key:
    # the same values read back change nothing.
    values = {}
    if creating or data.policy_name != scheme.policy:
        values["policy_name"] = data.policy_name
    if creating or data.policy_id != scheme.policy_oid:
        values["policy_id"] = data.policy_id
    if data.name:
        values["name"] = data.name
    if _apply(scheme, values) or creating:
        _save(scheme, f"scheme {key}", result, creating=creating, before=before)
    current = {lv.rank: lv for lv in scheme.levels.all()} if not creating else {}
    wanted = {lv.rank for lv in data.levels}
    dropped = sorted(set(current) - wanted)
    if dropped:
        names = ", ".join(f"{r} ({current[r].name})" for r in dropped)
        raise InputError(_("the file leaves out the level(s) of rank %(levels)s of the scheme %(scheme)s: levels are "
                           "never removed, as records carry them") % {"levels": names, "scheme": key},
                         field="securityClassifications")
    # Names are unique in a scheme: move renamed levels aside first, so two levels may swap names.
    renamed = [current[lv.rank] for lv in data.levels if lv.rank in current and current[lv.rank].name != lv.name]
    for level in renamed:
        # A placeholder no file gives (a private-use character; PostgreSQL refuses a NUL in text).
        ClassificationLevel.objects.filter(pk=level.pk).update(name=f"\ue000{level.pk}")
    for lv in data.levels:
        level = current.get(lv.rank)
        before = snapshot(level) if level else None
        if level is None:
            level = ClassificationLevel(scheme=scheme, rank=lv.rank, name=lv.name, abbreviation=lv.abbreviation)
            _save(level, f"level {lv.rank} ({lv.name})", result, creating=True, before=None)
        elif _apply(level, {"name": lv.name, "abbreviation": lv.abbreviation}):
            _save(level, f"level {lv.rank} ({lv.name})", result, creating=False, before=before)
        _import_texts(level, lv, result)
    return result


def _import_texts(level, lv, result: ImportResult) -> None:
    from rapport.audit.record import snapshot

    current = {m.language: m for m in LevelMarking.objects.filter(level=level)}
    for text in lv.texts:
        found = current.get(text.language)
        label = f"level {lv.rank} ({lv.name}) in {text.language}"
        values = {"banner": text.banner, "portion": text.portion}
        if found is None:
            _save(LevelMarking(level=level, language=text.language, **values), label, result, creating=True,
                  before=None)
        else:
            before = snapshot(found)
            if _apply(found, values):
                _save(found, label, result, creating=False, before=before)


# Exporting: each scheme with the organisations of its partnerships (the partnerships app is above
# the markings app, so this lives here).


def partnership_of_scheme(scheme) -> tuple[list, list]:
    """(organisations, other schemes with their levels) of the partnerships whose organisations
    mark in ``scheme``; every organisation and scheme in use when none does."""
    orgs = Organisation.objects.filter(partnerships__organisations__scheme=scheme).distinct()
    if not orgs.exists():
        orgs = Organisation.objects.all()
    orgs = list(orgs.order_by("key"))
    others = (ClassificationScheme.objects.filter(organisations__in=orgs).exclude(pk=scheme.pk)
              .prefetch_related("levels").distinct().order_by("key"))
    return orgs, list(others)


def export_all(schemes, created: datetime.datetime) -> dict[str, bytes]:
    """Each scheme's SPIF, by scheme key."""
    files = {}
    for scheme in schemes:
        organisations, others = partnership_of_scheme(scheme)
        files[scheme.key] = export_scheme(scheme, organisations=organisations, others=others, created=created)
    return files
