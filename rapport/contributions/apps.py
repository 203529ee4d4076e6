from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "rapport.contributions"
    label = "contributions"
    verbose_name = "Contributions"
