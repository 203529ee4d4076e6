"""Two rules every response keeps, whatever the view.

``NoStoreMiddleware``: marked pages and report files stay out of caches. Every
response to a signed-in user, and every report download or preview (the public
area's too), is sent with ``Cache-Control: no-store, private``.

``ControlCharacterMiddleware``: a request that carries a control character (NUL
and the other C0 controls except tab, line feed and carriage return) in its
address, in a field name or in any GET or POST value is answered with the 400
page before any view runs, so nothing is changed and the answer is the same on
SQLite and on PostgreSQL (which refuses NUL in text outright). The page names
the field, never the value.

Both go at the end of ``MIDDLEWARE``, no-store first, so the 400 page also gets
no-store, the CSP and the other headers.

``UserLanguageMiddleware`` (right after the session limits, once the account is known): a
signed-in account's own language comes before the browser's.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from .rendering import page

NO_STORE = "no-store, private"

# Report files: served to one reader, and counted when served (so no cache answers instead).
DOWNLOAD_VIEWS = frozenset({"report-download", "report-preview", "public-report-download"})

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A field name safe to repeat on the page; any other is "a field name".
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]]{1,40}")


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (
            (user is not None and user.is_authenticated)
            or (match is not None and match.url_name in DOWNLOAD_VIEWS)
            or response.has_header("Content-Disposition")
        ):
            response["Cache-Control"] = NO_STORE
        return response


def control_character_in(request) -> str | None:
    """Where the request carries a control character, in words of the active language; None if
    nowhere."""
    if _CONTROL.search(request.path_info):
        return _("The request contained a control character in its address; nothing was changed.")
    for data in (request.GET, request.POST):
        for name, values in data.lists():
            if _CONTROL.search(name):
                return _("The request contained a control character in a field name; nothing was changed.")
            if any(_CONTROL.search(v) for v in values if isinstance(v, str)):
                if _PLAIN_NAME.fullmatch(name):
                    return (_("The request contained a control character in field '%(name)s'; nothing was changed.")
                            % {"name": name})
                return _("The request contained a control character in a field; nothing was changed.")
    return None


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):  # the API answers in problem details, in English
            with translation.override("en"):
                problem = control_character_in(request)
            if problem is not None:
                return JsonResponse({"type": "about:blank", "title": "Bad Request", "status": 400, "detail": problem},
                                    status=400, content_type="application/problem+json")
            return self.get_response(request)
        problem = control_character_in(request)
        if problem is not None:
            return page(request, "400.html", {"problem": problem}, status=400)
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in account's own choice of language (``User.language``, set with the switch on
    every page) comes before the browser's: LocaleMiddleware has already chosen from the
    switch's cookie or Accept-Language, and this overrides it once the account is known.
    An account that never chose keeps what LocaleMiddleware found."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen and chosen in dict(settings.LANGUAGES) and chosen != translation.get_language():
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
