"""The language switch on every page: a form posting here (no script needed).

Django's ``set_language`` view sets the language cookie and goes back to the page the form
was on (only an address of this site); for a signed-in user the choice is also kept on the
account (an audited change), so it wins over Accept-Language in every browser.

The error pages carry no form (a missing page and a denied one answer byte for byte alike,
so no per-response token): they link here instead, and GET shows the switch on a page of its
own, going back to the start page."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language

from rapport.web.preferences import choose_language
from rapport.web.rendering import page


@require_http_methods(["GET", "POST"])
def switch_language(request):
    if request.method == "GET":
        return page(request, "web/language.html", {})
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return page(request, "400.html", {"problem": _("There is no such language here: choose English or French."),
                                          "hint": _("Go back and choose a language with the switch at the top of the page.")},
                    status=400)
    if request.user.is_authenticated:
        choose_language(actor=request.user, user=request.user, language=language)
    return set_language(request)
