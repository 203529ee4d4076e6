"""An exchange conflict on a joint text, on its page: both versions shown to those who may read
the text, resolved there by a writer (through the federation's service and the edit rule),
invisible and unresolvable for anyone else."""

from __future__ import annotations

import pytest

from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.federation import joint_texts
from rapport.federation.exporting import export_package
from rapport.federation.models import Conflict
from rapport.partnerships.models import Organisation
from rapport.periods.models import ReportingPeriod
from tests.federation.test_shared import Nato

from .federation_setup import eu_instance

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflict(eu_nato, settings, tmp_path, make_user):
    instance = eu_instance(settings, tmp_path)
    writer = make_user(org="eu", role="drafter", clearance=3)
    period = ReportingPeriod.objects.filter(partnership=eu_nato, state="open").order_by("ordinal").first()
    both = list(Organisation.objects.filter(key__in=["eu", "nato"]))
    restricted = both[0].scheme.levels.get(rank=2)
    jt = services.create_joint_text(actor=writer, commitment=Commitment.objects.order_by("order", "ref").first(),
                                    period=period, text="The first draft.", classification=restricted,
                                    releasable_to=both)
    base = joint_texts.digest_of(jt)
    export_package(instance["peer"])
    jt = services.edit_joint_text(actor=writer, joint_text=jt, base_version=1, text="The EU's <b>change</b>.")
    nato = Nato(instance["nato_key"])
    nato.send(nato.joint_text(jt.commitment, period, "NATO's <script>alert(1)</script> change.", [base],
                              level=restricted))
    return {"jt": jt, "writer": writer, "conflict": Conflict.objects.get()}


def test_both_versions_are_on_the_page_and_approval_waits(conflict, make_user, signed_in):
    client = signed_in(make_user(org="eu", role="approver", clearance=3))
    body = client.get(f"/joint-texts/{conflict['jt'].pk}/").content.decode()
    assert "Conflict: NATO" in body
    assert "NATO&#x27;s &lt;script&gt;alert(1)&lt;/script&gt; change." in body and "<script>alert(1)" not in body
    assert "The EU&#x27;s &lt;b&gt;change&lt;/b&gt;." in body
    assert "Approve for EU" not in body  # the approval rule's condition: resolve first
    assert 'name="keep"' not in body  # an approver does not write the text, so does not resolve it


def test_a_writer_resolves_it_on_the_page(conflict, signed_in):
    client = signed_in(conflict["writer"])
    page = client.get(f"/joint-texts/{conflict['jt'].pk}/").content.decode()
    assert 'name="keep"' in page
    url = f"/joint-texts/{conflict['jt'].pk}/conflicts/{conflict['conflict'].pk}/"
    client.post(url, {"keep": "merged", "text": ""})  # a new version needs its text
    assert Conflict.objects.get().resolved_at is None
    response = client.post(url, {"keep": "merged", "text": "Both organisations' words, merged."}, follow=True)
    assert response.status_code == 200 and "Conflict resolved" in response.content.decode()
    resolved = Conflict.objects.get()
    assert resolved.resolution == "merged" and resolved.resolved_by == conflict["writer"]
    conflict["jt"].refresh_from_db()
    assert conflict["jt"].text == "Both organisations' words, merged."
    assert client.post(url, {"keep": "ours"}).status_code == 404  # resolved: no longer open


def test_a_reader_who_may_not_read_the_text_sees_no_conflict_and_cannot_resolve(conflict, make_user, signed_in):
    outsider = signed_in(make_user(org="eu", role="drafter", clearance=1))  # below the text's marking
    url = f"/joint-texts/{conflict['jt'].pk}/conflicts/{conflict['conflict'].pk}/"
    assert outsider.get(f"/joint-texts/{conflict['jt'].pk}/").status_code == 404
    assert outsider.post(url, {"keep": "theirs"}).status_code == 404
    assert Conflict.objects.get().resolved_at is None


def test_the_report_page_names_the_peers_approver_as_its_instance_signed(eu_nato, settings, tmp_path, make_user,
                                                                       signed_in):
    from rapport.federation import report_approvals
    from rapport.reports.models import Report
    from rapport.reports.start import start_report
    from tests.federation.test_shared import _report_object

    instance = eu_instance(settings, tmp_path)
    coordinator = make_user(org="eu", role="coordinator", clearance=3)
    period = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=11)
    report = Report.objects.filter(period=period, state="draft").first() or start_report(actor=coordinator,
                                                                                        period=period)
    nato = Nato(instance["nato_key"])
    nato.send(_report_object(nato, report, report_approvals.basis(period)))
    body = signed_in(coordinator).get(f"/reports/{period.ordinal}/").content.decode()
    assert "by NATO Approver on" in body and f"by {instance['peer'].actor.username}" not in body
