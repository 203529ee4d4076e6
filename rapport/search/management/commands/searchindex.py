"""``rapport searchindex``: rebuild the full-text index (SQLite's FTS5 table, PostgreSQL's
stored vectors) from the records."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the records."

    def handle(self, *args, **options):
        if connection.vendor == "postgresql":
            from rapport.search.postgres import ensure_index
        else:
            from rapport.search.sqlite import ensure_index
        ensure_index(connection, force=True)
        self.stdout.write("Search index rebuilt.")
