"""rapport report: write, seal, verify and compare editions of the joint progress report."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from rapport.core.commands import RapportCommand
from rapport.core.errors import RapportError
from rapport.core.registry import registry

# The help's sections, each a message of its own; the words the command reads (render, seal,
# public, delegation:<CODE>, the examples) stay as they are in every language.
EPILOG_ACTIONS = gettext_lazy("""actions:
  (none)   render: write one edition in one format to --output and print its path
  seal     freeze an approved or published report's edition (all formats unless --format)
  verify   say whether FILE is the sealed file of --period/--edition (exit 1 when it is not)
  diff     compare the report of --period with the one before it (Markdown on stdout without --output)""")
EPILOG_EDITIONS = gettext_lazy("""editions:
  public                        PUBLIC content only
  <org>                         an organisation's staff at the top clearance of its scheme
  <org>:<level>                 ... at a clearance given by abbreviation, name or rank (e.g. nato:NR, eu:2)
  delegation:<CODE>[:<level>]   a member-state delegation (reads for every organisation the state is in)""")
EPILOG_READERS = gettext_lazy("""who reads:
  The command reads as the public unless --user names an active account: the public edition
  of a published report needs no --user; any other edition, a draft's public edition and
  sealing need one, and the account must be allowed what it asks (as in the web pages).
  Every rendering is recorded in the audit log under that account.""")
EPILOG_LANGUAGES = gettext_lazy("""languages:
  en       English (the default)
  fr       French: headings, fixed wording, dates and markings in French (NATO DIFFUSION
           RESTREINTE), the records' text in their own language, tagged; the file says fr
           and its name ends -fr. Publishing seals the public edition in both languages;
           'seal --language fr' seals another edition in French.""")
EPILOG_EXAMPLES = gettext_lazy("examples:")
EXAMPLES = """
  rapport report --period 8 --edition public --format pdf --output out/
  rapport report --period 8 --edition public --format pdf --output out/ --language fr
  rapport report --period 10 --edition nato:NR --format docx --output out/ --user nato-coordinator
  rapport report seal --period 8 --edition nato:NR --user nato-coordinator
  rapport report verify out/eu-nato-report-08-public.pdf --period 8 --edition public
  rapport report diff --period 8
"""


def epilog() -> str:
    """The help's closing text in the active language, with the editions of the loaded data."""
    return (f"{EPILOG_ACTIONS}\n\n{EPILOG_EDITIONS}\n{_known_editions()}\n{EPILOG_READERS}\n\n"
            f"{EPILOG_LANGUAGES}\n\n{EPILOG_EXAMPLES}{EXAMPLES}")


def _known_editions() -> str:
    try:
        from rapport.partnerships.models import Partnership
        from rapport.reports.editions import edition_names

        lines = [f"  {p.key}: {', '.join(edition_names(p)[:-1])}" for p in Partnership.objects.all()[:5]]
    except Exception:  # noqa: BLE001 - help must work without a database
        return ""
    return ("\n" + _("editions of the loaded data:") + "\n" + "\n".join(lines) + "\n") if lines else ""


