from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand
from rapport.core.errors import InputError
from rapport.core.registry import registry
from rapport.seed.load import load_dataset


class Command(RapportCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = gettext_lazy(
        "Load a dataset: a folder of YAML files describing one partnership (partnership.yaml, "
        "member_states.yaml, mandates.yaml, areas.yaml, commitments.yaml, periods.yaml, evidence.yaml, "
        "contributions.yaml). Give a folder path or the name of a built-in dataset (eu_nato). "
        "Everything is checked first and written in one transaction: on any error nothing changes. "
        "Loading the same data twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("dataset", nargs="?", default="eu_nato", help=gettext_lazy("Folder path or built-in name (default: eu_nato)."))

    def handle(self, *args, dataset, **options):
        folder = registry["seed_datasets"].get(dataset) or Path(dataset)
        try:
            summary = load_dataset(folder, progress=options["verbosity"] > 0)
        except InputError as exc:
            raise CommandError(_("Nothing was loaded. %(error)s") % {"error": exc}) from None
        self.stdout.write(summary.describe())
