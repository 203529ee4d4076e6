"""E-mail: settings from the environment, files under the data directory by default, and once end
to end against a real SMTP server on loopback (aiosmtpd, started here)."""

from __future__ import annotations

import datetime
import socket
from email import message_from_bytes, policy
from io import StringIO
from pathlib import Path

import environ
import pytest
from django.core.management import call_command
from django.test import override_settings

from rapport.notifications.choices import Kind
from rapport.notifications.mail import send_pending
from rapport.notifications.mailconfig import FILES, SMTP, email_settings
from rapport.notifications.models import Notification
from rapport.notifications.services import notify

DAY = datetime.date(2026, 11, 26)


def _settings(monkeypatch, **variables) -> dict:
    for name in ("RAPPORT_EMAIL_URL", "RAPPORT_SMTP_HOST", "RAPPORT_SMTP_PORT", "RAPPORT_SMTP_USER",
                 "RAPPORT_SMTP_PASSWORD", "RAPPORT_SMTP_STARTTLS", "RAPPORT_EMAIL_FROM", "RAPPORT_SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return email_settings(environ.Env(), Path("/srv/rapport"))


def test_without_settings_mail_is_written_to_files_in_the_data_directory(monkeypatch):
    conf = _settings(monkeypatch)
    assert conf["EMAIL_BACKEND"] == FILES and conf["EMAIL_FILE_PATH"] == "/srv/rapport/mail"
    assert conf["DEFAULT_FROM_EMAIL"] == "rapport@localhost"


def test_smtp_from_separate_variables(monkeypatch):
    conf = _settings(monkeypatch, RAPPORT_SMTP_HOST="mail.example.org", RAPPORT_SMTP_USER="rapport",
                     RAPPORT_SMTP_PASSWORD="s3cret", RAPPORT_EMAIL_FROM="Rapport <rapport@example.org>")
    assert conf["EMAIL_BACKEND"] == SMTP and conf["EMAIL_HOST"] == "mail.example.org"
    assert conf["EMAIL_USE_TLS"] is True and conf["EMAIL_PORT"] == 587  # a password never goes in clear by default
    assert conf["EMAIL_HOST_USER"] == "rapport" and conf["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert conf["DEFAULT_FROM_EMAIL"] == "Rapport <rapport@example.org>"
    plain = _settings(monkeypatch, RAPPORT_SMTP_HOST="relay.internal", RAPPORT_SMTP_STARTTLS="false")
    assert plain["EMAIL_USE_TLS"] is False and plain["EMAIL_PORT"] == 25


def test_smtp_from_one_url(monkeypatch):
    conf = _settings(monkeypatch, RAPPORT_EMAIL_URL="smtp+tls://user:pw@mail.example.org:2525",
                     RAPPORT_SMTP_HOST="ignored.example.org")
    assert (conf["EMAIL_HOST"], conf["EMAIL_PORT"], conf["EMAIL_USE_TLS"]) == ("mail.example.org", 2525, True)


@pytest.mark.django_db
def test_the_default_backend_writes_files_a_new_user_can_read(person, write, commitments, tmp_path):
    nato, approver = person("nato", "drafter"), person("nato", "approver")
    c = write(nato, commitments[0], "Narrative that stays in Rapport.", submit=True)
    with override_settings(EMAIL_BACKEND=FILES, EMAIL_FILE_PATH=str(tmp_path / "mail")):
        notify(approver, kind=Kind.WORKFLOW, subject=c, title=f"Submitted: {c.commitment.ref}",
               url=f"/contributions/{c.pk}/", send_mail=False)
        assert send_pending() == 1
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    text = files[0].read_text()
    assert f"Submitted: {c.commitment.ref}" in text and f"/contributions/{c.pk}/" in text
    assert "Narrative that stays" not in text


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls this hook by name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_remind_end_to_end_through_a_real_smtp_server(person, write, commitments, deadlines):
    from aiosmtpd.controller import Controller

    nato_drafter, nato_approver = person("nato", "drafter"), person("nato", "approver")
    eu_approver = person("eu", "approver", clearance=5)
    write(nato_drafter, commitments[0], "NATO only narrative.", marking="NATO CONFIDENTIAL", to=["nato"], submit=True)
    deadlines(approval_due=DAY + datetime.timedelta(days=3))
    handler, port = _Inbox(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_USE_TLS=False,
                               EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD="", DEFAULT_FROM_EMAIL="rapport@example.org",
                               RAPPORT_SITE_URL="https://rapport.example.org"):
            out = StringIO()
            call_command("remind", "--today", DAY.isoformat(), stdout=out)
            call_command("remind", "--today", DAY.isoformat(), stdout=out)  # again: nothing more
    finally:
        controller.stop()
    assert len(handler.messages) == 1, out.getvalue()
    rcpts, message = handler.messages[0]
    assert rcpts == [nato_approver.email]
    assert message["From"] == "rapport@example.org" and message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    n = Notification.objects.get(recipient=nato_approver)
    assert str(message["Subject"]) == f"[Rapport] {n.title}" and n.emailed_at is not None
    assert "https://rapport.example.org/commitments/?period=" in body
    assert "NATO only narrative" not in body and commitments[0].ref not in body
    assert eu_approver.email not in str(handler.messages)


@pytest.mark.django_db
def test_a_mail_server_that_is_down_leaves_the_notice_for_the_next_run(person, write, commitments, deadlines):
    nato_drafter, nato_approver = person("nato", "drafter"), person("nato", "approver")
    write(nato_drafter, commitments[0], "Text.", submit=True)
    deadlines(approval_due=DAY + datetime.timedelta(days=3))
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=_free_port(), EMAIL_TIMEOUT=2):
        out = StringIO()
        call_command("remind", "--today", DAY.isoformat(), stdout=out)
    assert "1 notice(s) sent, 0 e-mail(s) sent" in out.getvalue()
    n = Notification.objects.get(recipient=nato_approver)
    assert n.emailed_at is None
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        from django.core import mail

        mail.outbox = []
        out = StringIO()
        call_command("remind", "--today", DAY.isoformat(), stdout=out)
        assert "0 notice(s) sent, 1 e-mail(s) sent" in out.getvalue() and len(mail.outbox) == 1
