from django.urls import include, path

urlpatterns = [
    path("api/", include("rapport.api.urls")),
    path("", include("rapport.web.urls")),
]

# A denied object and a missing one answer with the same page.
handler400 = "rapport.web.views.errors.bad_request"
handler404 = "rapport.web.views.errors.not_found"
handler500 = "rapport.web.views.errors.server_error"
