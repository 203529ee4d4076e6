from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheck
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.audit.verify import verify_chain
from rapport.core.commands import TranslatedHelp


class Command(TranslatedHelp, DjangoCheck):
    help = gettext_lazy(
        "Check Rapport: Django's system checks (add --deploy with the production settings), "
        "then that the database is migrated, the loaded data holds together, and the audit chain is intact."
    )

    def handle(self, *app_labels, **options):
        super().handle(*app_labels, **options)
        if app_labels or options.get("tag") or options.get("list_tags"):
            return
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise CommandError(_("%(count)s migration(s) not applied: run 'rapport init'.") % {"count": len(pending)})
        from rapport.core.integrity import data_problems

        problems = data_problems()
        for problem in problems:
            self.stderr.write(_("Data: %(problem)s") % {"problem": problem})
        status = verify_chain()
        for notice in status.notices:
            self.stderr.write(_("Audit: %(notice)s") % {"notice": notice})
        self.stdout.write(status.describe())
        if problems or not status.ok:
            raise CommandError(_("Rapport check failed."))
        self.stdout.write(_("Data holds together."))
