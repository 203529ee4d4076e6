"""Test settings: the database still comes from DATABASE_URL, so the same
suite runs on SQLite and on PostgreSQL. Hashing is fast, throttling is off
except where a test turns it on."""

from .base import *  # noqa: F403

# Fixed keys for the test suite only. They are public, so 'rapport check' refuses
# any key starting with 'rapport-test-only-' unless TEST_KEYS_ALLOWED is set (here only).
SECRET_KEY = "rapport-test-only-secret-key-not-for-any-installation-0123456789"
AUDIT_KEY = "rapport-test-only-audit-key-not-for-any-installation-0123456789"
TEST_KEYS_ALLOWED = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests serve static files through the finders; there is no collected folder.
STATIC_ROOT = None
# Deadlines are read against a fixed day, so the suite gives the same answers on any date.
RAPPORT_TODAY = "2026-11-26"
# Fixtures write rows without audit entries, so a fragment keyed by the audit head could be
# stale between two requests of a test: fragments are off unless a test turns them on
# (tests/web/test_fragments.py).
CACHES = {
    **CACHES,  # noqa: F405
    "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "ratelimits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rapport-test-ratelimits"},
}
# The API's rate limits are off (the fuzzing makes thousands of requests a minute) unless a test
# turns them on (tests/api/test_ratelimits.py).
RAPPORT_API_RATE_LIMITS = {"read": 0, "write": 0}
# Two-factor sign-in is off for every role here, so the suite's own sign-ins are a password;
# the tests of two-factor sign-in (tests/access/test_two_factor.py, the browser journeys) turn
# it on with the installation's default roles.
RAPPORT_TWO_FACTOR_ROLES = []
