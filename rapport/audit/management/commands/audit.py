from django.core.management.base import BaseCommand, CommandError

from rapport.audit.models import AuditEvent
from rapport.audit.verify import verify_chain


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = (
        "The tamper-evident audit log. 'rapport audit verify' recomputes the hash chain and names the "
        "first entry that was altered, removed or inserted (exit status 1 if the chain is broken). "
        "'rapport audit log' shows the latest entries that are PUBLIC."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Check the whole chain.")
        log = sub.add_parser("log", help="Show the latest PUBLIC entries.")
        log.add_argument("--limit", type=int, default=20)

    def handle(self, *args, action, **options):
        if action == "verify":
            status = verify_chain()
            if not status.ok:
                raise CommandError(status.describe())
            self.stdout.write(status.describe())
            return
        qs = AuditEvent.objects.filter(classification__rank=0).order_by("-seq")[: options["limit"]]
        for e in qs:
            self.stdout.write(f"#{e.seq:<6} {e.at:%Y-%m-%d %H:%M:%S} {e.actor_name:<14} {e.verb:<24} {e.object_repr[:60]}")
