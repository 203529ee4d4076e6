"""Two-factor sign-in through the real sign-in pages: enrolment, codes, recovery codes,
refusals (each audited), and who must use it."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapport.access import twofactor
from rapport.access.models import RecoveryCode
from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb
from rapport.web.views.signin import ENROL_KEY

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
DEFAULT_ROLES = ["approver", "coordinator", "administrator"]


@pytest.fixture(autouse=True)
def required_roles(settings):
    settings.RAPPORT_TWO_FACTOR_ROLES = DEFAULT_ROLES


def code_for(key_hex: str, offset: int = 0) -> str:
    generator = TOTP(bytes.fromhex(key_hex))
    generator.time = time.time() + offset * 30
    return f"{generator.token():06d}"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def password_step(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def verbs_about(user) -> list[str]:
    return list(AuditEvent.objects.for_object(user).order_by("seq").values_list("verb", flat=True))


def enrol(client, user) -> list[str]:
    """Sign in with the password and set up an authenticator; returns the recovery codes."""
    assert password_step(client, user).url == reverse("sign-in-enrol")
    assert client.get(reverse("sign-in-enrol")).status_code == 200
    key = client.session[ENROL_KEY]
    response = client.post(reverse("sign-in-enrol"), {"code": code_for(key)})
    assert response.status_code == 200
    return re.findall(r"<code>([A-Z0-9-]{29})</code>", response.content.decode())


def test_a_required_role_sets_up_an_authenticator_before_it_is_signed_in(make_user):
    user = make_user(org="eu", role="approver", clearance=2)
    client = Client()
    response = password_step(client, user)
    assert response.status_code == 302 and response.url == reverse("sign-in-enrol")
    assert not signed_in(client)
    assert client.get(reverse("dashboard")).status_code == 302  # still signed out
    page = client.get(reverse("sign-in-enrol")).content.decode()
    assert "<svg" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    key = client.session[ENROL_KEY]
    # A wrong code: refused, audited, nothing set up.
    wrong = client.post(reverse("sign-in-enrol"), {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert wrong.status_code == 400 and not signed_in(client) and not twofactor.enrolled(user)
    assert Verb.TWO_FACTOR_FAILED in verbs_about(user)
    response = client.post(reverse("sign-in-enrol"), {"code": code_for(key)})
    codes = re.findall(r"<code>([A-Z0-9-]{29})</code>", response.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert signed_in(client) and twofactor.enrolled(user)
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert not RecoveryCode.objects.filter(digest__in=[c.replace("-", "") for c in codes]).exists()  # hashed
    assert verbs_about(user)[-2:] == [Verb.TWO_FACTOR_ENROLLED, Verb.USER_LOGGED_IN]


def test_sign_in_with_the_authenticator_and_no_replay(make_user):
    user = make_user(org="eu", role="coordinator", clearance=2)
    enrol(Client(), user)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    assert password_step(client, user).url == reverse("sign-in-code")
    assert not signed_in(client)
    code = code_for(device.key, offset=1)  # the next step: not yet used by the enrolment
    response = client.post(reverse("sign-in-code"), {"code": code})
    assert response.status_code == 302 and response.url == reverse("dashboard") and signed_in(client)
    # The same code again, in another sign-in: refused (a code works once).
    other = Client()
    password_step(other, user)
    assert other.post(reverse("sign-in-code"), {"code": code}).status_code == 400
    assert not signed_in(other)
    assert AuditEvent.objects.for_object(user).filter(verb=Verb.TWO_FACTOR_FAILED).exists()


def test_a_recovery_code_works_once(make_user):
    user = make_user(org="nato", role="administrator", clearance=2)
    codes = enrol(Client(), user)
    client = Client()
    password_step(client, user)
    response = client.post(reverse("sign-in-code"), {"code": codes[0].lower()})
    assert response.status_code == 302 and signed_in(client)
    assert Verb.RECOVERY_CODE_USED in verbs_about(user)
    again = Client()
    password_step(again, user)
    assert again.post(reverse("sign-in-code"), {"code": codes[0]}).status_code == 400
    assert not signed_in(again)
    assert again.post(reverse("sign-in-code"), {"code": codes[1]}).status_code == 302


def test_five_wrong_codes_end_the_pending_sign_in(make_user):
    user = make_user(org="eu", role="approver", clearance=2)
    enrol(Client(), user)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    password_step(client, user)
    for _ in range(5):
        device.refresh_from_db()
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
        response = client.post(reverse("sign-in-code"), {"code": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"})
    assert response.status_code == 302 and response.url == reverse("login")
    # Even the right code is no use now: the password must be given again.
    assert client.post(reverse("sign-in-code"), {"code": code_for(device.key, 1)}).url == reverse("login")
    assert not signed_in(client)
    # The first wrong code of the window is recorded; the others are counted.
    assert AuditEvent.objects.for_object(user).filter(verb=Verb.TWO_FACTOR_FAILED).count() == 1


def test_a_thousand_wrong_codes_write_a_bounded_log_and_lock_the_account(make_user, settings):
    from rapport.access import throttle
    from rapport.core.errors import InputError

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own slowing down aside: Rapport's limit alone
    user = make_user(org="eu", role="approver", clearance=2)
    enrol(Client(), user)
    device = TOTPDevice.objects.get(user=user)
    entries = AuditEvent.objects.count()
    for n in range(1000):
        with pytest.raises(InputError):
            twofactor.verify(user=user, code=f"{n:06d}" if n % 2 else "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    written = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True)[entries:])
    assert written == [Verb.TWO_FACTOR_FAILED, Verb.USER_SIGN_IN_LOCKED]  # the first failure and the lock
    # Locked: even the right code is refused, with a message that says so, through the pages too.
    with pytest.raises(InputError, match="too many wrong two-factor codes"):
        twofactor.verify(user=user, code=code_for(device.key, 1))
    client = Client()
    password_step(client, user)
    page = client.post(reverse("sign-in-code"), {"code": code_for(device.key, 1)})
    assert page.status_code == 400 and not signed_in(client)
    assert "Too many wrong two-factor codes on this account: codes are refused for up to 15 minutes." in (
        page.content.decode())
    assert AuditEvent.objects.count() == entries + 2
    assert throttle.CODE_LIMIT == 10
    # Once the window has passed, the right code works again.
    import datetime

    from django.utils import timezone

    from rapport.access.models import SignInFailure

    SignInFailure.objects.update(
        at=timezone.now() - datetime.timedelta(seconds=settings.RAPPORT_SIGN_IN_WINDOW_SECONDS + 1))
    assert twofactor.verify(user=user, code=code_for(device.key, 1)) == "totp"


def test_wrong_codes_slow_down(make_user):
    user = make_user(org="eu", role="approver", clearance=2)
    enrol(Client(), user)
    client = Client()
    password_step(client, user)
    client.post(reverse("sign-in-code"), {"code": "000001"})
    client.post(reverse("sign-in-code"), {"code": "000002"})
    page = client.post(reverse("sign-in-code"), {"code": "000003"}).content.decode()
    assert "wait" in page


def test_optional_for_other_roles_and_their_own_to_turn_off(make_user):
    user = make_user(org="eu", role="reader", clearance=1)
    client = Client()
    assert password_step(client, user).url == reverse("dashboard") and signed_in(client)
    # A reader may set it up from their security page, and turn it off with a code.
    client.get(reverse("account-two-factor"))
    key = client.session[ENROL_KEY]
    # Signed in already, the password is asked again: a wrong one sets up nothing and counts.
    assert client.post(reverse("account-two-factor"), {"code": code_for(key), "password": "x"}).status_code == 400
    assert not twofactor.enrolled(user)
    assert Verb.USER_LOGIN_FAILED in verbs_about(user)
    assert client.post(reverse("account-two-factor"), {"code": code_for(key), "password": PASSWORD}).status_code == 200
    assert twofactor.enrolled(user)
    fresh = Client()
    assert password_step(fresh, user).url == reverse("sign-in-code")
    client.post(reverse("account-two-factor-off"), {"code": "123"})
    assert twofactor.enrolled(user)
    client.post(reverse("account-two-factor-off"), {"code": code_for(key, 1)})
    assert not twofactor.enrolled(user) and Verb.TWO_FACTOR_REMOVED in verbs_about(user)


def test_a_required_role_cannot_turn_it_off(make_user):
    user = make_user(org="eu", role="approver", clearance=2)
    client = Client()
    enrol(client, user)
    key = TOTPDevice.objects.get(user=user).key
    client.post(reverse("account-two-factor-off"), {"code": code_for(key, 1)})
    assert twofactor.enrolled(user)


def test_new_recovery_codes_replace_the_old_ones(make_user):
    user = make_user(org="eu", role="approver", clearance=2)
    client = Client()
    old = enrol(client, user)
    key = TOTPDevice.objects.get(user=user).key
    page = client.post(reverse("account-recovery-codes"), {"code": code_for(key, 1)}).content.decode()
    new = re.findall(r"<code>([A-Z0-9-]{29})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    password_step(other, user)
    assert other.post(reverse("sign-in-code"), {"code": old[0]}).status_code == 400
    assert Verb.RECOVERY_CODES_MADE in verbs_about(user)


def test_an_organisation_adds_roles_but_never_drops_the_installations(make_user):
    from rapport.access.models import OrganisationSettings

    reader = make_user(org="nato", role="reader", clearance=1)
    drafter = make_user(org="nato", role="drafter", clearance=1)
    approver = make_user(org="nato", role="approver", clearance=1)
    eu_reader = make_user(org="eu", role="reader", clearance=1)
    OrganisationSettings.objects.create(organisation=reader.organisation, two_factor_roles=["reader"])
    assert twofactor.required(reader) and twofactor.required(approver) and not twofactor.required(drafter)
    assert not twofactor.required(eu_reader)  # the other organisation's choice is its own
    assert password_step(Client(), reader).url == reverse("sign-in-enrol")
    assert password_step(Client(), drafter).url == reverse("dashboard")
    # Through the console: the installation's roles cannot be taken off.
    admin = make_user(org="nato", role="administrator", clearance=2)
    client = Client()
    client.force_login(admin)
    client.post(reverse("console-settings"), {"two_factor_roles": ["drafter"]})
    settings_row = OrganisationSettings.objects.get(organisation=reader.organisation)
    assert settings_row.two_factor_roles == ["drafter"]
    assert twofactor.required(approver) and twofactor.required(drafter) and not twofactor.required(reader)


def test_a_first_authenticator_only_within_a_day_of_the_handover(make_user):
    import datetime

    from django.utils import timezone

    from rapport.access.models import User
    from rapport.console import services

    user = make_user(org="eu", role="approver", clearance=2)
    assert user.enrol_by is not None and user.enrol_by > timezone.now()  # a new account has a day
    User.objects.filter(pk=user.pk).update(enrol_by=timezone.now() - datetime.timedelta(seconds=1))
    client = Client()
    response = password_step(client, user)
    assert response.status_code == 200 and not signed_in(client)
    assert "the time to set it up with your password alone has passed" in response.content.decode()
    assert client.get(reverse("sign-in-enrol")).url == reverse("login")  # no pending sign-in either
    assert not TOTPDevice.objects.filter(user=user).exists()
    # The administrator's new sign-in link opens a new day.
    admin = make_user(org="eu", role="administrator", clearance=3)
    path = services.issue_sign_in_link(actor=admin, account=user)
    new = "tulip-harbour-47-lantern"
    Client().post(path, {"password": new, "confirmation": new})
    person = Client()
    assert person.post(reverse("login"), {"username": user.username, "password": new}).url == reverse("sign-in-enrol")
    person.get(reverse("sign-in-enrol"))
    assert person.post(reverse("sign-in-enrol"), {"code": code_for(person.session[ENROL_KEY])}).status_code == 200
    assert signed_in(person)
    user.refresh_from_db()
    assert user.enrol_by is None  # closed by the set-up
    # A reset second factor opens a new day too.
    services.reset_two_factor(actor=admin, account=user)
    user.refresh_from_db()
    assert user.enrol_by is not None and user.enrol_by > timezone.now()


def test_the_operator_and_an_organisation_setting_open_a_new_day(make_user, capsys):
    import datetime

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    from rapport.access.models import User
    from rapport.console import services

    past = timezone.now() - datetime.timedelta(days=3)
    approver, reader = make_user(org="eu", role="approver", clearance=2), make_user(org="eu", role="reader")
    User.objects.filter(pk__in=[approver.pk, reader.pk]).update(enrol_by=past)
    call_command("account", "open-enrolment", approver.username)
    approver.refresh_from_db()
    assert approver.enrol_by > timezone.now() and "may set up an authenticator" in capsys.readouterr().out
    assert Verb.TWO_FACTOR_ENROLMENT_OPENED in verbs_about(approver)
    enrol(Client(), approver)
    with pytest.raises(CommandError, match="has an authenticator already"):
        call_command("account", "open-enrolment", approver.username)
    # An organisation that adds readers to its list gives its readers a day.
    admin = make_user(org="eu", role="administrator", clearance=3)
    services.update_settings(actor=admin, organisation=admin.organisation, default_level="",
                             two_factor_roles=["reader"], remind_days_before="", escalate_after_days="")
    reader.refresh_from_db()
    assert reader.enrol_by > timezone.now()
