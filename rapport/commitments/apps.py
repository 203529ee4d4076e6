from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "rapport.commitments"
    label = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the assignment policy rule
