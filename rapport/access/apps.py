from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "rapport.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from . import signals  # noqa: F401