def database_error(exc: Exception) -> CommandError:
    return CommandError(_("The database cannot be read (%(error)s); run 'rapport init' first.") % {"error": exc})


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy("Write the joint progress report of a period for one edition (audience) in one format.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = epilog()
        return parser

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="render", choices=["render", "seal", "verify", "diff"],
                            help=gettext_lazy("What to do (default: render)."))
        parser.add_argument("file", nargs="?", help=gettext_lazy("For verify: the file to check."))
        parser.add_argument("--period", type=int, required=True,
                            help=gettext_lazy("Ordinal of the reporting period, e.g. 8."))
        parser.add_argument("--edition", default="public",
                            help=gettext_lazy("Audience of the edition (default: public)."))
        parser.add_argument("--format", dest="fmt", choices=sorted(registry["renderers"]),
                            help=gettext_lazy("File format (render: required; seal: default all; diff: default md)."))
        parser.add_argument("--output", help=gettext_lazy("Folder to write the file into (created if missing)."))
        parser.add_argument("--partnership", help=gettext_lazy("Partnership key, when more than one is loaded."))
        parser.add_argument("--user", help=gettext_lazy("Act as this account (required for sealing and for any "
                                                        "edition the public may not read)."))
        parser.add_argument("--language", default="en", choices=["en", "fr"],
                            help=gettext_lazy("The language of the file (render and seal: en or fr; default en)."))

    def handle(self, *args, action, file, period, edition, fmt, output, partnership, user, language="en",
               **options):
        from rapport.reports.build import find_period

        try:
            period_obj = find_period(period, partnership)
            actor = _account(user)
            if action == "render":
                return self._render(period_obj, edition, fmt, output, actor, language)
            if action == "seal":
                return self._seal(period_obj, edition, fmt, actor, language)
            if action == "verify":
                return self._verify(period_obj, edition, file)
            return self._diff(period_obj, edition, fmt or "md", output, actor)
        except RapportError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise database_error(exc) from None

    def _render(self, period, edition, fmt, output, actor, language):
        from rapport.reports.build import render_edition

        if not fmt or not output:
            raise CommandError(_("render needs --format and --output."))
        folder = _writable(output)
        if self.stderr.isatty():
            self.stderr.write(_("Rendering the %(edition)s edition of period %(ordinal)s as %(format)s…")
                              % {"edition": edition, "ordinal": period.ordinal, "format": fmt.upper()})
        rendered = render_edition(period, edition, fmt, actor=actor, language=language)
        path = _write(folder, rendered.filename, rendered.content)
        self.stdout.write(str(path))

    def _seal(self, period, edition, fmt, actor, language="en"):
        from rapport.reports.sealing import seal_edition

        if actor is None:
            raise CommandError(_("seal needs --user: the coordinator or approver who seals."))
        formats = [fmt] if fmt else sorted(registry["renderers"])
        # One format at a time, with a progress bar on a terminal: a PDF takes a few seconds.
        for one in tqdm(formats, desc=_("Sealing"), unit="format", disable=None, leave=False):
            for seal in seal_edition(actor=actor, period=period, edition=edition, formats=[one], languages=[language]):
                self.stdout.write(_("sealed %(edition)s %(format)s %(language)s %(sha256)s  %(file)s")
                                  % {"edition": seal.edition, "format": f"{seal.format:<4}", "language": seal.language,
                                     "sha256": seal.sha256, "file": seal.filename})

    def _verify(self, period, edition, file):
        from rapport.reports.sealing import verify_file

        if not file:
            raise CommandError(_("verify needs the FILE to check."))
        ok, seal, digest = verify_file(file, period, edition)
        if not ok:
            raise CommandError(_("%(file)s is NOT the sealed %(edition)s edition of period %(ordinal)s "
                                 "(its SHA-256 is %(sha256)s).")
                               % {"file": file, "edition": edition, "ordinal": period.ordinal, "sha256": digest})
        facts = {"file": file, "edition": seal.edition, "format": seal.format, "ordinal": period.ordinal,
                 "sealed_at": f"{seal.sealed_at:%Y-%m-%d %H:%M}",
                 "by": seal.sealed_by.username if seal.sealed_by else _("system"), "sha256": digest}
        if seal.sha256 == digest:
            self.stdout.write(_("OK: %(file)s is the sealed %(edition)s edition (%(format)s) of period %(ordinal)s, "
                                "sealed %(sealed_at)s by %(by)s; SHA-256 %(sha256)s.") % facts)
        else:
            self.stdout.write(_("OK: %(file)s is the canonical document of the sealed %(edition)s edition (the data "
                                "file the archival PDF carries) of period %(ordinal)s, sealed %(sealed_at)s by "
                                "%(by)s; SHA-256 %(sha256)s.") % facts)

    def _diff(self, period, edition, fmt, output, actor):
        from rapport.reports.build import (
            diff_document,
            edition_for,
            render_document,
            require_edition,
        )

        folder = _writable(output) if output else None
        require_edition(actor, period, edition)
        doc = diff_document(period, edition)
        content = render_document(doc, fmt)
        if folder is None:
            if fmt != "md" and fmt != "html":
                raise CommandError(_("Give --output to write a %(format)s comparison.") % {"format": fmt})
            self.stdout.write(content.decode())
            return
        name = f"{period.partnership.key}-diff-{period.ordinal - 1:02d}-{period.ordinal:02d}-" \
               f"{edition_for(period, edition).name.replace(':', '-').lower()}.{fmt}"
        self.stdout.write(str(_write(folder, name, content)))


def _account(username):
    """The active account named by --user (None: read as the public)."""
    from rapport.access.models import User

    if not username:
        return None
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(_("No active account %(username)s.") % {"username": repr(username)})
    return actor


def _writable(output: str) -> Path:
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise CommandError(_("--output %(folder)s: not a folder.") % {"folder": output})
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(_("--output %(folder)s: cannot create the folder (%(error)s).")
                           % {"folder": output, "error": exc.strerror}) from None
    if not os.access(folder, os.W_OK):
        raise CommandError(_("--output %(folder)s: the folder is not writable.") % {"folder": output})
    return folder


def _write(folder: Path, name: str, content: bytes) -> Path:
    """Write through a temporary file, so a failure leaves no partial file behind."""
    path = folder / name
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".rapport-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        raise CommandError(_("Cannot write %(file)s: %(error)s.") % {"file": path, "error": exc.strerror}) from None
    return path.resolve()
