"""The ``rapport`` command: a thin wrapper over Django management commands.

``rapport --help`` lists Rapport's own commands; any other Django management
command (``migrate``, ``createsuperuser`` …) also works, as with manage.py.
"""

from __future__ import annotations

import os
import sys

# Rapport's commands in the order a newcomer meets them.
RAPPORT_COMMANDS = [
    ("init", "Create or upgrade the database and load the default (EU–NATO) data."),
    ("serve", "Start the web application."),
    ("check", "Check the configuration, the data and the audit chain."),
    ("load", "Load a dataset of YAML files (atomic; loading twice changes nothing)."),
    ("demo", "Fill the open periods with demonstration text (--scale N: N times the commitments)."),
    ("commitments", "List the commitments, optionally of one area, as a table or JSON."),
    ("periods", "List the reporting periods and the state of their reports."),
    ("members", "List an organisation's member states on a date."),
    ("audit", "Show or verify the tamper-evident audit log."),
    ("report", "Write the joint report of a period for one audience, in HTML, PDF, DOCX or Markdown; seal, verify, diff."),
    ("summary", "Print the public summary of a period's report as Markdown."),
    ("remind", "Send the reminders, overdue notices and escalations that are due (--dry-run to preview)."),
    ("account", "Add or list user accounts (organisation or delegation, role, clearance, e-mail)."),
    ("token", "Make, list or revoke an account's personal access tokens for the REST API."),
    ("schemes", "List the classification schemes; export each as an XML SPIF, or import one from such a file."),
    ("export", "Write a list (commitments, contributions, evidence, audit log) as an account sees it, as XLSX or CSV."),
    ("import", "Import an organisation's contributions of a period from XLSX (preview with --dry-run; atomic)."),
    ("searchindex", "Rebuild the full-text search index."),
]

HELP = """usage: rapport <command> [options]

Rapport tracks the commitments a partnership of organisations has endorsed,
each organisation's progress on them, and writes the joint progress report.

Commands:
{commands}

Run 'rapport <command> --help' for a command's options.
The database is taken from DATABASE_URL (sqlite:///path or postgres://…);
without it Rapport uses var/rapport.sqlite3 in the project folder.
Other Django management commands (migrate, createsuperuser, shell …) work too.
"""


def _help() -> str:
    from django.core.management import get_commands

    available = get_commands()
    lines = [f"  {name:<13}{text}" for name, text in RAPPORT_COMMANDS if name in available or name == "check"]
    return HELP.format(commands="\n".join(lines))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings.base")
    import django

    django.setup()
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        sys.stdout.write(_help())
        return
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["rapport", *argv[1:]])
    except BrokenPipeError:  # the output was piped into a command that stopped reading (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
