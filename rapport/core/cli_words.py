"""The words that argparse and Django's ``BaseCommand`` print around a command's own help
and errors ("usage:", "options", "show this help message and exit", "--verbosity" …).

Neither library translates them, so they are marked here for Rapport's catalogue
(rapport/core/locale) and the command line gives argparse Django's ``gettext``
(``install``), so that a French command line prints no English around French help.
"""

from __future__ import annotations

import argparse

from django.utils.translation import gettext, gettext_noop

ARGPARSE = (
    gettext_noop("usage: "),
    gettext_noop("positional arguments"),
    gettext_noop("options"),
    gettext_noop("show this help message and exit"),
    gettext_noop("%(prog)s: error: %(message)s\n"),
    gettext_noop("argument %(argument_name)s: %(message)s"),
    gettext_noop("the following arguments are required: %s"),
    gettext_noop("one of the arguments %s is required"),
    gettext_noop("unrecognized arguments: %s"),
    gettext_noop("not allowed with argument %s"),
    gettext_noop("invalid choice: %(value)r (choose from %(choices)s)"),
    gettext_noop("invalid %(type)s value: %(value)r"),
    gettext_noop("expected one argument"),
    gettext_noop("expected at most one argument"),
    gettext_noop("expected at least one argument"),
    gettext_noop("ambiguous option: %(option)s could match %(matches)s"),
)

# BaseCommand's own options, as Django words them.
BASE_OPTIONS = (
    gettext_noop("Show program's version number and exit."),
    gettext_noop("Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output"),
    gettext_noop("The Python path to a settings module, e.g. \"myproject.settings.main\". If this isn't "
                 "provided, the DJANGO_SETTINGS_MODULE environment variable will be used."),
    gettext_noop("A directory to add to the Python path, e.g. \"/home/djangoprojects/myproject\"."),
    gettext_noop("Display a full stack trace on CommandError exceptions."),
    gettext_noop("Don't colorize the command output."),
    gettext_noop("Force colorization of the command output."),
    gettext_noop("Skip system checks."),
)


def install() -> None:
    """argparse looks its words up in the active language (it calls the module's ``_``)."""
    argparse._ = gettext


def translate_base_options(parser) -> None:
    """BaseCommand's options' help, in the active language."""
    for action in parser._actions:
        if action.help in BASE_OPTIONS:
            action.help = gettext(action.help)
