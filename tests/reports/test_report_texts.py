"""The coordinators' own texts of the report (rapport.reports.parts.create_text): paragraphs of
the introduction and the joint text on an area of cooperation. They follow the joint workflow
of every part, enter the editions only once every organisation has approved them, land in
their place (the introduction or their area's section) in every format, and can be written
and discussed in the browser."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.audit.models import AuditEvent
from rapport.core.errors import InputError, Refused
from rapport.partnerships.models import Area, Organisation
from rapport.reports import parts
from rapport.reports.build import render_edition
from rapport.reports.choices import PartState, ReportState
from rapport.reports.models import Report, ReportText

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
    }


@pytest.fixture
def areas(eu_nato):
    return list(Area.objects.filter(partnership=eu_nato, classification__rank=0).order_by("order"))


def orgs():
    return list(Organisation.objects.filter(key__in=["eu", "nato"]))


def write(report, actor, level, text, area=None):
    return parts.create_text(actor=actor, report=report, text=text, area=area,
                             classification=level(0, scheme=actor.organisation.scheme.key), releasable_to=orgs())


def approve_by_both(part, people):
    part = parts.approve_part(actor=people["eu-ap"], part=part)
    return parts.approve_part(actor=people["nato-ap"], part=part)


def section_of(markdown: str, text: str) -> str:
    """The heading of the top-level (##) section a text is printed under."""
    head = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            head = line
        if text in line:
            return head
    raise AssertionError(f"{text!r} is not in the edition")


def test_texts_enter_the_editions_in_their_place_once_approved(report, people, level, areas):
    intro = write(report, people["eu-co"], level, "MXINTRO The staffs widened their exchanges this year.")
    area_text = write(report, people["nato-co"], level, "MXAREA Both staffs met on this area every quarter.",
                      area=areas[1])
    assert (intro.state, intro.area, area_text.area) == (PartState.DRAFT, None, areas[1])
    assert AuditEvent.objects.for_object(intro).filter(verb="report_part.created").exists()
    md = render_edition(report.period, "public", "md", actor=people["eu-co"]).content.decode()
    assert "MXINTRO" not in md and "MXAREA" not in md  # drafts enter no edition
    once = parts.approve_part(actor=people["eu-ap"], part=intro)
    assert once.state == PartState.IN_APPROVAL
    assert "MXINTRO" not in render_edition(report.period, "public", "md", actor=people["eu-co"]).content.decode()
    approve_by_both(area_text, people)
    parts.approve_part(actor=people["nato-ap"], part=once)
    for fmt in ("md", "html"):
        body = render_edition(report.period, "public", fmt, actor=people["eu-co"]).content.decode()
        assert "MXINTRO" in body and "MXAREA" in body, fmt
    md = render_edition(report.period, "public", "md", actor=people["eu-co"]).content.decode()
    assert "Introduction" in section_of(md, "MXINTRO")
    # The area's own section holds its text: the last heading before it names the area.
    headings = [line for line in md[:md.index("MXAREA")].splitlines() if line.startswith("#")]
    assert areas[1].name in headings[-1]


def test_only_coordinators_write_texts(report, people, level):
    with pytest.raises(Refused):
        write(report, people["eu-dr"], level, "A drafter's introduction.")
    with pytest.raises(Refused):
        write(report, people["eu-ap"], level, "An approver's introduction.")
    assert not ReportText.objects.exists()


def test_an_area_of_another_partnership_or_hidden_is_refused_naming_the_field(report, people, level, areas, make_user):
    from tests.synthetic import build

    foreign = Area.objects.filter(partnership=build("mxo", restricted=False)["partnership"]).first()
    secret = Area.objects.create(partnership=report.period.partnership, key="mx-secret", code="ZS", name="MX secret",
                                 introduced_by=areas[0].introduced_by, order=999,
                                 classification=level("NATO CONFIDENTIAL"))
    secret.releasable_to.set(Organisation.objects.filter(key="nato"))
    before = ReportText.objects.count(), AuditEvent.objects.count()
    for bad in (foreign.pk, secret.pk, 999999):
        with pytest.raises(InputError) as err:
            write(report, people["eu-co"], level, "On which area?", area=bad)
        assert err.value.field == "area"
    assert (ReportText.objects.count(), AuditEvent.objects.count()) == before


def test_an_edit_can_move_a_text_and_clears_its_approvals(report, people, level, areas):
    first = write(report, people["eu-co"], level, "First on the area.", area=areas[0])
    write(report, people["eu-co"], level, "Second on the area.", area=areas[0])
    intro = approve_by_both(write(report, people["eu-co"], level, "Introduction text."), people)
    assert intro.state == PartState.APPROVED
    with pytest.raises(Refused):  # an approved part is returned before it is edited
        parts.edit_part(actor=people["eu-co"], part=intro, base_version=intro.version, text="x",
                        classification=intro.classification, releasable_to=orgs(), area=areas[0].pk)
    intro = parts.return_part(actor=people["nato-ap"], part=intro, message="Say it on the area instead.")
    moved = parts.edit_part(actor=people["eu-co"], part=intro, base_version=intro.version, text="Now on the area.",
                            classification=intro.classification, releasable_to=orgs(), area=areas[0].pk)
    assert (moved.area_id, moved.state, moved.approvals.count()) == (areas[0].pk, PartState.DRAFT, 0)
    # It goes last in its new place; moving up swaps it only with texts of the same place.
    assert list(ReportText.objects.filter(area=areas[0]).order_by("order").values_list("pk", flat=True))[-1] == moved.pk
    parts.move_part(actor=people["eu-co"], part=moved, direction="up")
    parts.move_part(actor=people["eu-co"], part=moved, direction="up")
    assert list(ReportText.objects.filter(area=areas[0]).order_by("order").values_list("pk", flat=True))[0] == moved.pk
    assert ReportText.objects.get(pk=first.pk).area_id == areas[0].pk


def test_the_editor_writes_a_text_in_the_browser(report, people, level, areas):
    client = Client()
    client.force_login(people["eu-co"])
    editor = f"/reports/{report.period.ordinal}/edit/"
    page = client.get(editor).content.decode()
    assert "Introduction and area texts" in page and "Where it goes" in page and "The introduction" in page
    response = client.post(f"/reports/{report.period.ordinal}/parts/text/new/", {
        "text-text": "MXWEB A text on the area, <b>inert</b>.", "text-area": areas[2].pk,
        "text-classification": level(0, scheme="eu").pk, "text-releasable_to": [o.pk for o in orgs()]})
    assert response.status_code == 302
    made = ReportText.objects.get()
    assert made.area == areas[2]
    page = client.get(editor).content.decode()
    assert f"on <span>{areas[2].name}</span>" in page and "&lt;b&gt;inert" in page and "<b>inert" not in page
    # Its page carries the form with its place, and its discussion.
    part_page = client.get(f"/reports/{report.period.ordinal}/parts/text/{made.pk}/edit/").content.decode()
    assert "Where it goes" in part_page and 'id="comments"' in part_page
    # A bad area is a clear message and nothing is written.
    client.post(f"/reports/{report.period.ordinal}/parts/text/new/", {
        "text-text": "Another.", "text-area": 999999, "text-classification": level(0, scheme="eu").pk})
    assert ReportText.objects.count() == 1
