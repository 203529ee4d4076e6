"""System checks for the instance's keys: there is no built-in secret, and the test
suite's fixed keys are refused outside the test settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.translation import gettext as _

from rapport.core.secretfiles import (
    AUDIT_KEY,
    DJANGO_SECRET_KEY,
    INSTANCE_SIGNING_KEY,
    SecretMissing,
)

TEST_ONLY_PREFIX = "rapport-test-only-"
# The key earlier versions had built in; someone may still have it in their environment.
OLD_BUILT_IN_KEY = "rapport-insecure-development-key-change-me-0123456789"


def _refused(value: str) -> bool:
    if value == OLD_BUILT_IN_KEY:
        return True
    return value.startswith(TEST_ONLY_PREFIX) and not getattr(settings, "TEST_KEYS_ALLOWED", False)


@register()
def secret_key_is_set(app_configs, **kwargs):
    # settings.SECRET_KEY raises when empty; the wrapped settings object does not.
    value = getattr(settings._wrapped, "SECRET_KEY", "") if settings.configured else ""
    if not value or _refused(value):
        problem = _("There is no secret key.") if not value else _("The secret key is a built-in or test-only key.")
        return [Error(problem, hint=_("Run 'rapport init' (it creates %(file)s, mode 600) "
                                      "or set RAPPORT_SECRET_KEY to 50 or more random characters.")
                      % {"file": DJANGO_SECRET_KEY.path()},
                      id="rapport.E010")]
    return []


@register()
def audit_key_is_set(app_configs, **kwargs):
    value = getattr(settings, "AUDIT_KEY", "")
    if not value:
        try:
            value = AUDIT_KEY.require()
        except SecretMissing as missing:
            return [Error(str(missing), hint=_("Without it no audited change can be written or verified."),
                          id="rapport.E011")]
    if _refused(value):
        return [Error(_("The audit key is a test-only key."),
                      hint=_("Set RAPPORT_AUDIT_KEY or let 'rapport init' create %(file)s.") % {"file": AUDIT_KEY.path()},
                      id="rapport.E011")]
    return []


@register()
def key_files_are_private(app_configs, **kwargs):
    return [Warning(_("%(file)s can be read or written by other users than its owner.") % {"file": spec.path()},
                    hint=f"chmod 600 {spec.path()}", id="rapport.W012")
            for spec in (DJANGO_SECRET_KEY, AUDIT_KEY, INSTANCE_SIGNING_KEY) if not spec.is_private()]
