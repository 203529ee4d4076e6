"""``rapport searchindex``: rebuild the full-text index (SQLite) or check search works."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Rebuild the SQLite full-text search index from the records (PostgreSQL needs no index)."

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            self.stdout.write("PostgreSQL searches the records directly; nothing to rebuild.")
            return
        from rapport.search.sqlite import ensure_index

        ensure_index(connection, force=True)
        self.stdout.write("Search index rebuilt.")
