"""Settings shared by every environment.

Everything that differs between machines comes from the environment:
``DATABASE_URL`` (``sqlite:///path`` or ``postgres://user@host/db``),
``RAPPORT_DATA_DIR`` (where the SQLite file, sealed reports, the demo
passwords, the instance's key files and the audit checkpoints live) and
``RAPPORT_SECRET_KEY``. There is no built-in secret key: without the variable,
the key is read from ``<data dir>/secret.key``, which ``rapport init`` creates;
without either, the system check ``rapport.E010`` stops ``serve`` and ``check``.
"""

from pathlib import Path

import environ
from csp.constants import NONCE

from rapport.core.secretfiles import DJANGO_SECRET_KEY
from rapport.notifications.mailconfig import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent

env = environ.Env()

DATA_DIR = Path(env.str("RAPPORT_DATA_DIR", default=str(PROJECT_DIR / "var"))).resolve()

SECRET_KEY = DJANGO_SECRET_KEY.read(DATA_DIR)
# Appended after every commit that wrote audit entries; kept outside the database.
AUDIT_CHECKPOINT_FILE = DATA_DIR / "audit-checkpoints.jsonl"
DEBUG = env.bool("RAPPORT_DEBUG", default=False)
ALLOWED_HOSTS = env.list("RAPPORT_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # its static files: the Swagger UI of the API documentation page
    # Rapport's apps, lowest layer first: an app imports only apps above it in this list
    # (tests/core/test_layers.py checks it).
    "rapport.core",
    "rapport.markings",
    "rapport.partnerships",
    "rapport.audit",
    "rapport.access",
    "rapport.commitments",
    "rapport.periods",
    "rapport.evidence",
    "rapport.contributions",
    "rapport.reports",
    "rapport.notifications",
    "rapport.search",
    "rapport.seed",
    "rapport.discussions",
    "rapport.federation",
    "rapport.api",
    "rapport.console",
    "rapport.web",
    "rapport.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the switch's cookie, else Accept-Language, else English; a signed-in
    # account's own choice overrides both once the account is known (UserLanguageMiddleware).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout, absolute lifetime and "sign out everywhere" (rapport/access/sessions.py).
    "rapport.access.sessions.SessionLimitsMiddleware",
    "rapport.web.middleware.UserLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rapport.audit.middleware.RequestIdMiddleware",
    "axes.middleware.AxesMiddleware",
    "rapport.web.middleware.NoStoreMiddleware",
    "rapport.web.middleware.ControlCharacterMiddleware",
]

ROOT_URLCONF = "rapport.urls"
WSGI_APPLICATION = "rapport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "rapport.web.context_processors.session_limits",
            ],
        },
    },
]


def _database_from_env() -> dict:
    default_url = f"sqlite:///{DATA_DIR / 'rapport.sqlite3'}"
    db = env.db_url("DATABASE_URL", default=default_url)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if db["NAME"] and db["NAME"] != ":memory:":
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE serialises writers, which keeps the audit chain linear;
        # WAL lets readers go on while one writer works.
        db.setdefault("OPTIONS", {})
        db["OPTIONS"].update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    db["ATOMIC_REQUESTS"] = False
    # Keep each worker thread's connection between requests (SQLite's PRAGMAs and PostgreSQL's
    # connection set-up are paid once), checked before reuse.
    db["CONN_MAX_AGE"] = env.int("RAPPORT_CONN_MAX_AGE", default=300)
    db["CONN_HEALTH_CHECKS"] = True
    return db


DATABASES = {"default": _database_from_env()}

