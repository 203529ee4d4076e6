"""The audit log and search through the API, as their pages show them: audit entries through
``AuditEvent.objects.visible_to`` (each entry's own marking and its subject's rule) with the
page's columns, never the recorded before/after values; search through the search service,
which keeps only records the caller may read."""

from __future__ import annotations

import datetime
import hashlib
import html
import re

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from ninja import Query, Schema

from rapport.audit.models import AuditEvent, AuditHead
from rapport.core.clock import today
from rapport.core.errors import InputError
from rapport.core.tokens import seal, unseal
from rapport.markings.querysets import scope_key
from rapport.search.service import search as run_search
from rapport.search.sources import BY_KIND

from .resources import ERRORS, LIMIT, Int, _marking, router
from .schemas import MarkingOut


class AuditEntryOut(Schema):
    at: datetime.datetime
    actor: str
    actor_org: str
    verb: str
    message: str
    object_type: str  # app_label.model
    object_id: int
    object_repr: str
    marking: MarkingOut


class AuditPage(Schema):
    items: list[AuditEntryOut]
    next: str | None  # sealed: the entries' numbers would show how many others were written in between


class SearchHit(Schema):
    kind: str
    id: int
    snippet: str  # plain text around the match
    api: str | None  # the record's address in this API, where it has one


class SearchOut(Schema):
    query: str
    items: list[SearchHit]


AUDIT_CURSOR = "api-audit-page"
SEALED_CURSOR = Query(None, min_length=1, max_length=200, description="The `next` of the previous page.")


# Pages of the log kept across requests, as the audit page keeps its entries (web/fragments.py):
# in the same per-process cache, under a key of everything the answer depends on.
ANSWERS = "fragments"


def _answer_key(user, verb: str | None, after: int, limit: int) -> str:
    """The reader's scope (``scope_key``: all that ``visible_to`` depends on), the audit log's
    head (every change to what an entry's visibility depends on writes an entry, so a new head
    means the answer may be stale; it is read before the entries, so an answer is never older
    than its key), today's date and the request's own terms."""
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    parts = ("api-audit", verb, after, limit, scope_key(user), head, today().isoformat())
    return "api-audit:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@router.get("/audit", response={200: AuditPage, **ERRORS}, summary="Audit entries the caller may read, oldest first",
            url_name="audit")
def audit(request, verb: str | None = Query(None, min_length=1, max_length=40), cursor: str | None = SEALED_CURSOR,
          limit: Int = LIMIT):
    # Paged by the entry's number, sealed as on the audit page (web/views/audit.py): neither an
    # entry's number nor its id is answered.
    after = unseal(cursor, AUDIT_CURSOR) if cursor else 0
    if after is None:
        raise InputError("the cursor is not one this API gave (use the `next` of the previous page)", field="cursor")
    cache = caches[ANSWERS]
    key = _answer_key(request.auth, verb, after, limit)
    found = cache.get(key)
    if found is None:
        found = _entries(request.auth, verb, after, limit)
        cache.set(key, found)
    return found


def _entries(user, verb: str | None, after: int, limit: int) -> dict:
    """One page of the log as the audit page reads it (``visible_to`` and ``with_marking``,
    narrowed to one action), oldest first from after the cursor's entry: a fixed number of
    queries however long the log is."""
    rows = AuditEvent.objects.visible_to(user).with_marking().select_related("classification__scheme")
    if verb:
        rows = rows.filter(verb=verb)
    page = list(rows.filter(seq__gt=after).order_by("seq")[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    types = {pk: ContentType.objects.get_for_id(pk) for pk in {e.content_type_id for e in page}}  # cached per process
    return {"items": [{"at": e.at, "actor": e.actor_name, "actor_org": e.actor_org,
                       "verb": e.verb, "message": e.message,
                       "object_type": f"{types[e.content_type_id].app_label}.{types[e.content_type_id].model}",
                       "object_id": e.object_pk, "object_repr": e.object_repr, "marking": _marking(e)}
                      for e in page], "next": seal(page[-1].seq, AUDIT_CURSOR) if more else None}


# Kinds of search hits the API serves as objects, and their address.
API_PATHS = {"commitment": "commitments", "contribution": "contributions", "meeting": "meetings", "report": "reports"}


KINDS = Query([], description=f"Kinds of record: {', '.join(sorted(BY_KIND))}")


def _plain(snippet: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", str(snippet)))


@router.get("/search", response={200: SearchOut, **ERRORS}, summary="Search the records the caller may read",
            url_name="search")
def search(request, q: str = Query(..., min_length=1, max_length=200), kind: list[str] = KINDS):
    unknown = sorted(set(kind) - set(BY_KIND))
    if unknown:
        raise InputError(f"no kind of record {unknown[0][:40]!r} (kinds: {', '.join(sorted(BY_KIND))})", field="kind")
    hits = run_search(request.auth, q, kind or None)
    return {"query": q, "items": [{"kind": h.kind, "id": h.obj.pk, "snippet": _plain(h.snippet),
                                   "api": f"/api/v1/{API_PATHS[h.kind]}/{h.obj.pk}" if h.kind in API_PATHS else None}
                                  for h in hits]}
