"""E-mail settings from the environment (read by rapport/settings/base.py; no models here).

In order of preference:

* ``RAPPORT_EMAIL_URL``: one URL, e.g. ``smtp+tls://user:password@mail.example.org:587``
  (``smtp://``, ``smtps://`` for TLS from the start, ``smtp+tls://`` for STARTTLS; also
  ``consolemail://`` and ``filemail:///path``);
* ``RAPPORT_SMTP_HOST`` with ``RAPPORT_SMTP_PORT`` (default 587 with STARTTLS, else 25),
  ``RAPPORT_SMTP_USER``, ``RAPPORT_SMTP_PASSWORD`` and ``RAPPORT_SMTP_STARTTLS`` (default:
  on when a user is given, so a password never crosses the network in clear);
* neither: messages are written as files under ``<data dir>/mail/`` (Django's file-based
  backend), one file per run, so a new installation can read what it would have sent.

``RAPPORT_EMAIL_FROM`` is the sender (default ``rapport@localhost``); ``RAPPORT_SITE_URL``
the address links in e-mails start with (default ``http://127.0.0.1:8000``).
"""

from __future__ import annotations

from pathlib import Path

import environ

SMTP = "django.core.mail.backends.smtp.EmailBackend"
FILES = "django.core.mail.backends.filebased.EmailBackend"


def email_settings(env: environ.Env, data_dir: Path) -> dict:
    url = env.str("RAPPORT_EMAIL_URL", default="")
    host = env.str("RAPPORT_SMTP_HOST", default="")
    if url:
        conf = {k: v for k, v in environ.Env.email_url_config(url).items() if v not in (None, "")}
        if conf.get("EMAIL_BACKEND") == FILES and not conf.get("EMAIL_FILE_PATH"):
            conf["EMAIL_FILE_PATH"] = str(data_dir / "mail")
    elif host:
        user = env.str("RAPPORT_SMTP_USER", default="")
        starttls = env.bool("RAPPORT_SMTP_STARTTLS", default=bool(user))
        conf = {
            "EMAIL_BACKEND": SMTP, "EMAIL_HOST": host,
            "EMAIL_PORT": env.int("RAPPORT_SMTP_PORT", default=587 if starttls else 25),
            "EMAIL_HOST_USER": user, "EMAIL_HOST_PASSWORD": env.str("RAPPORT_SMTP_PASSWORD", default=""),
            "EMAIL_USE_TLS": starttls,
        }
    else:
        conf = {"EMAIL_BACKEND": FILES, "EMAIL_FILE_PATH": str(data_dir / "mail")}
    sender = env.str("RAPPORT_EMAIL_FROM", default="rapport@localhost")
    conf.update({
        "DEFAULT_FROM_EMAIL": sender, "SERVER_EMAIL": sender, "EMAIL_TIMEOUT": 10,
        "RAPPORT_SITE_URL": env.str("RAPPORT_SITE_URL", default="http://127.0.0.1:8000").rstrip("/"),
    })
    return conf
