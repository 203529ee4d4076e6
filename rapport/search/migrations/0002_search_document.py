"""PostgreSQL: the table of stored search vectors and its GIN index (``models.SearchDocument``).
The model is not managed: on SQLite this migration changes nothing (its FTS5 index is made
after every migrate). The triggers that fill the table are made after every migrate too
(``rapport.search.postgres.ensure_index``); going back drops them with the table."""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("search", "SearchDocument")
    schema_editor.create_model(model)
    schema_editor.add_index(model, GinIndex(fields=["vector"], name="search_document_vector"))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The trigger functions (and, through CASCADE, their triggers on the source tables).
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT oid::regprocedure::text FROM pg_proc WHERE proname LIKE %s", [r"search\_document\_%"])
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION {function} CASCADE")
    schema_editor.delete_model(apps.get_model("search", "SearchDocument"))


class Migration(migrations.Migration):
    dependencies = [("search", "0001_text_search_configurations")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("pk", models.CompositePrimaryKey("kind", "obj_id", blank=True, editable=False, primary_key=True,
                                                  serialize=False)),
                ("kind", models.CharField(max_length=20)),
                ("obj_id", models.BigIntegerField()),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "search_document", "managed": False},
        ),
        migrations.RunPython(create, drop),
    ]
