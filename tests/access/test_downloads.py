"""Downloads of report editions: one policy decision and one place that records them.

A signed-in reader's download is an audit entry; the public's are counted per day,
with one audit entry for the first of each day, so signed-out readers cannot grow
the log without bound. Delegation editions read for the organisations the state
belongs to today, as the delegation does in the pages.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from rapport.audit.models import AuditEvent
from rapport.core.errors import InputError, NotFound
from rapport.reports.build import render_edition
from rapport.reports.editions import resolve_edition
from rapport.reports.models import DownloadTally, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(eu_nato):
    report = Report.objects.filter(period__partnership=eu_nato, state="published").order_by("-period__ordinal").first()
    assert report is not None, "the default data has published reports"
    return report


def _downloads(report):
    return AuditEvent.objects.for_object(report).filter(verb="report.downloaded")


def test_public_downloads_are_counted_not_logged_one_by_one(published, client, monkeypatch):
    url = reverse("public-report-download", args=[published.period.ordinal, "md"])
    before = _downloads(published).count()
    for _ in range(5):
        assert client.get(url).status_code == 200
    assert _downloads(published).count() == before + 1
    tally = DownloadTally.objects.get(report=published, edition="public", format="md")
    assert tally.count == 5
    # The next day starts a new tally and one new entry.
    import rapport.reports.build as build

    tomorrow = tally.day + datetime.timedelta(days=1)
    monkeypatch.setattr(build.timezone, "localdate", lambda: tomorrow)
    client.get(url)
    client.get(url)
    assert _downloads(published).count() == before + 2
    assert DownloadTally.objects.get(report=published, day=tomorrow).count == 2


def test_signed_in_downloads_are_each_attributable(published, make_user):
    reader = make_user("nato", "reader", 2)
    client = Client()
    client.force_login(reader)
    url = reverse("report-download", args=[published.period.ordinal]) + "?edition=public&format=md"
    before = _downloads(published).count()
    for _ in range(3):
        assert client.get(url).status_code == 200
    entries = _downloads(published).filter(pk__gt=0).order_by("-seq")[:3]
    assert _downloads(published).count() == before + 3
    assert {e.actor_id for e in entries} == {reader.pk}
    assert not DownloadTally.objects.filter(report=published).exists()


def test_the_public_gets_nothing_of_an_unpublished_report(eu_nato):
    draft = Report.objects.get(period__partnership=eu_nato, state="draft")
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        render_edition(draft.period, "public", "md", actor=None)
    assert AuditEvent.objects.count() == before and not DownloadTally.objects.exists()


def test_cli_reads_as_the_public_unless_it_names_an_account(eu_nato, make_user, tmp_path):
    draft = Report.objects.get(period__partnership=eu_nato, state="draft")
    args = ["report", "--period", str(draft.period.ordinal), "--format", "md", "--output", str(tmp_path)]
    with pytest.raises(CommandError, match="No such report"):
        call_command(*args, "--edition", "public")
    with pytest.raises(CommandError, match="No active account"):
        call_command(*args, "--edition", "nato", "--user", "nobody-here")
    reader = make_user("eu", "reader", 3, username="eu-cli-reader")
    with pytest.raises(CommandError, match="another audience"):
        call_command(*args, "--edition", "nato:NC", "--user", reader.username)
    call_command(*args, "--edition", "eu:C-UE", "--user", reader.username)
    assert _downloads(draft).filter(actor=reader).count() == 1
    with pytest.raises(CommandError, match="needs --user"):
        call_command("report", "seal", "--period", str(draft.period.ordinal))


# Delegation editions: memberships of today ----------------------------------------------------------------


def test_delegation_edition_reads_for_todays_memberships(eu_nato):
    """The United Kingdom left the EU on 31 January 2020: its delegation's edition of a report of a
    period when it was a member reads for NATO only, as the delegation's own account does."""
    from rapport.access.models import User
    from rapport.partnerships.models import MemberState, Organisation

    early = eu_nato.periods.order_by("ordinal").first()
    assert early.end < datetime.date(2020, 1, 31)
    edition = resolve_edition(eu_nato, "delegation:GB", early)
    nato = Organisation.objects.get(key="nato")
    assert edition.audience.organisation_ids == (nato.pk,)
    account = User(username="gb", delegation=MemberState.objects.get(code="GB"), role="reader")
    assert account.reading_organisations() == [nato.pk]
    # Finland joined NATO in 2023: today it reads for both, whatever period is asked.
    fi = resolve_edition(eu_nato, "delegation:FI", early)
    assert set(fi.audience.organisation_ids) == set(Organisation.objects.values_list("pk", flat=True))


def test_an_edition_for_a_state_in_no_organisation_is_refused(eu_nato):
    from rapport.partnerships.models import MemberState

    MemberState.objects.create(code="ZZ", name="Nowhere")
    with pytest.raises(InputError, match="no organisation"):
        resolve_edition(eu_nato, "delegation:ZZ", eu_nato.periods.first())


def test_an_edition_names_its_audience_and_the_highest_marking_it_may_hold(eu_nato):
    eighth = eu_nato.periods.get(ordinal=8)
    assert resolve_edition(eu_nato, "eu:C-UE", eighth).label == "EU edition, up to CONFIDENTIEL UE/EU CONFIDENTIAL"
    assert resolve_edition(eu_nato, "nato:NR", eighth).label == "NATO edition, up to NATO RESTRICTED"
    fi = resolve_edition(eu_nato, "delegation:FI:2", eighth).label
    assert fi.startswith("Edition for the delegation of Finland, up to ") and "NATO RESTRICTED" in fi
    # The file carries the marking actually in it: the eighth report holds PUBLIC content only.
    from rapport.reports.build import document_for

    doc, _sealed = document_for(eighth, "eu:C-UE")
    assert doc.edition_label == "EU edition, up to CONFIDENTIEL UE/EU CONFIDENTIAL"
    assert doc.marking.rank == 0 and doc.marking_names() == "PUBLIC"


def test_the_summary_command_reads_as_the_public_unless_it_names_an_account(eu_nato, make_user):
    from io import StringIO

    draft = Report.objects.get(period__partnership=eu_nato, state="draft")
    with pytest.raises(CommandError, match="No such report"):
        call_command("summary", "--period", str(draft.period.ordinal))
    reader = make_user("eu", "reader", 1, username="eu-summary-reader")
    out = StringIO()
    call_command("summary", "--period", str(draft.period.ordinal), "--user", reader.username, stdout=out)
    assert out.getvalue().startswith("# ")


def test_an_edition_above_the_readers_clearance_says_which_one_to_ask_for(eu_nato, make_user, tmp_path):
    delegation = make_user(delegation="FI", clearance=2, username="fi-cli-reader")
    with pytest.raises(CommandError, match="delegation:FI:2"):
        call_command("report", "--period", "8", "--edition", "delegation:FI", "--format", "md",
                     "--output", str(tmp_path), "--user", delegation.username)
