import pytest
from django.core.management import CommandError, call_command

from rapport.access.models import User
from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb


def test_account_add_creates_an_audited_account(eu_nato, capsys):
    before = AuditEvent.objects.count()
    call_command("account", "add", "anna", "--organisation", "nato", "--role", "approver", "--clearance", "NR")
    user = User.objects.get(username="anna")
    assert (user.organisation.key, user.role, user.clearance.name) == ("nato", "approver", "NATO RESTRICTED")
    assert "Password (shown only now)" in capsys.readouterr().out
    event = AuditEvent.objects.get(seq=before + 1)
    assert event.verb == Verb.USER_CREATED and event.object_pk == user.pk
    assert [o.key for o in event.releasable_to.all()] == ["nato"]


def test_account_add_takes_the_address_notices_are_mailed_to(eu_nato):
    call_command("account", "add", "carla", "--organisation", "eu", "--clearance", "R-UE", "--email",
                 "carla@example.org")
    assert User.objects.get(username="carla").email == "carla@example.org"


@pytest.mark.parametrize("args, field", [
    (["--organisation", "eu", "--role", "king", "--clearance", "R-UE"], "role"),
    (["--organisation", "xx", "--clearance", "R-UE"], "organisation"),
    (["--organisation", "eu", "--clearance", "NATO SECRET"], "clearance"),
    (["--delegation", "FI", "--role", "drafter", "--clearance", "2"], "role"),
    (["--organisation", "eu", "--delegation", "FI", "--clearance", "2"], "organisation"),
    (["--organisation", "eu", "--clearance", "R-UE", "--email", "not an address"], "email"),
    (["--organisation", "eu", "--clearance", "R-UE", "--email", "a@example.org\nBcc: x@example.org"], "email"),
])
def test_bad_account_input_names_the_field_and_creates_nothing(eu_nato, args, field):
    users, events = User.objects.count(), AuditEvent.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("account", "add", "bob", *args)
    assert f"field {field!r}" in str(exc.value)
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


@pytest.mark.parametrize("name", ["bob\x00evil", "bad name", "", "x" * 151])
def test_bad_usernames_are_a_clear_error_on_every_database(eu_nato, name):
    users = User.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("account", "add", name, "--organisation", "eu", "--clearance", "R-UE")
    assert "field 'username'" in str(exc.value)
    assert User.objects.count() == users
