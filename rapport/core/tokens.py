"""Opaque tokens for values a reader must not read, such as a position in the audit log
(its numbers would show how much was written that the reader may not see): encrypted and
authenticated with a key derived from the secret key, so they can be neither read nor forged."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet(purpose: str) -> Fernet:
    digest = hashlib.sha256(f"rapport.tokens:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(value: int, purpose: str) -> str:
    return _fernet(purpose).encrypt(str(int(value)).encode()).decode()


def unseal(token: str, purpose: str) -> int | None:
    """The value, or None for anything that is not a token of this purpose."""
    if not token or len(token) > 500:
        return None
    try:
        return int(_fernet(purpose).decrypt(token.encode()).decode())
    except (InvalidToken, ValueError):
        return None
