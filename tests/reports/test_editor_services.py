"""The report's parts written through rapport.reports.parts: who writes and approves them,
the joint workflow (draft → in approval → approved; a return or an edit reopens it for
every organisation), what enters the editions, hidden links kept on edit, bad input named
and nothing changed, the report's approvals cleared when its content changes."""

from __future__ import annotations

import pytest

from rapport.access.policy import can
from rapport.audit.models import AuditEvent
from rapport.core.errors import Conflict, InputError, NotFound, Refused
from rapport.reports import parts
from rapport.reports.build import render_edition
from rapport.reports.choices import PartState, ReportState
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportApproval
from rapport.reports.rules import PartAction, part_rights

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(eu_nato):
    return (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
            .select_related("period").order_by("-period__ordinal").first())


@pytest.fixture
def people(make_user):
    return {
        "eu-co": make_user(org="eu", role="coordinator", clearance=3),
        "nato-co": make_user(org="nato", role="coordinator", clearance=3),
        "eu-ap": make_user(org="eu", role="approver", clearance=3),
        "nato-ap": make_user(org="nato", role="approver", clearance=3),
        "eu-dr": make_user(org="eu", role="drafter", clearance=3),
        "eu-rd": make_user(org="eu", role="reader", clearance=3),
    }


def orgs():
    from rapport.partnerships.models import Organisation

    return list(Organisation.objects.filter(key__in=["eu", "nato"]))


def new_highlight(report, actor, level, text="Staff met every month.", **kw):
    kw.setdefault("classification", level(0, scheme=actor.organisation.scheme.key))
    kw.setdefault("releasable_to", orgs())
    return parts.create_highlight(actor=actor, report=report, text=text, **kw)


def public_text(report, actor) -> str:
    return render_edition(report.period, "public", "md", actor=actor).content.decode()


def test_coordinators_write_drafts_that_enter_no_edition(report, people, level):
    h = new_highlight(report, people["eu-co"], level, text="A draft line of the report.")
    assert (h.state, h.version, h.author) == (PartState.DRAFT, 1, people["eu-co"])
    assert "A draft line of the report" not in public_text(report, people["eu-co"])
    assert AuditEvent.objects.for_object(h).filter(verb="report_part.created").count() == 1


@pytest.mark.parametrize("who", ["eu-dr", "eu-ap", "eu-rd"])
def test_only_coordinators_write_parts(report, people, level, who):
    with pytest.raises(Refused):
        new_highlight(report, people[who], level)
    assert not Highlight.objects.filter(report=report, text="Staff met every month.").exists()


def test_a_published_report_takes_no_new_part(eu_nato, people, level):
    published = Report.objects.filter(period__partnership=eu_nato, state=ReportState.PUBLISHED).first()
    with pytest.raises(Refused, match="published"):
        new_highlight(published, people["eu-co"], level)


def test_a_final_period_takes_no_new_part(report, people, level):
    from rapport.periods.choices import PeriodState

    report.period.state = PeriodState.ARCHIVED
    report.period.save(update_fields=["state"])
    with pytest.raises(Refused, match="final"):
        new_highlight(report, people["eu-co"], level)


def test_joint_workflow_draft_in_approval_approved_and_returned(report, people, level):
    h = new_highlight(report, people["eu-co"], level, text="Both staffs exercised together.")
    h = parts.approve_part(actor=people["eu-ap"], part=h)
    assert h.state == PartState.IN_APPROVAL
    assert "Both staffs exercised together" not in public_text(report, people["eu-co"])
    with pytest.raises(Refused, match="already approved"):
        parts.approve_part(actor=people["eu-ap"], part=h)
    h = parts.approve_part(actor=people["nato-ap"], part=h)
    assert h.state == PartState.APPROVED
    assert "Both staffs exercised together" in public_text(report, people["eu-co"])
    with pytest.raises(Refused, match="frozen"):
        parts.edit_part(actor=people["nato-co"], part=h, base_version=h.version, text="x",
                        classification=h.classification, releasable_to=orgs())
    h = parts.return_part(actor=people["nato-ap"], part=h, message="Say which exercise.")
    assert h.state == PartState.DRAFT and not h.approvals.exists()  # reopened for every organisation
    assert "Both staffs exercised together" not in public_text(report, people["eu-co"])


