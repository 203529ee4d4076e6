from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "rapport.contributions"
    label = "contributions"
    verbose_name = "Contributions"

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the contribution and joint-text policy rules
