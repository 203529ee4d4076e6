from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "rapport.federation"
    label = "federation"
    verbose_name = "Federation"

    def ready(self):
        from . import rules  # noqa: F401  (registers the policy rule of received copies)
