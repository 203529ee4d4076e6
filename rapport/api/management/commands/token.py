from django.core.management.base import BaseCommand, CommandError

from rapport.access.models import User
from rapport.api.models import AccessToken
from rapport.api.tokens import DEFAULT_DAYS, MAX_DAYS, create_token, revoke_token
from rapport.core.errors import InputError, NotFound


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Personal access tokens for the API (/api/v1/). 'rapport token create USER --name NAME [--scope read|write] "
        "[--days N]' makes one and prints it once (only its SHA-256 is kept); 'rapport token list USER' lists a "
        "user's tokens; 'rapport token revoke USER PREFIX' revokes one. Send it as 'Authorization: Bearer rpt_…'."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token for a user.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for.")
        create.add_argument("--scope", default="read", help="read (the default) or write.")
        create.add_argument("--days", type=int, default=DEFAULT_DAYS,
                            help=f"How long it lives (1 to {MAX_DAYS} days; {DEFAULT_DAYS} by default).")
        listing = sub.add_parser("list", help="List a user's tokens (never the secrets).")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke one of a user's tokens by its prefix.")
        revoke.add_argument("username")
        revoke.add_argument("prefix")

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        try:
            if action == "create":
                token, secret = create_token(user=user, name=options["name"], scope=options["scope"],
                                             days=options["days"])
                self.stdout.write(f"Token {token.prefix} for {user.username} ({token.scope}, until "
                                  f"{token.expires_at:%Y-%m-%d}). Shown only now:\n{secret}")
            elif action == "list":
                for t in AccessToken.objects.filter(user=user):
                    state = "revoked" if t.revoked_at else f"until {t.expires_at:%Y-%m-%d}"
                    used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
                    self.stdout.write(f"{t.prefix}  {t.scope:<6} {state:<17} {used:<28} {t.name}")
            else:
                token = revoke_token(actor=user, prefix=options["prefix"])
                self.stdout.write(f"Token {token.prefix} of {user.username} is revoked.")
        except (InputError, NotFound) as exc:
            raise CommandError(f"Nothing was changed: {exc}") from None
