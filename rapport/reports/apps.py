from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "rapport.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Fill the registry's "editions", "renderers" and "policy_rules" stores.
        from rapport.contributions.signals import approved_content_changed

        from . import editions, rules  # noqa: F401
        from .workflow import clear_approvals

        approved_content_changed.connect(clear_approvals, dispatch_uid="rapport-report-approvals-cleared")
        from rapport.periods.signals import period_moved

        from .start import start_when_prepared  # also registers the rule for starting a report

        period_moved.connect(start_when_prepared, dispatch_uid="rapport-report-started-when-prepared")
        from .renderers import docx, html, markdown, pdf  # noqa: F401
