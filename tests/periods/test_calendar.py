"""The deadlines as a calendar feed at a secret, revocable address, holding only what its
owner may read."""

from __future__ import annotations

import datetime
import re

import pytest

from rapport.periods import services
from rapport.periods.models import CalendarFeed, ReportingPeriod

pytestmark = pytest.mark.django_db


def _address(client, user) -> str:
    client.force_login(user)
    html = client.post("/calendar/", {"action": "new"}).content.decode()
    url = re.search(r'value="(http://testserver/calendar/[^"]+\.ics)"', html).group(1)
    client.logout()
    return url.removeprefix("http://testserver")


def test_the_feed_lists_the_deadlines_of_the_periods_under_way(client, make_user, eu_nato):
    path = _address(client, make_user(org="eu", role="drafter"))
    response = client.get(path)  # no session: the address is the key
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    open_period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    assert f"SUMMARY:Contributions due: {eu_nato.name}\\, period {open_period.ordinal}" in body.replace("\r\n ", "")
    assert f"DTSTART;VALUE=DATE:{open_period.contributions_due:%Y%m%d}" in body
    assert ", period 9" not in body.replace("\\,", ",")  # a published period's deadlines are history


def test_only_a_fingerprint_is_kept_and_a_new_address_or_a_revocation_ends_the_old_one(client, make_user):
    user = make_user(org="nato", role="reader")
    first = _address(client, user)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=user).token_sha256 != token
    second = _address(client, user)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    client.force_login(user)
    client.post("/calendar/", {"action": "revoke"})
    client.logout()
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    third = _address(client, user)
    user.is_active = False
    user.save()
    assert client.get(third).status_code == 404


def test_an_extension_reaches_only_its_organisations_feeds_and_only_on_visible_commitments(
        client, make_user, eu_nato, level):
    from rapport.commitments.models import Commitment
    from rapport.partnerships.models import Organisation
    from tests.synthetic import mark

    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    for org in ("eu", "nato"):
        services.agree(actor=make_user(org=org, role="coordinator"), period=period, step="close_contributions")
    period.refresh_from_db()
    restricted, public = Commitment.objects.filter(partnership=eu_nato).order_by("pk")[:2]
    mark(restricted, level("NATO CONFIDENTIAL"), [Organisation.objects.get(key="nato")])
    coordinator = make_user(org="nato", role="coordinator", clearance=3)
    for c in (restricted, public):
        services.grant_extension(actor=coordinator, period=period, commitment=c, until=datetime.date(2026, 12, 20),
                                 reason="Late.")
    feeds = {name: client.get(_address(client, user)).content.decode().replace("\r\n ", "") for name, user in {
        "nato-3": make_user(org="nato", role="drafter", clearance=3),
        "nato-1": make_user(org="nato", role="drafter", clearance=1),
        "eu-3": make_user(org="eu", role="coordinator", clearance=3)}.items()}
    assert f"Extension ends: {restricted.ref}" in feeds["nato-3"] and f"Extension ends: {public.ref}" in feeds["nato-3"]
    assert f"Extension ends: {restricted.ref}" not in feeds["nato-1"] and f"Extension ends: {public.ref}" in feeds["nato-1"]
    assert "Extension ends" not in feeds["eu-3"]
