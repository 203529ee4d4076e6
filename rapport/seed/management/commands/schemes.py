"""rapport schemes: the classification schemes, as a list or as XML SPIFs (and back)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand
from rapport.core.errors import InputError
from rapport.markings.models import LEVEL_MARKINGS, ClassificationScheme
from rapport.markings.spif import MAX_BYTES, read_spif
from rapport.seed.schemes import export_all, import_scheme


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy(
        "The classification schemes (reference data, public). 'rapport schemes list' lists them with their policy "
        "and levels; 'rapport schemes export [--scheme KEY] [--output DIR|FILE]' writes each scheme's value domain "
        "as an XML SPIF (Open XML SPIF 2.1: policy, classifications in rank order with their banner and portion "
        "texts, also per language (xml:lang) where the scheme gives them; the organisations a record may be "
        "releasable to); 'rapport schemes import FILE [--scheme KEY]' "
        "creates or updates a scheme from such a file (atomic: a bad file changes nothing; audited)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help=gettext_lazy("List the schemes, their policies and levels."))
        export = sub.add_parser("export", help=gettext_lazy("Write each scheme as an XML SPIF."))
        export.add_argument("--scheme", help=gettext_lazy("Only this scheme (its key: eu, nato)."))
        export.add_argument("--output", help=gettext_lazy("A folder (one KEY.spif.xml per scheme) or, for one scheme, "
                                                          "a file; without it one scheme's SPIF is printed."))
        imports = sub.add_parser("import", help=gettext_lazy("Create or update a scheme from an XML SPIF."))
        imports.add_argument("file")
        imports.add_argument("--scheme", help=gettext_lazy("The scheme's key (by default the file's own, or the scheme "
                                                           "with the file's policy identifier)."))

    def handle(self, *args, action, **options):
        if action == "list":
            return self._list()
        if action == "export":
            return self._export(options["scheme"], options["output"])
        return self._import(Path(options["file"]), options["scheme"])

    def _list(self):
        for scheme in ClassificationScheme.objects.prefetch_related("levels"):
            levels = " < ".join(lv.name for lv in sorted(scheme.levels.all(), key=lambda lv: lv.rank))
            self.stdout.write(f"{scheme.key:<8} {scheme.policy} ({scheme.policy_oid})\n         {levels}")

    def _export(self, key, output):
        schemes = ClassificationScheme.objects.prefetch_related("levels", f"levels__{LEVEL_MARKINGS}").order_by("key")
        if key:
            schemes = schemes.filter(key=key)
            if not schemes:
                known = ", ".join(ClassificationScheme.objects.values_list("key", flat=True))
                raise CommandError(_("No scheme %(key)s (the schemes are: %(known)s).") % {"key": repr(key), "known": known})
        files = export_all(list(schemes), timezone.now())
        target = Path(output) if output else None
        folder = target is not None and (target.is_dir() or output.endswith(("/", "\\")))
        if not folder and len(files) != 1:
            raise CommandError(_("%(count)s schemes: name one with --scheme KEY, or give a folder with --output DIR.")
                               % {"count": len(files)})
        if target is None:
            self.stdout.write(next(iter(files.values())).decode("utf-8"), ending="")
            return
        written = {target / f"{name}.spif.xml": content for name, content in files.items()} if folder else {
            target: next(iter(files.values()))}
        try:
            if folder:
                target.mkdir(parents=True, exist_ok=True)
            for path, content in written.items():
                path.write_bytes(content)
        except OSError as exc:
            raise CommandError(_("Cannot write %(file)s: %(error)s.") % {"file": exc.filename or target,
                                                                          "error": exc.strerror}) from None
        for path in written:
            self.stdout.write(_("Wrote %(file)s") % {"file": path})

    def _import(self, path: Path, key):
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(_("Nothing was changed: %(file)s is larger than %(limit)s bytes.")
                                   % {"file": path, "limit": MAX_BYTES})
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Nothing was changed: cannot read %(file)s: %(error)s.")
                               % {"file": path, "error": exc.strerror}) from None
        try:
            result = import_scheme(data=read_spif(content, source=path.name), key=key)
        except InputError as exc:
            raise CommandError(_("Nothing was changed: %(error)s") % {"error": exc}) from None
        if not result.changed:
            self.stdout.write(_("Scheme %(key)s: already as the file says; nothing changed.") % {"key": result.scheme.key})
            return
        parts = [_("created %(names)s") % {"names": ", ".join(result.created)} if result.created else "",
                 _("updated %(names)s") % {"names": ", ".join(result.updated)} if result.updated else ""]
        self.stdout.write(_("Scheme %(key)s: %(changes)s.") % {"key": result.scheme.key,
                                                               "changes": "; ".join(p for p in parts if p)})
