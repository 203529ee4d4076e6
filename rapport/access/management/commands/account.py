from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.models import User
from rapport.access.services import create_account, open_enrolment
from rapport.core.commands import RapportCommand
from rapport.core.errors import InputError
from rapport.markings.models import LEVEL_MARKINGS


def role_name(user) -> str:
    """The account's role in the command line's language, in a sentence ("drafter", "rédacteur")."""
    return str(user.get_role_display()).lower()


def clearance_name(user) -> str:
    """The account's clearance as its scheme writes it in the command line's language (NATO DIFFUSION
    RESTREINTE under a French locale), or "-"."""
    return user.clearance.banner() if user.clearance_id else "-"


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy(
        "Manage user accounts. 'rapport account add NAME --organisation eu --role drafter --clearance R-UE' "
        "creates a staff account ('--delegation FI' instead of --organisation for a member-state delegation, "
        "which reads only); a temporary password is generated and printed once, and the first sign-in "
        "replaces it. 'rapport account list' lists accounts. 'rapport account open-enrolment NAME' gives an "
        "account that must use two-factor sign-in, and has no authenticator, another day to set one up at "
        "sign-in with its password (the window closes a day after an account is made or handed over)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help=gettext_lazy("Create an account."))
        add.add_argument("username")
        add.add_argument("--organisation", help=gettext_lazy("Organisation key (eu, nato, …)."))
        add.add_argument("--delegation", help=gettext_lazy("Member-state code for a delegation account (e.g. FI)."))
        add.add_argument("--role", default="reader",
                         help=gettext_lazy("drafter, coordinator, approver, reader or administrator."))
        add.add_argument("--clearance", required=True,
                         help=gettext_lazy("Level name, abbreviation or rank in the user's scheme."))
        add.add_argument("--email", default="", help=gettext_lazy("Where notices and reminders are e-mailed (optional)."))
        sub.add_parser("list", help=gettext_lazy("List accounts with organisation, role and clearance."))
        opening = sub.add_parser("open-enrolment", help=gettext_lazy(
            "Give an account another day to set up its first authenticator with its password."))
        opening.add_argument("username")

    def handle(self, *args, action, **options):
        if action == "list":
            for u in (User.objects.select_related("organisation", "delegation", "clearance")
                      .prefetch_related(f"clearance__{LEVEL_MARKINGS}").order_by("username")):
                self.stdout.write(f"{u.username:<20} {u.affiliation():<28} {role_name(u):<14} {clearance_name(u)}")
            return
        if action == "open-enrolment":
            try:
                user = open_enrolment(actor=None, username=options["username"])
            except InputError as exc:
                raise CommandError(_("Nothing was changed: %(error)s") % {"error": exc}) from None
            self.stdout.write(_("%(username)s may set up an authenticator at sign-in until %(until)s.")
                              % {"username": user.username, "until": f"{user.enrol_by:%Y-%m-%d %H:%M %Z}"})
            return
        try:
            user, password = create_account(actor=None, username=options["username"], role=options["role"],
                                            clearance=options["clearance"], organisation=options["organisation"],
                                            delegation=options["delegation"], email=options["email"])
        except InputError as exc:
            raise CommandError(_("No account was created: %(error)s") % {"error": exc}) from None
        self.stdout.write(_("Created %(username)s (%(affiliation)s, %(role)s, %(clearance)s). Password (shown only "
                            "now): %(password)s — a temporary one: the first sign-in chooses another.")
                          % {"username": user.username, "affiliation": user.affiliation(), "role": role_name(user),
                             "clearance": clearance_name(user), "password": password})
