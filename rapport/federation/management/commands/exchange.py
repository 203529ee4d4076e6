import os
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand
from rapport.core.errors import InputError
from rapport.federation.exporting import export_package, peer_by_key
from rapport.federation.importing import import_package
from rapport.federation.package import MAX_BYTES


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy("Signed, labelled exchange packages between this instance and its peers. "
             "'rapport exchange export --to ORG --output FILE' writes everything new since the last package to "
             "that peer that it may receive; 'rapport exchange import FILE' checks a peer's package whole "
             "(signature, addressee, sequence, every label) and writes it whole, or nothing.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help=gettext_lazy("Write the next package to a peer."))
        export.add_argument("--to", required=True, help=gettext_lazy("The peer's organisation (its key, e.g. nato)."))
        export.add_argument("--output", required=True, help=gettext_lazy("The file to write ('-' for standard output)."))
        imp = sub.add_parser("import", help=gettext_lazy("Check and apply a package from a peer."))
        imp.add_argument("file")

    def handle(self, *args, action, **options):
        try:
            if action == "export":
                # The package counts as sent only once its file is written: a failed write rolls it back.
                with transaction.atomic():
                    data, made = export_package(peer_by_key(options["to"]))
                    if options["output"] == "-":
                        sys.stdout.buffer.write(data)
                        sys.stdout.buffer.flush()
                        return
                    self._write(Path(options["output"]), data)
                self.stdout.write(_("Package %(n)s to %(org)s: %(count)s records, sha256 %(sha)s, written to %(file)s.")
                                  % {"n": made.sequence, "org": made.peer.organisation.short_name,
                                     "count": made.object_count, "sha": made.sha256, "file": options["output"]})
            else:
                data = self._read(options["file"])
                outcome = import_package(data)
                made = outcome.package
                if outcome.replay:
                    self.stdout.write(_("Package %(n)s from %(org)s was imported before: nothing changed.")
                                      % {"n": made.sequence, "org": made.peer.organisation.short_name})
                    return
                self.stdout.write(_("Package %(n)s from %(org)s (sha256 %(sha)s), signature verified: "
                                    "%(new)s new, %(changed)s changed, %(same)s unchanged.")
                                  % {"n": made.sequence, "org": made.peer.organisation.short_name, "sha": made.sha256,
                                     "new": outcome.created, "changed": outcome.updated, "same": outcome.unchanged})
                if outcome.conflicts:
                    self.stdout.write(_("%(n)s joint text(s) changed on both sides since they last agreed: each waits "
                                        "as a conflict on its page until someone resolves it.") % {"n": outcome.conflicts})
                if outcome.part_conflicts:
                    self.stdout.write(_("%(n)s report part(s) changed on both sides since they last agreed: each "
                                        "waits as a conflict in the report's editor until a coordinator resolves it.")
                                      % {"n": outcome.part_conflicts})
                for note in outcome.notes:
                    self.stdout.write(_("Note: %(note)s.") % {"note": note})
        except InputError as exc:
            raise CommandError(_("Nothing was changed. %(error)s") % {"error": exc}) from None

    def _write(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".{path.name}.partial")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(_("Nothing was changed: cannot write %(file)s (%(why)s).")
                               % {"file": path, "why": exc.strerror or exc}) from None

    def _read(self, name: str) -> bytes:
        try:
            with open(name, "rb") as f:
                data = f.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(_("Nothing was changed: cannot read %(file)s (%(why)s).")
                               % {"file": name, "why": exc}) from None
        return data
