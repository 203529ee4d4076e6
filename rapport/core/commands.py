"""What Rapport's management commands share.

A command's ``help`` is a lazy translation (the command's module may be imported before the
command line's language is known, rapport/core/language.py); argparse needs a plain string,
so the mixin turns it into one, in the language active when the parser is made.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from rapport.core.cli_words import translate_base_options


class TranslatedHelp:
    help = ""

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)  # on the instance: the class keeps the lazy text
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        translate_base_options(parser)
        return parser


class RapportCommand(TranslatedHelp, BaseCommand):
    """A management command whose help is translated."""
