from pathlib import Path

from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "rapport.seed"
    label = "seed"
    verbose_name = "Default data"

    def ready(self) -> None:
        from rapport.core.registry import registry

        registry["seed_datasets"].setdefault("eu_nato", Path(__file__).parent / "eu_nato")
