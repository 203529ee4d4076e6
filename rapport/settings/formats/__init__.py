"""Date and number formats per language (FORMAT_MODULE_PATH): Django's British English and
French ones, with the names the pages use for short dates.

The templates never spell a format with a month abbreviation (``M``) themselves: they ask for
``SHORT_DATE_FORMAT`` ("26 Nov 2026" / "26 nov. 2026"), ``SHORT_DATETIME_FORMAT``,
``DATETIME_FORMAT`` or ``YEAR_MONTH_FORMAT``; ``"j F Y"`` (full month name) reads well in both.
"""
