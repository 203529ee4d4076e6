from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _ensure_search_index(using="default", **kwargs):
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        from .sqlite import ensure_index

        ensure_index(connection, recheck=True)
    elif connection.vendor == "postgresql":
        from .postgres import ensure_index

        ensure_index(connection, recheck=True)


def _register_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .sqlite import register_functions

        register_functions(connection.connection)


class SearchConfig(AppConfig):
    name = "rapport.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Not tied to a sender: the index reads the tables of other apps, made by their migrations.
        post_migrate.connect(_ensure_search_index, dispatch_uid="rapport-search-index")
        # The SQLite index's triggers stem in Python: every connection gets the function they call.
        connection_created.connect(_register_functions, dispatch_uid="rapport-search-functions")
