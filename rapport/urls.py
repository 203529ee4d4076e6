from django.urls import include, path

urlpatterns = [
    path("", include("rapport.web.urls")),
]