# "fragments": rendered parts of pages, keyed by the reader's scope and the audit log's head
# (rapport/web/fragments.py); per process, in memory. A fragment is 5-60 KB: at most about
# 60 MB a worker; entries of an old head are never read again and age out.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rapport-fragments",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # The API's rate limits (rapport/api/ratelimits.py), shared by the server's processes.
    "ratelimits": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "api-rate-limits"),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
}
# Requests a minute per token (or per signed-in user) on the API; 0 for no limit.
RAPPORT_API_RATE_LIMITS = {"read": env.int("RAPPORT_API_READS_PER_MINUTE", default=600),
                           "write": env.int("RAPPORT_API_WRITES_PER_MINUTE", default=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the account's organisation, delegation and clearance with it.
    "rapport.access.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not one short piece repeated, not leaning on the installation's own names, and none of the
    # account's last N passwords (rapport/access/passwords.py).
    {"NAME": "rapport.access.passwords.RepetitionValidator"},
    {"NAME": "rapport.access.passwords.ContextWordsValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "rapport.access.passwords.PasswordHistoryValidator",
     "OPTIONS": {"remembered": env.int("RAPPORT_PASSWORD_HISTORY", default=5)}},
]
# A one-time sign-in link (an account made in the administrator's console) works for a day.
PASSWORD_RESET_TIMEOUT = 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "public-home"

# Login throttling: five failures lock the username/IP pair for 15 minutes (django-axes);
# rapport/access/throttle.py adds the limits across addresses (one account) and across
# accounts (one address), over the same 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
RAPPORT_SIGN_IN_WINDOW_SECONDS = 15 * 60
# Behind N reverse proxies that each append to X-Forwarded-For, the client's address is the Nth
# entry from the right (the one the outermost proxy saw); 0 (the default): REMOTE_ADDR, the
# header ignored, since a client can write anything into it. Both django-axes and Rapport's own
# limits read the address through rapport.access.throttle.client_address.
RAPPORT_TRUSTED_PROXIES = env.int("RAPPORT_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "rapport.access.throttle.client_address"
RAPPORT_SIGN_IN_ACCOUNT_LIMIT = env.int("RAPPORT_SIGN_IN_ACCOUNT_LIMIT", default=20)
RAPPORT_SIGN_IN_ADDRESS_LIMIT = env.int("RAPPORT_SIGN_IN_ADDRESS_LIMIT", default=30)

# Two-factor sign-in (TOTP through django-otp, recovery codes): the roles that must use it in
# every organisation; an organisation's administrators may add roles in the console.
RAPPORT_TWO_FACTOR_ROLES = env.list("RAPPORT_TWO_FACTOR_ROLES", default=["approver", "coordinator", "administrator"])
OTP_TOTP_ISSUER = "Rapport"
OTP_TOTP_THROTTLE_FACTOR = 1

# Sessions end after 15 minutes without a request, and 8 hours after signing in whatever
# happens; the pages warn two minutes before the idle timeout.
RAPPORT_SESSION_IDLE_SECONDS = env.int("RAPPORT_SESSION_IDLE_SECONDS", default=15 * 60)
RAPPORT_SESSION_ABSOLUTE_SECONDS = env.int("RAPPORT_SESSION_ABSOLUTE_SECONDS", default=8 * 3600)
RAPPORT_SESSION_WARNING_SECONDS = env.int("RAPPORT_SESSION_WARNING_SECONDS", default=120)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = RAPPORT_SESSION_ABSOLUTE_SECONDS
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# English and French, NATO's two official languages (docs/i18n.md). Each app keeps its own
# catalogue in <app>/locale/; the project-level templates' strings are in rapport/locale/.
# The catalogues are compiled by scripts/setup (the .mo files are not in git).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language: Django's, with the day-month-year forms the pages use
# (rapport/settings/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["rapport.settings.formats"]
LANGUAGE_COOKIE_NAME = "rapport-language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# E-mail (notifications): SMTP from RAPPORT_EMAIL_URL or RAPPORT_SMTP_*; without either, messages
# are written as files under <data dir>/mail/. See rapport/notifications/mailconfig.py.
globals().update(email_settings(env, DATA_DIR))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "rapport": {"handlers": ["console"], "level": env.str("RAPPORT_LOG_LEVEL", default="WARNING")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}

# The day deadline rules read (rapport.core.clock); unset: the local date.
RAPPORT_TODAY = env.str("RAPPORT_TODAY", default="") or None
