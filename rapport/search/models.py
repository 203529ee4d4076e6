"""PostgreSQL's search index: one row per searchable record, holding its weighted
``tsvector`` (the title as weight A, the body with its translations as weight B, each read
as written, in English and in French). Triggers on the source tables keep it current
(``postgres.ensure_index``); a GIN index over the vectors finds the matches of a query
without reading the records. The table exists on PostgreSQL only: SQLite has its FTS5
index (``sqlite.py``), so the model is not managed and its migration makes the table on
PostgreSQL alone."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    pk = models.CompositePrimaryKey("kind", "obj_id")
    kind = models.CharField(max_length=20)  # sources.Source.kind
    obj_id = models.BigIntegerField()
    vector = SearchVectorField()

    class Meta:
        managed = False
        db_table = "search_document"
        indexes = [GinIndex(fields=["vector"], name="search_document_vector")]

    def __str__(self) -> str:
        return f"{self.kind} {self.obj_id}"
