from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "rapport.console"
    label = "console"
    verbose_name = "Administrator's console"

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the console's policy rules
