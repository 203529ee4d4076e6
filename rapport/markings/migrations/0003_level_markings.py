"""Marking texts per language (``LevelMarking``), and the French forms of the default schemes'
levels (the EU and NATO schemes of rapport/seed/eu_nato/partnership.yaml, which says where each
comes from). A database whose schemes are named otherwise is left as it is."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

EU = ("The Council's list of EU classification levels in French (Council Decision 2013/488/EU; "
      "consilium.europa.eu/fr, Protection des informations classifiées de l'UE): the marking is bilingual")
LIMITE = "The Council's distribution marking LIMITE, written alike in English and French"
NATO = ("NATO's French forms of its classifications (C-M(2002)49, Security within the North Atlantic Treaty "
        "Organization, French version); portion marks keep NATO's abbreviations")
# (scheme key, level name, French banner, French portion mark, source), as of this migration.
FRENCH = [
    ("eu", "LIMITE", "LIMITE", "LIMITE", LIMITE),
    ("eu", "RESTREINT UE/EU RESTRICTED", "RESTREINT UE/EU RESTRICTED", "R-UE", EU),
    ("eu", "CONFIDENTIEL UE/EU CONFIDENTIAL", "CONFIDENTIEL UE/EU CONFIDENTIAL", "C-UE", EU),
    ("eu", "SECRET UE/EU SECRET", "SECRET UE/EU SECRET", "S-UE", EU),
    ("eu", "TRÈS SECRET UE/EU TOP SECRET", "TRÈS SECRET UE/EU TOP SECRET", "TS-UE", EU),
    ("nato", "NATO UNCLASSIFIED", "NATO SANS CLASSIFICATION", "NU", NATO),
    ("nato", "NATO RESTRICTED", "NATO DIFFUSION RESTREINTE", "NR", NATO),
    ("nato", "NATO CONFIDENTIAL", "NATO CONFIDENTIEL", "NC", NATO),
    ("nato", "NATO SECRET", "NATO SECRET", "NS", NATO),
    ("nato", "COSMIC TOP SECRET", "COSMIC TRÈS SECRET", "CTS", NATO),
]


def add_french(apps, schema_editor):
    Level = apps.get_model("markings", "ClassificationLevel")
    LevelMarking = apps.get_model("markings", "LevelMarking")
    for key, name, banner, portion, source in FRENCH:
        level = Level.objects.filter(scheme__key=key, name=name).first()
        if level is not None:
            LevelMarking.objects.get_or_create(level=level, language="fr", defaults={
                "banner": banner, "portion": portion, "source": source})


class Migration(migrations.Migration):

    dependencies = [
        ('markings', '0002_scheme_policy'),
    ]

    operations = [
        migrations.CreateModel(
            name='LevelMarking',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(help_text='ISO 639 code, e.g. fr.', max_length=3, validators=[django.core.validators.RegexValidator('^[a-z]{2,3}$', 'a language code of two or three small letters (ISO 639), e.g. fr')])),
                ('banner', models.CharField(help_text='The text at page top and bottom, e.g. NATO DIFFUSION RESTREINTE.', max_length=100)),
                ('portion', models.CharField(help_text='The portion marking, e.g. NR.', max_length=20)),
                ('source', models.CharField(blank=True, help_text='Where this form comes from.', max_length=300)),
                ('level', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='markings', to='markings.classificationlevel')),
            ],
            options={
                'ordering': ['level', 'language'],
                'constraints': [models.UniqueConstraint(fields=('level', 'language'), name='level_marking_unique_language')],
            },
        ),
        migrations.RunPython(add_french, migrations.RunPython.noop),
    ]
