from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.demo import ensure_demo_users, passwords_file
from rapport.core import secretfiles
from rapport.core.commands import RapportCommand
from rapport.core.errors import InputError
from rapport.federation.identity import (
    check_identity,
    organisation_by_key,
    own_organisation,
    set_identity,
)
from rapport.partnerships.models import Partnership


class Command(RapportCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = gettext_lazy(
        "Create the instance's missing key files in the data directory (secret key, audit key, "
        "Ed25519 signing key; mode 600), create or upgrade the database, load the default EU–NATO "
        "data and create the demo accounts (one per role in each organisation, and a member-state "
        "delegation). Safe to run again: nothing that is already there changes. New demo passwords "
        "are printed once and kept in <data dir>/demo-passwords.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo-users", action="store_true", help=gettext_lazy("Do not create the demo accounts."))
        parser.add_argument("--dataset", default="eu_nato", help=gettext_lazy("Built-in dataset name or folder to load (default: eu_nato)."))
        parser.add_argument("--organisation", metavar="ORG", help=gettext_lazy(
            "Make this instance one organisation's (its key, e.g. eu), exchanging with the others' instances "
            "(rapport peer, rapport exchange); set once. Without it the instance is one server shared by all."))

    def handle(self, *args, **options):
        self._create_keys()
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
        if options["organisation"]:
            try:
                check_identity(options["organisation"])
            except InputError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(_("Database is up to date."))
        call_command("collectstatic", interactive=False, verbosity=0, skip_checks=True)
        # The same command as 'rapport load': its errors and summary, word for word.
        call_command("load", options["dataset"], verbosity=options["verbosity"], stdout=self.stdout)
        if options["organisation"]:
            try:
                if set_identity(organisation_by_key(options["organisation"])):
                    self.stdout.write(_("This instance is now %(org)s's.") % {"org": own_organisation().short_name})
            except InputError as exc:
                raise CommandError(str(exc)) from None
        if options["no_demo_users"]:
            return
        partnership = Partnership.objects.order_by("pk").first()
        own = own_organisation()  # an organisation's instance holds only its own organisation's accounts
        created = ensure_demo_users(partnership, organisations=[own] if own else None)
        if created:
            self.stdout.write(self.style.WARNING(_("Demo accounts created (passwords shown only now):")))
            for username, password, description in created:
                self.stdout.write(f"  {username:<18} {password}   {description}")
        self.stdout.write(_("Demo passwords are kept in %(file)s.") % {"file": passwords_file()})

    def _create_keys(self):
        for spec in secretfiles.ALL:
            if spec.ensure():
                self.stdout.write(_("Created %(file)s: the %(purpose)s. Back it up, apart from the database's backups.")
                                  % {"file": spec.path(), "purpose": spec.purpose})
        if not getattr(settings._wrapped, "SECRET_KEY", ""):
            settings.SECRET_KEY = secretfiles.DJANGO_SECRET_KEY.read()  # this process goes on with it
        if not getattr(settings, "AUDIT_KEY", ""):
            secretfiles.AUDIT_KEY.require()  # a key given in the environment may be too short
