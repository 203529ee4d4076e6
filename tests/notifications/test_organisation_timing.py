"""An organisation's administrators set their own reminder timing in the console."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from rapport.access.models import OrganisationSettings
from rapport.notifications.choices import Kind
from rapport.notifications.models import Notification
from rapport.partnerships.models import Organisation

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 26)


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_each_organisation_reminds_on_its_own_timing(person, deadlines):
    eu, nato = person("eu", "drafter"), person("nato", "drafter")
    eu_coordinator, nato_coordinator = person("eu", "coordinator"), person("nato", "coordinator")
    OrganisationSettings.objects.create(organisation=Organisation.objects.get(key="eu"), remind_days_before=30,
                                        escalate_after_days=2)
    deadlines(contributions_due=DAY + datetime.timedelta(days=20))  # outside the partnership's 14 days
    call_command("remind", "--today", DAY.isoformat(), stdout=StringIO())
    assert kinds(eu) == [Kind.REMINDER] and kinds(nato) == []
    deadlines(contributions_due=DAY - datetime.timedelta(days=2))  # the EU escalates after 2 days, NATO after 7
    call_command("remind", "--today", DAY.isoformat(), stdout=StringIO())
    assert Kind.ESCALATION in kinds(eu_coordinator) and Kind.ESCALATION not in kinds(nato_coordinator)
    assert Kind.OVERDUE in kinds(nato_coordinator)
