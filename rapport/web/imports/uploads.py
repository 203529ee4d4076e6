"""An uploaded sheet kept on the server between its preview and its confirmation, so the
confirmation reads the very file the preview read and never trusts what the browser sends
back. Each file lives under the data directory, named by the hash of a random token; the
token is known only to the session that uploaded it (and to its account), and the file is
removed once confirmed or discarded, or after LIFETIME."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from pathlib import Path

from django.conf import settings

LIFETIME = 30 * 60  # seconds
SESSION_KEY = "rapport_imports"


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _paths(token: str) -> tuple[Path, Path]:
    name = hashlib.sha256(token.encode()).hexdigest()
    return _folder() / f"{name}.xlsx", _folder() / f"{name}.json"


def keep(request, data: bytes, *, period_ordinal: int, filename: str) -> str:
    """Store the upload; returns its token (also remembered in the session)."""
    sweep()
    token = secrets.token_urlsafe(24)
    sheet, meta = _paths(token)
    sheet.write_bytes(data)
    meta.write_text(json.dumps({"user": request.user.pk, "period": period_ordinal, "at": time.time(),
                                "name": filename[:120]}))
    tokens = [t for t in request.session.get(SESSION_KEY, []) if _paths(t)[1].exists()][-9:]
    request.session[SESSION_KEY] = [*tokens, token]
    return token


def load(request, token: str, *, period_ordinal: int) -> tuple[bytes, dict] | None:
    """The stored file and what is known of it, if ``token`` is this session's, this account's,
    this period's and not expired; otherwise None (the caller answers 404)."""
    if not isinstance(token, str) or token not in request.session.get(SESSION_KEY, []):
        return None
    sheet, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_text())
        data = sheet.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user") != request.user.pk or meta.get("period") != period_ordinal:
        return None
    if time.time() - meta.get("at", 0) > LIFETIME:
        discard(request, token)
        return None
    return data, meta


def discard(request, token: str) -> None:
    for path in _paths(token):
        path.unlink(missing_ok=True)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


def sweep() -> int:
    """Remove the files older than LIFETIME; returns how many uploads went."""
    gone = 0
    for meta in _folder().glob("*.json"):
        try:
            old = time.time() - json.loads(meta.read_text()).get("at", 0) > LIFETIME
        except (OSError, ValueError):
            old = True
        if old:
            meta.with_suffix(".xlsx").unlink(missing_ok=True)
            meta.unlink(missing_ok=True)
            gone += 1
    return gone
