from django.apps import AppConfig


class MarkingsConfig(AppConfig):
    name = "rapport.markings"
    label = "markings"
    verbose_name = "Markings"
