"""The inbox's pages, included from rapport/web/urls.py under /inbox/."""

from django.urls import path

from .views import inbox

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("<id:pk>/read/", inbox.inbox_read, name="inbox-read"),
    path("read-all/", inbox.inbox_read_all, name="inbox-read-all"),
]
