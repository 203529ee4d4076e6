"""``rapport searchindex``: rebuild the full-text index (SQLite's FTS5 table, PostgreSQL's
stored vectors) from the records."""

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand


class Command(RapportCommand):
    help = gettext_lazy("Rebuild the full-text search index from the records.")

    def handle(self, *args, **options):
        if connection.vendor == "postgresql":
            from rapport.search.postgres import ensure_index
        else:
            from rapport.search.sqlite import ensure_index
        ensure_index(connection, force=True)
        self.stdout.write(_("Search index rebuilt."))
