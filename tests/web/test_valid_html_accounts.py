"""The sign-in, account and console pages pass the same HTML checks as the others (the
parser, unique ids, labelled controls, no hx-*, and the Nu checker with RAPPORT_VNU_JAR)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.api.tokens import create_token
from rapport.console.models import ClearanceRaise
from rapport.markings.models import ClassificationLevel
from tests.web.test_valid_html import (  # noqa: F401 — collected here with this module's pages
    test_pages_parse_cleanly_with_unique_ids_and_labelled_controls,
    test_pages_pass_the_nu_checker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(eu_nato, make_user, settings):
    settings.RAPPORT_TWO_FACTOR_ROLES = ["approver", "coordinator", "administrator"]
    admin = make_user(org="eu", role="administrator", clearance=3)
    other = make_user(org="eu", role="administrator", clearance=3)
    account = make_user(org="eu", role="drafter", clearance=1)
    create_token(user=account, name="sync")
    ClearanceRaise.objects.create(account=account, requested_by=other,
                                  level=ClassificationLevel.objects.get(scheme__key="eu", rank=2))
    client = Client()
    client.force_login(admin)
    found = {p: client.get(p) for p in (
        reverse("console-home"), reverse("console-account-new"), reverse("console-settings"),
        reverse("console-account", args=[account.pk]), reverse("account-security"), reverse("account-two-factor"),
        reverse("account-password"))}
    found["made"] = client.post(reverse("console-account-new"), {"username": "fresh", "role": "reader",
                                                                 "clearance": "", "how": "link"})
    found["new account error"] = client.post(reverse("console-account-new"), {"username": "", "how": "link"})
    signing_in = Client()
    found["sign in"] = signing_in.get(reverse("login"))
    signing_in.post(reverse("login"), {"username": account.username, "password": "correct-horse-battery"})
    approver = make_user(org="eu", role="approver", clearance=1)
    enrolling = Client()
    enrolling.post(reverse("login"), {"username": approver.username, "password": "correct-horse-battery"})
    found["set up"] = enrolling.get(reverse("sign-in-enrol"))
    found["code error"] = enrolling.post(reverse("sign-in-enrol"), {"code": "x"})
    assert all(r.status_code in (200, 400) for r in found.values()), {p: r.status_code for p, r in found.items()}
    return {p: r.content.decode() for p, r in found.items()}