def test_an_edit_clears_the_approvals_given(report, people, level):
    h = new_highlight(report, people["eu-co"], level)
    h = parts.approve_part(actor=people["eu-ap"], part=h)
    h = parts.edit_part(actor=people["nato-co"], part=h, base_version=h.version, text="Staff met weekly.",
                        classification=h.classification, releasable_to=orgs())
    assert (h.state, h.version, h.approvals.count()) == (PartState.DRAFT, 2, 0)
    with pytest.raises(Conflict):
        parts.edit_part(actor=people["eu-co"], part=h, base_version=1, text="Stale.",
                        classification=h.classification, releasable_to=orgs())
    h.refresh_from_db()
    assert h.text == "Staff met weekly."


def test_nobody_approves_a_text_they_wrote(report, people, level, make_user):
    h = new_highlight(report, people["eu-co"], level)
    h.author = people["eu-ap"]
    h.save(update_fields=["author"])
    assert not can(people["eu-ap"], PartAction.APPROVE, h)


def test_return_needs_a_reason_and_something_to_reopen(report, people, level):
    h = new_highlight(report, people["eu-co"], level)
    with pytest.raises(Refused, match="already open"):
        parts.return_part(actor=people["eu-ap"], part=h, message="No.")
    h = parts.approve_part(actor=people["eu-ap"], part=h)
    with pytest.raises(InputError) as err:
        parts.return_part(actor=people["nato-ap"], part=h, message="  ")
    assert err.value.field == "message"
    assert Highlight.objects.get(pk=h.pk).state == PartState.IN_APPROVAL


def test_council_action_is_its_own_organisations(report, people, level):
    ca = parts.create_council_action(actor=people["nato-co"], report=report, action="presented",
                                     classification=level(0), releasable_to=orgs())
    assert ca.organisation == people["nato-co"].organisation
    with pytest.raises(Refused, match="own Council"):
        parts.edit_part(actor=people["eu-co"], part=ca, base_version=1, text="", action="welcomed",
                        classification=level(0), releasable_to=orgs())
    with pytest.raises(Refused, match="its own organisation"):
        parts.approve_part(actor=people["eu-ap"], part=ca)
    ca = parts.approve_part(actor=people["nato-ap"], part=ca)  # its own organisation's approval is enough
    assert ca.state == PartState.APPROVED


def test_approval_of_a_part_clears_the_reports_approvals(report, people, level):
    h = new_highlight(report, people["eu-co"], level)
    h = parts.approve_part(actor=people["eu-ap"], part=h)
    ReportApproval.objects.create(report=report, organisation=people["eu-ap"].organisation, version=report.version,
                                  approver=people["eu-ap"])
    version = report.version
    parts.approve_part(actor=people["nato-ap"], part=h)  # it enters the report
    report.refresh_from_db()
    assert report.version == version + 1
    assert not ReportApproval.objects.filter(report=report, withdrawn_at__isnull=True).exists()
    assert AuditEvent.objects.for_object(report).filter(verb="report.approvals_cleared").exists()


def test_a_draft_change_leaves_the_reports_approvals(report, people, level):
    ReportApproval.objects.create(report=report, organisation=people["eu-ap"].organisation, version=report.version,
                                  approver=people["eu-ap"])
    new_highlight(report, people["eu-co"], level)  # not in the report: nothing to approve again
    assert ReportApproval.objects.filter(report=report, withdrawn_at__isnull=True).count() == 1


@pytest.mark.parametrize("field, kwargs", [
    ("text", {"text": "   "}),
    ("text", {"text": "bad\x00text"}),
    ("classification", {"classification": "nato-restricted"}),
    ("releasable_to", {"releasable_to": "eu-only-restricted"}),
    ("meetings", {"links": {"meetings": [2**70]}}),
    ("commitments", {"links": {"commitments": ["word"]}}),
])
def test_bad_input_names_the_field_and_changes_nothing(report, people, level, field, kwargs):
    from rapport.partnerships.models import Organisation

    actor = people["eu-co"]
    if kwargs.get("classification") == "nato-restricted":  # another organisation's scheme
        kwargs = {"classification": level("NATO RESTRICTED")}
    if kwargs.get("releasable_to") == "eu-only-restricted":  # a joint part every organisation must read
        kwargs = {"classification": level(2, scheme="eu"), "releasable_to": list(Organisation.objects.filter(key="eu"))}
    before = (Highlight.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InputError) as err:
        new_highlight(report, actor, level, **kwargs)
    assert err.value.field == field
    assert (Highlight.objects.count(), AuditEvent.objects.count()) == before


