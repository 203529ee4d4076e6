from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "rapport.federation"
    label = "federation"
    verbose_name = "Federation"

    def ready(self):
        from . import identity, provenance, rules  # noqa: F401  (register the account check, names, rules)
