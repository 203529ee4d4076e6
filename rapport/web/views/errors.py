"""Error pages. A denied object and a missing one answer with the same page."""

from __future__ import annotations

from ..rendering import page


def bad_request(request, exception=None):
    return page(request, "400.html", {}, status=400)


def not_found(request, exception=None):
    return page(request, "404.html", {}, status=404)


def server_error(request):
    return page(request, "500.html", {}, status=500)
