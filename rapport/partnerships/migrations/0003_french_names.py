"""Names in other languages (``translations``) on organisations, mandates and areas, and the
French names of the default EU–NATO data (rapport/seed/eu_nato, which says where each comes from).
A record is given its French name only if it has no translations yet and (organisations and areas)
still the default English name, so a database whose data is named otherwise is left as it is."""

from django.db import migrations, models

# (key, English name as loaded, French names), as of this migration.
ORGANISATIONS = [
    ("eu", "European Union", {"name": "Union européenne", "short_name": "UE",
                              "council": "Conseil de l'Union européenne"}),
    ("nato", "North Atlantic Treaty Organization", {"name": "Organisation du Traité de l'Atlantique Nord",
                                                    "short_name": "OTAN", "council": "Conseil de l'Atlantique Nord"}),
]
AREAS = [
    ("hybrid", "Countering hybrid threats", "Lutte contre les menaces hybrides"),
    ("operational_maritime", "Operational cooperation including maritime issues",
     "Coopération opérationnelle, y compris sur les questions maritimes"),
    ("cyber", "Cyber security and defence", "Cybersécurité et cyberdéfense"),
    ("capabilities", "Defence capabilities", "Capacités de défense"),
    ("industry_research", "Defence industry and research", "Industrie et recherche de défense"),
    ("exercises", "Exercises", "Exercices"),
    ("capacity_building", "Defence and security capacity building", "Renforcement des capacités de défense et de sécurité"),
    ("political_dialogue", "Political dialogue", "Dialogue politique"),
    ("counter_terrorism", "Counter-terrorism", "Lutte contre le terrorisme"),
    ("wps", "Women, peace and security", "Femmes, paix et sécurité"),
    ("military_mobility", "Military mobility", "Mobilité militaire"),
    ("cbrn_resilience", "Resilience to CBRN-related risks",
     "Résilience face aux risques chimiques, biologiques, radiologiques et nucléaires"),
    ("geostrategic_competition", "Geostrategic competition", "Compétition géostratégique"),
    ("critical_infrastructure", "Resilience and protection of critical infrastructure",
     "Résilience et protection des infrastructures critiques"),
    ("edt", "Emerging and disruptive technologies", "Technologies émergentes et technologies de rupture"),
    ("space", "Space", "Espace"),
    ("climate_defence", "Climate and defence", "Changement climatique et défense"),
    ("fimi", "Foreign information manipulation and interference", "Manipulation de l'information et ingérence étrangères"),
]
MANDATES = [
    ("warsaw-2016", "Déclaration commune du président du Conseil européen, du président de la Commission européenne et "
                    "du secrétaire général de l'Organisation du Traité de l'Atlantique Nord (Varsovie)"),
    ("nac-decision-2016-12-06", "Approbation de l'ensemble commun de propositions par le Conseil de l'Atlantique Nord "
                                "(ministres des Affaires étrangères)"),
    ("brussels-2018", "Déclaration commune sur la coopération entre l'UE et l'OTAN du président du Conseil européen, "
                      "du président de la Commission européenne et du secrétaire général de l'OTAN (Bruxelles)"),
    ("joint-declaration-2023", "Déclaration commune sur la coopération entre l'UE et l'OTAN (troisième déclaration commune)"),
]


def add_french(apps, schema_editor):
    Organisation = apps.get_model("partnerships", "Organisation")
    Area = apps.get_model("partnerships", "Area")
    Mandate = apps.get_model("partnerships", "Mandate")
    for key, name, french in ORGANISATIONS:
        Organisation.objects.filter(key=key, name=name, translations={}).update(translations={"fr": french})
    for key, name, french in AREAS:
        Area.objects.filter(partnership__key="eu-nato", key=key, name=name, translations={}).update(
            translations={"fr": {"name": french}})
    for key, french in MANDATES:
        Mandate.objects.filter(partnership__key="eu-nato", key=key, translations={}).update(
            translations={"fr": {"title": french}})


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0002_translated_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='area',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='The record\'s names in other languages, by language code, e.g. {"fr": {"name": "…"}}.'),
        ),
        migrations.AddField(
            model_name='mandate',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='The record\'s names in other languages, by language code, e.g. {"fr": {"name": "…"}}.'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='The record\'s names in other languages, by language code, e.g. {"fr": {"name": "…"}}.'),
        ),
        migrations.RunPython(add_french, migrations.RunPython.noop),
    ]
