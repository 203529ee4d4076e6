"""French: Django's French formats, short dates with the month's usual abbreviation
("26 nov. 2026", "juil. 2025") and "à" before the hour."""

from django.conf.locale.fr.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y à H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y H:i"
YEAR_MONTH_FORMAT = "N Y"
