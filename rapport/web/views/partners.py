"""The Partners page of an organisation's instance: who this instance is (its organisation and
key), its peers (their pinned keys and the link's accreditation), the packages that went each
way and what the next package to each peer would hold.

Who sees it is the policy's (``federation.view_partners`` in ``federation/rules.py``): the staff
of this instance's organisation who run the cycle; anyone else gets the 404 of a missing page.
On a single shared server (no instance identity) the page says so and how to set up federation.

The records waiting to go are listed only where the reader may read them (``visible_to``); the
counts a package records are marked as the link is (its audit entries are), so they are shown
to readers cleared to the link's accreditation only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.urls import reverse

from rapport.access.policy import can
from rapport.federation import keys
from rapport.federation.contents import KIND
from rapport.federation.exporting import pending
from rapport.federation.identity import own_organisation
from rapport.federation.models import Direction, Package, Peer, ReceivedCopy
from rapport.federation.rules import PartnersAction
from rapport.markings.models import LEVEL_MARKINGS
from rapport.markings.querysets import reader_scope

from ..rendering import page, page_marking

PAGE_SIZE = 20


def received_copies(contributions) -> dict[int, ReceivedCopy]:
    """The received copies among ``contributions`` (already read through ``visible_to``), by the
    local record's id, with their peer's organisation and package: one query for a page of rows."""
    ids = [c.pk for c in contributions if c is not None]
    if not ids:
        return {}
    return {r.local_id: r for r in ReceivedCopy.objects.filter(kind=KIND, local_id__in=ids)
            .select_related("peer__organisation", "package")}


def mark_received(contributions) -> None:
    """Set ``received_copy`` (a ReceivedCopy or None) on each contribution, for the lists' badge."""
    rows = [c for c in contributions if c is not None]
    found = received_copies(rows)
    for c in rows:
        c.received_copy = found.get(c.pk)


def _subject(request):
    """(this instance's organisation or None, the organisation the rule is asked of); 404 unless
    the policy lets the reader see the page."""
    own = own_organisation()
    subject = own or request.user.organisation
    if subject is None or not can(request.user, PartnersAction.VIEW, subject):
        raise Http404
    return own, subject


def _reads_link(request, peer: Peer, own) -> bool:
    """Whether the reader is cleared to the link's accreditation. What crosses the link (how many
    records a package held, how many wait) is marked as the link is, as the packages' audit
    entries are: shown only to such a reader, and the page's banner raised to it."""
    _signed_in, rank, _orgs = reader_scope(request.user)
    if rank < peer.accredited_up_to.rank:
        return False
    page_marking(request).note(peer.accredited_up_to, [own.short_name, peer.organisation.short_name])
    return True


def _peers():
    """The peers with their counts and last package each way, in one query."""
    def last(direction, field):
        return Subquery(Package.objects.filter(peer=OuterRef("pk"), direction=direction)
                        .order_by("-sequence").values(field)[:1])

    return (Peer.objects.select_related("organisation", "accredited_up_to__scheme")
            .prefetch_related(f"accredited_up_to__{LEVEL_MARKINGS}")  # its banner in the page's language
            .annotate(sent_count=Count("packages", filter=Q(packages__direction=Direction.SENT)),
                      received_count=Count("packages", filter=Q(packages__direction=Direction.RECEIVED)),
                      last_sent_sequence=last(Direction.SENT, "sequence"),
                      last_sent_at=last(Direction.SENT, "at"),
                      last_received_sequence=last(Direction.RECEIVED, "sequence"),
                      last_received_at=last(Direction.RECEIVED, "at"))
            .order_by("organisation__key"))


# The records a package carries, as the list of what waits shows them: their page, what they are
# about (loaded with the page's rows) and how they are named.
KINDS = {
    "contributions.contribution": {"url": ("contribution-detail", lambda r: r.pk),
                                   "related": ("commitment", "period", "classification__scheme")},
    "contributions.jointtext": {"url": ("joint-text-detail", lambda r: r.pk),
                                "related": ("commitment", "period", "classification__scheme")},
    "reports.report": {"url": ("report-detail", lambda r: r.period.ordinal),
                       "related": ("period", "classification__scheme")},
}
CHUNK = 5000  # ids per query when the reader's readable records are looked up


