"""The audit key: the HMAC key of the chain's hashes and of the verification record.

It comes from the AUDIT_KEY setting (the test settings only), else RAPPORT_AUDIT_KEY,
else ``<data dir>/audit.key``; it never lives in the database.
"""

from __future__ import annotations

from django.conf import settings

from rapport.core.secretfiles import AUDIT_KEY, SecretMissing

__all__ = ["SecretMissing", "audit_key"]


def audit_key() -> bytes:
    configured = getattr(settings, "AUDIT_KEY", "")
    return (configured or AUDIT_KEY.require()).encode()
