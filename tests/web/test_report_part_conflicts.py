"""An exchange conflict on a report part, on the part's page in the report's editor: both
versions shown to those who may read the part, resolved there by a coordinator (through the
federation's service and the write rule), invisible and unresolvable for anyone else."""

from __future__ import annotations

import pytest

from rapport.federation import report_parts
from rapport.federation.exporting import export_package
from rapport.federation.models import PartConflict
from rapport.partnerships.models import Organisation
from rapport.periods.models import ReportingPeriod
from rapport.reports import parts
from rapport.reports.models import Report
from rapport.reports.start import start_report
from tests.federation.test_report_parts import _part
from tests.federation.test_shared import Nato

from .federation_setup import eu_instance

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflict(eu_nato, settings, tmp_path, make_user):
    instance = eu_instance(settings, tmp_path)
    coordinator = make_user(org="eu", role="coordinator", clearance=3)
    period = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=11)
    report = Report.objects.filter(period=period, state="draft").first() or start_report(actor=coordinator,
                                                                                        period=period)
    both = list(Organisation.objects.filter(key__in=["eu", "nato"]).order_by("key"))
    restricted = both[0].scheme.levels.get(rank=2)
    ours = parts.create_highlight(actor=coordinator, report=report, text="The first draft.",
                                  classification=restricted, releasable_to=both)
    base = report_parts.digest_of(ours)
    export_package(instance["peer"])
    ours = parts.edit_part(actor=coordinator, part=ours, base_version=1, text="The EU's <b>change</b>.",
                           classification=restricted, releasable_to=both)
    nato = Nato(instance["nato_key"])
    nato.send(_part(nato, report, "highlight", "NATO's <script>alert(1)</script> change.", origin="eu",
                    origin_id=ours.pk, history=[base], rank=2))
    url = f"/reports/{period.ordinal}/parts/highlight/{ours.pk}/"
    return {"part": ours, "coordinator": coordinator, "conflict": PartConflict.objects.get(), "url": url,
            "nato_key": instance["nato_key"], "previous": nato.previous}


def test_both_versions_are_on_the_page_and_approval_waits(conflict, make_user, signed_in):
    approver = signed_in(make_user(org="eu", role="approver", clearance=3))
    body = approver.get(conflict["url"] + "edit/").content.decode()
    assert "Conflict: NATO" in body
    assert "NATO&#x27;s &lt;script&gt;alert(1)&lt;/script&gt; change." in body and "<script>alert(1)" not in body
    assert 'name="keep"' not in body  # an approver does not write the part, so does not resolve it
    approver.post(conflict["url"] + "approve/")
    assert not conflict["part"].approvals.exists()  # the approval rule's condition: resolve first


def test_a_coordinator_resolves_it_on_the_page(conflict, signed_in):
    client = signed_in(conflict["coordinator"])
    assert 'name="keep"' in client.get(conflict["url"] + "edit/").content.decode()
    url = f"{conflict['url']}conflicts/{conflict['conflict'].pk}/"
    client.post(url, {"keep": "merged"})  # no such choice for a part
    assert PartConflict.objects.get().resolved_at is None
    response = client.post(url, {"keep": "theirs"}, follow=True)
    assert response.status_code == 200 and "Conflict resolved" in response.content.decode()
    resolved = PartConflict.objects.get()
    assert resolved.resolution == "theirs" and resolved.resolved_by == conflict["coordinator"]
    conflict["part"].refresh_from_db()
    assert conflict["part"].text == "NATO's <script>alert(1)</script> change."
    assert client.post(url, {"keep": "ours"}).status_code == 404  # resolved: no longer open


def test_a_reader_who_may_not_read_the_part_sees_no_conflict_and_cannot_resolve(conflict, make_user, signed_in):
    outsider = signed_in(make_user(org="eu", role="coordinator", clearance=1))  # below the part's marking
    assert outsider.get(conflict["url"] + "edit/").status_code == 404
    assert outsider.post(f"{conflict['url']}conflicts/{conflict['conflict'].pk}/", {"keep": "theirs"}).status_code == 404
    assert PartConflict.objects.get().resolved_at is None
    assert not report_parts.open_conflicts(conflict["part"], make_user(org="eu", role="drafter", clearance=1)).exists()


def test_the_editor_marks_the_part_in_conflict_and_names_the_peers_writer(conflict, signed_in):
    from rapport.federation.models import Peer

    peer = Peer.objects.get()
    report = conflict["part"].report
    nato = Nato(conflict["nato_key"])
    nato.sequence = 1
    nato.previous = conflict["previous"]
    nato.send(_part(nato, report, "outlook", "NATO's own outlook.", origin_id=901))
    body = signed_in(conflict["coordinator"]).get(f"/reports/{report.period.ordinal}/edit/").content.decode()
    assert "conflict with the other instance's version" in body
    # A part NATO's instance wrote names its writer as NATO's instance did, not the peer's account here.
    assert "by NATO Coordinator" in body and f"by {peer.actor.username}" not in body
