"""Values every page's template may need: the session limits the idle warning counts down, and
the name of the CSRF cookie the script reads (``__Host-csrftoken`` under the production settings).
Both are the same on every page, so a denied page and a missing one still answer alike."""

from django.conf import settings


def session_limits(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"csrf_cookie_name": settings.CSRF_COOKIE_NAME}
    return {
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "session_idle_seconds": settings.RAPPORT_SESSION_IDLE_SECONDS,
        "session_warning_seconds": settings.RAPPORT_SESSION_WARNING_SECONDS,
        "idle_minutes": f"{settings.RAPPORT_SESSION_IDLE_SECONDS / 60:g}",
        "absolute_hours": f"{settings.RAPPORT_SESSION_ABSOLUTE_SECONDS / 3600:g}",
    }
