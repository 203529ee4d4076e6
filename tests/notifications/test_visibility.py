"""The inbox's read path agrees with the policy: a notice is shown to its recipient exactly when
``can(recipient, "view", subject)`` allows it, whatever the subject's marking, releasability and state."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from rapport.access.policy import VIEW, can
from rapport.contributions import services as contributions
from rapport.notifications.choices import Kind
from rapport.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_visible_to_matches_the_policy_for_every_user_and_subject(person, write, commitments, make_user):
    nato_drafter, eu_drafter = person("nato", "drafter"), person("eu", "drafter")
    nato_approver = person("nato", "approver")
    subjects = [
        write(nato_drafter, commitments[0], "NATO confidential, NATO only.", marking="NATO CONFIDENTIAL", to=["nato"], submit=True),
        write(nato_drafter, commitments[1], "NATO restricted, both.", marking="NATO RESTRICTED", to=["eu", "nato"], submit=True),
        write(nato_drafter, commitments[2], "NATO draft, public.", to=["eu", "nato"]),
        write(eu_drafter, commitments[3], "EU restricted, EU only.", marking="RESTREINT UE/EU RESTRICTED", to=["eu"], submit=True),
        write(eu_drafter, commitments[4], "EU public, submitted.", submit=True),
        commitments[5],
    ]
    returned = write(nato_drafter, commitments[6], "Returned to NATO.", to=["eu", "nato"], submit=True)
    subjects.append(contributions.return_contribution(actor=nato_approver, contribution=returned, message="Again."))
    readers = [nato_drafter, eu_drafter, nato_approver, person("eu", "reader", clearance=1),
               person("nato", "reader", clearance=0), make_user(delegation="FI", clearance=3),
               make_user(delegation="NO", clearance=3)]
    inactive = person("eu", "coordinator")
    inactive.is_active = False
    inactive.save()
    readers.append(inactive)
    for n, (user, subject) in enumerate(itertools.product(readers, subjects)):
        Notification.objects.create(recipient=user, kind=Kind.WORKFLOW, object_pk=subject.pk,
                                    content_type=ContentType.objects.get_for_model(subject),
                                    title=f"notice {n}", url="/", dedupe_key=str(n), created_at=timezone.now())
    checked = 0
    for user in readers:
        shown = set(Notification.objects.visible_to(user).values_list("pk", flat=True))
        for notice in Notification.objects.all():
            subject = notice.content_type.get_object_for_this_type(pk=notice.object_pk)
            # An inactive account reads as the signed-out public does; it gets no notices at all.
            expected = notice.recipient_id == user.pk and user.is_active and bool(can(user, VIEW, subject))
            assert (notice.pk in shown) == expected, (user.username, str(subject), expected)
            checked += 1
    assert checked == len(readers) ** 2 * len(subjects)
    # Every active reader has notices of their own both shown and hidden, so each answer is tested.
    for user in readers[:-1]:
        assert 0 < Notification.objects.visible_to(user).count() < len(subjects), user.username
    assert not Notification.objects.visible_to(inactive).exists()
    assert not Notification.objects.visible_to(None).exists()
    # The header's count (read paths of the kinds present only) agrees with the full read path.
    for user in readers:
        expected = sum(1 for notice in Notification.objects.filter(recipient=user, read_at__isnull=True)
                       if user.is_active and can(user, VIEW, notice.content_type.get_object_for_this_type(pk=notice.object_pk)))
        assert Notification.objects.unread_count(user) == expected == Notification.objects.visible_to(user).unread().count()
