"""The instance's Ed25519 key (``rapport init`` creates it in the data directory, mode 0600)
and the peers' pinned public keys: signing a package and checking one."""

from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from rapport.core.secretfiles import instance_private_key


class BadKey(ValueError):
    """The text is not an Ed25519 public key in PEM."""


def _raw(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_key) -> str:
    """``sha256:`` and the hex SHA-256 of the raw 32-byte key (as the signed audit heads name keys)."""
    return "sha256:" + hashlib.sha256(_raw(public_key)).hexdigest()


def own_public_key():
    return instance_private_key().public_key()


def own_public_pem() -> str:
    return own_public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_pem(text: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(text.encode())
    except (ValueError, TypeError, UnicodeError) as exc:
        raise BadKey("not a public key in PEM form") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise BadKey("not an Ed25519 public key")
    return key


def sign(data: bytes, private_key=None) -> str:
    return base64.b64encode((private_key or instance_private_key()).sign(data)).decode()


def verify(public_key: Ed25519PublicKey, signature: str, data: bytes) -> bool:
    """Whether ``signature`` is the one base64 form of a valid signature of ``data``: base64
    decoding ignores the unused bits of the last character, so the text must also re-encode to
    itself (otherwise a changed character would still verify, under another file hash)."""
    try:
        raw = base64.b64decode(signature, validate=True)
        if len(raw) != 64 or base64.b64encode(raw).decode() != signature:
            return False
        public_key.verify(raw, data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
