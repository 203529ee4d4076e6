"""The interactive documentation page at /api/v1/docs: Swagger UI served from django-ninja's
own static files with a page and start-up script of ours (no CDN, no inline script), so it
works under the site's Content-Security-Policy."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase


class OwnSwagger(DocsBase):
    settings = {"layout": "BaseLayout", "deepLinking": True, "tryItOutEnabled": False,
                "persistAuthorization": False}

    def render_page(self, request, api, **kwargs):
        url = reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs)
        return render(request, "api/docs.html",
                      {"api": api, "schema_url": url, "settings": {**self.settings, "url": url}})
