from functools import wraps

from django.conf import settings
from django.urls import URLPattern, URLResolver, path
from django.utils import translation

from .api import api


def _in_english(view):
    """The API answers in English whatever the caller's language (its problem details, and the
    services' messages in them, are for programs and their logs); the pages translate."""

    @wraps(view)
    def english(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return english


def _english_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _in_english(pattern.callback)
        elif isinstance(pattern, URLResolver):
            _english_patterns(pattern.url_patterns)
    return patterns


_patterns, _app_name, _namespace = api.urls
urlpatterns = [path("v1/", (_english_patterns(_patterns), _app_name, _namespace))]
