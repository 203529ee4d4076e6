from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from rapport.access.demo import ensure_demo_users, passwords_file
from rapport.core import secretfiles
from rapport.partnerships.models import Partnership


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = (
        "Create the instance's missing key files in the data directory (secret key, audit key, "
        "Ed25519 signing key; mode 600), create or upgrade the database, load the default EU–NATO "
        "data and create the demo accounts (one per role in each organisation, and a member-state "
        "delegation). Safe to run again: nothing that is already there changes. New demo passwords "
        "are printed once and kept in <data dir>/demo-passwords.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo-users", action="store_true", help="Do not create the demo accounts.")
        parser.add_argument("--dataset", default="eu_nato", help="Built-in dataset name or folder to load (default: eu_nato).")

    def handle(self, *args, **options):
        self._create_keys()
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
        self.stdout.write("Database is up to date.")
        call_command("collectstatic", interactive=False, verbosity=0, skip_checks=True)
        # The same command as 'rapport load': its errors and summary, word for word.
        call_command("load", options["dataset"], verbosity=options["verbosity"], stdout=self.stdout)
        if options["no_demo_users"]:
            return
        partnership = Partnership.objects.order_by("pk").first()
        created = ensure_demo_users(partnership)
        if created:
            self.stdout.write(self.style.WARNING("Demo accounts created (passwords shown only now):"))
            for username, password, description in created:
                self.stdout.write(f"  {username:<18} {password}   {description}")
        self.stdout.write(f"Demo passwords are kept in {passwords_file()}.")

    def _create_keys(self):
        for spec in secretfiles.ALL:
            if spec.ensure():
                self.stdout.write(f"Created {spec.path()}: the {spec.purpose}. "
                                  "Back it up, apart from the database's backups.")
        if not getattr(settings._wrapped, "SECRET_KEY", ""):
            settings.SECRET_KEY = secretfiles.DJANGO_SECRET_KEY.read()  # this process goes on with it
        if not getattr(settings, "AUDIT_KEY", ""):
            secretfiles.AUDIT_KEY.require()  # a key given in the environment may be too short
