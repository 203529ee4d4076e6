"""The administrator's console, included under /console/."""

from django.urls import path

from .views import console

urlpatterns = [
    path("", console.console_home, name="console-home"),
    path("accounts/new/", console.account_new, name="console-account-new"),
    path("accounts/<id:pk>/", console.account_detail, name="console-account"),
    path("accounts/<id:pk>/<str:action>/", console.account_action, name="console-account-action"),
    path("raises/<id:pk>/<str:action>/", console.raise_action, name="console-raise-action"),
    path("tokens/<id:pk>/revoke/", console.token_revoke, name="console-token-revoke"),
    path("settings/", console.organisation_settings, name="console-settings"),
]
