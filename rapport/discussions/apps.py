from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "rapport.discussions"
    label = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from . import rules, subjects  # noqa: F401 — registers the commentable models and their policy rules
