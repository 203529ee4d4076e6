from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "rapport.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from . import integrity  # noqa: F401 — registers the partnership rules of 'rapport check'
