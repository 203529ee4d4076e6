from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "rapport.periods"
    label = "periods"
    verbose_name = "Reporting periods"

    def ready(self) -> None:
        # Registers the period rules of 'rapport check' and the period policy rules.
        from . import integrity, rules  # noqa: F401
