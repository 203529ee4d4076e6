"""The guiding principles in other languages (``translations``), and the French forms of the
default EU–NATO principles (rapport/seed/eu_nato/partnership.yaml says what they follow), given
only to a principle that still has its default English text and no translations, so a database
whose principles are worded otherwise is left as it is."""

from django.db import migrations, models

# (key, English text as loaded, French text), as of this migration.
PRINCIPLES = [
    ("openness_transparency", "Mutual openness and transparency", "Ouverture et transparence mutuelles"),
    ("inclusiveness_reciprocity", "Inclusiveness and reciprocity", "Inclusivité et réciprocité"),
    ("decision_making_autonomy", "Decision-making autonomy of both organisations",
     "Autonomie décisionnelle des deux organisations"),
    ("no_prejudice",
     "Each member's security and defence policy keeps its specific character, unaffected by the partnership",
     "La politique de sécurité et de défense de chaque membre garde son caractère spécifique, "
     "sans que le partenariat y porte préjudice"),
    ("member_involvement",
     "Close cooperation with, and the fullest involvement of, the member states of both organisations",
     "Coopération étroite avec les États membres des deux organisations et leur pleine participation"),
]


def add_french(apps, schema_editor):
    Principle = apps.get_model("partnerships", "Principle")
    for key, english, french in PRINCIPLES:
        Principle.objects.filter(partnership__key="eu-nato", key=key, text=english, translations={}).update(
            translations={"fr": {"text": french}})


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0004_partnership_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='principle',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='The record\'s names in other languages, by language code, e.g. {"fr": {"name": "…"}}.'),
        ),
        migrations.RunPython(add_french, migrations.RunPython.noop),
    ]