def test_links_only_to_what_the_writer_sees_and_hidden_links_kept(report, people, level, make_user):
    from rapport.evidence.models import Meeting

    nato_only = Meeting.objects.filter(partnership=report.period.partnership).first()
    nato_only.classification = level("NATO CONFIDENTIAL")
    nato_only.save(update_fields=["classification"])
    nato_only.releasable_to.set([o for o in orgs() if o.key == "nato"])
    with pytest.raises(InputError) as err:  # hidden answers as missing
        new_highlight(report, people["eu-co"], level, links={"meetings": [nato_only.pk]})
    assert err.value.field == "meetings"
    h = new_highlight(report, people["nato-co"], level, links={"meetings": [nato_only.pk]})
    h = parts.edit_part(actor=people["eu-co"], part=h, base_version=1, text="Edited by the EU.",
                        classification=h.classification, releasable_to=orgs(), links={"meetings": []})
    assert list(h.meetings.values_list("pk", flat=True)) == [nato_only.pk]


def test_move_and_delete(report, people, level):
    a = new_highlight(report, people["eu-co"], level, text="First.")
    b = new_highlight(report, people["eu-co"], level, text="Second.")
    parts.move_part(actor=people["nato-co"], part=b, direction="up")
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.order < a.order
    parts.delete_part(actor=people["eu-co"], part=a)
    assert not Highlight.objects.filter(pk=a.pk).exists()
    assert AuditEvent.objects.filter(verb="report_part.deleted", object_pk=a.pk).exists()


def test_outlook_follows_the_same_workflow(report, people, level):
    o = parts.create_outlook(actor=people["eu-co"], report=report, text="Work on space will start.",
                             classification=level(0, scheme="eu"), releasable_to=orgs())
    o = parts.approve_part(actor=people["eu-ap"], part=o)
    o = parts.approve_part(actor=people["nato-ap"], part=o)
    assert Outlook.objects.get(pk=o.pk).state == PartState.APPROVED
    assert "Work on space will start" in public_text(report, people["eu-co"])


def test_a_nato_only_highlight_never_reaches_an_eu_user(report, people, level, make_user):
    # The services refuse a NATO-only joint part (every organisation approves it); one written by the
    # data loader can be: make it directly and check that the EU never gets it.
    h = Highlight.objects.create(report=report, order=99, text="NATOONLY staff line.", state=PartState.APPROVED,
                                 classification=level("NATO RESTRICTED"))
    h.releasable_to.set([o for o in orgs() if o.key == "nato"])
    eu = people["eu-co"]
    with pytest.raises(NotFound):
        parts.edit_part(actor=eu, part=h, base_version=1, text="x", classification=level(0, scheme="eu"),
                        releasable_to=orgs())
    assert "NATOONLY" not in render_edition(report.period, "eu:3", "md", actor=eu).content.decode()
    assert "NATOONLY" in render_edition(report.period, "nato:3", "md", actor=people["nato-co"]).content.decode()


def test_part_rights_agree_with_can(report, people, level):
    h1 = new_highlight(report, people["eu-co"], level, text="One.")
    h2 = parts.approve_part(actor=people["eu-ap"], part=new_highlight(report, people["nato-co"], level, text="Two."))
    h3 = parts.approve_part(actor=people["nato-ap"], part=parts.approve_part(
        actor=people["eu-ap"], part=new_highlight(report, people["nato-co"], level, text="Three.")))
    o = parts.create_outlook(actor=people["eu-co"], report=report, text="Next.", classification=level(0, scheme="eu"),
                             releasable_to=orgs())
    ca = parts.create_council_action(actor=people["eu-co"], report=report, action="presented",
                                     classification=level(0, scheme="eu"), releasable_to=orgs())
    every = [h1, h2, h3, o, ca]
    for user in people.values():
        rights = part_rights(user, report, every)
        for part in every:
            part = type(part).objects.get(pk=part.pk)
            expected = {a for a in PartAction if can(user, a, part)}
            assert rights[(part._meta.model_name, part.pk)] == expected, (user.username, part, expected)


def test_council_action_rows_from_the_loader_count_as_approved(eu_nato):
    published = CouncilAction.objects.filter(report__state=ReportState.PUBLISHED)
    assert published.exists() and not published.exclude(state=PartState.APPROVED).exists()
    assert not Highlight.objects.filter(report__state=ReportState.PUBLISHED).exclude(state=PartState.APPROVED).exists()


def test_an_approved_part_takes_no_further_approval(report, people, level):
    h = Highlight.objects.create(report=report, order=77, text="Approved already.", state=PartState.APPROVED,
                                 classification=level(0))
    assert not can(people["eu-ap"], PartAction.APPROVE, h)
    assert can(people["eu-ap"], PartAction.RETURN, h)
