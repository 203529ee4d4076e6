import argparse
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.audit.keys import SecretMissing
from rapport.audit.models import AuditEvent
from rapport.audit.signed import BadSignedHead, check_signed_head, sign_head
from rapport.audit.verify import verify_chain
from rapport.core.commands import RapportCommand


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a positive whole number, not %(value)s") % {"value": repr(text)}) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be a positive whole number, not %(value)s") % {"value": value})
    return value


class Command(RapportCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = gettext_lazy(
        "The tamper-evident audit log. 'rapport audit verify' recomputes the whole keyed hash chain, "
        "compares it with the checkpoint file (and with a signed head another organisation kept, with "
        "--against FILE) and names the first entry that was altered, removed or inserted (exit status 1 "
        "if anything does not fit). 'rapport audit checkpoint' prints the chain's head signed with this "
        "instance's key, for another organisation to keep. 'rapport audit log' shows the latest entries "
        "that are PUBLIC."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help=gettext_lazy("Check the whole chain, the head row and the checkpoint file."))
        verify.add_argument("--against", metavar="FILE",
                            help=gettext_lazy("Also check a signed head printed earlier by 'rapport audit checkpoint'."))
        sub.add_parser("checkpoint", help=gettext_lazy("Verify the chain, then print its head signed with the instance key (JSON)."))
        log = sub.add_parser("log", help=gettext_lazy("Show the latest PUBLIC entries."))
        log.add_argument("--limit", type=positive_int, default=20, help=gettext_lazy("How many entries (default 20)."))

    def handle(self, *args, action, **options):
        try:
            if action == "verify":
                self._verify(options.get("against"))
            elif action == "checkpoint":
                self._checkpoint()
            else:
                self._log(options["limit"])
        except SecretMissing as missing:
            raise CommandError(str(missing)) from None

    def _verify(self, against):
        kept = self._read_signed_head(against) if against else None
        status = verify_chain()
        for notice in status.notices:
            self.stderr.write(_("Note: %(notice)s") % {"notice": notice})
        problems = [] if status.ok else [status.describe()]
        if kept is not None:
            try:
                self.stdout.write(check_signed_head(kept))
            except BadSignedHead as bad:
                problems.append(_("Signed head %(file)s does not fit: %(problem)s") % {"file": against, "problem": bad})
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(status.describe())

    @staticmethod
    def _read_signed_head(path):
        try:
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s.") % {"file": path, "error": error.strerror}) from None
        except ValueError as error:
            raise CommandError(_("%(file)s is not JSON: %(error)s.") % {"file": path, "error": error}) from None

    def _checkpoint(self):
        status = verify_chain()
        if not status.ok:
            raise CommandError(_("Not signing a broken chain. %(status)s") % {"status": status.describe()})
        if status.verified_seq == 0:
            raise CommandError(_("The audit log is empty: there is no head to sign yet."))
        self.stdout.write(json.dumps(sign_head(status.verified_seq, status.verified_hash), indent=2))

    def _log(self, limit):
        qs = AuditEvent.objects.filter(classification__rank=0).order_by("-seq")[:limit]
        for e in qs:
            self.stdout.write(f"#{e.seq:<6} {e.at:%Y-%m-%d %H:%M:%S} {e.actor_name:<14} {e.verb:<24} {e.object_repr[:60]}")
