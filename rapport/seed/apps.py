from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "rapport.seed"
    label = "seed"
