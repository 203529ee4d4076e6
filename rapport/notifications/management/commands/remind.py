import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.clock import today as clock_today
from rapport.core.commands import RapportCommand
from rapport.core.errors import RapportError
from rapport.notifications.due import due_notices
from rapport.notifications.mail import send_pending
from rapport.notifications.models import Notification
from rapport.notifications.services import may_read, notify


def iso_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--today takes a date as YYYY-MM-DD, not %(value)s") % {"value": repr(value)}) from None


class Command(RapportCommand):
    requires_system_checks: list[str] = []  # data commands; 'rapport check' runs the checks
    help = gettext_lazy(
        "Send the reminders that are due: a reminder N days before each deadline of a period under way, "
        "an overdue notice after it, and an escalation to the organisation's coordinators M days after it "
        "(N and M are the partnership's). Each notice goes to the inbox of those it concerns and by e-mail, "
        "once: running it every hour sends nothing twice. It prints one line per notice (kind, account, "
        "period and deadline), never the notices' titles."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help=gettext_lazy("Print what would be sent; send nothing and write nothing."))
        parser.add_argument("--today", type=str, default=None, metavar="YYYY-MM-DD",
                            help=gettext_lazy("The day to work out what is due on (default: today)."))

    def handle(self, *args, dry_run=False, today=None, **options):
        day = iso_day(today) if today is not None else clock_today()
        notices = due_notices(day)
        if dry_run:
            sent = set(Notification.objects.filter(dedupe_key__in=[n.dedupe_key for n in notices])
                       .values_list("recipient_id", "dedupe_key"))
            todo = [n for n in notices if (n.recipient.pk, n.dedupe_key) not in sent and may_read(n.recipient, n.subject)]
            for n in todo:
                self.stdout.write(_("would send %(notice)s") % {"notice": n.describe()})
            self.stdout.write(_("Dry run for %(day)s: %(count)s notice(s) would be sent; nothing was written.")
                              % {"day": f"{day:%Y-%m-%d}", "count": len(todo)})
            return
        made = 0
        for n in notices:
            try:
                created = notify(n.recipient, kind=n.kind, subject=n.subject, title=n.title, titles=n.titles, url=n.url,
                                 dedupe_key=n.dedupe_key, send_mail=False)
            except RapportError as error:
                raise CommandError(str(error)) from None
            if created is not None:
                made += 1
                self.stdout.write(_("sent %(notice)s") % {"notice": n.describe()})
        mailed = send_pending()
        self.stdout.write(_("Reminders for %(day)s: %(notices)s notice(s) sent, %(mails)s e-mail(s) sent.")
                          % {"day": f"{day:%Y-%m-%d}", "notices": made, "mails": mailed})
