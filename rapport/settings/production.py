"""Production settings: everything in base, plus TLS-only cookies and HSTS.

The secret key comes from RAPPORT_SECRET_KEY or ``<data dir>/secret.key`` (see
base); with neither, the system check ``rapport.E010`` stops ``rapport serve``
and ``rapport check``, and ``rapport init`` creates the file.
``rapport check --deploy`` with these settings is clean when the key is a real secret.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# The __Host- prefix: the browser keeps these cookies only when Secure, for path / and
# without a Domain, so no other host (a subdomain) can set or read them.
SESSION_COOKIE_NAME = "__Host-rapport-session"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env.bool("RAPPORT_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
