from django.apps import AppConfig


class MarkingsConfig(AppConfig):
    name = "rapport.markings"
    label = "markings"
    verbose_name = "Markings"

    def ready(self) -> None:
        from . import checks  # noqa: F401 — registers rapport.E001
