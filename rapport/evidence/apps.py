from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "rapport.evidence"
    label = "evidence"
    verbose_name = "Evidence"
