from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The framework every app builds on (registry, errors, text rules, model mixins);
    it knows no domain."""

    name = "rapport.core"
    label = "core"
    verbose_name = "Rapport core"
