from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "rapport.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"
