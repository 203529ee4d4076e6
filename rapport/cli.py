"""The ``rapport`` command: a thin wrapper over Django management commands.

``rapport --help`` lists Rapport's own commands; any other Django management
command (``migrate``, ``createsuperuser`` …) also works, as with manage.py.
Help and messages are in the language of the environment (rapport/core/language.py).
"""

from __future__ import annotations

import os
import sys

from rapport.operations.commandline import RAPPORT_COMMANDS  # noqa: F401  (listed by the docs' tests)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings.base")
    import django

    django.setup()
    from django.utils import translation

    from rapport.core.cli_words import install
    from rapport.core.language import environment_language

    # Every command's help and output, in one place; the server's pages follow each request instead.
    if len(argv) < 2 or argv[1] not in ("serve", "runserver"):
        translation.activate(environment_language())
        install()  # argparse's own words ("usage:", "options") in that language too
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        from rapport.operations.commandline import help_text

        sys.stdout.write(help_text())
        return
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["rapport", *argv[1:]])
    except BrokenPipeError:  # the output was piped into a command that stopped reading (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
