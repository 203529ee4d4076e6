"""Authentication settings: Argon2, login throttling, secure cookies, CSP, and a
clean ``check --deploy`` with the production settings."""

from __future__ import annotations

import importlib
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from .production import production_settings

PROJECT = Path(__file__).resolve().parents[2]


def test_password_hasher_is_argon2():
    base = importlib.import_module("rapport.settings.base")
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert Argon2PasswordHasher().encode("correct-horse-battery", Argon2PasswordHasher().salt()).startswith("argon2$")


def test_throttling_settings():
    base = importlib.import_module("rapport.settings.base")
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_COOLOFF_TIME == 0.25  # hours: 15 minutes
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert "axes" in base.INSTALLED_APPS and "axes.middleware.AxesMiddleware" in base.MIDDLEWARE
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.django_db
def test_five_failed_logins_lock_the_username_and_ip(settings, make_user):
    settings.AXES_ENABLED = True
    user = make_user("eu", "reader", 1, username="throttled")
    client = Client(REMOTE_ADDR="10.0.0.7")
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "throttled", "password": "wrong-password-123"})
        assert not response.wsgi_request.user.is_authenticated
    # Locked: even the right password is refused now.
    response = client.post(url, {"username": "throttled", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    request = RequestFactory().post(url, REMOTE_ADDR="10.0.0.7")
    assert authenticate(request, username="throttled", password="correct-horse-battery") is None
    # Another address is not locked (username AND address).
    other = Client(REMOTE_ADDR="10.0.0.8")
    response = other.post(url, {"username": "throttled", "password": "correct-horse-battery"})
    assert response.status_code == 302 and other.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_four_failures_do_not_lock(settings, make_user):
    settings.AXES_ENABLED = True
    make_user("eu", "reader", 1, username="almost")
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(4):
        client.post(reverse("login"), {"username": "almost", "password": "wrong-password-123"})
    response = client.post(reverse("login"), {"username": "almost", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_production_cookie_and_transport_flags():
    prod = production_settings()
    assert prod.DEBUG is False
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SESSION_COOKIE_HTTPONLY
    assert prod.SESSION_COOKIE_SAMESITE == "Lax" and prod.CSRF_COOKIE_SAMESITE == "Lax"
    assert prod.SECURE_SSL_REDIRECT and prod.SECURE_HSTS_SECONDS >= 31536000
    assert prod.X_FRAME_OPTIONS == "DENY"


@pytest.mark.django_db
def test_csp_header_on_a_response(eu_nato):
    response = Client().get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.timeout(300)
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    secret = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50))
    env = {
        # DJANGO_ALLOW_ASYNC_UNSAFE is set in this process by pytest-playwright; a deployment never has it.
        **{k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")},
        "DJANGO_SETTINGS_MODULE": "rapport.settings.production",
        "RAPPORT_SECRET_KEY": secret,
        "RAPPORT_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
    }
    rapport = Path(sys.executable).parent / "rapport"
    init = subprocess.run([str(rapport), "init", "--no-demo-users", "--verbosity", "0"], env=env, cwd=PROJECT,
                          capture_output=True, text=True, timeout=240)
    assert init.returncode == 0, init.stdout + init.stderr
    check = subprocess.run([str(rapport), "check", "--deploy", "--fail-level", "WARNING"], env=env, cwd=PROJECT,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "System check identified no issues" in check.stdout
    # And it can fail: an insecure key is reported.
    weak = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env={**env, "RAPPORT_SECRET_KEY": "short"}, cwd=PROJECT, capture_output=True, text=True,
                          timeout=120)
    assert weak.returncode != 0 and "security.W009" in weak.stdout + weak.stderr
