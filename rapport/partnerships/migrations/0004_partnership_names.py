"""Names in other languages (``translations``) on the partnership, and the French name of the
default EU–NATO partnership (rapport/seed/eu_nato/partnership.yaml says what it follows), given
only to a partnership that still has its default English name and no translations."""

from django.db import migrations, models

# (key, English name as loaded, French name), as of this migration.
PARTNERSHIPS = [("eu-nato", "EU–NATO strategic partnership", "Partenariat stratégique UE–OTAN")]


def add_french(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    for key, english, french in PARTNERSHIPS:
        Partnership.objects.filter(key=key, name=english, translations={}).update(translations={"fr": {"name": french}})


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0003_french_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='partnership',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='The record\'s names in other languages, by language code, e.g. {"fr": {"name": "…"}}.'),
        ),
        migrations.RunPython(add_french, migrations.RunPython.noop),
    ]
