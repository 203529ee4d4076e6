from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.models import User
from rapport.api.models import AccessToken
from rapport.api.tokens import DEFAULT_DAYS, MAX_DAYS, create_token, revoke_token
from rapport.core.commands import RapportCommand
from rapport.core.errors import InputError, NotFound


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy(
        "Personal access tokens for the API (/api/v1/). 'rapport token create USER --name NAME [--scope read|write] "
        "[--days N]' makes one and prints it once (only its SHA-256 is kept); 'rapport token list USER' lists a "
        "user's tokens; 'rapport token revoke USER PREFIX' revokes one. Send it as 'Authorization: Bearer rpt_…'."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help=gettext_lazy("Make a token for a user."))
        create.add_argument("username")
        create.add_argument("--name", required=True, help=gettext_lazy("What the token is for."))
        create.add_argument("--scope", default="read", help=gettext_lazy("read (the default) or write."))
        create.add_argument("--days", type=int, default=DEFAULT_DAYS,
                            help=_("How long it lives (1 to %(max)s days; %(default)s by default).")
                            % {"max": MAX_DAYS, "default": DEFAULT_DAYS})
        listing = sub.add_parser("list", help=gettext_lazy("List a user's tokens (never the secrets)."))
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help=gettext_lazy("Revoke one of a user's tokens by its prefix."))
        revoke.add_argument("username")
        revoke.add_argument("prefix")

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No account %(username)s.") % {"username": repr(username)})
        try:
            if action == "create":
                token, secret = create_token(user=user, name=options["name"], scope=options["scope"],
                                             days=options["days"])
                self.stdout.write(_("Token %(prefix)s for %(username)s (%(scope)s, until %(until)s). Shown only "
                                    "now:\n%(secret)s")
                                  % {"prefix": token.prefix, "username": user.username, "scope": token.scope,
                                     "until": f"{token.expires_at:%Y-%m-%d}", "secret": secret})
            elif action == "list":
                # A line per token, its columns lined up; the token's own name last.
                for t in AccessToken.objects.filter(user=user):
                    state = (_("revoked") if t.revoked_at
                             else _("until %(date)s") % {"date": f"{t.expires_at:%Y-%m-%d}"})
                    used = (_("last used %(when)s") % {"when": f"{t.last_used_at:%Y-%m-%d %H:%M}"}
                            if t.last_used_at else _("never used"))
                    self.stdout.write(f"{t.prefix}  {t.scope:<6} {state:<17} {used:<28} {t.name}")
            else:
                token = revoke_token(actor=user, prefix=options["prefix"])
                self.stdout.write(_("Token %(prefix)s of %(username)s is revoked.")
                                  % {"prefix": token.prefix, "username": user.username})
        except (InputError, NotFound) as exc:
            raise CommandError(_("Nothing was changed: %(error)s") % {"error": exc}) from None
