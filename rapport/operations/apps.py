from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an installation: 'rapport init', 'serve' and 'check'. The top layer: it may
    use every app, and no app uses it."""

    name = "rapport.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from . import checks  # noqa: F401 — registers rapport.E010, E011, W012
