"""The audit log: overall and per object, with the chain's verification status
(``page_status``: only the entries written since the last verification are checked).

Entries are read through ``AuditEvent.objects.visible_to``: their own marking and
their object's visibility to the reader now. The page of one object answers 404
— exactly as for an object that never existed — unless the reader may see the
object or at least one entry about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.html import format_html

from rapport.audit.models import AuditEvent
from rapport.audit.verify import page_status
from rapport.core.tokens import seal, unseal
from rapport.markings.models import MarkedModel

from ..fragments import fragment
from ..rendering import page
from ..templatetags.rapport_language import lang_attr

PAGE_SIZE = 50


@dataclass
class EntryPage:
    """One page of entries, newest first, found from an entry instead of counted: the page
    costs the same however long the log is. The links carry the entry's number sealed
    (core/tokens.py): the numbers of the entries a reader sees would show how many others
    were written in between."""

    events: list
    newer: str | None  # the ?after= of the newer page, if there is one
    older: str | None  # the ?before= of the older page, if there is one


CURSOR = "audit-page"


def _seq(request, name: str) -> int | None:
    return unseal(request.GET.get(name, ""), CURSOR)


def entry_page(request, events) -> EntryPage:
    before, after = _seq(request, "before"), _seq(request, "after")
    if after is not None:
        rows = list(events.filter(seq__gt=after).order_by("seq")[:PAGE_SIZE + 1])
        more_newer, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE][::-1]
        more_older = bool(rows) and events.filter(seq__lt=rows[-1].seq).exists()
    else:
        narrowed = events.filter(seq__lt=before) if before is not None else events
        rows = list(narrowed.order_by("-seq")[:PAGE_SIZE + 1])
        more_older, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
        more_newer = before is not None and bool(rows) and events.filter(seq__gt=rows[0].seq).exists()
    return EntryPage(rows, seal(rows[0].seq, CURSOR) if rows and more_newer else None,
                     seal(rows[-1].seq, CURSOR) if rows and more_older else None)


@login_required
def audit_log(request):
    verb = request.GET.get("verb", "")
    # The entries are a fragment (scope and head); the chain's status is checked on every request.
    results = fragment(request, "audit-log", "web/audit/_results.html", lambda: _entries(request, verb))
    return page(request, "web/audit/log.html", {
        "nav": "audit", "results": results, "chain": page_status(),
        "verb": verb, "verbs": AuditEvent._meta.get_field("verb").choices, "subject": None,
    })


def visible_entries(user, verb: str = ""):
    """The log as the reader may read it, narrowed to one action: the page's and its spreadsheet's."""
    events = AuditEvent.objects.visible_to(user).with_marking()
    return events.filter(verb=verb) if verb else events


def _entries(request, verb: str) -> dict:
    entries = entry_page(request, visible_entries(request.user, verb))
    return {"entries": entries, "events": entries.events}


def _subject(user, object_type: str, object_pk: int):
    """The object's model and, if the reader may see it, the object (else None)."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        raise Http404 from None
    if issubclass(model, MarkedModel):
        return model, model.objects.visible_to(user).filter(pk=object_pk).first()
    return model, None


@login_required
def audit_object(request, object_type: str, object_pk: int):
    user = request.user
    model, visible = _subject(user, object_type, object_pk)
    events = AuditEvent.objects.visible_to(user).filter(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name,
        object_pk=object_pk).with_marking()
    entries = entry_page(request, events)
    if visible is None and not entries.events:
        raise Http404
    subject = str(visible) if visible is not None else entries.events[0].object_repr
    return page(request, "web/audit/log.html", {
        "nav": "audit", "entries": entries, "events": entries.events, "chain": page_status(),
        "subject": subject, "object_type": object_type, "object_pk": object_pk,
        # The name is the record's own (English) wording: tagged on a page in another language.
        "subject_tagged": format_html("<span{}>{}</span>", lang_attr("en"), subject),
    }, marked=[visible] if visible is not None else [])
