from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "rapport.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Fill the registry's "editions", "renderers" and "policy_rules" stores.
        from . import editions, rules  # noqa: F401
        from .renderers import docx, html, markdown, pdf  # noqa: F401