def _waiting_ids(user, peer: Peer, own) -> list[tuple[str, int]]:
    """(model, id) of the records the next package to ``peer`` would hold that the reader may
    read (``visible_to``), in the package's order."""
    # A withdrawal waiting to go names a record the peer may no longer hold, not one to open here.
    items = [(record._meta.label_lower, record.pk) for record, _obj in pending(peer, own) if record is not None]
    by_model: dict[str, list[int]] = {}
    for label, pk in items:
        by_model.setdefault(label, []).append(pk)
    readable = set()
    for label, ids in by_model.items():
        model = apps.get_model(label)
        for at in range(0, len(ids), CHUNK):
            readable.update((label, pk) for pk in model.objects.visible_to(user).filter(pk__in=ids[at:at + CHUNK])
                            .values_list("pk", flat=True))
    return [item for item in items if item in readable]


@dataclass
class Listing:
    """One paginated list of the peer's page, with the query parameter that pages it."""

    param: str
    page_obj: Page
    rows: list

    def link(self, request, number: int) -> str:
        query = request.GET.copy()
        query[self.param] = str(number)
        return "?" + query.urlencode()


def _pages(request, listing: Listing) -> dict:
    p = listing.page_obj
    if not p.has_other_pages():
        return {}
    return {"first": listing.link(request, 1) if p.has_previous() else None,
            "previous": listing.link(request, p.previous_page_number()) if p.has_previous() else None,
            "next": listing.link(request, p.next_page_number()) if p.has_next() else None,
            "last": listing.link(request, p.paginator.num_pages) if p.has_next() else None}


def _packages(request, peer: Peer, direction: str, param: str) -> Listing:
    packages = Package.objects.filter(peer=peer, direction=direction).order_by("-sequence")
    page_obj = Paginator(packages, PAGE_SIZE).get_page(request.GET.get(param))
    return Listing(param, page_obj, list(page_obj.object_list))


def _waiting(request, peer: Peer, own) -> Listing:
    items = _waiting_ids(request.user, peer, own)
    page_obj = Paginator(items, PAGE_SIZE).get_page(request.GET.get("waiting"))
    by_model: dict[str, list[int]] = {}
    for label, pk in page_obj.object_list:
        by_model.setdefault(label, []).append(pk)
    shown = {}
    for label, ids in by_model.items():
        model = apps.get_model(label)
        rows = model.objects.visible_to(request.user).filter(pk__in=ids).prefetch_related("releasable_to")
        for record in rows.select_related(*KINDS.get(label, {}).get("related", ())):
            name, arg = KINDS.get(label, {}).get("url", (None, None))
            shown[(label, record.pk)] = {"record": record, "kind": label,
                                         "url": reverse(name, args=[arg(record)]) if name else None}
    return Listing("waiting", page_obj, [shown[item] for item in page_obj.object_list if item in shown])


@login_required
def partners(request):
    own, subject = _subject(request)
    if own is None:
        return page(request, "web/partners.html", {"nav": "partners", "organisation": subject, "shared": True})
    peers = list(_peers())
    for peer in peers:
        peer.reads_link = _reads_link(request, peer, own)
        peer.waiting_count = len(_waiting_ids(request.user, peer, own)) if peer.reads_link else None
    return page(request, "web/partners.html", {
        "nav": "partners", "organisation": own, "shared": False, "peers": peers,
        "counts_hidden": any(not peer.reads_link for peer in peers),
        "fingerprint": keys.fingerprint(keys.own_public_key()),
    })


@login_required
def partner_detail(request, key: str):
    own, _subject_org = _subject(request)
    peer = None if own is None else _peers().filter(organisation__key=key).first()
    if peer is None:
        raise Http404
    sent = _packages(request, peer, Direction.SENT, "sent")
    received = _packages(request, peer, Direction.RECEIVED, "received")
    waiting = _waiting(request, peer, own)
    return page(request, "web/partners_peer.html", {
        "nav": "partners", "organisation": own, "peer": peer, "reads_link": _reads_link(request, peer, own),
        "lists": {name: {"listing": listing, "pages": _pages(request, listing)}
                  for name, listing in (("sent", sent), ("received", received), ("waiting", waiting))},
    })
