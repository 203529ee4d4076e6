"""English: Django's British English formats (day, month, year; 24-hour times), short dates
with the month's abbreviation."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
# Short month and year, as in the cycle's and the reports' lists ("Nov 2026").
YEAR_MONTH_FORMAT = "M Y"
