"""Signing in and out. Signing in is Django's view (throttled by django-axes);
signing out asks first on GET and acts on POST."""

from __future__ import annotations

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from ..rendering import page


@require_http_methods(["GET", "POST"])
def signout(request):
    if request.method == "POST":
        logout(request)
        return redirect("public-home")
    return page(request, "registration/signout.html", {})
