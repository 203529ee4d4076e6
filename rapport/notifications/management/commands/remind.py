import datetime

from django.core.management.base import BaseCommand, CommandError

from rapport.core.clock import today as clock_today
from rapport.core.errors import RapportError
from rapport.notifications.due import due_notices
from rapport.notifications.mail import send_pending
from rapport.notifications.models import Notification
from rapport.notifications.services import may_read, notify


def iso_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = (
        "Send the reminders that are due: a reminder N days before each deadline of a period under way, "
        "an overdue notice after it, and an escalation to the organisation's coordinators M days after it "
        "(N and M are the partnership's). Each notice goes to the inbox of those it concerns and by e-mail, "
        "once: running it every hour sends nothing twice. It prints one line per notice (kind, account, "
        "period and deadline), never the notices' titles."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Print what would be sent; send nothing and write nothing.")
        parser.add_argument("--today", type=str, default=None, metavar="YYYY-MM-DD",
                            help="The day to work out what is due on (default: today).")

    def handle(self, *args, dry_run=False, today=None, **options):
        day = iso_day(today) if today is not None else clock_today()
        notices = due_notices(day)
        if dry_run:
            sent = set(Notification.objects.filter(dedupe_key__in=[n.dedupe_key for n in notices])
                       .values_list("recipient_id", "dedupe_key"))
            todo = [n for n in notices if (n.recipient.pk, n.dedupe_key) not in sent and may_read(n.recipient, n.subject)]
            for n in todo:
                self.stdout.write(f"would send {n.describe()}")
            self.stdout.write(f"Dry run for {day:%Y-%m-%d}: {len(todo)} notice(s) would be sent; nothing was written.")
            return
        made = 0
        for n in notices:
            try:
                created = notify(n.recipient, kind=n.kind, subject=n.subject, title=n.title, url=n.url,
                                 dedupe_key=n.dedupe_key, send_mail=False)
            except RapportError as error:
                raise CommandError(str(error)) from None
            if created is not None:
                made += 1
                self.stdout.write(f"sent {n.describe()}")
        mailed = send_pending()
        self.stdout.write(f"Reminders for {day:%Y-%m-%d}: {made} notice(s) sent, {mailed} e-mail(s) sent.")
