"""What ``rapport --help`` says: Rapport's commands, each with one line, in the reader's language.

The ``rapport`` entry point (rapport/cli.py) reads these before Django is set up, so the
texts are lazy; they are translated when the help is printed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Rapport's commands in the order a newcomer meets them.
RAPPORT_COMMANDS = [
    ("init", gettext_lazy("Create or upgrade the database and load the default (EU–NATO) data.")),
    ("serve", gettext_lazy("Start the web application.")),
    ("check", gettext_lazy("Check the configuration, the data and the audit chain.")),
    ("load", gettext_lazy("Load a dataset of YAML files (atomic; loading twice changes nothing).")),
    ("demo", gettext_lazy("Fill the open periods with demonstration text (--scale N: N times the commitments).")),
    ("commitments", gettext_lazy("List the commitments, optionally of one area, as a table or JSON.")),
    ("periods", gettext_lazy("List the reporting periods and the state of their reports.")),
    ("members", gettext_lazy("List an organisation's member states on a date.")),
    ("audit", gettext_lazy("Show or verify the tamper-evident audit log.")),
    ("report", gettext_lazy("Write the joint report of a period for one audience, in HTML, PDF, DOCX or Markdown; "
                            "seal, verify, diff.")),
    ("summary", gettext_lazy("Print the public summary of a period's report as Markdown.")),
    ("remind", gettext_lazy("Send the reminders, overdue notices and escalations that are due "
                            "(--dry-run to preview).")),
    ("account", gettext_lazy("Add or list user accounts (organisation or delegation, role, clearance, e-mail).")),
    ("token", gettext_lazy("Make, list or revoke an account's personal access tokens for the REST API.")),
    ("schemes", gettext_lazy("List the classification schemes; export each as an XML SPIF, or import one "
                             "from such a file.")),
    ("export", gettext_lazy("Write a list (commitments, contributions, evidence, audit log) as an account sees it, "
                            "as XLSX or CSV.")),
    ("import", gettext_lazy("Import an organisation's contributions of a period from XLSX (preview with --dry-run; "
                            "atomic).")),
    ("searchindex", gettext_lazy("Rebuild the full-text search index.")),
    ("peer", gettext_lazy("This instance's public key, and the other organisations' instances it exchanges with.")),
    ("exchange", gettext_lazy("Write a signed, labelled package for a peer instance, or check and apply one "
                              "from it.")),
]


def help_text() -> str:
    from django.core.management import get_commands

    available = get_commands()
    lines = [f"  {name:<13}{text}" for name, text in RAPPORT_COMMANDS if name in available or name == "check"]
    return _(
        "usage: rapport <command> [options]\n"
        "\n"
        "Rapport tracks the commitments a partnership of organisations has endorsed,\n"
        "each organisation's progress on them, and writes the joint progress report.\n"
        "\n"
        "Commands:\n"
        "%(commands)s\n"
        "\n"
        "Run 'rapport <command> --help' for a command's options.\n"
        "The database is taken from DATABASE_URL (sqlite:///path or postgres://…);\n"
        "without it Rapport uses var/rapport.sqlite3 in the project folder.\n"
        "Other Django management commands (migrate, createsuperuser, shell …) work too.\n"
        "The language follows LANGUAGE, LC_ALL or LANG (LANG=fr_FR.UTF-8 for French).\n"
    ) % {"commands": "\n".join(lines)}
