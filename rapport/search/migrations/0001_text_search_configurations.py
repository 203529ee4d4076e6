"""PostgreSQL: the text search configurations search uses (SQLite needs nothing here:
its index is made after every migrate, ``rapport.search.sqlite.ensure_index``).

``rapport_en`` and ``rapport_fr`` fold accents (``unaccent``) and stem with Snowball,
with no stop words, as the SQLite index does; ``rapport_simple`` folds accents only.
``unaccent`` is a trusted extension: the database's owner may create it."""

from django.db import migrations

WORDS = "asciiword, word, asciihword, hword, hword_asciipart, hword_part"
NUMBERED = "numword, numhword, hword_numpart"

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH DICTIONARY rapport_english_stem (TEMPLATE = snowball, Language = english)",
    "CREATE TEXT SEARCH DICTIONARY rapport_french_stem (TEMPLATE = snowball, Language = french)",
    "CREATE TEXT SEARCH CONFIGURATION rapport_en (COPY = english)",
    f"ALTER TEXT SEARCH CONFIGURATION rapport_en ALTER MAPPING FOR {WORDS} WITH unaccent, rapport_english_stem",
    f"ALTER TEXT SEARCH CONFIGURATION rapport_en ALTER MAPPING FOR {NUMBERED} WITH unaccent, simple",
    "CREATE TEXT SEARCH CONFIGURATION rapport_fr (COPY = french)",
    f"ALTER TEXT SEARCH CONFIGURATION rapport_fr ALTER MAPPING FOR {WORDS} WITH unaccent, rapport_french_stem",
    f"ALTER TEXT SEARCH CONFIGURATION rapport_fr ALTER MAPPING FOR {NUMBERED} WITH unaccent, simple",
    "CREATE TEXT SEARCH CONFIGURATION rapport_simple (COPY = simple)",
    f"ALTER TEXT SEARCH CONFIGURATION rapport_simple ALTER MAPPING FOR {WORDS}, {NUMBERED} WITH unaccent, simple",
]
DROP = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS rapport_simple",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS rapport_fr",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS rapport_en",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS rapport_french_stem",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS rapport_english_stem",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
