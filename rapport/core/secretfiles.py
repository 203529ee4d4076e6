"""The instance's secrets: each comes from an environment variable or from a file in
the data directory, which ``rapport init`` creates (random, mode 0600) when missing.

The secrets never live in the database, so someone who holds only the database
cannot recompute audit hashes, forge a verification record or sign a head.
Knows no domain: the callers say what each secret is for.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class SecretMissing(CommandError):
    """A secret has neither its environment variable nor its file (or is too short).
    A CommandError, so that every command reports it in one sentence."""


@dataclass(frozen=True)
class SecretFile:
    filename: str
    env_var: str | None
    make: Callable[[], str]
    purpose: str  # lazy: the settings import this module before translations are ready
    min_length: int = 32

    def path(self, directory: Path | str | None = None) -> Path:
        return Path(directory if directory is not None else _data_dir()) / self.filename

    def read(self, directory: Path | str | None = None) -> str:
        """The secret, or '' when it has neither its variable nor its file."""
        if self.env_var and os.environ.get(self.env_var):
            return os.environ[self.env_var]
        try:
            return self.path(directory).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return ""

    def require(self, directory: Path | str | None = None) -> str:
        value = self.read(directory)
        if not value:
            if self.env_var:
                raise SecretMissing(_("No %(purpose)s: set %(variable)s or run 'rapport init' to create %(file)s.")
                                    % {"purpose": self.purpose, "variable": self.env_var,
                                       "file": self.path(directory)})
            raise SecretMissing(_("No %(purpose)s: run 'rapport init' to create %(file)s.")
                                % {"purpose": self.purpose, "file": self.path(directory)})
        if len(value) < self.min_length:
            source = self.env_var if self.env_var and os.environ.get(self.env_var) else self.path(directory)
            raise SecretMissing(_("The %(purpose)s from %(source)s is too short (%(length)s characters; at least "
                                  "%(minimum)s).") % {"purpose": self.purpose, "source": source,
                                                      "length": len(value), "minimum": self.min_length})
        return value

    def ensure(self, directory: Path | str | None = None) -> bool:
        """Create the file when the secret is missing; True if it was created now."""
        if self.read(directory):
            return False
        return _create_exclusive(self.path(directory), self.make())

    def is_private(self, directory: Path | str | None = None) -> bool:
        """False when the file exists and others than its owner may read or write it."""
        try:
            return self.path(directory).stat().st_mode & 0o077 == 0
        except FileNotFoundError:
            return True


def _data_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR)


def _create_exclusive(path: Path, content: str) -> bool:
    """Write ``content`` to a new file, mode 0600, atomically: another process either sees no
    file or the whole secret, and of two processes creating it at once one wins."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content if content.endswith("\n") else content + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails if the file exists: never replace a secret
        except FileExistsError:
            return False
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _new_ed25519_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


DJANGO_SECRET_KEY = SecretFile("secret.key", "RAPPORT_SECRET_KEY", lambda: secrets.token_urlsafe(48),
                               gettext_lazy("secret key (sessions, signed cookies)"), min_length=1)
AUDIT_KEY = SecretFile("audit.key", "RAPPORT_AUDIT_KEY", lambda: secrets.token_hex(32),
                       gettext_lazy("audit key (keys the audit chain's hashes)"))
INSTANCE_SIGNING_KEY = SecretFile("instance-ed25519.pem", None, _new_ed25519_pem,
                                  gettext_lazy("instance signing key (Ed25519; signs audit heads)"), min_length=1)

# What 'rapport init' creates, in this order.
ALL = (DJANGO_SECRET_KEY, AUDIT_KEY, INSTANCE_SIGNING_KEY)


def instance_private_key(directory: Path | str | None = None):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(INSTANCE_SIGNING_KEY.require(directory).encode(), password=None)
