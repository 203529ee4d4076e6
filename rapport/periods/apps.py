from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "rapport.periods"
    label = "periods"
    verbose_name = "Reporting periods"

    def ready(self) -> None:
        from . import integrity  # noqa: F401 — registers the period rules of 'rapport check'
