"""Signing in (the second step) and one's own account, included under /accounts/."""

from django.urls import path

from .views import account, signin, tokens

urlpatterns = [
    path("login/code/", signin.sign_in_code, name="sign-in-code"),
    path("login/set-up/", signin.sign_in_enrol, name="sign-in-enrol"),
    path("welcome/<str:uidb64>/<str:token>/", account.welcome, name="account-welcome"),
    path("security/", account.security, name="account-security"),
    path("security/two-factor/", account.two_factor_setup, name="account-two-factor"),
    path("security/two-factor/off/", account.two_factor_off, name="account-two-factor-off"),
    path("security/recovery-codes/", account.recovery_codes, name="account-recovery-codes"),
    path("security/sign-out-everywhere/", account.sign_out_everywhere, name="account-sign-out-everywhere"),
    path("security/sessions/<id:pk>/end/", account.session_end, name="account-session-end"),
    path("password/", account.password_change, name="account-password"),
    path("session/", account.session_status, name="session-status"),
    path("session/extend/", account.session_extend, name="session-extend"),
    path("tokens/", tokens.tokens, name="account-tokens"),
    path("tokens/<str:prefix>/revoke/", tokens.revoke, name="account-token-revoke"),
]
